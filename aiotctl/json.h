/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small JSON writer: objects and arrays nest, commas come by
 * themselves. Elements of a top-level array go one per line, so that a
 * million devices stay countable with line tools; everything else is on
 * one line. Strings are written so that the output is always valid JSON:
 * valid UTF-8 as it is, '"', '\\' and control characters escaped, and
 * each byte that is not part of valid UTF-8 as \u00XX of its value.
 */
#ifndef _AIOTCTL_JSON_H
#define _AIOTCTL_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX	16

struct json {
	FILE *f;
	int depth;
	unsigned char started[JSON_DEPTH_MAX];	/* an element was written */
	unsigned char array[JSON_DEPTH_MAX];
};

void json_init(struct json *j, FILE *f);
/* @key: the member name inside an object, NULL elsewhere. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *s);
void json_strn(struct json *j, const char *key, const char *s, size_t len);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_hex(struct json *j, const char *key, const uint8_t *p, size_t len);
/* A number with @decimals digits after the point. */
void json_f64(struct json *j, const char *key, double v, int decimals);
/* After the top-level value: a newline. */
void json_end(struct json *j);

#endif /* _AIOTCTL_JSON_H */
