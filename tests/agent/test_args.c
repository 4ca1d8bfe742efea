// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host tests of aiotctl's argument parsers (aiotctl/args.c). */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "tap.h"

static void test_u32(void)
{
	char err[ARGS_ERR_MAX];
	uint32_t v = 0;

	tap_ok(!parse_u32("600000", 600000, &v, err, sizeof(err)) &&
	       v == 600000, "600000 within 600000");
	tap_ok(parse_u32("600001", 600000, &v, err, sizeof(err)) &&
	       strstr(err, "more than 600000"), "above max: %s", err);
	tap_ok(!parse_u32("4294967295", UINT32_MAX, &v, err, sizeof(err)) &&
	       v == UINT32_MAX, "UINT32_MAX");
	tap_ok(parse_u32("4294967296", UINT32_MAX, &v, err, sizeof(err)),
	       "UINT32_MAX + 1");
	tap_ok(parse_u32("99999999999999999999999", UINT32_MAX, &v, err,
			 sizeof(err)), "no overflow on long input");
	tap_ok(parse_u32("", 10, &v, err, sizeof(err)), "empty");
	tap_ok(parse_u32("-1", 10, &v, err, sizeof(err)), "negative");
	tap_ok(parse_u32("10ms", 100, &v, err, sizeof(err)) &&
	       strstr(err, "not a decimal"), "suffix: %s", err);
	tap_ok(parse_u32(" 1", 100, &v, err, sizeof(err)), "blank");
}

static void test_mac(void)
{
	static const uint8_t want[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xef };
	char err[ARGS_ERR_MAX];
	uint8_t mac[6];

	tap_ok(!parse_mac("02:aa:BB:cc:dd:EF", mac, err, sizeof(err)) &&
	       !memcmp(mac, want, 6), "MAC address");
	tap_ok(parse_mac("02:aa:bb:cc:dd", mac, err, sizeof(err)), "short");
	tap_ok(parse_mac("02-aa-bb-cc-dd-ef", mac, err, sizeof(err)),
	       "dashes");
	tap_ok(parse_mac("02:aa:bb:cc:dd:eg", mac, err, sizeof(err)) &&
	       strstr(err, "not a MAC"), "bad digit: %s", err);
	tap_ok(parse_mac("02:aa:bb:cc:dd:ef:", mac, err, sizeof(err)), "long");
}

static void test_payload(void)
{
	char err[ARGS_ERR_MAX], big[2 * 1025 + 1];
	uint8_t p[1024];

	tap_ok(parse_payload("hello", 0, p, sizeof(p), err, sizeof(err)) == 5 &&
	       !memcmp(p, "hello", 5), "text payload");
	tap_ok(parse_payload("", 0, p, sizeof(p), err, sizeof(err)) == 0,
	       "empty payload");
	tap_ok(parse_payload("00ff10", 1, p, sizeof(p), err, sizeof(err)) == 3 &&
	       p[1] == 0xff, "hex payload");
	tap_ok(parse_payload("0f0", 1, p, sizeof(p), err, sizeof(err)) == -1 &&
	       strstr(err, "odd"), "odd hex: %s", err);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tap_ok(parse_payload(big, 1, p, sizeof(p), err, sizeof(err)) == -1 &&
	       strstr(err, "1025 bytes, at most 1024"), "1025 hex bytes: %s",
	       err);
	big[1025] = '\0';
	tap_ok(parse_payload(big, 0, p, sizeof(p), err, sizeof(err)) == -1,
	       "1025 text bytes");
	big[1024] = '\0';
	tap_ok(parse_payload(big, 0, p, sizeof(p), err, sizeof(err)) == 1024,
	       "1024 text bytes");
}

static void test_key(void)
{
	const char *k16 = "  000102030405060708090a0b0c0d0e0f\n";
	const char *k32 =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	char err[ARGS_ERR_MAX];
	uint8_t key[32];

	tap_ok(parse_key_text(k16, strlen(k16), key, err, sizeof(err)) == 16 &&
	       key[15] == 15, "16-byte key with blanks around");
	tap_ok(parse_key_text(k32, strlen(k32), key, err, sizeof(err)) == 32 &&
	       key[31] == 31, "32-byte key");
	tap_ok(parse_key_text(k32, 40, key, err, sizeof(err)) == -1 &&
	       strstr(err, "20 bytes"), "20 bytes: %s", err);
	tap_ok(parse_key_text("00 11", 5, key, err, sizeof(err)) == -1 &&
	       strstr(err, "not a hex digit"), "blank inside: %s", err);
	tap_ok(parse_key_text("", 0, key, err, sizeof(err)) == -1 &&
	       strstr(err, "0 bytes"), "empty: %s", err);
}

