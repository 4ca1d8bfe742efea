/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Hex strings and device IDs, shared by the key-store parser and aiotctl.
 * Hex is read in either case and written in lower case. An ID is 1 to 16
 * bytes of hex, left-padded with zero bytes to 16.
 */
#ifndef _AIOT_HEX_H
#define _AIOT_HEX_H

#include <stddef.h>
#include <stdint.h>

#define HEX_ID_LEN	16
#define HEX_GROUP_LEN	8

/* The value of hex digit @c, or -1. */
int hex_digit(int c);

/*
 * Decode @len characters of @s into @out (room for @max bytes). Returns
 * the byte count, or HEX_ODD, HEX_BAD (not a hex digit) or HEX_LONG.
 */
#define HEX_ODD		(-1)
#define HEX_BAD		(-2)
#define HEX_LONG	(-3)
long hex_decode(const char *s, size_t len, uint8_t *out, size_t max);

/* A message for an error code of hex_decode(). */
const char *hex_strerror(long err);

/* Write @len bytes as 2 * @len hex digits and a NUL into @out. */
void hex_encode(const uint8_t *p, size_t len, char *out);

/*
 * Parse an ID of @len characters at @s. On error returns -1 with a
 * message in @err (size @errlen).
 */
int hex_parse_id(const char *s, size_t len, uint8_t id[HEX_ID_LEN],
		 char *err, size_t errlen);

/*
 * Parse a device's inventory group (profile v1.1): exactly 16 hex digits,
 * the 8 bytes in wire order (an inventory filter matches its first bits).
 * On error returns -1 with a message in @err (size @errlen), without the
 * field's name.
 */
int hex_parse_group(const char *s, size_t len, uint8_t group[HEX_GROUP_LEN],
		    char *err, size_t errlen);

#endif /* _AIOT_HEX_H */
