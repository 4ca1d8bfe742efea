// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the frame codec. Every vector message parses into the right
 * fields; every truncation, invalid header, invalid policy byte, oversize
 * length and stray trailing byte is rejected. Messages are parsed from
 * buffers of exactly their length, so KASAN catches any read past them.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "codec.h"
#include "test_util.h"
#include "vectors.h"

AIOT_TABLE_PARAM(codec, aiot_profile_vecs, aiot_n_profile_vecs, "record");

struct vmsg {
	const char *name;
	const u8 *p;
	size_t len;
	u8 type;
};

static void vec_msgs(const struct aiot_profile_vec *v, struct vmsg m[4])
{
	m[0] = (struct vmsg){ "PAGING", v->paging, v->paginglen,
			      AIOT_MSG_PAGING };
	m[1] = (struct vmsg){ "AUTH_RESP", v->auth_resp, v->auth_resplen,
			      AIOT_MSG_AUTH_RESP };
	m[2] = (struct vmsg){ "COMMAND", v->command, v->commandlen,
			      AIOT_MSG_COMMAND };
	m[3] = (struct vmsg){ "CMD_RESP", v->cmd_resp, v->cmd_resplen,
			      AIOT_MSG_CMD_RESP };
}

/* Parse @len bytes of @src from a heap buffer of exactly that size. */
static enum aiotsec_drop parse_exact(struct kunit *test, const u8 *src,
				     size_t len, struct aiot_msg *m)
{
	enum aiotsec_drop err;
	u8 *buf;

	buf = kmemdup(src, len ? len : 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	err = aiot_parse(buf, len, m);
	kfree(buf);
	return err;
}

/* The reference rule of PROTOCOL.md, written independently of codec.c. */
static bool policy_valid(u8 p, u8 type)
{
	u8 idp = p & 3, pc = p >> 2 & 1, pi = p >> 3 & 1, mi = p >> 4 & 1;
	u8 ml = p >> 5 & 3;

	if (p & 0x80 || idp == 0 || idp == 3 || ml == 3)
		return false;
	if (type == AIOT_MSG_PAGING || type == AIOT_MSG_AUTH_RESP)
		return !pc && !pi && !mi;
	return pi + mi == 1;
}

static void codec_policy_table(struct kunit *test)
{
	unsigned int p, type, valid[5] = { 0 };

	for (type = AIOT_MSG_PAGING; type <= AIOT_MSG_CMD_RESP; type++) {
		for (p = 0; p < 256; p++) {
			bool ok = aiot_policy_check(p, type) == AIOTSEC_DROP_NONE;

			KUNIT_EXPECT_EQ_MSG(test, ok, policy_valid(p, type),
					    "policy 0x%02x type %u", p, type);
			valid[type] += ok;
		}
	}
	/* IDP x ML, and IDP x PC x (PI|MI) x ML: the 6 and the 24. */
	KUNIT_EXPECT_EQ(test, valid[AIOT_MSG_PAGING], 6);
	KUNIT_EXPECT_EQ(test, valid[AIOT_MSG_AUTH_RESP], 6);
	KUNIT_EXPECT_EQ(test, valid[AIOT_MSG_COMMAND], 24);
	KUNIT_EXPECT_EQ(test, valid[AIOT_MSG_CMD_RESP], 24);
	KUNIT_EXPECT_EQ(test, aiot_policy_check(0x09, 0), AIOTSEC_DROP_TYPE);
	KUNIT_EXPECT_EQ(test, aiot_mac_len(0x00), 4);
	KUNIT_EXPECT_EQ(test, aiot_mac_len(0x20), 8);
	KUNIT_EXPECT_EQ(test, aiot_mac_len(0x40), 16);
	KUNIT_EXPECT_EQ(test, aiot_mac_len(0x60), 0);
}

static const struct meets_case {
	u8 policy, minimum, type;
	bool meets;
} meets_cases[] = {
	{ 0x09, 0x09, AIOT_MSG_CMD_RESP, true },
	{ 0x29, 0x09, AIOT_MSG_CMD_RESP, true },	/* longer MAC */
	{ 0x09, 0x29, AIOT_MSG_CMD_RESP, false },	/* shorter MAC */
	{ 0x49, 0x29, AIOT_MSG_CMD_RESP, true },
	{ 0x0d, 0x09, AIOT_MSG_CMD_RESP, true },	/* PC beyond minimum */
	{ 0x09, 0x0d, AIOT_MSG_CMD_RESP, false },	/* PC dropped */
	{ 0x11, 0x09, AIOT_MSG_CMD_RESP, true },	/* MI for PI is fine */
	{ 0x09, 0x11, AIOT_MSG_CMD_RESP, false },	/* MI dropped */
	{ 0x15, 0x15, AIOT_MSG_CMD_RESP, true },
	{ 0x11, 0x15, AIOT_MSG_CMD_RESP, false },
	{ 0x0a, 0x09, AIOT_MSG_CMD_RESP, true },	/* IDP is not ranked */
	{ 0x01, 0x11, AIOT_MSG_AUTH_RESP, true },	/* always whole-message */
	{ 0x01, 0x15, AIOT_MSG_AUTH_RESP, true },
	{ 0x01, 0x21, AIOT_MSG_AUTH_RESP, false },	/* MAC 4 < 8 */
	{ 0x41, 0x21, AIOT_MSG_AUTH_RESP, true },
};

static void meets_desc(const struct meets_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%02x vs min 0x%02x type %u",
		 c->policy, c->minimum, c->type);
}

