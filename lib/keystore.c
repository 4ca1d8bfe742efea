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

#define FIELD_MAX	6	/* ID KEY POLICY MIN group GROUP */
#define WANT		"(want ID KEY POLICY [MIN] [group GROUP])"
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

/*
 * The last policy string parsed, per kind, and its value: a key store
 * usually repeats one policy on every line, and parsing it is most of the
 * cost of a line. Points into the buffer being parsed.
 */
struct pol_memo {
	struct field f[2];
	uint8_t v[2];
};

static int parse_policy(const struct field *f, enum policy_kind kind,
			uint8_t *out, char *msg, struct pol_memo *m)
{
	const char *what = kind == POLICY_REQUEST ? "POLICY" : "MIN";
	char s[POLICY_MAX], why[MSG_MAX - 16];
	int k = kind != POLICY_REQUEST;

	if (m->f[k].s && m->f[k].len == f->len &&
	    !memcmp(m->f[k].s, f->s, f->len)) {
		*out = m->v[k];
		return 0;
	}
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
	m->f[k] = *f;
	m->v[k] = *out;
	return 0;
}

static bool is_group_word(const struct field *f)
{
	return f->len == 5 && !memcmp(f->s, "group", 5);
}

/*
 * The fields after POLICY: [MIN] [group GROUP]. 0, or -1 with a message
 * in @msg (MSG_MAX).
 */
static int parse_tail(const struct field *f, int nf, struct ks_entry *e,
		      char *msg, struct pol_memo *m)
{
	char why[MSG_MAX - 16];
	int i = 3;

	e->min_policy = e->policy;
	if (i < nf && !is_group_word(&f[i]) &&
	    parse_policy(&f[i++], POLICY_MINIMUM, &e->min_policy, msg, m))
		return -1;
	if (i < nf && is_group_word(&f[i])) {
		if (++i == nf) {
			snprintf(msg, MSG_MAX, "group: a value is required (16 hex digits)");
			return -1;
		}
		if (hex_parse_group(f[i].s, f[i].len, e->group, why,
				    sizeof(why))) {
			snprintf(msg, MSG_MAX, "group: %s", why);
			return -1;
		}
		i++;
	}
	if (i < nf) {
		snprintf(msg, MSG_MAX, "too many fields " WANT);
		return -1;
	}
	return 0;
}

/* Parse one line into @e; on error a message in @msg (MSG_MAX). */
static int parse_line(const char *p, size_t len, struct ks_entry *e,
		      char *msg, struct pol_memo *m)
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
		snprintf(msg, MSG_MAX, "too many fields " WANT);
		return -1;
	}
	if (nf < 3) {
		snprintf(msg, MSG_MAX, "missing %s " WANT,
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
	memset(e->group, 0, sizeof(e->group));
	if (parse_policy(&f[2], POLICY_REQUEST, &e->policy, msg, m) ||
	    parse_tail(f, nf, e, msg, m))
		return -1;
	if (!aiot_policy_meets(e->policy, e->min_policy, AIOT_MSG_CMD_RESP)) {
		policy_format(e->policy, pol, sizeof(pol));
		policy_format(e->min_policy, min, sizeof(min));
		snprintf(msg, MSG_MAX, "POLICY %s is below MIN %s", pol, min);
		return -1;
	}
	return 0;
}

/* A hash of an ID (the 64-bit FNV-1a of its bytes). */
static uint64_t id_hash(const uint8_t *id)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	for (i = 0; i < KS_ID_LEN; i++)
		h = (h ^ id[i]) * 0x100000001b3ull;
	return h ^ h >> 29;
}

/*
 * The entry that repeats an earlier ID first in file order, or -1 (-2 if
 * out of memory); its earlier twin in *@first. One pass in file order over
 * an open-addressing set of entry indices (the first of each ID stays).
 */
static long find_duplicate(const struct keystore *ks, size_t *first)
{
	size_t cap = 16, mask, i, j, *set;
	long dup = -1;

	if (ks->n < 2)
		return -1;
	while (cap < ks->n * 2)
		cap *= 2;
	set = malloc(cap * sizeof(*set));
	if (!set)
		return -2;
	memset(set, 0xff, cap * sizeof(*set));	/* SIZE_MAX: empty */
	mask = cap - 1;
	for (i = 0; i < ks->n && dup < 0; i++) {
		for (j = id_hash(ks->e[i].id) & mask; set[j] != SIZE_MAX;
		     j = (j + 1) & mask) {
			if (!memcmp(ks->e[set[j]].id, ks->e[i].id, KS_ID_LEN)) {
				dup = (long)i;
				*first = set[j];
				break;
			}
		}
		set[j] = i;
	}
	free(set);
	return dup;
}

int ks_parse(struct keystore *ks, const char *name, const char *buf,
	     size_t len, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len, *eol;
	char msg[MSG_MAX], hex[2 * KS_ID_LEN + 1];
	struct pol_memo memo = { 0 };
	unsigned int line = 0;
	size_t first = 0;
	long dup;
	int ret;

	memset(ks, 0, sizeof(*ks));
	/* One allocation for every line, rather than copies as it grows. */
	for (eol = p; eol < end && (eol = memchr(eol, '\n', (size_t)(end - eol)));
	     eol++)
		line++;
	ks->e = reallocarray(NULL, (size_t)line + 1, sizeof(*ks->e));
	if (ks->e)
		ks->cap = (size_t)line + 1;
	line = 0;
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
		ret = parse_line(p, (size_t)(eol - p), &ks->e[ks->n], msg,
				 &memo);
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
