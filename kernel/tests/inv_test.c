// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: inventory of unknown devices (profile v1.1) against the known
 * answers of profile-v1.1-inventory.rsp. The AIoTF builds the INVENTORY,
 * the device matches its GROUP (no cryptography) and answers, the AIoTF
 * resolves RID and verifies the MAC; then the codec's rules for types 5
 * and 6 and every single-bit change of each INV_RESP.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "proto.h"
#include "test_util.h"
#include "vectors.h"

AIOT_TABLE_PARAM(inv, aiot_inv_vecs, aiot_n_inv_vecs, "record");

struct inv_ctx {
	struct aiot_hkey hk;
	struct aiot_cred dev;
	u8 *out;		/* AIOT_MSG_MAX */
};

static struct inv_ctx *inv_ctx_new(struct kunit *test,
				   const struct aiot_inv_vec *v)
{
	struct inv_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->out = kunit_kzalloc(test, AIOT_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->out);
	KUNIT_ASSERT_EQ(test, aiot_hkey_init(&c->hk, v->k, v->klen), 0);
	c->dev.hk = &c->hk;
	c->dev.id = v->id;
	return c;
}

static void inv_kat(struct kunit *test)
{
	const struct aiot_inv_vec *v = test->param_value;
	struct inv_ctx *c = inv_ctx_new(test, v);
	u8 rid[AIOT_RID_LEN];
	struct aiot_msg m;
	int len;

	len = aiotf_inventory(v->nn, v->policy, v->fbits, v->filter, c->out);
	KUNIT_ASSERT_EQ(test, len, v->inventorylen);
	AIOT_EXPECT_MEMEQ(test, c->out, v->inventory, len, "INVENTORY");

	KUNIT_ASSERT_EQ(test, aiot_parse(v->inventory, v->inventorylen, &m),
			AIOTSEC_DROP_NONE);
	KUNIT_EXPECT_EQ(test, m.type, AIOT_MSG_INVENTORY);
	KUNIT_EXPECT_EQ(test, m.fbits, v->fbits);
	KUNIT_EXPECT_EQ(test, m.len, v->inventorylen);
	KUNIT_EXPECT_PTR_EQ(test, m.filter, v->inventory + 20);
	KUNIT_EXPECT_EQ(test, !aiotdev_inventory_match(v->group, &m),
			v->match == 1);
	KUNIT_EXPECT_EQ(test, aiot_group_match(v->group, v->fbits, v->filter),
			v->match == 1);
	if (!v->match) {
		KUNIT_EXPECT_EQ(test, v->ridlen, 0);
		KUNIT_EXPECT_EQ(test, v->inv_resplen, 0);
		goto out;
	}

	KUNIT_ASSERT_EQ(test, aiot_rid(&c->dev, v->nn, rid), 0);
	KUNIT_ASSERT_EQ(test, v->ridlen, AIOT_RID_LEN);
	AIOT_EXPECT_MEMEQ(test, rid, v->rid, AIOT_RID_LEN, "RID");

	len = aiotdev_inv_resp(&c->dev, v->nn, v->dn, v->policy, v->cap,
			       v->caplen, c->out);
	KUNIT_ASSERT_EQ(test, len, v->inv_resplen);
	AIOT_EXPECT_MEMEQ(test, c->out, v->inv_resp, len, "INV_RESP");

	KUNIT_ASSERT_EQ(test, aiot_parse(v->inv_resp, v->inv_resplen, &m),
			AIOTSEC_DROP_NONE);
	KUNIT_EXPECT_EQ(test, m.type, AIOT_MSG_INV_RESP);
	KUNIT_EXPECT_PTR_EQ(test, m.rid, v->inv_resp + 23);
	KUNIT_EXPECT_EQ(test, m.caplen, v->caplen);
	KUNIT_EXPECT_EQ(test, aiotf_inv_resp(&c->dev, v->nn, v->policy,
					     v->policy, v->rid, &m),
			AIOTSEC_DROP_NONE);
out:
	aiot_hkey_wipe(&c->hk);
}

/*
 * Every bit of every INV_RESP flipped: dropped by the codec or the
 * verifier (a CT bit as an unknown CT, a RID bit as an unknown ID, any
 * other as a failed MAC or a bad header).
 */
