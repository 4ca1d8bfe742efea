// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the policy syntax (lib/policy.c), against the
 * codec's rules (proto/codec.c, the kernel's own, compiled for user space).
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "policy.h"
#include "tap.h"

struct good {
	const char *s;
	enum policy_kind kind;
	uint8_t want;
};

static const struct good goods[] = {
	{ "tid,pc,mi,mac=8", POLICY_REQUEST, 0x36 },
	{ "enc,pi", POLICY_REQUEST, 0x09 },
	{ "pi,enc", POLICY_REQUEST, 0x09 },
	{ "enc,pi,mac=4", POLICY_REQUEST, 0x09 },
	{ "mac=16,mi,tid", POLICY_REQUEST, 0x52 },
	{ "0x36", POLICY_REQUEST, 0x36 },
	{ "0X09", POLICY_REQUEST, 0x09 },
	{ "0x4A", POLICY_REQUEST, 0x4a },
	{ "mac=4", POLICY_MINIMUM, 0x00 },
	{ "mi,mac=8", POLICY_MINIMUM, 0x30 },
	{ "pc", POLICY_MINIMUM, 0x04 },
	{ "tid,mi,mac=8", POLICY_MINIMUM, 0x32 },
	{ "0x0", POLICY_MINIMUM, 0x00 },
	{ "0x5f", POLICY_MINIMUM, 0x5f },
};

struct bad {
	const char *s;
	enum policy_kind kind;
	const char *why;	/* a piece of the message */
};

static const struct bad bads[] = {
	{ "", POLICY_REQUEST, "empty" },
	{ "", POLICY_MINIMUM, "empty" },
	{ "tid", POLICY_REQUEST, "integrity is required" },
	{ "pi", POLICY_REQUEST, "ID protection is required" },
	{ "tid,pi,mi", POLICY_REQUEST, "pi and mi exclude" },
	{ "pi,mi", POLICY_MINIMUM, "pi and mi exclude" },
	{ "enc,tid,pi", POLICY_REQUEST, "enc and tid exclude" },
	{ "tid,pi,mac=2", POLICY_REQUEST, "must be 4, 8 or 16" },
	{ "tid,pi,mac=", POLICY_REQUEST, "unknown token 'mac='" },
	{ "tid,pi,mac=8,mac=16", POLICY_REQUEST, "mac= given twice" },
	{ "tid,tid,pi", POLICY_REQUEST, "tid given twice" },
	{ "tid,,pi", POLICY_REQUEST, "empty token" },
	{ "tid,pi,", POLICY_REQUEST, "empty token" },
	{ ",tid,pi", POLICY_REQUEST, "empty token" },
	{ "TID,pi", POLICY_REQUEST, "unknown token 'TID'" },
	{ "tid pi", POLICY_REQUEST, "unknown token 'tid pi'" },
	{ "0x80", POLICY_MINIMUM, "bit 7" },
	{ "0x60", POLICY_MINIMUM, "MAC length" },
	{ "0x08", POLICY_REQUEST, "ID protection" },
	{ "0x0b", POLICY_REQUEST, "ID protection" },
	{ "0x02", POLICY_REQUEST, "exactly one of pi" },
	{ "0x1a", POLICY_REQUEST, "exactly one of pi" },
	{ "0x", POLICY_REQUEST, "want 0x and one or two" },
	{ "0x123", POLICY_REQUEST, "want 0x and one or two" },
	{ "0xzz", POLICY_MINIMUM, "want 0x and one or two" },
	{ "0x1g", POLICY_MINIMUM, "want 0x and one or two" },
};

