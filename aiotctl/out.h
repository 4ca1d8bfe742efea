/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotctl's output: one call serves the plain output and JSON (-j), as
 * iproute2's print_*(PRINT_ANY, key, fmt, value) does. In plain mode a
 * call prints its value with the printf format @fmt (nothing when @fmt is
 * NULL); in JSON mode it writes the member @key (a bare value inside an
 * array) through the streaming writer of json.h. @type restricts a call
 * to one of the modes. Objects and arrays exist only in JSON: opening one
 * prints @fmt (if any) in plain mode. Closing a top-level value ends its
 * line.
 */
#ifndef _AIOTCTL_OUT_H
#define _AIOTCTL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	PRINT_FP = 1,		/* plain output only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

/* Mode and stream; before any other call (default: plain on stdout). */
void out_init(bool json, FILE *f);
bool out_json(void);

void open_obj(int type, const char *key, const char *fmt);
void close_obj(int type);
void open_arr(int type, const char *key);
void close_arr(int type);

/* @fmt takes one const char * (%s). */
void print_str(int type, const char *key, const char *fmt, const char *s);
/* @fmt takes one uint64_t (PRIu64, PRIx64). */
void print_u64(int type, const char *key, const char *fmt, uint64_t v);
/* @fmt takes the hex digits as %s ("-" for no bytes). */
void print_hex(int type, const char *key, const char *fmt, const uint8_t *p,
	       size_t len);
/* @fmt takes one double; JSON gets @decimals digits after the point. */
void print_f64(int type, const char *key, const char *fmt, double v,
	       int decimals);
/* A "NAME VALUE" line, NAME left-aligned in @width, after @indent. */
void print_u64_line(int type, const char *indent, int width,
		    const char *key, uint64_t v);
/*
 * Table cells: in plain mode the value left-aligned in @width columns
 * (0: as long as it is), two blanks from the cell before it on the line;
 * in JSON the member @key. Made for tables of a million rows: no printf.
 */
void print_str_col(int type, const char *key, int width, const char *s);
void print_u64_col(int type, const char *key, int width, uint64_t v);
void print_hex_col(int type, const char *key, int width, const uint8_t *p,
		   size_t len);
/* A newline of the plain output (and the start of a new row of cells). */
void print_nl(int type);
/* Plain output only, any format (headers, prose). */
void print_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _AIOTCTL_OUT_H */
