// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl's output layer (see out.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "hex.h"
#include "out.h"

static struct {
	bool json;
	bool init;
	FILE *f;
	struct json j;
	unsigned int cells;	/* on the current plain line */
} o;

void out_init(bool json, FILE *f)
{
	o.json = json;
	o.f = f;
	o.init = true;
	json_init(&o.j, f);
}

static FILE *out_f(void)
{
	if (!o.init)
		out_init(false, stdout);
	return o.f;
}

bool out_json(void)
{
	return o.json;
}

static bool plain(int type)
{
	out_f();
	return !o.json && (type & PRINT_FP);
}

static bool json(int type)
{
	out_f();
	return o.json && (type & PRINT_JSON);
}

void open_obj(int type, const char *key, const char *fmt)
{
	if (json(type))
		json_obj_begin(&o.j, key);
	else if (plain(type) && fmt)
		fputs(fmt, o.f);
}

/* A top-level value ends its line (one value per line for monitor). */
static void closed(void)
{
	if (!o.j.depth)
		json_end(&o.j);
}

void close_obj(int type)
{
	if (json(type)) {
		json_obj_end(&o.j);
		closed();
	}
}

void open_arr(int type, const char *key)
{
	if (json(type))
		json_arr_begin(&o.j, key);
}

void close_arr(int type)
{
	if (json(type)) {
		json_arr_end(&o.j);
		closed();
	}
}

void print_str(int type, const char *key, const char *fmt, const char *s)
{
	if (json(type))
		json_str(&o.j, key, s);
	else if (plain(type) && fmt)
		fprintf(o.f, fmt, s);
}

void print_u64(int type, const char *key, const char *fmt, uint64_t v)
{
	if (json(type))
		json_u64(&o.j, key, v);
	else if (plain(type) && fmt)
		fprintf(o.f, fmt, v);
}

/*
 * The plain form of bytes: their hex, or "-" for none, into @small when it
 * fits (else a buffer to free()). NULL if there is no memory.
 */
static char *hex_text(const uint8_t *p, size_t len, char *small, size_t *n)
{
	char *buf = small;

	if (!len) {
		*n = 1;
		return strcpy(small, "-");
	}
	if (len > 32)
		buf = malloc(2 * len + 1);
	if (buf)
		hex_encode(p, len, buf);
	*n = 2 * len;
	return buf;
}

/*
 * Bytes of print_hex() and print_hex_col(): the JSON member @key written,
 * or for plain text their hex_text(); NULL when there is nothing to print.
 */
static char *hex_out(int type, const char *key, const uint8_t *p, size_t len,
		     char *small, size_t *n)
{
	if (json(type)) {
		json_hex(&o.j, key, p, len);
		return NULL;
	}
	return plain(type) ? hex_text(p, len, small, n) : NULL;
}

void print_hex(int type, const char *key, const char *fmt, const uint8_t *p,
	       size_t len)
{
	char small[2 * 32 + 1], *buf;
	size_t n;

	buf = fmt || json(type) ? hex_out(type, key, p, len, small, &n) : NULL;
	if (!buf)
		return;
	fprintf(o.f, fmt, buf);
	if (buf != small)
		free(buf);
}

void print_f64(int type, const char *key, const char *fmt, double v,
	       int decimals)
{
	if (json(type))
		json_f64(&o.j, key, v, decimals);
	else if (plain(type) && fmt)
		fprintf(o.f, fmt, v);
}

void print_u64_line(int type, const char *indent, int width,
		    const char *key, uint64_t v)
{
	if (json(type))
		json_u64(&o.j, key, v);
	else if (plain(type))
		fprintf(o.f, "%s%-*s %" PRIu64 "\n", indent, width, key, v);
}

static void put_cell(const char *s, size_t len, int width)
{
	static const char blanks[] = "                                ";
	size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;

	if (o.cells++)
		fwrite_unlocked("  ", 1, 2, o.f);
	fwrite_unlocked(s, 1, len, o.f);
	while (pad) {
		size_t n = pad < sizeof(blanks) - 1 ? pad : sizeof(blanks) - 1;

		fwrite_unlocked(blanks, 1, n, o.f);
		pad -= n;
	}
}

void print_str_col(int type, const char *key, int width, const char *s)
{
	if (json(type))
		json_str(&o.j, key, s);
	else if (plain(type))
		put_cell(s, strlen(s), width);
}

void print_u64_col(int type, const char *key, int width, uint64_t v)
{
	char buf[21], *p = buf + sizeof(buf);

	if (json(type)) {
		json_u64(&o.j, key, v);
		return;
	}
	if (!plain(type))
		return;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_cell(p, (size_t)(buf + sizeof(buf) - p), width);
}

void print_hex_col(int type, const char *key, int width, const uint8_t *p,
		   size_t len)
{
	char small[2 * 32 + 1], *buf;
	size_t n;

	buf = hex_out(type, key, p, len, small, &n);
	if (!buf)
		return;
	put_cell(buf, n, width);
	if (buf != small)
		free(buf);
}

void print_nl(int type)
{
	if (plain(type)) {
		putc('\n', o.f);
		o.cells = 0;
	}
}

void print_plain(const char *fmt, ...)
{
	va_list ap;

	if (!plain(PRINT_FP))
		return;
	va_start(ap, fmt);
	vfprintf(o.f, fmt, ap);
	va_end(ap);
}