static void test_printable(void)
{
	tap_ok(is_printable((const uint8_t *)"ok ~", 4), "printable");
	tap_ok(!is_printable((const uint8_t *)"a\nb", 3), "newline is not");
	tap_ok(!is_printable((const uint8_t *)"\x80", 1), "0x80 is not");
	tap_ok(!is_printable((const uint8_t *)"", 0), "empty is not");
}

static int kwp(struct kw *kws, const char *line, char *err)
{
	static char buf[256];
	char *argv[16], *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok(buf, " "); p && argc < 16; p = strtok(NULL, " "))
		argv[argc++] = p;
	err[0] = '\0';
	return kw_parse(kws, "keyword", argc, argv, err, ARGS_ERR_MAX);
}

static void test_kw(void)
{
	struct kw kws[] = { KW("timeout", KW_ARG), KW("dry-run", KW_FLAG),
			    KW("batch", KW_ARG), KW_END };
	char err[ARGS_ERR_MAX];
	uint32_t v = 0;

	tap_ok(!kwp(kws, "batch 10 dry-run", err) && kws[2].seen &&
	       !strcmp(kws[2].val, "10") && kws[1].seen && !kws[0].seen,
	       "keywords in any order, flags and values");
	tap_ok(!kwp(kws, "", err) && !kws[0].seen && !kws[1].seen &&
	       !kws[2].seen && !kws[2].val, "none given: all reset");
	tap_ok(kwp(kws, "timeout 1 timeout 2", err) == -1 &&
	       !strcmp(err, "keyword 'timeout' given twice"),
	       "a value given twice: %s", err);
	tap_ok(kwp(kws, "dry-run batch 1 dry-run", err) == -1 &&
	       !strcmp(err, "keyword 'dry-run' given twice"),
	       "a flag given twice: %s", err);
	tap_ok(kwp(kws, "dry-run batch", err) == -1 &&
	       !strcmp(err, "batch needs a value"), "no value: %s", err);
	tap_ok(kwp(kws, "frob 1", err) == -1 &&
	       !strcmp(err, "unknown keyword 'frob'"), "unknown: %s", err);
	tap_ok(kwp(kws, "timeout help", err) == 0 &&
	       !strcmp(kws[0].val, "help"), "'help' as a value is a value");
	tap_ok(kwp(kws, "batch 1 help", err) == KW_HELP, "'help' as a keyword");
	tap_ok(kwp(kws, "--help", err) == KW_HELP, "'--help' as a keyword");
	tap_ok(kwp(kws, "timeout 5s", err) == 0 &&
	       kw_u32(&kws[0], 100, &v, err, sizeof(err)) == -1 &&
	       !strcmp(err, "timeout: not a decimal number ('5s')"),
	       "an invalid value names keyword and value: %s", err);
	tap_ok(kwp(kws, "timeout 101", err) == 0 &&
	       kw_u32(&kws[0], 100, &v, err, sizeof(err)) == -1 &&
	       !strcmp(err, "timeout: more than 100 ('101')"),
	       "above the maximum: %s", err);
	tap_ok(kwp(kws, "timeout 100", err) == 0 &&
	       !kw_u32(&kws[0], 100, &v, err, sizeof(err)) && v == 100,
	       "a valid value");
	tap_ok(kwp(kws, "timeout 0123456789012345678901234567890123456789X",
		   err) == 0 &&
	       kw_invalid(&kws[0], "bad", err, sizeof(err)) == -1 &&
	       !strcmp(err, "timeout: bad ('0123456789012345678901234567890123456789...')"),
	       "a long value is cut at 40: %s", err);
}

int main(void)
{
	test_u32();
	test_mac();
	test_payload();
	test_key();
	test_printable();
	test_kw();
	return tap_done();
}
