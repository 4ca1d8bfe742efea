// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A small JSON writer (see json.h). */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "hex.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->started[0] = 0;
	j->array[0] = 0;
}

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (c == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;		/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Valid UTF-8 goes out as it is; '"', '\\' and the control characters
 * (below 0x20, and DEL) are escaped; a byte that is not part of valid
 * UTF-8 becomes \u00XX of its value, so that the output stays valid JSON
 * and no byte is lost (a reader sees it as U+00XX).
 */
static void put_escaped(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, n;
	unsigned char c;

	putc_unlocked('"', f);
	for (i = 0; i < len; i++) {
		/* A run that needs no escaping goes out in one write. */
		for (n = i; n < len && u[n] >= 0x20 && u[n] < 0x7f &&
		     u[n] != '"' && u[n] != '\\'; n++)
			;
		if (n > i) {
			fwrite_unlocked(u + i, 1, n - i, f);
			i = n - 1;
			continue;
		}
		c = u[i];
		if (c == '"' || c == '\\') {
			putc_unlocked('\\', f);
			putc_unlocked(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x80) {		/* other controls, DEL */
			fprintf(f, "\\u%04x", c);
		} else if ((n = utf8_len(u + i, len - i))) {
			fwrite_unlocked(u + i, 1, n, f);
			i += n - 1;
		} else {
			fprintf(f, "\\u%04x", c);
		}
	}
	putc_unlocked('"', f);
}

/* Separator and member name before a value. */
static void prefix(struct json *j, const char *key)
{
	int d = j->depth;

	if (d && j->started[d])
		putc_unlocked(',', j->f);
	if (d == 1 && j->array[1])
		putc_unlocked('\n', j->f);
	if (d)
		j->started[d] = 1;
	if (key && d && !j->array[d]) {
		put_escaped(j->f, key, strlen(key));
		putc_unlocked(':', j->f);
	}
}

static void open_(struct json *j, const char *key, int array)
{
	prefix(j, key);
	putc_unlocked(array ? '[' : '{', j->f);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->started[j->depth] = 0;
	j->array[j->depth] = (unsigned char)array;
}

static void close_(struct json *j)
{
	int array = j->array[j->depth];

	if (j->depth == 1 && array && j->started[1])
		putc_unlocked('\n', j->f);
	putc_unlocked(array ? ']' : '}', j->f);
	if (j->depth)
		j->depth--;
}

void json_obj_begin(struct json *j, const char *key)
{
	open_(j, key, 0);
}

void json_obj_end(struct json *j)
{
	close_(j);
}

void json_arr_begin(struct json *j, const char *key)
{
	open_(j, key, 1);
}

void json_arr_end(struct json *j)
{
	close_(j);
}

void json_strn(struct json *j, const char *key, const char *s, size_t len)
{
	prefix(j, key);
	put_escaped(j->f, s, len);
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, strlen(s));
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	char buf[21], *p = buf + sizeof(buf);

	prefix(j, key);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), j->f);
}

void json_hex(struct json *j, const char *key, const uint8_t *p, size_t len)
{
	char buf[2 * 64 + 1];
	size_t n;

	prefix(j, key);
	putc_unlocked('"', j->f);
	while (len) {
		n = len < 64 ? len : 64;
		hex_encode(p, n, buf);
		fputs(buf, j->f);
		p += n;
		len -= n;
	}
	putc_unlocked('"', j->f);
}

void json_f64(struct json *j, const char *key, double v, int decimals)
{
	prefix(j, key);
	if (v != v || v > 1e300 || v < -1e300)
		v = 0;		/* JSON has no NaN or infinity */
	fprintf(j->f, "%.*f", decimals, v);
}

void json_end(struct json *j)
{
	putc_unlocked('\n', j->f);
}
