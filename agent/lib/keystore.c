// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The key-store file (see keystore.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* explicit_bzero() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "keystore.h"
#include "policy.h"

/* Best effort: the limit may be too low for a big store (then it swaps). */
static void lock_mem(void *p, size_t len)
{
	if (len)
		(void)mlock(p, len);
}

static void wipe_free(void *p, size_t len)
{
	if (!p)
		return;
	explicit_bzero(p, len);
	if (len)
		(void)munlock(p, len);
	free(p);
}

#define FIELD_MAX	4	/* ID KEY POLICY MIN */
#define POLICY_MAX	64	/* longer than any valid policy string */
#define MSG_MAX		192

struct field {
	const char *s;
	size_t len;
};

static int fail(char *err, size_t errlen, const char *name, unsigned int line,
		const char *what)
{
	if (errlen)
		snprintf(err, errlen, "%s:%u: %s", name, line, what);
	return -1;
}

/* Room for one more entry; old copies of the keys are wiped, not freed. */
static int grow(struct keystore *ks)
{
	struct ks_entry *e;
	size_t cap;

	if (ks->n < ks->cap)
		return 0;
	cap = ks->cap ? ks->cap * 2 : 64;
	if (cap > SIZE_MAX / sizeof(*e))
		return -1;
	e = malloc(cap * sizeof(*e));
	if (!e)
		return -1;
	lock_mem(e, cap * sizeof(*e));
	if (ks->n)
		memcpy(e, ks->e, ks->n * sizeof(*e));
	wipe_free(ks->e, ks->cap * sizeof(*e));
	ks->e = e;
	ks->cap = cap;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split a line into at most FIELD_MAX + 1 fields (one more: too many). */
static int split(const char *p, size_t len, struct field *f)
{
	const char *end = p + len;
	int n = 0;

	while (n <= FIELD_MAX) {
		while (p < end && is_blank(*p))
			p++;
		if (p == end || *p == '#')
			break;
		f[n].s = p;
		while (p < end && !is_blank(*p) && *p != '#')
			p++;
		f[n].len = (size_t)(p - f[n].s);
		n++;
	}
	return n;
}

static int parse_policy(const struct field *f, enum policy_kind kind,
			uint8_t *out, char *msg)
{
	const char *what = kind == POLICY_REQUEST ? "POLICY" : "MIN";
	char s[POLICY_MAX], why[MSG_MAX - 16];

	if (f->len >= sizeof(s)) {
		snprintf(msg, MSG_MAX, "%s: too long", what);
		return -1;
	}
	memcpy(s, f->s, f->len);
	s[f->len] = '\0';
	if (policy_parse(s, kind, out, why, sizeof(why))) {
		snprintf(msg, MSG_MAX, "%s: %s", what, why);
		return -1;
	}
	return 0;
}

/* Parse one line into @e; on error a message in @msg (MSG_MAX). */
static int parse_line(const char *p, size_t len, struct ks_entry *e,
		      char *msg)
{
	struct field f[FIELD_MAX + 1];
	char why[MSG_MAX - 16];
	char pol[POLICY_BUF_LEN], min[POLICY_BUF_LEN];
	long n;
	int nf;

	nf = split(p, len, f);
	if (!nf)
		return 1;			/* blank or comment */
	if (nf > FIELD_MAX) {
		snprintf(msg, MSG_MAX,
			 "too many fields (want ID KEY POLICY [MIN])");
		return -1;
	}
	if (nf < 3) {
		snprintf(msg, MSG_MAX, "missing %s (want ID KEY POLICY [MIN])",
			 nf == 1 ? "KEY" : "POLICY");
		return -1;
	}
	if (hex_parse_id(f[0].s, f[0].len, e->id, why, sizeof(why))) {
		snprintf(msg, MSG_MAX, "%s", why);
		return -1;
	}
	n = hex_decode(f[1].s, f[1].len, e->key, sizeof(e->key));
	if (n == HEX_BAD || n == HEX_ODD) {
		snprintf(msg, MSG_MAX, "KEY: %s", hex_strerror(n));
		return -1;
	}
	if (n == HEX_LONG)
		n = (long)(f[1].len / 2);
	if (n != 16 && n != 32) {
		explicit_bzero(e->key, sizeof(e->key));
		snprintf(msg, MSG_MAX,
			 "KEY: %ld bytes, want 16 or 32 (32 or 64 hex digits)",
			 n);
		return -1;
	}
	e->key_len = (uint8_t)n;
	if (parse_policy(&f[2], POLICY_REQUEST, &e->policy, msg))
		return -1;
	e->min_policy = e->policy;
	if (nf == 4 && parse_policy(&f[3], POLICY_MINIMUM, &e->min_policy, msg))
		return -1;
	if (!aiot_policy_meets(e->policy, e->min_policy, AIOT_MSG_CMD_RESP)) {
		policy_format(e->policy, pol, sizeof(pol));
		policy_format(e->min_policy, min, sizeof(min));
		snprintf(msg, MSG_MAX, "POLICY %s is below MIN %s", pol, min);
		return -1;
	}
	return 0;
}

static int cmp_index(const void *a, const void *b, void *arg)
{
	const struct ks_entry *e = arg;
	const struct ks_entry *x = &e[*(const size_t *)a];
	const struct ks_entry *y = &e[*(const size_t *)b];
	int d = memcmp(x->id, y->id, KS_ID_LEN);

	if (d)
		return d;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * The entry that repeats an earlier ID first in file order, or -1 (-2 if
 * out of memory); its earlier twin in *@first.
 */
static long find_duplicate(const struct keystore *ks, size_t *first)
{
	size_t *v, i;
	long dup = -1;

	if (ks->n < 2)
		return -1;
	v = malloc(ks->n * sizeof(*v));
	if (!v)
		return -2;
	for (i = 0; i < ks->n; i++)
		v[i] = i;
	qsort_r(v, ks->n, sizeof(*v), cmp_index, ks->e);
	for (i = 1; i < ks->n; i++) {
		if (memcmp(ks->e[v[i]].id, ks->e[v[i - 1]].id, KS_ID_LEN))
			continue;
		/* Runs are sorted by line: v[i - 1] is the earlier twin. */
		if (dup < 0 || ks->e[v[i]].line < ks->e[dup].line) {
			dup = (long)v[i];
			*first = v[i - 1];
		}
	}
	free(v);
	return dup;
}

int ks_parse(struct keystore *ks, const char *name, const char *buf,
	     size_t len, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len, *eol;
	char msg[MSG_MAX], hex[2 * KS_ID_LEN + 1];
	unsigned int line = 0;
	size_t first = 0;
	long dup;
	int ret;

	memset(ks, 0, sizeof(*ks));
	while (p < end) {
		line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (memchr(p, '\0', (size_t)(eol - p))) {
			ks_free(ks);
			return fail(err, errlen, name, line, "NUL byte");
		}
		if (grow(ks)) {
			ks_free(ks);
			return fail(err, errlen, name, line, "out of memory");
		}
		ks->e[ks->n].line = line;
		ret = parse_line(p, (size_t)(eol - p), &ks->e[ks->n], msg);
		if (ret < 0) {
			ks_free(ks);
			return fail(err, errlen, name, line, msg);
		}
		if (!ret)
			ks->n++;
		p = eol + 1;
	}
	dup = find_duplicate(ks, &first);
	if (dup == -2) {
		ks_free(ks);
		return fail(err, errlen, name, line, "out of memory");
	}
	if (dup >= 0) {
		hex_encode(ks->e[dup].id, KS_ID_LEN, hex);
		snprintf(msg, sizeof(msg), "ID %s: already on line %u", hex,
			 ks->e[first].line);
		line = ks->e[dup].line;
		ks_free(ks);
		return fail(err, errlen, name, line, msg);
	}
	return 0;
}

bool ks_insecure_ok;

int ks_custody(int fd, const char *name, bool allow, FILE *warn, char *err,
	       size_t errlen)
{
	const char *who = NULL, *how;
	char why[160];
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_uid != geteuid()) {
		snprintf(why, sizeof(why), "holds keys and is owned by uid %u, not by uid %u (chown it)",
			 (unsigned int)st.st_uid, (unsigned int)geteuid());
	} else if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
		who = st.st_mode & (S_IROTH | S_IWOTH) ? "others" : "its group";
		how = st.st_mode & (S_IROTH | S_IRGRP) ?
		      (st.st_mode & (S_IWOTH | S_IWGRP) ? "readable and writable" : "readable") :
		      "writable";
		snprintf(why, sizeof(why), "holds keys and is %s by %s (chmod 600 it)",
			 how, who);
	} else {
		return 0;
	}
	if (allow) {
		if (warn)
			fprintf(warn, "warning: %s %s; used anyway (--insecure-keys)\n",
				name, why);
		return 0;
	}
	if (errlen)
		snprintf(err, errlen, "%s %s, or pass --insecure-keys", name, why);
	return -1;
}

