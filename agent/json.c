// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A small JSON writer (see json.h). */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "lib/hex.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->started[0] = 0;
	j->array[0] = 0;
}

static void put_escaped(FILE *f, const char *s, size_t len)
{
	unsigned char c;
	size_t i;

	putc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c >= 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else {
			putc(c, f);
		}
	}
	putc('"', f);
}

/* Separator and member name before a value. */
static void prefix(struct json *j, const char *key)
{
	int d = j->depth;

	if (d && j->started[d])
		putc(',', j->f);
	if (d == 1 && j->array[1])
		putc('\n', j->f);
	if (d)
		j->started[d] = 1;
	if (key && d && !j->array[d]) {
		put_escaped(j->f, key, strlen(key));
		putc(':', j->f);
	}
}

static void open_(struct json *j, const char *key, int array)
{
	prefix(j, key);
	putc(array ? '[' : '{', j->f);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->started[j->depth] = 0;
	j->array[j->depth] = (unsigned char)array;
}

static void close_(struct json *j)
{
	int array = j->array[j->depth];

	if (j->depth == 1 && array && j->started[1])
		putc('\n', j->f);
	putc(array ? ']' : '}', j->f);
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
	prefix(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_hex(struct json *j, const char *key, const uint8_t *p, size_t len)
{
	char buf[2 * 64 + 1];
	size_t n;

	prefix(j, key);
	putc('"', j->f);
	while (len) {
		n = len < 64 ? len : 64;
		hex_encode(p, n, buf);
		fputs(buf, j->f);
		p += n;
		len -= n;
	}
	putc('"', j->f);
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
	putc('\n', j->f);
}