KUNIT_ARRAY_PARAM(meets, meets_cases, meets_desc);

static void codec_policy_meets(struct kunit *test)
{
	const struct meets_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, aiot_policy_meets(c->policy, c->minimum, c->type),
			c->meets);
}

static void codec_parse_vectors(struct kunit *test)
{
	const struct aiot_profile_vec *v = test->param_value;
	struct aiot_msg m;
	struct vmsg vm[4];
	int i;

	vec_msgs(v, vm);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ_MSG(test, parse_exact(test, vm[i].p, vm[i].len, &m),
				    AIOTSEC_DROP_NONE, "%s", vm[i].name);
		KUNIT_EXPECT_EQ(test, m.type, vm[i].type);
		KUNIT_EXPECT_EQ(test, m.len, vm[i].len);
	}
	/* Field positions, checked on the original buffers. */
	KUNIT_ASSERT_EQ(test, aiot_parse(v->paging, v->paginglen, &m), 0);
	AIOT_EXPECT_MEMEQ(test, m.nn, v->nn, 16, "PAGING NN");
	KUNIT_EXPECT_EQ(test, m.policy, v->policy & AIOTSEC_POL_AUTH_MASK);
	KUNIT_ASSERT_EQ(test, aiot_parse(v->auth_resp, v->auth_resplen, &m), 0);
	AIOT_EXPECT_MEMEQ(test, m.ct, v->nn, 4, "AUTH_RESP CT");
	AIOT_EXPECT_MEMEQ(test, m.dn, v->dn, 16, "AUTH_RESP DN");
	KUNIT_EXPECT_EQ(test, m.caplen, v->caplen);
	AIOT_EXPECT_MEMEQ(test, m.cap, v->cap, v->caplen, "AUTH_RESP CAP");
	KUNIT_ASSERT_EQ(test, aiot_parse(v->command, v->commandlen, &m), 0);
	AIOT_EXPECT_MEMEQ(test, m.nn, v->nn2, 16, "COMMAND NN");
	KUNIT_EXPECT_EQ(test, m.plen, v->payloadlen);
	KUNIT_EXPECT_EQ(test, m.policy, v->policy);
	if (!(v->policy & AIOTSEC_POL_PC))
		AIOT_EXPECT_MEMEQ(test, m.sp, v->payload, v->payloadlen, "SP");
	KUNIT_ASSERT_EQ(test, aiot_parse(v->cmd_resp, v->cmd_resplen, &m), 0);
	AIOT_EXPECT_MEMEQ(test, m.ct, v->nn2, 4, "CMD_RESP CT");
	AIOT_EXPECT_MEMEQ(test, m.dn, v->dn2, 16, "CMD_RESP DN");
	KUNIT_EXPECT_EQ(test, m.plen, v->resp_payloadlen);
	KUNIT_EXPECT_PTR_EQ(test, m.mac, v->cmd_resp + v->cmd_resplen - m.maclen);
}

static void codec_truncated(struct kunit *test)
{
	const struct aiot_profile_vec *v = test->param_value;
	struct aiot_msg m;
	struct vmsg vm[4];
	size_t n;
	int i;

	vec_msgs(v, vm);
	for (i = 0; i < 4; i++)
		for (n = 0; n < vm[i].len; n++)
			KUNIT_EXPECT_NE_MSG(test, parse_exact(test, vm[i].p, n, &m),
					    AIOTSEC_DROP_NONE, "%s cut to %zu",
					    vm[i].name, n);
}

static void codec_invalid_policy(struct kunit *test)
{
	const struct aiot_profile_vec *v = test->param_value;
	struct aiot_msg m;
	struct vmsg vm[4];
	u8 buf[AIOT_MSG_MAX];
	unsigned int p;
	int i;

	vec_msgs(v, vm);
	for (i = 0; i < 4; i++) {
		memcpy(buf, vm[i].p, vm[i].len);
		for (p = 0; p < 256; p++) {
			if (policy_valid(p, vm[i].type))
				continue;
			buf[2] = p;
			KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, vm[i].len, &m),
					    AIOTSEC_DROP_POLICY, "%s policy 0x%02x",
					    vm[i].name, p);
		}
	}
}