static void test_strings(void)
{
	char err[256];
	uint8_t p;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		p = 0xff;
		ret = policy_parse(goods[i].s, goods[i].kind, &p, err,
				   sizeof(err));
		if (!tap_ok(!ret && p == goods[i].want, "parse '%s' -> 0x%02x",
			    goods[i].s, goods[i].want))
			tap_diag("ret %d, got 0x%02x, err %s", ret, p, err);
	}
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		err[0] = '\0';
		ret = policy_parse(bads[i].s, bads[i].kind, &p, err,
				   sizeof(err));
		if (!tap_ok(ret == -1 && strstr(err, bads[i].why),
			    "reject '%s' (%s): %s", bads[i].s,
			    bads[i].kind == POLICY_REQUEST ? "request" :
			    "minimum", bads[i].why))
			tap_diag("ret %d, err '%s'", ret, err);
	}
}

/* Every byte: validity as the kernel sees it, and format/parse round trip. */
static void test_every_byte(void)
{
	unsigned int b, bad_valid = 0, bad_trip = 0, bad_reject = 0;
	char buf[POLICY_BUF_LEN], err[256];
	enum policy_kind k;
	int kernel_ok;
	uint8_t p;

	for (b = 0; b < 256; b++) {
		for (k = POLICY_REQUEST; k <= POLICY_MINIMUM; k++) {
			if (k == POLICY_REQUEST)
				kernel_ok = !aiot_policy_check(b, AIOT_MSG_COMMAND);
			else
				kernel_ok = !(b & AIOTSEC_POL_RESERVED) &&
					    aiot_mac_len(b);
			if (policy_valid(b, k) != kernel_ok)
				bad_valid++;
			policy_format(b, buf, sizeof(buf));
			if (policy_parse(buf, k, &p, err, sizeof(err))) {
				if (kernel_ok)
					bad_trip++;
			} else if (!kernel_ok) {
				bad_reject++;
			} else if (p != b) {
				bad_trip++;
			}
		}
	}
	tap_ok(!bad_valid, "policy_valid() agrees with the kernel on all 256 bytes (%u differ)",
	       bad_valid);
	tap_ok(!bad_trip, "parse(format(b)) == b for every valid byte (%u differ)",
	       bad_trip);
	tap_ok(!bad_reject, "parse(format(b)) rejects every invalid byte (%u accepted)",
	       bad_reject);
}

/*
 * The minimum rule aiotctl applies to a key store's POLICY and MIN (the
 * codec's aiot_policy_meets()), against the profile's words: PC set where
 * the minimum has PC, MI where it has MI, a MAC not shorter.
 */
static void test_meets(void)
{
	unsigned int p, m, differ = 0;
	bool want;

	for (p = 0; p < 256; p++)
		for (m = 0; m < 256; m++) {
			if (!aiot_mac_len(p) || !aiot_mac_len(m))
				continue;
			want = aiot_mac_len(p) >= aiot_mac_len(m) &&
			       (!(m & AIOTSEC_POL_PC) || (p & AIOTSEC_POL_PC)) &&
			       (!(m & AIOTSEC_POL_MI) || (p & AIOTSEC_POL_MI));
			if (aiot_policy_meets(p, m, AIOT_MSG_CMD_RESP) != want)
				differ++;
		}
	tap_ok(!differ, "the minimum rule is the profile's on all 65536 pairs (%u differ)",
	       differ);
}

static void test_format(void)
{
	char buf[POLICY_BUF_LEN], small[5];

	policy_format(0x36, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "tid,pc,mi,mac=8"), "format 0x36: %s", buf);
	policy_format(0x00, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "mac=4"), "format 0x00: %s", buf);
	policy_format(0x80, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "0x80"), "format 0x80: %s", buf);
	policy_format(0x7f, buf, sizeof(buf));
	tap_ok(!strlen(buf) || !strcmp(buf, "0x7f"), "format 0x7f: %s", buf);
	policy_format(0x57, buf, sizeof(buf));
	tap_ok(strlen(buf) < POLICY_BUF_LEN, "longest format fits: %s", buf);
	policy_format(0x36, small, sizeof(small));
	tap_ok(strlen(small) == 4, "format truncates to the buffer: %s", small);
}

int main(void)
{
	test_strings();
	test_every_byte();
	test_meets();
	test_format();
	return tap_done();
}
