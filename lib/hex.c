// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Hex strings and device IDs (see hex.h). */
#include <stdio.h>
#include <string.h>

#include "hex.h"

/* Digit values plus one; 0 for a byte that is not a hex digit. */
static const unsigned char digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int hex_digit(int c)
{
	if (c < 0 || c > 255)
		return -1;
	return digit1[c] - 1;
}

long hex_decode(const char *s, size_t len, uint8_t *out, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++)
		if (!digit1[u[i]])
			return HEX_BAD;
	if (len % 2)
		return HEX_ODD;
	if (len / 2 > max)
		return HEX_LONG;
	for (i = 0; i < len / 2; i++)
		out[i] = (uint8_t)((digit1[u[2 * i]] - 1) << 4 |
				   (digit1[u[2 * i + 1]] - 1));
	return (long)(len / 2);
}

const char *hex_strerror(long err)
{
	switch (err) {
	case HEX_ODD:
		return "odd number of hex digits";
	case HEX_BAD:
		return "not a hex digit";
	case HEX_LONG:
		return "too long";
	}
	return "bad hex";
}

void hex_encode(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}

int hex_parse_id(const char *s, size_t len, uint8_t id[HEX_ID_LEN],
		 char *err, size_t errlen)
{
	uint8_t b[HEX_ID_LEN];
	long n;

	if (!len) {
		snprintf(err, errlen, "ID: empty");
		return -1;
	}
	n = hex_decode(s, len, b, sizeof(b));
	if (n < 0) {
		if (n == HEX_LONG)
			snprintf(err, errlen, "ID: %zu hex digits, at most 32",
				 len);
		else
			snprintf(err, errlen, "ID: %s", hex_strerror(n));
		return -1;
	}
	memset(id, 0, HEX_ID_LEN);
	memcpy(id + HEX_ID_LEN - n, b, (size_t)n);
	return 0;
}

int hex_parse_group(const char *s, size_t len, uint8_t group[HEX_GROUP_LEN],
		    char *err, size_t errlen)
{
	uint8_t b[HEX_GROUP_LEN];
	long n = hex_decode(s, len, b, sizeof(b));

	if (n == HEX_BAD) {
		snprintf(err, errlen, "%s", hex_strerror(n));
		return -1;
	}
	if (len != 2 * HEX_GROUP_LEN) {
		snprintf(err, errlen, "%zu hex digits, want 16 (8 bytes)", len);
		return -1;
	}
	memcpy(group, b, HEX_GROUP_LEN);
	return 0;
}