/* Read all of @fd; the buffer is wiped whenever it moves. */
static char *read_all(int fd, size_t *len, size_t *capp)
{
	size_t cap = 1 << 16, n = 0;
	struct stat st;
	char *buf, *nb;
	ssize_t r;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf)
		return NULL;
	lock_mem(buf, cap);
	for (;;) {
		if (n == cap) {
			nb = cap < SIZE_MAX / 2 ? malloc(cap * 2) : NULL;
			if (!nb) {
				errno = ENOMEM;
				goto fail;
			}
			lock_mem(nb, cap * 2);
			memcpy(nb, buf, n);
			wipe_free(buf, cap);
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (!r)
			break;
		n += (size_t)r;
	}
	*len = n;
	*capp = cap;
	return buf;
fail:
	wipe_free(buf, cap);
	return NULL;
}

int ks_load(struct keystore *ks, const char *path, FILE *warn, char *err,
	    size_t errlen)
{
	int stdin_ = !strcmp(path, "-");
	const char *name = stdin_ ? "<stdin>" : path;
	size_t len = 0, cap = 0;
	char *buf;
	int fd, ret, e;

	memset(ks, 0, sizeof(*ks));
	fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errlen)
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (warn && ks_custody(fd, name, ks_insecure_ok, warn, err, errlen)) {
		if (!stdin_)
			close(fd);
		return -1;
	}
	buf = read_all(fd, &len, &cap);
	e = errno;
	if (!stdin_)
		close(fd);
	if (!buf) {
		if (errlen)
			snprintf(err, errlen, "%s: %s", name, strerror(e));
		return -1;
	}
	ret = ks_parse(ks, name, buf, len, err, errlen);
	wipe_free(buf, cap);
	return ret;
}

void ks_free(struct keystore *ks)
{
	wipe_free(ks->e, ks->cap * sizeof(*ks->e));
	ks->e = NULL;
	ks->n = 0;
	ks->cap = 0;
}
