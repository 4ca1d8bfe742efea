/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Parsers of command-line words, each with a message on error. Kept free
 * of netlink so that the host tests can link them alone.
 */
#ifndef _AIOTCTL_ARGS_H
#define _AIOTCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>

#define ARGS_ERR_MAX	160

/* Decimal, 0 to @max; no sign, no blanks, no suffix. */
int parse_u32(const char *s, uint32_t max, uint32_t *out, char *err,
	      size_t errlen);

/* "aa:bb:cc:dd:ee:ff" (either case). */
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

/* Is every byte printable ASCII (and is there at least one)? */
int is_printable(const uint8_t *p, size_t len);

#endif /* _AIOTCTL_ARGS_H */