static void codec_bad_header(struct kunit *test)
{
	const struct aiot_profile_vec *v = &aiot_profile_vecs[0];
	u8 buf[AIOT_MSG_MAX];
	struct aiot_msg m;
	unsigned int x;

	memcpy(buf, v->paging, v->paginglen);
	for (x = 0; x < 16; x++) {
		buf[0] = x << 4 | AIOT_MSG_PAGING;
		KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, v->paginglen, &m),
				    x == 1 ? AIOTSEC_DROP_NONE : AIOTSEC_DROP_VERSION,
				    "version %u", x);
	}
	buf[0] = 0x11;
	for (x = 0; x < 256; x++) {
		buf[1] = x;
		KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, v->paginglen, &m),
				    x == 1 ? AIOTSEC_DROP_NONE : AIOTSEC_DROP_SUITE,
				    "suite %u", x);
	}
	buf[1] = 1;
	for (x = 0; x < 16; x++) {
		if (x >= AIOT_MSG_PAGING && x <= AIOT_MSG_TYPE_LAST)
			continue;
		buf[0] = 0x10 | x;
		KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, v->paginglen, &m),
				    AIOTSEC_DROP_TYPE, "type %u", x);
	}
}

/* PLEN and CAPLEN over their limits, and exactly at them. */
static void codec_oversize(struct kunit *test)
{
	const struct aiot_profile_vec *v = &aiot_profile_vecs[0];
	struct aiot_msg m;
	size_t len;
	u8 *buf;

	buf = kunit_kzalloc(test, AIOT_MSG_MAX + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* CMD_RESP, policy 0x09: HDR CT DN PLEN SP MAC(4). */
	aiot_put_hdr(buf, AIOT_MSG_CMD_RESP, 0x09);
	put_unaligned_be16(AIOTSEC_PLEN_MAX, buf + 23);
	len = aiot_cmd_resp_len(0x09, AIOTSEC_PLEN_MAX);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, len, &m), AIOTSEC_DROP_NONE);
	KUNIT_EXPECT_EQ(test, m.plen, AIOTSEC_PLEN_MAX);
	put_unaligned_be16(AIOTSEC_PLEN_MAX + 1, buf + 23);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, len + 1, &m), AIOTSEC_DROP_PLEN);
	put_unaligned_be16(0xffff, buf + 23);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, len, &m), AIOTSEC_DROP_PLEN);

	/* COMMAND: HDR NN PID PLEN. */
	aiot_put_hdr(buf, AIOT_MSG_COMMAND, 0x09);
	put_unaligned_be16(AIOTSEC_PLEN_MAX + 1, buf + 35);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, AIOT_MSG_MAX + 64, &m),
			AIOTSEC_DROP_PLEN);

	/* AUTH_RESP: CAPLEN at offset 39. */
	memcpy(buf, v->auth_resp, v->auth_resplen);
	buf[39] = AIOTSEC_CAPLEN_MAX + 1;
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, 200, &m), AIOTSEC_DROP_CAPLEN);
	buf[39] = 0xff;
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, 400, &m), AIOTSEC_DROP_CAPLEN);
	buf[39] = AIOTSEC_CAPLEN_MAX;
	len = aiot_auth_resp_len(buf[2], AIOTSEC_CAPLEN_MAX);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, len, &m), AIOTSEC_DROP_NONE);
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, len - 1, &m), AIOTSEC_DROP_SHORT);
}

/* Trailing bytes are Ethernet padding only: payload of 46 bytes at most. */
static void codec_padding(struct kunit *test)
{
	const struct aiot_profile_vec *v;
	struct aiot_msg m;
	u8 buf[AIOT_MSG_MAX + 1];
	size_t i, n, total;

	for (i = 0; i < aiot_n_profile_vecs; i++) {
		struct vmsg vm[4];
		int j;

		v = &aiot_profile_vecs[i];
		vec_msgs(v, vm);
		for (j = 0; j < 4; j++) {
			memset(buf, 0xa5, sizeof(buf));
			memcpy(buf, vm[j].p, vm[j].len);
			for (total = vm[j].len + 1; total <= 64; total++) {
				enum aiotsec_drop want = total <= 46 ?
					AIOTSEC_DROP_NONE : AIOTSEC_DROP_TRAILING;

				KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, total, &m), want,
						    "record %zu %s in %zu bytes",
						    i, vm[j].name, total);
				if (want == AIOTSEC_DROP_NONE)
					KUNIT_EXPECT_EQ(test, m.len, vm[j].len);
			}
			n = vm[j].len + 1;
			if (n > 46)
				KUNIT_EXPECT_EQ(test, aiot_parse(buf, n, &m),
						AIOTSEC_DROP_TRAILING);
		}
	}
}

static struct kunit_case codec_cases[] = {
	KUNIT_CASE(codec_policy_table),
	KUNIT_CASE_PARAM(codec_policy_meets, meets_gen_params),
	KUNIT_CASE_PARAM(codec_parse_vectors, codec_gen),
	KUNIT_CASE_PARAM(codec_truncated, codec_gen),
	KUNIT_CASE_PARAM(codec_invalid_policy, codec_gen),
	KUNIT_CASE(codec_bad_header),
	KUNIT_CASE(codec_oversize),
	KUNIT_CASE(codec_padding),
	{}
};

static struct kunit_suite codec_suite = {
	.name = "aiotsec_codec",
	.test_cases = codec_cases,
};

kunit_test_suite(codec_suite);
