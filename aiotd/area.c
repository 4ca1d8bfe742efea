// SPDX-License-Identifier: GPL-2.0 OR MIT
/* AIoT areas of the configuration (area.h). */
#include <ctype.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "area.h"

static bool all_of(const char *s, size_t min, size_t max, int (*is)(int))
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return false;
	return true;
}

bool area_mcc_ok(const char *s)
{
	return all_of(s, 3, 3, isdigit);
}

bool area_mnc_ok(const char *s)
{
	return all_of(s, 2, 3, isdigit);
}

bool area_nid_ok(const char *s)
{
	return all_of(s, 11, 11, isxdigit);
}

bool area_code_ok(const char *s)
{
	return all_of(s, 6, 6, isxdigit);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Copy the @n characters at @s into @out (of @cap), NUL-ended; -1 if too long. */
static int take(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

/* "MCC-MNC[:NID]/CODE" into @a; 0 or -1 with @err. */
static int parse_id(struct area *a, const char *s, size_t n, char *err,
		    size_t errlen)
{
	const char *end = s + n, *dash = memchr(s, '-', n), *slash, *colon;
	char mnc[8] = "";

	slash = memchr(s, '/', n);
	if (!dash || !slash || dash > slash) {
		snprintf(err, errlen, "'%.*s': MCC-MNC[:NID]/CODE (001-01/0a0b0c)",
			 (int)n, s);
		return -1;
	}
	colon = memchr(dash, ':', (size_t)(slash - dash));
	if (take(a->mcc, sizeof(a->mcc), s, (size_t)(dash - s)) ||
	    !area_mcc_ok(a->mcc)) {
		snprintf(err, errlen, "MCC '%.*s': 3 digits", (int)(dash - s), s);
		return -1;
	}
	if (take(mnc, sizeof(mnc), dash + 1,
		 (size_t)((colon ? colon : slash) - dash - 1)) ||
	    !area_mnc_ok(mnc)) {
		snprintf(err, errlen, "MNC '%.*s': 2 or 3 digits",
			 (int)((colon ? colon : slash) - dash - 1), dash + 1);
		return -1;
	}
	memcpy(a->mnc, mnc, sizeof(a->mnc));
	a->nid[0] = 0;
	if (colon && (take(a->nid, sizeof(a->nid), colon + 1,
			   (size_t)(slash - colon - 1)) || !area_nid_ok(a->nid))) {
		snprintf(err, errlen, "NID '%.*s': 11 hex digits",
			 (int)(slash - colon - 1), colon + 1);
		return -1;
	}
	if (take(a->code, sizeof(a->code), slash + 1, (size_t)(end - slash - 1)) ||
	    !area_code_ok(a->code)) {
		snprintf(err, errlen, "CODE '%.*s': 6 hex digits (3 octets)",
			 (int)(end - slash - 1), slash + 1);
		return -1;
	}
	lower(a->nid);
	lower(a->code);
	snprintf(a->label, sizeof(a->label), "%s-%s%s%s/%s", a->mcc, a->mnc,
		 a->nid[0] ? ":" : "", a->nid, a->code);
	return 0;
}

static void area_clear(struct area *a)
{
	size_t i;

	for (i = 0; i < a->nreaders; i++)
		free(a->readers[i]);
	memset(a, 0, sizeof(*a));
}

int area_add(struct area_tab *t, const char *v, unsigned int line, char *err,
	     size_t errlen)
{
	const char *ws = " \t";
	struct area a = { .line = line }, *na;
	const struct area *old;
	size_t n, i;

	v += strspn(v, ws);
	n = strcspn(v, ws);
	if (parse_id(&a, v, n, err, errlen))
		return -1;
	for (v += n, v += strspn(v, ws); *v; v += n, v += strspn(v, ws)) {
		n = strcspn(v, ws);
		if (n >= IF_NAMESIZE) {
			snprintf(err, errlen, "area %s: reader '%.*s': longer than an interface name",
				 a.label, (int)n, v);
			goto bad;
		}
		for (i = 0; i < a.nreaders; i++)
			if (strlen(a.readers[i]) == n && !memcmp(a.readers[i], v, n)) {
				snprintf(err, errlen, "area %s: reader %s named twice",
					 a.label, a.readers[i]);
				goto bad;
			}
		if (a.nreaders == AREA_READERS_MAX) {
			snprintf(err, errlen, "area %s: at most %d readers",
				 a.label, AREA_READERS_MAX);
			goto bad;
		}
		a.readers[a.nreaders] = strndup(v, n);
		if (!a.readers[a.nreaders]) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		a.nreaders++;
	}
	if (!a.nreaders) {
		snprintf(err, errlen, "area %s: no reader (area ID READER [READER...])",
			 a.label);
		goto bad;
	}
	old = area_find(t, a.mcc, a.mnc, a.nid[0] ? a.nid : NULL, a.code);
	if (old) {
		snprintf(err, errlen, "area %s: already defined on line %u",
			 a.label, old->line);
		goto bad;
	}
	na = realloc(t->a, (t->n + 1) * sizeof(*na));
	if (!na) {
		snprintf(err, errlen, "out of memory");
		goto bad;
	}
	t->a = na;
	t->a[t->n++] = a;
	return 0;
bad:
	area_clear(&a);
	return -1;
}

int area_resolve(struct area_tab *t, char *err, size_t errlen)
{
	size_t i, k;

	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->a[i].nreaders; k++) {
			t->a[i].ifindex[k] = if_nametoindex(t->a[i].readers[k]);
			if (!t->a[i].ifindex[k]) {
				snprintf(err, errlen, "area %s: reader %s: no such interface",
					 t->a[i].label, t->a[i].readers[k]);
				return -1;
			}
		}
	return 0;
}

const struct area *area_find(const struct area_tab *t, const char *mcc,
			     const char *mnc, const char *nid,
			     const char *code)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct area *a = &t->a[i];

		if (!strcmp(a->mcc, mcc) && !strcmp(a->mnc, mnc) &&
		    !strcasecmp(a->code, code) &&
		    (nid ? !strcasecmp(a->nid, nid) : !a->nid[0]))
			return a;
	}
	return NULL;
}

void area_free(struct area_tab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		area_clear(&t->a[i]);
	free(t->a);
	t->a = NULL;
	t->n = 0;
}

static size_t add_readers(const struct area *a, struct area_rd *out,
			  size_t n, size_t max)
{
	size_t k, i;

	for (k = 0; k < a->nreaders && n < max; k++) {
		for (i = 0; i < n; i++)
			if (out[i].ifindex == a->ifindex[k] &&
			    !strcmp(out[i].name, a->readers[k]))
				break;
		if (i < n)
			continue;
		out[n++] = (struct area_rd){ a->ifindex[k], a->readers[k], a->label };
	}
	return n;
}

size_t area_readers(const struct area_tab *all, const struct area *const *sel,
		    size_t nsel, unsigned int fallback, const char *fbname,
		    struct area_rd *out, size_t max)
{
	size_t n = 0, i;

	for (i = 0; i < nsel; i++)
		n = add_readers(sel[i], out, n, max);
	if (nsel)
		return n;
	for (i = 0; all && i < all->n; i++)
		n = add_readers(&all->a[i], out, n, max);
	if (n || !max)
		return n;
	out[0] = (struct area_rd){ fallback, fallback ? fbname : NULL, "none" };
	return 1;
}
