// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The suite's reading of aiotctl -j (see e2e.h), on jansson: every JSON
 * value of the text (aiotctl may print one per line), searched for a
 * number by the end of its key path, or for members of a name.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "e2e.h"

#define DEPTH	16

struct search {
	const char *want[DEPTH];	/* the path asked for, split */
	int nwant;
	const char *keys[DEPTH];	/* key path to the current value */
	int depth;
	bool found;
	uint64_t v;
	const char *count_key;		/* json_count_key() */
	size_t count;
};

/* Normalised key compare: '-' is '_', case ignored. */
static bool key_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : (char)tolower((unsigned char)*a);
		char y = *b == '-' ? '_' : (char)tolower((unsigned char)*b);

		if (x != y)
			return false;
	}
	return !*a && !*b;
}

/* Does the key stack end with the path asked for? */
static bool path_matches(const struct search *s)
{
	int i, off = s->depth - s->nwant;

	if (off < 0 || !s->nwant)
		return false;
	for (i = 0; i < s->nwant; i++)
		if (!key_eq(s->keys[off + i], s->want[i]))
			return false;
	return true;
}

static void visit(struct search *s, json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_number(v)) {
		/* integers come as reals: a u64 above INT64_MAX is valid */
		double d = json_number_value(v);

		if (!s->found && d >= 0 && path_matches(s)) {
			s->found = true;
			s->v = d >= 18446744073709551615.0 ? UINT64_MAX :
			       (uint64_t)d;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			visit(s, m);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, m) {
			if (s->count_key && key_eq(key, s->count_key))
				s->count++;
			if (s->depth < DEPTH) {
				s->keys[s->depth++] = key;
				visit(s, m);
				s->depth--;
			}
		}
	}
}

/* Every JSON value of @js, in order; a malformed one ends the walk. */
static void search_all(struct search *s, const char *js)
{
	size_t len = strlen(js), off = 0;
	json_error_t e;
	json_t *v;

	for (;;) {
		while (off < len && isspace((unsigned char)js[off]))
			off++;
		if (off == len)
			return;
		v = json_loadb(js + off, len - off, JSON_DECODE_ANY |
			       JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL |
			       JSON_DECODE_INT_AS_REAL, &e);
		if (!v)
			return;
		visit(s, v);
		json_decref(v);
		off += (size_t)e.position;
	}
}

bool json_u64(const char *js, const char *path, uint64_t *v)
{
	struct search s = { 0 };
	char buf[256], *save = NULL, *t;

	snprintf(buf, sizeof(buf), "%s", path);
	for (t = strtok_r(buf, ".", &save); t && s.nwant < DEPTH;
	     t = strtok_r(NULL, ".", &save))
		s.want[s.nwant++] = t;
	search_all(&s, js);
	if (s.found)
		*v = s.v;
	return s.found;
}

size_t json_count_key(const char *js, const char *key)
{
	struct search s = { .count_key = key };

	search_all(&s, js);
	return s.count;
}
