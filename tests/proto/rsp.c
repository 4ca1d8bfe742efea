// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * .rsp reader (see rsp.h). The whole input is copied once and split into
 * lines in place. A first pass counts the lines and blocks; every line
 * then gets one slot of a single array and every block is a run of it, so
 * nothing is reallocated and no number read from the input sizes
 * anything.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsp.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Fields whose value is a name rather than hex. */
static const char *const text_names[] = { "ALG" };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int rsp_error(struct rsp_file *f, unsigned int lineno, const char *fmt, ...)
{
	const char *path = f->path ? f->path : "<input>";
	size_t n;
	va_list ap;

	if (lineno)
		snprintf(f->err, sizeof(f->err), "%s:%u: ", path, lineno);
	else
		snprintf(f->err, sizeof(f->err), "%s: ", path);
	n = strlen(f->err);
	va_start(ap, fmt);
	vsnprintf(f->err + n, sizeof(f->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

int rsp_unhex(const char *s, size_t slen, uint8_t *out, size_t max,
	      size_t *len)
{
	size_t i;

	if (slen % 2 || slen / 2 > max)
		return -1;
	for (i = 0; i < slen; i += 2) {
		int hi = hex_val(s[i]), lo = hex_val(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = slen / 2;
	return 0;
}

static bool is_text_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(text_names); i++) {
		if (!strcmp(name, text_names[i]))
			return true;
	}
	return false;
}

/*
 * Parse the field line @s (NUL-terminated, no newline) into @l, splitting
 * it in place. @arena receives the decoded value.
 */
static int parse_field(struct rsp_file *f, char *s, unsigned int lineno,
		       struct rsp_line *l, uint8_t **arena)
{
	char *p = s, *name_end, *v, *ve;
	size_t i;

	if (*p == '[')
		return rsp_error(f, lineno, "section headers are not supported");
	if (!is_alpha(*p))
		return rsp_error(f, lineno, "expected 'NAME = value'");
	while (is_word(*p))
		p++;
	name_end = p;
	if (name_end - s > RSP_NAME_MAX)
		return rsp_error(f, lineno, "name longer than %d characters",
				 RSP_NAME_MAX);
	while (is_blank(*p))
		p++;
	if (*p != '=')
		return rsp_error(f, lineno, "expected '=' after the name");
	p++;
	while (is_blank(*p))
		p++;
	v = p;
	ve = v + strlen(v);
	while (ve > v && is_blank(ve[-1]))
		ve--;
	*name_end = '\0';
	*ve = '\0';

	l->name = s;
	l->text = v;
	l->lineno = lineno;
	if (is_text_name(s)) {
		if (v == ve)
			return rsp_error(f, lineno, "%s: empty name", s);
		for (p = v; p < ve; p++) {
			if (!is_word(*p))
				return rsp_error(f, lineno,
						 "%s: invalid character in name",
						 s);
		}
		return 0;
	}
	for (p = v; p < ve; p++) {
		if (hex_val(*p) < 0)
			return rsp_error(f, lineno, "%s: invalid hex digit",
					 s);
	}
	i = (size_t)(ve - v);
	if (i % 2 == 0) {
		/* Cannot fail: even length, hex digits, room reserved. */
		rsp_unhex(v, i, *arena, i / 2, &l->len);
		l->bin = *arena;
		*arena += l->len;
	}
	return 0;
}

/* Split f->text (@len bytes) into lines and blocks. */
static int split(struct rsp_file *f, size_t len)
{
	struct rsp_block *b = NULL;
	uint8_t *arena = f->arena;
	char *s = f->text, *end = f->text + len;
	unsigned int lineno = 0;
	size_t nline = 0;

	while (s < end) {
		char *e = memchr(s, '\n', (size_t)(end - s));
		struct rsp_line *l;
		char *p;

		if (!e)
			e = end;
		*e = '\0';
		lineno++;
		if (strlen(s) != (size_t)(e - s))
			return rsp_error(f, lineno, "NUL byte");
		if (strchr(s, '\r'))
			return rsp_error(f, lineno, "carriage return");

		for (p = s; is_blank(*p); p++)
			;
		if (*p && p != s)
			return rsp_error(f, lineno, "leading white space");
		if (!*p) {
			b = NULL;		/* blank line: end of block */
		} else {
			l = &f->lines[nline++];
			if (*s == '#') {
				l->text = s;
				l->lineno = lineno;
			} else if (parse_field(f, s, lineno, l, &arena)) {
				return -1;
			}
			if (!b) {
				b = &f->blk[f->nblk++];
				b->line = l;
				b->lineno = lineno;
			}
			b->nline++;
			if (l->name)
				b->nfield++;
		}
		s = e + 1;
	}
	return 0;
}

/*
 * Count the lines that need a slot (not blank) and the blocks they form,
 * so that a file of many short lines costs no more than it must.
 */
static void count_lines(const char *buf, size_t len, size_t *nline,
			size_t *nblk)
{
	bool blank = true, in_block = false;
	size_t i;

	*nline = 0;
	*nblk = 0;
	for (i = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			if (!blank) {
				(*nline)++;
				*nblk += !in_block;
			}
			in_block = !blank;
			blank = true;
		} else if (!is_blank(buf[i])) {
			blank = false;
		}
	}
}

int rsp_parse(struct rsp_file *f, const char *path, const char *buf,
	      size_t len)
{
	size_t nline, nblk;

	memset(f, 0, sizeof(*f));
	f->path = strdup(path ? path : "<input>");
	if (!f->path)
		return rsp_error(f, 0, "out of memory");
	if (len > RSP_FILE_MAX)
		return rsp_error(f, 0, "larger than %u bytes", RSP_FILE_MAX);
	count_lines(buf, len, &nline, &nblk);

	f->text = malloc(len + 1);
	f->arena = malloc(len / 2 + 1);
	f->lines = calloc(nline ? nline : 1, sizeof(*f->lines));
	f->blk = calloc(nblk ? nblk : 1, sizeof(*f->blk));
	if (!f->text || !f->arena || !f->lines || !f->blk)
		return rsp_error(f, 0, "out of memory");
	if (len)
		memcpy(f->text, buf, len);
	f->text[len] = '\0';
	return split(f, len);
}

int rsp_load(struct rsp_file *f, const char *path)
{
	size_t len = 0, cap = 0, n;
	const char *err = NULL;
	char *buf = NULL, *nbuf;
	FILE *fp;
	int ret;

	memset(f, 0, sizeof(*f));
	fp = fopen(path, "rb");
	if (!fp) {
		err = strerror(errno);
		f->path = strdup(path);
		return rsp_error(f, 0, "%s", err);
	}
	for (;;) {
		if (len == cap) {
			/* Past the limit: rsp_parse() says so. */
			if (cap > RSP_FILE_MAX)
				break;
			cap = cap ? 2 * cap : 65536;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = "out of memory";
				break;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, fp);
		if (!n)
			break;
		len += n;
	}
	if (!err && ferror(fp))
		err = "read error";
	fclose(fp);
	if (err) {
		free(buf);
		f->path = strdup(path);
		return rsp_error(f, 0, "%s", err);
	}
	ret = rsp_parse(f, path, buf ? buf : "", len);
	free(buf);
	return ret;
}

void rsp_free(struct rsp_file *f)
{
	free(f->path);
	free(f->text);
	free(f->arena);
	free(f->lines);
	free(f->blk);
	memset(f, 0, sizeof(*f));
}

unsigned int rsp_count(const struct rsp_block *b, const char *name)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < b->nline; i++)
		n += b->line[i].name && !strcmp(b->line[i].name, name);
	return n;
}

