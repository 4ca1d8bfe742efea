// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A strict JSON validator (see jsonv.h). */
#include <stdio.h>
#include <string.h>

#include "jsonv.h"

#define DEPTH_MAX	64

struct cur {
	const unsigned char *p, *start, *end;
	const char *why;
};

static int value(struct cur *c, int depth, long *elements);

static void blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int fail(struct cur *c, const char *why)
{
	c->why = why;
	return -1;
}

static int lit(struct cur *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return fail(c, "bad literal");
	c->p += n;
	return 0;
}

static int is_digit(const struct cur *c)
{
	return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

static int number(struct cur *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (!is_digit(c))
		return fail(c, "bad number");
	if (*c->p == '0')
		c->p++;
	else
		while (is_digit(c))
			c->p++;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!is_digit(c))
			return fail(c, "bad fraction");
		while (is_digit(c))
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!is_digit(c))
			return fail(c, "bad exponent");
		while (is_digit(c))
			c->p++;
	}
	return 0;
}

/* One UTF-8 sequence starting at a byte >= 0x80. */
static int utf8(struct cur *c)
{
	unsigned char b = *c->p;
	int n, i;

	if (b >= 0xc2 && b <= 0xdf)
		n = 1;
	else if (b >= 0xe0 && b <= 0xef)
		n = 2;
	else if (b >= 0xf0 && b <= 0xf4)
		n = 3;
	else
		return fail(c, "invalid UTF-8");
	if (c->end - c->p <= n)
		return fail(c, "truncated UTF-8");
	for (i = 1; i <= n; i++)
		if ((c->p[i] & 0xc0) != 0x80)
			return fail(c, "invalid UTF-8");
	c->p += n + 1;
	return 0;
}

static int string(struct cur *c)
{
	int i;

	c->p++;			/* the opening quote */
	while (c->p < c->end) {
		if (*c->p == '"') {
			c->p++;
			return 0;
		}
		if (*c->p < 0x20)
			return fail(c, "control character in a string");
		if (*c->p >= 0x80) {
			if (utf8(c))
				return -1;
			continue;
		}
		if (*c->p != '\\') {
			c->p++;
			continue;
		}
		c->p++;
		if (c->p == c->end)
			break;
		if (strchr("\"\\/bfnrt", *c->p) && *c->p) {
			c->p++;
			continue;
		}
		if (*c->p != 'u')
			return fail(c, "bad escape");
		c->p++;
		for (i = 0; i < 4; i++, c->p++)
			if (c->p == c->end || !strchr("0123456789abcdefABCDEF",
						      *c->p) || !*c->p)
				return fail(c, "bad \\u escape");
	}
	return fail(c, "unterminated string");
}

static int members(struct cur *c, int depth, char close, long *count)
{
	c->p++;			/* [ or { */
	blanks(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		blanks(c);
		if (close == '}') {
			if (c->p == c->end || *c->p != '"')
				return fail(c, "want a member name");
			if (string(c))
				return -1;
			blanks(c);
			if (c->p == c->end || *c->p != ':')
				return fail(c, "want ':'");
			c->p++;
		}
		if (value(c, depth + 1, NULL))
			return -1;
		(*count)++;
		blanks(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		return fail(c, close == ']' ? "want ',' or ']'" :
			    "want ',' or '}'");
	}
}

static int value(struct cur *c, int depth, long *elements)
{
	long count = 0;
	int ret;

	if (depth > DEPTH_MAX)
		return fail(c, "nested too deeply");
	blanks(c);
	if (c->p == c->end)
		return fail(c, "want a value");
	switch (*c->p) {
	case '{':
		return members(c, depth, '}', &count);
	case '[':
		ret = members(c, depth, ']', &count);
		if (elements)
			*elements = count;
		return ret;
	case '"':
		return string(c);
	case 't':
		return lit(c, "true");
	case 'f':
		return lit(c, "false");
	case 'n':
		return lit(c, "null");
	}
	return number(c);
}

int jsonv_check(const char *p, size_t len, long *elements, char *err,
		size_t errlen)
{
	struct cur c = {
		.p = (const unsigned char *)p,
		.start = (const unsigned char *)p,
		.end = (const unsigned char *)p + len,
	};
	long n = 1;

	if (!value(&c, 0, &n)) {
		blanks(&c);
		if (c.p == c.end) {
			if (elements)
				*elements = n;
			return 0;
		}
		c.why = "trailing characters";
	}
	if (errlen)
		snprintf(err, errlen, "offset %ld: %s",
			 (long)(c.p - c.start), c.why);
	return -1;
}
