/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Parsers of command-line words, each with a message on error. Kept free
 * of netlink so that the host tests can link them alone.
 */
#ifndef _AIOTCTL_ARGS_H
#define _AIOTCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARGS_ERR_MAX	256

/*
 * Decimal, 0 to @max; no sign, no blanks, no suffix. The reason of an
 * error does not repeat the word (the caller names it).
 */
int parse_u32(const char *s, uint32_t max, uint32_t *out, char *err,
	      size_t errlen);

/* "aa:bb:cc:dd:ee:ff" (either case); the error does not repeat @s. */
int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errlen);

/*
 * A COMMAND payload from a word, as "text" (its bytes) or "hex"; at most
 * @max bytes. Returns the length, or -1.
 */
long parse_payload(const char *s, int hex, uint8_t *out, size_t max,
		   char *err, size_t errlen);

/*
 * A key in a key file: hex digits with blanks and newlines around them
 * (only). 16 or 32 bytes. Returns the length, or -1.
 */
long parse_key_text(const char *s, size_t len, uint8_t key[32], char *err,
		    size_t errlen);

/*
 * Keywords, as iproute2's NEXT_ARG/duparg/invarg: a command declares its
 * keywords in an array ending with a NULL name, and kw_parse() matches
 * the words against it: a KW_FLAG stands alone, a KW_ARG takes the next
 * word as its value. The values are then checked one by one, and
 * kw_invalid() words the error of a bad one.
 */
enum kw_type { KW_FLAG, KW_ARG };

struct kw {
	const char *name;
	enum kw_type type;
	bool seen;			/* filled in by kw_parse() */
	const char *val;		/* KW_ARG: its value */
};

#define KW(n, t)	{ .name = (n), .type = (t) }
#define KW_END		{ .name = NULL }

#define KW_HELP	1	/* kw_parse(): a word asks for help */

/*
 * Match @argv[0..@argc) against @kws. Returns 0; KW_HELP for a word
 * "help", "-h" or "--help" in a keyword's place; or -1 with the reason
 * in @err, naming the word: an unknown @noun ("keyword", "setting"), a
 * keyword given twice, a value missing.
 */
int kw_parse(struct kw *kws, const char *noun, int argc, char **argv,
	     char *err, size_t errlen);

/* "KW: @why ('VALUE')" into @err; returns -1. */
int kw_invalid(const struct kw *k, const char *why, char *err, size_t errlen);

/* The value of @k as a decimal number up to @max, or kw_invalid(). */
int kw_u32(const struct kw *k, uint32_t max, uint32_t *out, char *err,
	   size_t errlen);

/* Is every byte printable ASCII (and is there at least one)? */
int is_printable(const uint8_t *p, size_t len);

#endif /* _AIOTCTL_ARGS_H */