int rsp_fields(struct rsp_file *f, const struct rsp_block *b,
	       bool (*known)(const char *name), const char *what,
	       const char **count)
{
	const struct rsp_line *l;
	size_t i;

	for (i = 0; i < b->nline; i++) {
		l = &b->line[i];
		if (!l->name)
			continue;
		if (strcmp(l->name, "COUNT") && !known(l->name))
			return rsp_error(f, l->lineno, "unknown field %s in %s",
					 l->name, what);
		if (rsp_count(b, l->name) != 1)
			return rsp_error(f, l->lineno, "%s given twice",
					 l->name);
	}
	l = rsp_find(b, "COUNT", 0);
	if (!l || !*l->text)
		return rsp_error(f, b->lineno, "record has no COUNT");
	*count = l->text;
	return 0;
}

const struct rsp_line *rsp_find(const struct rsp_block *b, const char *name,
				unsigned int nth)
{
	size_t i;

	for (i = 0; i < b->nline; i++) {
		const struct rsp_line *l = &b->line[i];

		if (l->name && !strcmp(l->name, name) && !nth--)
			return l;
	}
	return NULL;
}

const uint8_t *rsp_bytes(struct rsp_file *f, const struct rsp_block *b,
			 const char *name, unsigned int nth, size_t min,
			 size_t max, size_t *len)
{
	const struct rsp_line *l = rsp_find(b, name, nth);

	if (!l) {
		rsp_error(f, b->lineno, "record has no %s%s", name,
			  nth ? " (second or later)" : "");
		return NULL;
	}
	if (!l->bin) {
		rsp_error(f, l->lineno, "%s is not an even number of hex digits",
			  name);
		return NULL;
	}
	if (l->len < min || l->len > max) {
		if (min == max)
			rsp_error(f, l->lineno, "%s has %zu bytes, not %zu",
				  name, l->len, min);
		else
			rsp_error(f, l->lineno,
				  "%s has %zu bytes, not %zu to %zu",
				  name, l->len, min, max);
		return NULL;
	}
	*len = l->len;
	return l->bin;
}
