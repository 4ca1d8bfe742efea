// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl sync FILE: the library's sync plan (sync.h) for a key store,
 * printed (dry-run) or applied with a progress bar and a summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "bulk.h"
#include "out.h"
#include "nlerr.h"
#include "sync.h"
#include "show.h"

static int cmp_id(const void *key, const void *d)
{
	return memcmp(key, ((const struct dev_info *)d)->id, AIOTSEC_ID_LEN);
}

/* "key, policy, min, group": what makes @e a replacement. */
static const char *what_differs(const struct ks_entry *e,
				const struct dev_list *l)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ SYNC_D_KEY, "key" }, { SYNC_D_POLICY, "policy" },
		{ SYNC_D_MIN, "min" }, { SYNC_D_GROUP, "group" },
	};
	static char buf[32];
	const struct dev_info *d;
	unsigned int m;
	size_t i, len = 0;

	d = bsearch(e->id, l->v, l->n, sizeof(*l->v), cmp_id);
	m = d ? sync_differs(e, d) : 0;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%s%s", len ? ", " : "",
						names[i].name);
	return buf;
}

static void print_plan(const struct sync_plan *p, const struct keystore *ks,
		       const struct dev_list *l)
{
	const struct ks_entry *e;
	size_t i;

	/* The plain output only: -j prints just the summary. */
	for (i = 0; i < p->ndel; i++)
		print_plain("del %s\n", show_id(l->v[p->del[i]].id));
	for (i = 0; i < p->nadd; i++)
		print_plain("add %s (line %u)\n", show_id(ks->e[p->add[i]].id),
			    ks->e[p->add[i]].line);
	for (i = 0; i < p->nrep; i++) {
		e = &ks->e[p->rep[i]];
		print_plain("replace %s (line %u: %s)\n", show_id(e->id),
			    e->line, what_differs(e, l));
	}
}

static void report(const char *file, const struct sync_plan *p, size_t msgs,
		   double secs, bool dry)
{
	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_ANY, "file", "sync %s", file);
	print_u64(PRINT_JSON, "dry_run", NULL, dry);
	print_str(PRINT_FP, NULL, "%s", dry ? " (dry run)" : "");
	print_u64(PRINT_ANY, "added", ": %" PRIu64 " added", p->nadd);
	print_u64(PRINT_ANY, "replaced", ", %" PRIu64 " replaced", p->nrep);
	print_u64(PRINT_ANY, "deleted", ", %" PRIu64 " deleted", p->ndel);
	print_u64(PRINT_ANY, "unchanged", ", %" PRIu64 " unchanged", p->same);
	print_u64(PRINT_ANY, "messages", " (%" PRIu64 " messages", msgs);
	print_f64(PRINT_ANY, "kernel_seconds", ", %.3f s)", secs, 3);
	print_nl(PRINT_FP);
	close_obj(PRINT_JSON);
}

struct sync_ctx {
	struct anl *a;
	struct progress *pr;
	const struct keystore *ks;
	const struct dev_list *l;
	const char *file;
};

static void on_attach(struct batch *b, void *arg)
{
	progress_attach(((struct sync_ctx *)arg)->pr, b);
}

static void on_ended(const struct batch *b, void *arg)
{
	((struct sync_ctx *)arg)->pr->base += b->done;
}

static void on_failed(const struct batch *b, int ret, const size_t *map,
		      void *arg)
{
	struct sync_ctx *c = arg;

	if (b->cmd != AIOTSEC_CMD_DEL_DEVICES) {
		bulk_error(b, ret, c->ks, c->file, map);
	} else if (b->has_err_idx) {
		err_msg("sync: deleting %s: %s (%s)",
			show_id(c->l->v[map[b->err_idx]].id),
			c->a->last.msg[0] ? ctl_msg(c->a) : "failed",
			strerror(-ret));
	} else {
		anl_perror(c->a, "sync: deleting", ret);
	}
}

int cmd_sync(int argc, char **argv)
{
	char err[512];
	struct dev_list l;
	struct keystore ks;
	struct progress pr;
	struct sync_plan p;
	struct kw kws[] = { KW("dry-run", KW_FLAG), KW("batch", KW_ARG),
			    KW_END };
	struct sync_run run = { .attach = on_attach, .ended = on_ended,
				.failed = on_failed };
	struct sync_ctx ctx = { .pr = &pr, .ks = &ks, .l = &l, .file = argv[0] };
	struct anl a;
	bool dry;
	int ret;

	if (argc < 1)
		return usage_err("sync: a FILE is required");
	if (cmd_kw(kws, "keyword", argc - 1, argv + 1, &ret))
		return ret;
	if (kws[1].seen && parse_batch(&kws[1], &run.max))
		return EXIT_USAGE;
	dry = kws[0].seen;
	if (ks_load(&ks, argv[0], stderr, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	if (ctl_open(&a, false)) {
		ks_free(&ks);
		return EXIT_ERR;
	}
	ret = ctl_dump(&a, &l);
	if (ret)
		goto out;
	ret = sync_plan_make(&ks, &l, &p);
	if (ret) {
		err_msg("out of memory");
		dev_list_free(&l);
		goto out;
	}
	if (dry) {
		print_plan(&p, &ks, &l);
	} else {
		progress_init(&pr, "sync", p.ndel + p.nadd + p.nrep);
		ctx.a = &a;
		run.arg = &ctx;
		ret = sync_apply(&a, &p, &ks, &l, &run);
		progress_end(&pr);
	}
	if (!ret)
		report(argv[0], &p, run.msgs, run.secs, dry);
	sync_plan_free(&p);
	dev_list_free(&l);
out:
	anl_close(&a);
	ks_free(&ks);
	return ret ? EXIT_ERR : EXIT_OK;
}
