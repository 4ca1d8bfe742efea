// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reading device requests out of netlink attributes. Table-driven:
 * each case builds an AIOTSEC_A_DEVICES nest and says what the parser
 * must make of it, including which attribute the error names.
 */
#include <kunit/test.h>
#include <net/netlink.h>

#include "aiotsec.h"
#include "test_util.h"

enum { ADD = true, DEL = false };

struct nl_case {
	const char *name;
	bool add;
	u8 ndev;		/* devices in the nest */
	u8 klen;		/* key length, 0: no key attribute */
	bool no_policy;
	bool no_id;
	bool wrong_type;	/* a nest of another type among them */
	u8 min_policy;		/* 0: none */
	int ret;		/* count or errno */
	const char *msg;	/* substring of the extack message, or NULL */
};

static const struct nl_case nl_cases[] = {
	{ "one device", ADD, 1, 16, .ret = 1 },
	{ "three devices, 32-byte keys", ADD, 3, 32, .ret = 3 },
	{ "with a minimum policy", ADD, 2, 16, .min_policy = 0x09, .ret = 2 },
	{ "key missing", ADD, 1, 0, .ret = -EINVAL, .msg = "AIOTSEC_DEV_A_KEY" },
	{ "policy missing", ADD, 1, 16, .no_policy = true, .ret = -EINVAL,
	  .msg = "AIOTSEC_DEV_A_POLICY" },
	{ "ID missing", ADD, 1, 16, .no_id = true, .ret = -EINVAL,
	  .msg = "AIOTSEC_DEV_A_ID" },
	{ "key of 8 bytes", ADD, 1, 8, .ret = -ERANGE },
	{ "key of 33 bytes", ADD, 1, 33, .ret = -ERANGE },
	{ "a stray attribute", ADD, 2, 16, .wrong_type = true, .ret = -EINVAL,
	  .msg = "AIOTSEC_A_DEVICE" },
	{ "delete by ID", DEL, 4, 0, .no_policy = true, .ret = 4 },
	{ "delete with a key", DEL, 1, 16, .no_policy = true, .ret = -EINVAL,
	  .msg = "only AIOTSEC_DEV_A_ID" },
};

static void nl_desc(const struct nl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nl, nl_cases, nl_desc);

static void nl_parse_devices(struct kunit *test)
{
	const struct nl_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct aiot_dev_spec specs[8];
	struct nlattr *devices, *dev;
	u8 key[33] = { 0x5a }, id[AIOTSEC_ID_LEN] = { 0 };
	struct sk_buff *skb;
	int i, ret;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	for (i = 0; i < c->ndev; i++) {
		dev = nla_nest_start(skb, c->wrong_type && i == 1 ?
				     AIOTSEC_A_FLAGS : AIOTSEC_A_DEVICE);
		id[15] = i;
		if (!c->no_id)
			nla_put(skb, AIOTSEC_DEV_A_ID, sizeof(id), id);
		if (c->klen)
			nla_put(skb, AIOTSEC_DEV_A_KEY, c->klen, key);
		if (!c->no_policy)
			nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, 0x29);
		if (c->min_policy)
			nla_put_u8(skb, AIOTSEC_DEV_A_MIN_POLICY, c->min_policy);
		nla_nest_end(skb, dev);
	}
	nla_nest_end(skb, devices);

	ret = aiot_nl_parse_devices(devices, specs, ARRAY_SIZE(specs), c->add,
				    &extack);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->msg) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, c->msg),
					  "message: %s", extack._msg);
	}
	for (i = 0; i < ret; i++) {
		KUNIT_EXPECT_EQ(test, specs[i].id[15], i);
		if (!c->add)
			continue;
		KUNIT_EXPECT_EQ(test, specs[i].key_len, c->klen);
		KUNIT_EXPECT_EQ(test, specs[i].policy, 0x29);
		KUNIT_EXPECT_EQ(test, specs[i].min_policy,
				c->min_policy ?: 0x29);
	}
	kfree_skb(skb);
}

/* More devices than the caller made room for is refused, not overrun. */
static void nl_parse_devices_room(struct kunit *test)
{
	struct aiot_dev_spec specs[2];
	struct nlattr *devices, *dev;
	u8 id[AIOTSEC_ID_LEN] = { 0 };
	struct sk_buff *skb;
	int i;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	for (i = 0; i < 3; i++) {
		dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);
		nla_put(skb, AIOTSEC_DEV_A_ID, sizeof(id), id);
		nla_nest_end(skb, dev);
	}
	nla_nest_end(skb, devices);
	KUNIT_EXPECT_EQ(test, aiot_nl_parse_devices(devices, specs, 2, DEL, NULL),
			-E2BIG);
	kfree_skb(skb);
}

static struct kunit_case nl_cases_list[] = {
	KUNIT_CASE_PARAM(nl_parse_devices, nl_gen_params),
	KUNIT_CASE(nl_parse_devices_room),
	{}
};

static struct kunit_suite nl_suite = {
	.name = "aiotsec_netlink",
	.test_cases = nl_cases_list,
};

kunit_test_suite(nl_suite);
