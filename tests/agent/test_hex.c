// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host tests of the hex and ID parsers (lib/hex.c). */
#include <string.h>

#include "hex.h"
#include "tap.h"

static void test_decode(void)
{
	uint8_t b[4];
	char s[9];

	tap_ok(hex_decode("00ffA5", 6, b, 4) == 3 && b[0] == 0 &&
	       b[1] == 0xff && b[2] == 0xa5, "decode 00ffA5");
	tap_ok(hex_decode("", 0, b, 4) == 0, "decode empty");
	tap_ok(hex_decode("abc", 3, b, 4) == HEX_ODD, "odd length");
	tap_ok(hex_decode("abcg", 4, b, 4) == HEX_BAD, "non-hex digit");
	tap_ok(hex_decode("0x12", 4, b, 4) == HEX_BAD, "0x prefix is not hex");
	tap_ok(hex_decode("0102030405", 10, b, 4) == HEX_LONG, "too long");
	tap_ok(hex_decode("01020304", 8, b, 4) == 4, "exactly the room");
	tap_ok(hex_decode("0a 0b", 5, b, 4) == HEX_BAD, "blank inside");
	b[0] = 0xde; b[1] = 0xad; b[2] = 0x0b; b[3] = 0xef;
	hex_encode(b, 4, s);
	tap_ok(!strcmp(s, "dead0bef"), "encode: %s", s);
}

static void test_id(void)
{
	static const uint8_t epc[16] = {
		0, 0, 0, 0, 0xe2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x04,
		0x00, 0x00, 0xa1, 0xb2,
	};
	uint8_t id[16], one[16] = { [15] = 0x01 };
	char err[128];

	tap_ok(!hex_parse_id("e2801160600002040000a1b2", 24, id, err,
			     sizeof(err)) && !memcmp(id, epc, 16),
	       "96-bit EPC is left-padded");
	tap_ok(!hex_parse_id("01", 2, id, err, sizeof(err)) &&
	       !memcmp(id, one, 16), "one byte");
	tap_ok(!hex_parse_id("000000000000000000000000000000ff", 32, id, err,
			     sizeof(err)) && id[15] == 0xff && !id[0],
	       "full 16 bytes");
	tap_ok(hex_parse_id("", 0, id, err, sizeof(err)) &&
	       strstr(err, "empty"), "empty ID: %s", err);
	tap_ok(hex_parse_id("0000000000000000000000000000000001", 34, id, err,
			    sizeof(err)) && strstr(err, "at most 32"),
	       "17 bytes: %s", err);
	tap_ok(hex_parse_id("123", 3, id, err, sizeof(err)) &&
	       strstr(err, "odd"), "odd: %s", err);
	tap_ok(hex_parse_id("12x4", 4, id, err, sizeof(err)) &&
	       strstr(err, "not a hex digit"), "non-hex: %s", err);
}

int main(void)
{
	test_decode();
	test_id();
	return tap_done();
}
