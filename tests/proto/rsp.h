/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reader of known-answer files in the NIST CAVP .rsp style (PROTOCOL.md
 * "Vector file format"): blocks of lines separated by blank lines, each line
 * a '#' comment or 'NAME = value'. A value is hex (possibly empty), except
 * ALG's, which is a name. A name may occur more than once in a block
 * (primitives.rsp's NIA2 record has two COUNTs): lines are kept in order.
 *
 * The input is untrusted: every malformed line is rejected with a
 * "file:line: reason" message, nothing is assumed about sizes.
 */
#ifndef _AIOT_RSP_H
#define _AIOT_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RSP_ERR_MAX	256
#define RSP_NAME_MAX	32		/* longest field name */
#define RSP_FILE_MAX	(4u << 20)	/* largest input */

struct rsp_line {
	const char *name;	/* NULL for a comment */
	const char *text;	/* value as written, or the whole comment */
	const uint8_t *bin;	/* value decoded, NULL if it is not hex */
	size_t len;		/* bytes at bin */
	unsigned int lineno;
};

/* A record (nfield > 0) or a block of comments only (nfield == 0). */
struct rsp_block {
	struct rsp_line *line;
	size_t nline;
	size_t nfield;
	unsigned int lineno;	/* of its first line */
};

struct rsp_file {
	char *path;
	char *text;		/* the input, split into lines in place */
	uint8_t *arena;		/* decoded hex values */
	struct rsp_line *lines;
	struct rsp_block *blk;
	size_t nblk;
	char err[RSP_ERR_MAX];
};

/*
 * Parse @len bytes at @buf, named @path in messages. On failure returns -1
 * with the reason in f->err; either way release with rsp_free().
 */
int rsp_parse(struct rsp_file *f, const char *path, const char *buf,
	      size_t len);
int rsp_load(struct rsp_file *f, const char *path);
void rsp_free(struct rsp_file *f);

/* Record an error "path:lineno: ..." in f->err; returns -1. */
int rsp_error(struct rsp_file *f, unsigned int lineno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Occurrences of @name in @b, and the @nth one (from 0), or NULL. */
unsigned int rsp_count(const struct rsp_block *b, const char *name);
const struct rsp_line *rsp_find(const struct rsp_block *b, const char *name,
				unsigned int nth);

/*
 * Check a record's fields: each a name @known accepts (COUNT always), each
 * once, and a non-empty COUNT, which it returns through @count; sets
 * f->err naming @what ("a profile record") and returns -1 otherwise.
 */
int rsp_fields(struct rsp_file *f, const struct rsp_block *b,
	       bool (*known)(const char *name), const char *what,
	       const char **count);

/*
 * The @nth @name of @b as bytes, of @min to @max bytes; sets f->err and
 * returns NULL when it is missing, not hex or of another length.
 */
const uint8_t *rsp_bytes(struct rsp_file *f, const struct rsp_block *b,
			 const char *name, unsigned int nth, size_t min,
			 size_t max, size_t *len);

/* Decode hex; -1 unless @s is an even number of hex digits, <= @max bytes. */
int rsp_unhex(const char *s, size_t slen, uint8_t *out, size_t max,
	      size_t *len);

#endif /* _AIOT_RSP_H */