static void inv_bitflips(struct kunit *test)
{
	const struct aiot_inv_vec *v = test->param_value;
	struct inv_ctx *c;
	unsigned int bit;
	struct aiot_msg m;
	u8 *buf;

	if (!v->match)
		return;
	c = inv_ctx_new(test, v);
	buf = kunit_kmalloc(test, v->inv_resplen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (bit = 0; bit < v->inv_resplen * 8; bit++) {
		enum aiotsec_drop err;

		memcpy(buf, v->inv_resp, v->inv_resplen);
		buf[bit / 8] ^= 0x80 >> (bit % 8);
		err = aiot_parse(buf, v->inv_resplen, &m);
		if (!err)
			err = aiotf_inv_resp(&c->dev, v->nn, v->policy,
					     v->policy, v->rid, &m);
		KUNIT_EXPECT_NE_MSG(test, err, AIOTSEC_DROP_NONE, "bit %u", bit);
	}
	aiot_hkey_wipe(&c->hk);
}

/* Truncations of both messages, FBITS over 64, filter bits past FBITS. */
static void inv_codec_rules(struct kunit *test)
{
	const struct aiot_inv_vec *v = test->param_value;
	unsigned int bit, flen = v->filterlen;
	struct aiot_msg m;
	size_t len;
	u8 *buf;

	buf = kunit_kzalloc(test, AIOT_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, flen, DIV_ROUND_UP(v->fbits, 8));
	for (len = 0; len < v->inventorylen; len++)
		KUNIT_EXPECT_NE_MSG(test, aiot_parse(v->inventory, len, &m),
				    AIOTSEC_DROP_NONE, "INVENTORY in %zu", len);
	for (len = 0; len < v->inv_resplen; len++)
		KUNIT_EXPECT_NE_MSG(test, aiot_parse(v->inv_resp, len, &m),
				    AIOTSEC_DROP_NONE, "INV_RESP in %zu", len);

	memcpy(buf, v->inventory, v->inventorylen);
	for (bit = v->fbits; bit < flen * 8; bit++) {
		buf[20 + bit / 8] ^= 0x80 >> (bit % 8);
		KUNIT_EXPECT_EQ_MSG(test, aiot_parse(buf, v->inventorylen, &m),
				    AIOTSEC_DROP_FILTER, "bit %u", bit);
		KUNIT_EXPECT_EQ(test, aiotf_inventory(v->nn, v->policy, v->fbits,
						      buf + 20, buf + 64),
				-EINVAL);
		buf[20 + bit / 8] ^= 0x80 >> (bit % 8);
	}
	buf[19] = AIOT_FBITS_MAX + 1 + v->fbits;
	KUNIT_EXPECT_EQ(test, aiot_parse(buf, 28, &m), AIOTSEC_DROP_FILTER);
	/* The policy carries only ML: every other bit is refused. */
	for (bit = 0; bit < 8; bit++) {
		if (BIT(bit) & AIOTSEC_POL_ML_MASK)
			continue;
		memcpy(buf, v->inventory, v->inventorylen);
		buf[2] ^= BIT(bit);
		KUNIT_EXPECT_EQ(test, aiot_parse(buf, v->inventorylen, &m),
				AIOTSEC_DROP_POLICY);
	}
	if (v->match) {
		memcpy(buf, v->inv_resp, v->inv_resplen);
		buf[31] = AIOTSEC_CAPLEN_MAX + 1;
		KUNIT_EXPECT_EQ(test, aiot_parse(buf, AIOT_MSG_MAX, &m),
				AIOTSEC_DROP_CAPLEN);
	}
}

/* Refusals: the request's ML against a minimum, the wrong INVENTORY policy. */
static void inv_downgrade(struct kunit *test)
{
	const struct aiot_inv_vec *v = test->param_value;
	struct inv_ctx *c;
	struct aiot_msg m;
	u8 other;

	if (!v->match)
		return;
	c = inv_ctx_new(test, v);
	KUNIT_ASSERT_EQ(test, aiot_parse(v->inv_resp, v->inv_resplen, &m), 0);
	other = v->policy == 0x40 ? 0x00 : v->policy + 0x20;
	KUNIT_EXPECT_EQ(test, aiotf_inv_resp(&c->dev, v->nn, other, 0x00,
					     v->rid, &m),
			AIOTSEC_DROP_DOWNGRADE);
	if (v->policy != 0x40)
		KUNIT_EXPECT_EQ(test, aiotf_inv_resp(&c->dev, v->nn, v->policy,
						     0x40, v->rid, &m),
				AIOTSEC_DROP_DOWNGRADE);
	KUNIT_EXPECT_EQ(test, aiot_policy_meets(v->policy, 0x40,
						AIOT_MSG_INVENTORY),
			v->policy == 0x40);
	aiot_hkey_wipe(&c->hk);
}

static void inv_policy_table(struct kunit *test)
{
	unsigned int p, t, n;

	for (t = AIOT_MSG_INVENTORY; t <= AIOT_MSG_INV_RESP; t++) {
		for (p = 0, n = 0; p < 256; p++) {
			bool ok = !aiot_policy_check(p, t);

			KUNIT_EXPECT_EQ_MSG(test, ok, p == 0x00 || p == 0x20 ||
					    p == 0x40, "policy %02x type %u",
					    p, t);
			n += ok;
		}
		KUNIT_EXPECT_EQ(test, n, 3);
	}
	KUNIT_EXPECT_EQ(test, aiot_inventory_len(0), 20);
	KUNIT_EXPECT_EQ(test, aiot_inventory_len(64), 28);
	KUNIT_EXPECT_EQ(test, aiot_inv_resp_len(0x40, 32), 80);
}

static struct kunit_case inv_cases[] = {
	KUNIT_CASE(inv_policy_table),
	KUNIT_CASE_PARAM(inv_kat, inv_gen),
	KUNIT_CASE_PARAM(inv_bitflips, inv_gen),
	KUNIT_CASE_PARAM(inv_codec_rules, inv_gen),
	KUNIT_CASE_PARAM(inv_downgrade, inv_gen),
	{}
};

static struct kunit_suite inv_suite = {
	.name = "aiotsec_inventory",
	.test_cases = inv_cases,
};

kunit_test_suite(inv_suite);
