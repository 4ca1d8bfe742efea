// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What load and sync share (see bulk.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aiotctl.h"
#include "args.h"
#include "bulk.h"
#include "nlerr.h"

#define BAR_WIDTH	30

void progress_init(struct progress *p, const char *what, size_t total)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->total = total;
	p->on = total && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

static void progress_cb(size_t done, void *arg)
{
	struct progress *p = arg;
	double t = now_secs();
	size_t fill;

	done += p->base;
	if (!p->on || (t - p->last < 0.1 && done < p->total))
		return;
	p->last = t;
	fill = p->total ? done * BAR_WIDTH / p->total : BAR_WIDTH;
	fprintf(stderr, "\r%s [%.*s%*s] %3zu%% %zu/%zu", p->what, (int)fill,
		"##############################", (int)(BAR_WIDTH - fill), "",
		p->total ? done * 100 / p->total : 100, done, p->total);
	fflush(stderr);
}

void progress_attach(struct progress *p, struct batch *b)
{
	b->progress = progress_cb;
	b->progress_arg = p;
}

void progress_end(struct progress *p)
{
	if (p->on && p->last)
		fputs("\r\033[K", stderr);
}

void bulk_error(const struct batch *b, int ret, const struct keystore *ks,
		const char *file, const size_t *map)
{
	const char *why = b->a->last.msg[0] ? ctl_msg(b->a) : "";
	const char *sep = why[0] ? " " : "";
	int e = ret < 0 ? -ret : ret;
	size_t first, last;

	if (e == EPERM) {
		err_msg("%s: needs CAP_NET_ADMIN (%s)", file, strerror(e));
		return;
	}
	if (b->has_err_idx) {
		first = map ? map[b->err_idx] : b->err_idx;
		err_msg("%s:%u: kernel: %s%s(%s)", file, ks->e[first].line,
			why, sep, strerror(e));
	} else if (b->n) {
		first = map ? map[b->idx[0]] : b->idx[0];
		last = map ? map[b->idx[b->n - 1]] : b->idx[b->n - 1];
		err_msg("%s: message %zu (lines %u-%u): kernel: %s%s(%s)",
			file, b->msgs, ks->e[first].line, ks->e[last].line,
			why, sep, strerror(e));
	} else {
		err_msg("%s: %s%s(%s)", file, why, sep, strerror(e));
	}
	if (b->done)
		err_msg("%s: the %zu devices of the %zu messages before it stay",
			file, b->done, b->msgs - 1);
}

int parse_batch(const struct kw *k, size_t *out)
{
	uint32_t v = 0;

	if (cmd_u32(k, 1000000, &v))
		return -1;
	if (!v) {
		cmd_invalid(k, "must be at least 1");
		return -1;
	}
	*out = v;
	return 0;
}
