// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Just enough JSON for the suite: find a number by the end of its key
 * path, count members of a name. A walk over the text with a bounded key
 * stack; malformed text ends the walk, never reads past the NUL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define DEPTH	16
#define KEYLEN	64

struct walk {
	const char *p;
	char keys[DEPTH][KEYLEN];	/* key path to the current value */
	int depth;
	const char *want[DEPTH];	/* the path asked for, split */
	int nwant;
	bool found;
	uint64_t v;
	const char *count_key;		/* json_count_key() */
	size_t count;
};

static void ws(struct walk *w)
{
	while (*w->p && isspace((unsigned char)*w->p))
		w->p++;
}

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

/* A string at w->p into @out (truncated to KEYLEN - 1); false if broken. */
static bool string(struct walk *w, char *out)
{
	size_t n = 0;

	if (*w->p != '"')
		return false;
	w->p++;
	while (*w->p && *w->p != '"') {
		if (*w->p == '\\' && w->p[1])
			w->p++;
		if (out && n < KEYLEN - 1)
			out[n++] = *w->p;
		w->p++;
	}
	if (out)
		out[n] = '\0';
	if (*w->p != '"')
		return false;
	w->p++;
	return true;
}

/* Does the key stack end with the path asked for? */
static bool path_matches(const struct walk *w)
{
	int i, off = w->depth - w->nwant;

	if (off < 0)
		return false;
	for (i = 0; i < w->nwant; i++)
		if (!key_eq(w->keys[off + i], w->want[i]))
			return false;
	return true;
}

static bool value(struct walk *w);

static bool members(struct walk *w)
{
	w->p++;		/* '{' */
	ws(w);
	if (*w->p == '}') {
		w->p++;
		return true;
	}
	for (;;) {
		char key[KEYLEN];

		ws(w);
		if (!string(w, key))
			return false;
		ws(w);
		if (*w->p++ != ':')
			return false;
		if (w->count_key && key_eq(key, w->count_key))
			w->count++;
		if (w->depth < DEPTH) {
			memcpy(w->keys[w->depth], key, KEYLEN);
			w->depth++;
			if (!value(w))
				return false;
			w->depth--;
		} else if (!value(w)) {
			return false;
		}
		ws(w);
		if (*w->p == ',') {
			w->p++;
			continue;
		}
		if (*w->p == '}') {
			w->p++;
			return true;
		}
		return false;
	}
}

static bool elements(struct walk *w)
{
	w->p++;		/* '[' */
	ws(w);
	if (*w->p == ']') {
		w->p++;
		return true;
	}
	for (;;) {
		if (!value(w))
			return false;
		ws(w);
		if (*w->p == ',') {
			w->p++;
			continue;
		}
		if (*w->p == ']') {
			w->p++;
			return true;
		}
		return false;
	}
}

static bool value(struct walk *w)
{
	ws(w);
	switch (*w->p) {
	case '{':
		return members(w);
	case '[':
		return elements(w);
	case '"':
		return string(w, NULL);
	case '\0':
		return false;
	}
	if (*w->p == '-' || isdigit((unsigned char)*w->p)) {
		char *end;
		unsigned long long v = strtoull(w->p, &end, 10);

		if (!w->found && w->nwant && *w->p != '-' && path_matches(w)) {
			w->found = true;
			w->v = v;
		}
		w->p = end;
		while (*w->p && (isdigit((unsigned char)*w->p) ||
				 strchr(".eE+-", *w->p)))
			w->p++;
		return true;
	}
	if (!isalpha((unsigned char)*w->p))
		return false;
	while (isalpha((unsigned char)*w->p))	/* true, false, null */
		w->p++;
	return true;
}

/* Walk every JSON value of @js (aiotctl may print one per line). */
static void walk_all(struct walk *w, const char *js)
{
	w->p = js;
	for (;;) {
		ws(w);
		if (!*w->p || !value(w))
			return;
	}
}

bool json_u64(const char *js, const char *path, uint64_t *v)
{
	struct walk w = { 0 };
	char buf[256], *save = NULL, *t;

	snprintf(buf, sizeof(buf), "%s", path);
	for (t = strtok_r(buf, ".", &save); t && w.nwant < DEPTH;
	     t = strtok_r(NULL, ".", &save))
		w.want[w.nwant++] = t;
	walk_all(&w, js);
	if (w.found)
		*v = w.v;
	return w.found;
}

size_t json_count_key(const char *js, const char *key)
{
	struct walk w = { 0 };

	w.count_key = key;
	walk_all(&w, js);
	return w.count;
}
