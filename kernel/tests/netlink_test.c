// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reading device requests out of netlink attributes. Table-driven:
 * each case builds an AIOTSEC_A_DEVICES nest and says what the parser
 * must make of it, including which attribute the error names. Then the
 * family's own operations, called as generic netlink calls them: every
 * error path the uapi header promises a message for gives one, duplicate
 * attributes are refused, and no key survives in the message.
 */
#include <kunit/test.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include <linux/delay.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>

#include "aiotsec.h"
#include "aiot_limits.h"
#include "capdev.h"
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
	bool dup_key;		/* a second key in the first device */
	u8 min_policy;		/* 0: none */
	u8 glen;		/* group length, 0: no group attribute */
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
	{ "a key given twice", ADD, 2, 16, .dup_key = true, .ret = -EINVAL,
	  .msg = "given twice" },
	{ "with a group", ADD, 2, 16, .glen = 8, .ret = 2 },
	{ "group of 7 bytes", ADD, 1, 16, .glen = 7, .ret = -ERANGE },
	{ "group of 9 bytes", ADD, 1, 16, .glen = 9, .ret = -ERANGE },
	{ "delete with a group", DEL, 1, 0, .no_policy = true, .glen = 8,
	  .ret = -EINVAL, .msg = "only AIOTSEC_DEV_A_ID" },
};

static const u8 nl_group[9] = { 0x80, 1, 2, 3, 4, 5, 6, 0x7f, 0xff };

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
		if (c->dup_key && !i)
			nla_put(skb, AIOTSEC_DEV_A_KEY, c->klen, key);
		if (!c->no_policy)
			nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, 0x29);
		if (c->min_policy)
			nla_put_u8(skb, AIOTSEC_DEV_A_MIN_POLICY, c->min_policy);
		if (c->glen)
			nla_put(skb, AIOTSEC_DEV_A_GROUP, c->glen, nl_group);
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
		/* The group as given, or all zero. */
		KUNIT_EXPECT_EQ(test, !memcmp(specs[i].group, nl_group,
					      AIOTSEC_GROUP_LEN), !!c->glen);
		KUNIT_EXPECT_EQ(test, !memchr_inv(specs[i].group, 0,
						  AIOTSEC_GROUP_LEN), !c->glen);
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

/* ---- the operations, as generic netlink calls them ------------------- */

#define KEYB 0xa5		/* every key byte of these messages */

/* A request for @cmd of the family, attributes to follow. */
static struct sk_buff *msg_new(struct kunit *test, u8 cmd,
			       struct nlmsghdr **nlh)
{
	struct genlmsghdr *gh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	*nlh = nlmsg_put(skb, 0, 1, aiot_genl_family.id, GENL_HDRLEN,
			 NLM_F_REQUEST);
	KUNIT_ASSERT_NOT_NULL(test, *nlh);
	gh = nlmsg_data(*nlh);
	gh->cmd = cmd;
	gh->version = AIOTSEC_GENL_VERSION;
	gh->reserved = 0;
	return skb;
}

/* AIOTSEC_A_DEVICES with @n devices from ID @first, key and policies. */
static void put_devices(struct sk_buff *skb, int first, int n, u8 policy,
			u8 min_policy)
{
	u8 key[AIOTSEC_KEY_LEN_128], id[AIOTSEC_ID_LEN] = { 0xee };
	struct nlattr *devices, *dev;
	int i;

	memset(key, KEYB, sizeof(key));
	devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	for (i = 0; i < n; i++) {
		dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);
		id[15] = first + i;
		nla_put(skb, AIOTSEC_DEV_A_ID, sizeof(id), id);
		nla_put(skb, AIOTSEC_DEV_A_KEY, sizeof(key), key);
		nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, policy);
		nla_put_u8(skb, AIOTSEC_DEV_A_MIN_POLICY, min_policy);
		nla_nest_end(skb, dev);
	}
	nla_nest_end(skb, devices);
}

/* Is any key byte of the message left? (Keys are the only KEYB runs.) */
static bool key_left(const struct nlmsghdr *nlh)
{
	const u8 *p = nlmsg_data(nlh), *end = (const u8 *)nlh + nlh->nlmsg_len;
	u8 run[4] = { KEYB, KEYB, KEYB, KEYB };

	for (; p + sizeof(run) <= end; p++)
		if (!memcmp(p, run, sizeof(run)))
			return true;
	return false;
}

/*
 * Run the request in @skb as genl_family_rcv_msg_doit() would, in the
 * initial namespace: policy check, pre_doit, doit, post_doit. Returns the
 * result; @ext gets the extack.
 */
static int run_op_from(struct kunit *test, struct sk_buff *skb,
		       struct nlmsghdr *nlh, struct netlink_ext_ack *ext,
		       struct sock *from, u32 portid);

static int run_op(struct kunit *test, struct sk_buff *skb,
		  struct nlmsghdr *nlh, struct netlink_ext_ack *ext)
{
	return run_op_from(test, skb, nlh, ext, NULL, 0);
}

/* The same, as sent by user socket @from bound to @portid. */
static int run_op_from(struct kunit *test, struct sk_buff *skb,
		       struct nlmsghdr *nlh, struct netlink_ext_ack *ext,
		       struct sock *from, u32 portid)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlh);
	const struct genl_ops *op = NULL;
	struct genl_info info = {};
	int i, ret;

	nlmsg_end(skb, nlh);
	for (i = 0; i < aiot_genl_family.n_ops; i++)
		if (aiot_genl_family.ops[i].cmd == gh->cmd)
			op = &aiot_genl_family.ops[i];
	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_ASSERT_NOT_NULL(test, op->doit);
	memset(ext, 0, sizeof(*ext));
	memset(tb, 0, sizeof(tb));
	if (op->maxattr) {
		ret = __nlmsg_parse(nlh, GENL_HDRLEN, tb, op->maxattr,
				    op->policy, NL_VALIDATE_STRICT, ext);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "policy: %s", ext->_msg);
	}
	info.snd_seq = nlh->nlmsg_seq;
	info.snd_portid = portid;
	NETLINK_CB(skb).sk = from;
	info.nlhdr = nlh;
	info.genlhdr = gh;
	info.userhdr = nlmsg_data(nlh) + GENL_HDRLEN;
	info.attrs = op->maxattr ? tb : NULL;
	info.extack = ext;
	genl_info_net_set(&info, &init_net);
	ret = aiot_genl_family.pre_doit(op, skb, &info);
	if (ret)
		return ret;
	ret = op->doit(skb, &info);
	aiot_genl_family.post_doit(op, skb, &info);
	return ret;
}

/* Devices the cases expect in the initial namespace (IDs ee..00 0x40, 0x41). */
#define POL_DEV		0x56	/* tid, pc, mi, mac=16 */
#define POL_DEV_MIN	0x54	/* pc, mi, mac=16 */

static const u8 dev_id[AIOTSEC_ID_LEN] = { 0xee, [15] = 0x40 };
static const u8 no_id[AIOTSEC_ID_LEN] = { 0xee, [15] = 0x7f };

struct op_case {
	const char *name;
	u8 cmd;
	void (*put)(struct sk_buff *skb);
	int ret;
	const char *msg;	/* substring of the extack message */
	bool names_attr;	/* extack points at an attribute */
};

static void put_nothing(struct sk_buff *skb)
{
}

static void put_empty_devices(struct sk_buff *skb)
{
	nla_nest_end(skb, nla_nest_start(skb, AIOTSEC_A_DEVICES));
}

static void put_del_flags(struct sk_buff *skb)
{
	put_devices(skb, 0x40, 1, POL_DEV, POL_DEV_MIN);
	nla_put_u32(skb, AIOTSEC_A_FLAGS, AIOTSEC_F_REPLACE);
}

static void put_bad_policy(struct sk_buff *skb)
{
	put_devices(skb, 0x50, 2, 0x02, 0x02);	/* no integrity */
}

static void put_below_min(struct sk_buff *skb)
{
	put_devices(skb, 0x50, 1, 0x0a, POL_DEV_MIN);	/* tid, pi */
}

static void put_existing(struct sk_buff *skb)
{
	put_devices(skb, 0x40, 1, POL_DEV, POL_DEV_MIN);
}

static void put_same_id_twice(struct sk_buff *skb)
{
	u8 key[AIOTSEC_KEY_LEN_128], id[AIOTSEC_ID_LEN] = { 0xee, [15] = 0x50 };
	struct nlattr *devices, *dev;
	int i;

	memset(key, KEYB, sizeof(key));
	devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	for (i = 0; i < 2; i++) {
		dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);
		nla_put(skb, AIOTSEC_DEV_A_ID, sizeof(id), id);
		nla_put(skb, AIOTSEC_DEV_A_KEY, sizeof(key), key);
		nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, POL_DEV);
		nla_nest_end(skb, dev);
	}
	nla_nest_end(skb, devices);
}

static void put_two_devices_attrs(struct sk_buff *skb)
{
	put_devices(skb, 0x50, 1, POL_DEV, POL_DEV_MIN);
	put_devices(skb, 0x51, 1, POL_DEV, POL_DEV_MIN);
}

static void put_two_ids(struct sk_buff *skb)
{
	nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, no_id);
	nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, dev_id);
}

static void put_del_unknown(struct sk_buff *skb)
{
	struct nlattr *devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	struct nlattr *dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);

	nla_put(skb, AIOTSEC_DEV_A_ID, AIOTSEC_ID_LEN, dev_id);
	nla_nest_end(skb, dev);
	dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);
	nla_put(skb, AIOTSEC_DEV_A_ID, AIOTSEC_ID_LEN, no_id);
	nla_nest_end(skb, dev);
	nla_nest_end(skb, devices);
}

static void put_unknown_id(struct sk_buff *skb)
{
	nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, no_id);
}

static void put_dev_id(struct sk_buff *skb)
{
	nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, dev_id);
}

static void put_policy(struct sk_buff *skb, u8 policy)
{
	put_dev_id(skb);
	nla_put_u8(skb, AIOTSEC_A_POLICY, policy);
}

static void put_invalid_policy(struct sk_buff *skb)
{
	put_policy(skb, 0x03);
}

static void put_short_mac(struct sk_buff *skb)
{
	put_policy(skb, 0x22);		/* tid, mac=8 < 16 */
}

static void put_no_pc(struct sk_buff *skb)
{
	put_policy(skb, 0x52);		/* tid, mi, mac=16: no pc */
	nla_put(skb, AIOTSEC_A_PAYLOAD, 2, "hi");
}

static void put_payload(struct sk_buff *skb)
{
	put_dev_id(skb);
	nla_put(skb, AIOTSEC_A_PAYLOAD, 2, "hi");
}

static void put_broadcast(struct sk_buff *skb)
{
	static const u8 bc[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	put_payload(skb);
	nla_put(skb, AIOTSEC_A_DEST_MAC, ETH_ALEN, bc);
}

static void put_meets_min(struct sk_buff *skb)
{
	put_policy(skb, POL_DEV);
	nla_put(skb, AIOTSEC_A_PAYLOAD, 2, "hi");
}

/* AIOTSEC_A_DEV_IDS of the IDs ee..00 @last[0..n). */
static void put_dev_ids(struct sk_buff *skb, const u8 *last, int n)
{
	struct nlattr *nest = nla_nest_start(skb, AIOTSEC_A_DEV_IDS);
	u8 id[AIOTSEC_ID_LEN] = { 0xee };
	int i;

	for (i = 0; i < n; i++) {
		id[15] = last[i];
		nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, id);
	}
	nla_nest_end(skb, nest);
}

static void put_ids_and_id(struct sk_buff *skb)
{
	put_dev_id(skb);
	put_dev_ids(skb, (const u8[]){ 0x41 }, 1);
}

static void put_ids_empty(struct sk_buff *skb)
{
	put_dev_ids(skb, NULL, 0);
}

static void put_ids_unknown(struct sk_buff *skb)
{
	put_dev_ids(skb, (const u8[]){ 0x40, 0x7f, 0x41 }, 3);
}

static void put_ids_twice(struct sk_buff *skb)
{
	put_dev_ids(skb, (const u8[]){ 0x40, 0x41, 0x40 }, 3);
}

static void put_ids_wrong_type(struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, AIOTSEC_A_DEV_IDS);

	nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, dev_id);
	nla_put_u32(skb, AIOTSEC_A_IFINDEX, 1);
	nla_nest_end(skb, nest);
}

static void put_ids_short_mac(struct sk_buff *skb)
{
	/* Not put_policy(): that names the single AIOTSEC_A_DEV_ID too. */
	nla_put_u8(skb, AIOTSEC_A_POLICY, 0x02);	/* tid, mac=4 < 16 */
	put_dev_ids(skb, (const u8[]){ 0x40, 0x41 }, 2);
}

static void put_ids_ok(struct sk_buff *skb)
{
	put_dev_ids(skb, (const u8[]){ 0x40, 0x41 }, 2);
}

static void put_ids_command(struct sk_buff *skb)
{
	put_dev_ids(skb, (const u8[]){ 0x41, 0x40 }, 2);
	nla_put(skb, AIOTSEC_A_PAYLOAD, 2, "hi");
}

static void put_no_ifindex(struct sk_buff *skb)
{
	nla_put_u32(skb, AIOTSEC_A_IFINDEX, 0x7ffffff0);
}

static void put_inv_ip_policy(struct sk_buff *skb)
{
	nla_put_u8(skb, AIOTSEC_A_POLICY, 0x41);
}

static void put_inv_short_filter(struct sk_buff *skb)
{
	nla_put_u32(skb, AIOTSEC_A_FBITS, 9);
	nla_put(skb, AIOTSEC_A_FILTER, 1, "\xee");
}

static void put_inv_filter_past(struct sk_buff *skb)
{
	nla_put_u32(skb, AIOTSEC_A_FBITS, 4);
	nla_put(skb, AIOTSEC_A_FILTER, 1, "\xe1");
}

static void put_inv_filter_no_fbits(struct sk_buff *skb)
{
	nla_put(skb, AIOTSEC_A_FILTER, 1, "\xe0");
}

static const struct op_case op_cases[] = {
	{ "add: no AIOTSEC_A_DEVICES", AIOTSEC_CMD_ADD_DEVICES, put_nothing,
	  -EINVAL, "AIOTSEC_A_DEVICES is required" },
	{ "add: an empty AIOTSEC_A_DEVICES", AIOTSEC_CMD_ADD_DEVICES,
	  put_empty_devices, -EINVAL, "no AIOTSEC_A_DEVICE", true },
	{ "add: an invalid policy", AIOTSEC_CMD_ADD_DEVICES, put_bad_policy,
	  -EINVAL, "AIOTSEC_DEV_A_POLICY: invalid", true },
	{ "add: a policy below its minimum", AIOTSEC_CMD_ADD_DEVICES,
	  put_below_min, -EINVAL, "below AIOTSEC_DEV_A_MIN_POLICY", true },
	{ "add: an existing ID", AIOTSEC_CMD_ADD_DEVICES, put_existing,
	  -EEXIST, "AIOTSEC_DEV_A_ID: exists", true },
	{ "add: the same ID twice", AIOTSEC_CMD_ADD_DEVICES, put_same_id_twice,
	  -EINVAL, "the same ID twice", true },
	{ "add: AIOTSEC_A_DEVICES twice", AIOTSEC_CMD_ADD_DEVICES,
	  put_two_devices_attrs, -EINVAL, "given twice", true },
	{ "del: with AIOTSEC_A_FLAGS", AIOTSEC_CMD_DEL_DEVICES, put_del_flags,
	  -EINVAL, "AIOTSEC_A_FLAGS", true },
	{ "del: one of two unknown", AIOTSEC_CMD_DEL_DEVICES, put_del_unknown,
	  -ENOENT, "no such device", true },
	{ "get: no such device", AIOTSEC_CMD_GET_DEVICE, put_unknown_id,
	  -ENOENT, "no such device", true },
	{ "get: no AIOTSEC_A_DEV_ID", AIOTSEC_CMD_GET_DEVICE, put_nothing,
	  -EINVAL, "AIOTSEC_A_DEV_ID is required" },
	{ "get: AIOTSEC_A_DEV_ID twice", AIOTSEC_CMD_GET_DEVICE, put_two_ids,
	  -EINVAL, "given twice", true },
	{ "inventory: a policy with more than ML", AIOTSEC_CMD_INVENTORY,
	  put_inv_ip_policy, -EINVAL, "only ML", true },
	{ "inventory: a filter shorter than FBITS", AIOTSEC_CMD_INVENTORY,
	  put_inv_short_filter, -EINVAL, "ceil(AIOTSEC_A_FBITS / 8)", true },
	{ "inventory: a filter bit past FBITS", AIOTSEC_CMD_INVENTORY,
	  put_inv_filter_past, -EINVAL, "past AIOTSEC_A_FBITS", true },
	{ "inventory: a filter without FBITS", AIOTSEC_CMD_INVENTORY,
	  put_inv_filter_no_fbits, -EINVAL, "ceil(AIOTSEC_A_FBITS / 8)", true },
	{ "inventory: no reader bound", AIOTSEC_CMD_INVENTORY, put_nothing,
	  -ENODEV, "no reader is bound" },
	{ "auth: no AIOTSEC_A_DEV_ID", AIOTSEC_CMD_AUTH, put_nothing, -EINVAL,
	  "AIOTSEC_A_DEV_ID is required" },
	{ "auth: an invalid policy", AIOTSEC_CMD_AUTH, put_invalid_policy,
	  -EINVAL, "AIOTSEC_A_POLICY: not a valid policy", true },
	{ "auth: a MAC shorter than the minimum", AIOTSEC_CMD_AUTH,
	  put_short_mac, -EINVAL, "AIOTSEC_A_POLICY: below the device's", true },
	{ "auth: with a payload", AIOTSEC_CMD_AUTH, put_payload, -EINVAL,
	  "not for AIOTSEC_CMD_AUTH", true },
	{ "auth: no reader bound", AIOTSEC_CMD_AUTH, put_dev_id, -ENODEV,
	  "no reader is bound" },
	{ "command: no payload", AIOTSEC_CMD_COMMAND, put_dev_id, -EINVAL,
	  "AIOTSEC_A_PAYLOAD is required" },
	{ "command: no confidentiality, the minimum has it",
	  AIOTSEC_CMD_COMMAND, put_no_pc, -EINVAL,
	  "AIOTSEC_A_POLICY: below the device's", true },
	{ "command: a broadcast destination", AIOTSEC_CMD_COMMAND,
	  put_broadcast, -EINVAL, "not a unicast address", true },
	{ "command: meets the minimum, no reader", AIOTSEC_CMD_COMMAND,
	  put_meets_min, -ENODEV, "no reader is bound" },
	{ "batch: AIOTSEC_A_DEV_ID and AIOTSEC_A_DEV_IDS", AIOTSEC_CMD_AUTH,
	  put_ids_and_id, -EINVAL, "one or the other", true },
	{ "batch: an empty AIOTSEC_A_DEV_IDS", AIOTSEC_CMD_AUTH, put_ids_empty,
	  -EINVAL, "1 to AIOTSEC_LIM_A_BATCH", true },
	{ "batch: an unknown ID in the middle", AIOTSEC_CMD_AUTH,
	  put_ids_unknown, -ENOENT, "AIOTSEC_A_DEV_IDS: no such device", true },
	{ "batch: the same ID twice", AIOTSEC_CMD_AUTH, put_ids_twice, -EINVAL,
	  "the same ID twice", true },
	{ "batch: an entry not an ID", AIOTSEC_CMD_AUTH, put_ids_wrong_type,
	  -EINVAL, "each entry is an AIOTSEC_A_DEV_ID", true },
	{ "batch: a MAC shorter than a device's minimum", AIOTSEC_CMD_AUTH,
	  put_ids_short_mac, -EINVAL, "below the AIOTSEC_DEV_A_MIN_POLICY", true },
	{ "batch: auth, no reader", AIOTSEC_CMD_AUTH, put_ids_ok, -ENODEV,
	  "no reader is bound" },
	{ "batch: command, no reader", AIOTSEC_CMD_COMMAND, put_ids_command,
	  -ENODEV, "no reader is bound" },
	{ "reader: neither index nor name", AIOTSEC_CMD_ADD_READER,
	  put_nothing, -EINVAL, "AIOTSEC_A_IFINDEX or AIOTSEC_A_IFNAME" },
	{ "reader: no such interface", AIOTSEC_CMD_ADD_READER, put_no_ifindex,
	  -ENODEV, "no such interface", true },
};

static void op_desc(const struct op_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(op, op_cases, op_desc);

/* The devices of the cases, in the initial namespace, for one case. */
static int ops_init(struct kunit *test)
{
	struct sk_buff *skb;
	struct nlmsghdr *nlh;
	struct netlink_ext_ack ext;
	int ret;

	skb = msg_new(test, AIOTSEC_CMD_ADD_DEVICES, &nlh);
	put_devices(skb, 0x40, 2, POL_DEV, POL_DEV_MIN);
	ret = run_op(test, skb, nlh, &ext);
	KUNIT_EXPECT_FALSE(test, key_left(nlh));
	kfree_skb(skb);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "adding the devices: %s", ext._msg);
	return 0;
}

static void ops_exit(struct kunit *test)
{
	aiot_devtab_flush(aiot_net(&init_net));
}

static void nl_op_errors(struct kunit *test)
{
	const struct op_case *c = test->param_value;
	struct aiot_net *an = aiot_net(&init_net);
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int ndev, ret;

	KUNIT_ASSERT_TRUE_MSG(test, list_empty(&an->readers),
			      "the initial namespace has a reader");
	ndev = atomic_read(&an->ndevices);
	skb = msg_new(test, c->cmd, &nlh);
	c->put(skb);
	ret = run_op(test, skb, nlh, &ext);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_NOT_NULL_MSG(test, ext._msg, "no extack message");
	if (ext._msg)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ext._msg, c->msg),
					  "message: %s", ext._msg);
	if (c->names_attr)
		KUNIT_EXPECT_NOT_NULL_MSG(test, ext.bad_attr,
					  "no attribute named");
	KUNIT_EXPECT_FALSE_MSG(test, key_left(nlh), "a key left in the message");
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), ndev);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->npending), 0);
	kfree_skb(skb);
}

/*
 * The first of two AIOTSEC_A_DEVICES: refused (6.1 would act on the
 * second only), and the keys of both wiped.
 */
static void nl_dup_devices_wiped(struct kunit *test)
{
	u8 id[AIOTSEC_ID_LEN] = { 0xee, [15] = 0x63 };
	struct netlink_ext_ack ext;
	struct nlattr *second;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = msg_new(test, AIOTSEC_CMD_ADD_DEVICES, &nlh);
	put_devices(skb, 0x60, 3, POL_DEV, POL_DEV_MIN);
	second = (struct nlattr *)skb_tail_pointer(skb);
	put_devices(skb, 0x63, 1, POL_DEV, POL_DEV_MIN);
	nlmsg_end(skb, nlh);		/* the length key_left() reads */
	KUNIT_EXPECT_TRUE(test, key_left(nlh));
	KUNIT_EXPECT_EQ(test, run_op(test, skb, nlh, &ext), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, ext._msg);
	KUNIT_EXPECT_PTR_EQ(test, ext.bad_attr, (const struct nlattr *)second);
	KUNIT_EXPECT_FALSE(test, key_left(nlh));
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(aiot_net(&init_net), id));
	id[15] = 0x60;
	KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(aiot_net(&init_net), id));
	rcu_read_unlock();
	kfree_skb(skb);
}

/*
 * Keys where no command reads them are wiped too, on an error and on a
 * success (a successful add: see ops_init and the dup case).
 */
static void nl_keys_wiped(struct kunit *test)
{
	u8 id[AIOTSEC_ID_LEN] = { 0xee, [15] = 0x70 };
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = msg_new(test, AIOTSEC_CMD_DEL_DEVICES, &nlh);
	put_devices(skb, 0x70, 2, POL_DEV, POL_DEV_MIN);	/* keys: refused */
	KUNIT_EXPECT_EQ(test, run_op(test, skb, nlh, &ext), -EINVAL);
	KUNIT_EXPECT_FALSE(test, key_left(nlh));
	kfree_skb(skb);

	/* A flush (no policy, no attributes read) wipes what it was sent. */
	skb = msg_new(test, AIOTSEC_CMD_FLUSH_DEVICES, &nlh);
	put_devices(skb, 0x70, 2, POL_DEV, POL_DEV_MIN);
	KUNIT_EXPECT_EQ(test, run_op(test, skb, nlh, &ext), 0);
	KUNIT_EXPECT_FALSE(test, key_left(nlh));
	kfree_skb(skb);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(aiot_net(&init_net), id));
	rcu_read_unlock();
}

/* A capture interface bound as the reader, for the batch cases. */
static struct net_device *batch_reader(struct kunit *test)
{
	struct net_device *dev = capdev_new();
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	rtnl_lock();
	ret = aiot_reader_add(aiot_net(&init_net), dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);
	return dev;
}

/* Unbind and free it, its transactions ended first. */
static void batch_reader_free(struct kunit *test, struct net_device *dev)
{
	struct aiot_net *an = aiot_net(&init_net);
	struct sk_buff *skb;
	int i;

	for (i = 0; i < 200 && atomic_read(&an->npending); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->npending), 0);
	while ((skb = capdev_take(dev, AIOTSEC_ETHERTYPE)))
		kfree_skb(skb);
	capdev_fail(dev, 0);
	capdev_free(dev);	/* unregistering unbinds it */
}

static unsigned int frames_sent(struct net_device *dev)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	while ((skb = capdev_take(dev, AIOTSEC_ETHERTYPE))) {
		kfree_skb(skb);
		n++;
	}
	return n;
}

/*
 * One batch case: the reader bound, then a request for a command with
 * its attributes, run by the case and freed by batch_end().
 */
struct batch {
	struct net_device *dev;
	struct aiot_net *an;
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	struct nlattr *first;	/* the first attribute @put wrote */
};

static void batch_start(struct kunit *test, struct batch *b, u8 cmd,
			void (*put)(struct sk_buff *skb))
{
	b->an = aiot_net(&init_net);
	b->dev = batch_reader(test);
	b->skb = msg_new(test, cmd, &b->nlh);
	b->first = (struct nlattr *)skb_tail_pointer(b->skb);
	put(b->skb);
}

static void batch_end(struct kunit *test, struct batch *b)
{
	kfree_skb(b->skb);
	batch_reader_free(test, b->dev);
}

/*
 * All or nothing with a reader bound: an unknown ID in the middle fails
 * the message before any frame leaves, and the offset names that entry.
 */
static void nl_batch_none_sent(struct kunit *test)
{
	struct nlattr *ids, *second;
	struct batch b;

	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_unknown);
	ids = b.first;
	second = nla_next(nla_data(ids), &(int){ nla_len(ids) });
	KUNIT_EXPECT_EQ(test, run_op(test, b.skb, b.nlh, &b.ext), -ENOENT);
	KUNIT_EXPECT_PTR_EQ(test, b.ext.bad_attr, (const struct nlattr *)second);
	KUNIT_EXPECT_EQ(test, frames_sent(b.dev), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b.an->npending), 0);
	batch_end(test, &b);
}

/* Each device of a batch gets its own request and transaction. */
static void nl_batch_each_sent(struct kunit *test)
{
	struct aiot_stats_snapshot before, after;
	struct batch b;

	batch_start(test, &b, AIOTSEC_CMD_COMMAND, put_ids_command);
	nla_put_u32(b.skb, AIOTSEC_A_TIMEOUT_MS, 50);
	aiot_stats_read(b.an, &before);
	KUNIT_EXPECT_EQ_MSG(test, run_op(test, b.skb, b.nlh, &b.ext), 0, "%s",
			    b.ext._msg ?: "");
	KUNIT_EXPECT_NULL(test, b.ext._msg);
	KUNIT_EXPECT_EQ(test, frames_sent(b.dev), 2U);
	batch_end(test, &b);	/* waits for both to expire */
	aiot_stats_read(b.an, &after);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_TIMEOUTS] -
			before.ctr[AIOT_CTR_TIMEOUTS], 2ULL);
}

/*
 * A failed transmit fails that device, not the message: no
 * transaction is left and no event follows.
 */
static void nl_batch_xmit_fails(struct kunit *test)
{
	struct aiot_stats_snapshot before, after;
	struct batch b;

	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_ok);
	aiot_stats_read(b.an, &before);
	capdev_fail(b.dev, 1);
	KUNIT_EXPECT_EQ(test, run_op(test, b.skb, b.nlh, &b.ext), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b.an->npending), 0);
	KUNIT_EXPECT_EQ(test, frames_sent(b.dev), 0U);
	batch_end(test, &b);
	aiot_stats_read(b.an, &after);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_TIMEOUTS],
			before.ctr[AIOT_CTR_TIMEOUTS]);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_TX_FRAMES],
			before.ctr[AIOT_CTR_TX_FRAMES]);
}

/* Room for part of the list only: nothing is sent. */
static void nl_batch_no_room(struct kunit *test)
{
	struct batch b;
	u32 max;

	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_ok);
	max = READ_ONCE(b.an->max_pending);
	WRITE_ONCE(b.an->max_pending, 1);
	KUNIT_EXPECT_EQ(test, run_op(test, b.skb, b.nlh, &b.ext), -EBUSY);
	WRITE_ONCE(b.an->max_pending, max);
	KUNIT_EXPECT_NOT_NULL(test, b.ext.bad_attr);
	KUNIT_EXPECT_EQ(test, frames_sent(b.dev), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b.an->npending), 0);
	batch_end(test, &b);
}

/* A netlink socket of the initial namespace bound to @portid. */
static struct socket *nl_sock(struct kunit *test, u32 portid)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_pid = portid };
	struct socket *sock;
	int ret;

	ret = sock_create_kern(&init_net, PF_NETLINK, SOCK_RAW, NETLINK_GENERIC,
			       &sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (ret)
		sock_release(sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sock;
}

/*
 * Wait for @n messages on @sock, of command @cmd and, where @seq is not
 * 0, carrying AIOTSEC_A_SEQ @seq; consume them. Returns how many came.
 */
static unsigned int nl_expect(struct kunit *test, struct socket *sock,
			      unsigned int n, u8 cmd, u32 seq)
{
	struct sk_buff_head *q = &sock->sk->sk_receive_queue;
	unsigned int got = 0;
	struct sk_buff *skb;
	int i;

	for (i = 0; i < 50 && skb_queue_len(q) < n; i++)
		msleep(20);
	while (got < n && (skb = skb_dequeue(q))) {
		struct nlmsghdr *nlh = nlmsg_hdr(skb);
		struct genlmsghdr *gh = nlmsg_data(nlh);
		struct nlattr *a;

		KUNIT_EXPECT_EQ(test, gh->cmd, cmd);
		if (seq) {
			a = nlmsg_find_attr(nlh, GENL_HDRLEN, AIOTSEC_A_SEQ);
			KUNIT_EXPECT_NOT_NULL(test, a);
			if (a)
				KUNIT_EXPECT_EQ(test, nla_get_u32(a), seq);
		}
		kfree_skb(skb);
		got++;
	}
	return got;
}

#define NL_PORTID	0x7a10c5e1	/* no user socket takes it first */

/* ADD_DEVICES of device @idb with @group (NULL: none), @replace or not. */
static int add_grouped(struct kunit *test, u8 idb, const u8 *group,
		       bool replace)
{
	u8 key[AIOTSEC_KEY_LEN_128], id[AIOTSEC_ID_LEN] = { 0xee };
	struct nlattr *devices, *dev;
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int ret;

	memset(key, KEYB, sizeof(key));
	id[15] = idb;
	skb = msg_new(test, AIOTSEC_CMD_ADD_DEVICES, &nlh);
	devices = nla_nest_start(skb, AIOTSEC_A_DEVICES);
	dev = nla_nest_start(skb, AIOTSEC_A_DEVICE);
	nla_put(skb, AIOTSEC_DEV_A_ID, sizeof(id), id);
	nla_put(skb, AIOTSEC_DEV_A_KEY, sizeof(key), key);
	nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, POL_DEV);
	if (group)
		nla_put(skb, AIOTSEC_DEV_A_GROUP, AIOTSEC_GROUP_LEN, group);
	nla_nest_end(skb, dev);
	nla_nest_end(skb, devices);
	if (replace)
		nla_put_u32(skb, AIOTSEC_A_FLAGS, AIOTSEC_F_REPLACE);
	ret = run_op(test, skb, nlh, &ext);
	kfree_skb(skb);
	return ret;
}

/* The group that GET_DEVICE shows for device @idb (false: none shown). */
static bool get_group(struct kunit *test, struct socket *sock, u8 idb,
		      u8 *group)
{
	u8 id[AIOTSEC_ID_LEN] = { 0xee };
	struct nlattr *dev, *g = NULL;
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	bool ok;
	int i;

	id[15] = idb;
	skb = msg_new(test, AIOTSEC_CMD_GET_DEVICE, &nlh);
	nla_put(skb, AIOTSEC_A_DEV_ID, sizeof(id), id);
	KUNIT_EXPECT_EQ(test, run_op_from(test, skb, nlh, &ext, sock->sk,
					  NL_PORTID), 0);
	kfree_skb(skb);
	for (i = 0; i < 50 && skb_queue_empty(&sock->sk->sk_receive_queue); i++)
		msleep(20);
	skb = skb_dequeue(&sock->sk->sk_receive_queue);
	if (!skb)
		return false;
	dev = nlmsg_find_attr(nlmsg_hdr(skb), GENL_HDRLEN, AIOTSEC_A_DEVICE);
	if (dev)
		g = nla_find_nested(dev, AIOTSEC_DEV_A_GROUP);
	ok = g && nla_len(g) == AIOTSEC_GROUP_LEN;
	if (ok)
		memcpy(group, nla_data(g), AIOTSEC_GROUP_LEN);
	kfree_skb(skb);
	return ok;
}

/* Does the policy of @cmd take the u32 attribute @attr of value @v? */
static bool policy_takes(struct kunit *test, u8 cmd, int attr, u32 v)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	const struct genl_ops *op = NULL;
	struct netlink_ext_ack ext = {};
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int i, ret;

	for (i = 0; i < aiot_genl_family.n_ops; i++)
		if (aiot_genl_family.ops[i].cmd == cmd)
			op = &aiot_genl_family.ops[i];
	KUNIT_ASSERT_NOT_NULL(test, op);
	skb = msg_new(test, cmd, &nlh);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, attr, v), 0);
	nlmsg_end(skb, nlh);
	ret = __nlmsg_parse(nlh, GENL_HDRLEN, tb, op->maxattr, op->policy,
			    NL_VALIDATE_STRICT, &ext);
	kfree_skb(skb);
	return !ret;
}

/* AUTH of @n distinct unknown IDs: what does the module say? */
static int batch_of(struct kunit *test, unsigned int n,
		    struct netlink_ext_ack *ext)
{
	u8 id[AIOTSEC_ID_LEN] = { 0xdd };
	struct genlmsghdr *gh;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	struct nlattr *nest;
	unsigned int i;
	int ret;

	skb = nlmsg_new(GENL_HDRLEN + nla_total_size(0) +
			n * nla_total_size(AIOTSEC_ID_LEN), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, 0, 1, aiot_genl_family.id, GENL_HDRLEN,
			NLM_F_REQUEST);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	gh = nlmsg_data(nlh);
	gh->cmd = AIOTSEC_CMD_AUTH;
	gh->version = AIOTSEC_GENL_VERSION;
	gh->reserved = 0;
	nest = nla_nest_start(skb, AIOTSEC_A_DEV_IDS);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	for (i = 0; i < n; i++) {
		id[13] = i >> 16;
		id[14] = i >> 8;
		id[15] = i;
		KUNIT_ASSERT_EQ(test, nla_put(skb, AIOTSEC_A_DEV_ID, sizeof(id),
					      id), 0);
	}
	nla_nest_end(skb, nest);
	ret = run_op(test, skb, nlh, ext);
	kfree_skb(skb);
	return ret;
}

/*
 * GET_CONFIG reports each of the module's limits in AIOTSEC_A_LIMITS, and
 * each is the one the module applies: the value is taken and one more is
 * not (the policy of SET_CONFIG for a setting, the batch check for
 * AIOTSEC_LIM_A_BATCH, the flag mask of ADD_DEVICES for the flags).
 */
static void nl_config_limits(struct kunit *test)
{
	static const struct {
		int lim, attr;
		u32 want;
	} set[] = {
		{ AIOTSEC_LIM_A_TIMEOUT_MS, AIOTSEC_A_TIMEOUT_MS, 600000 },
		{ AIOTSEC_LIM_A_MAX_PENDING, AIOTSEC_A_MAX_PENDING, 0x100000 },
		{ AIOTSEC_LIM_A_MAX_DEVICES, AIOTSEC_A_MAX_DEVICES, 0x4000000 },
		{ AIOTSEC_LIM_A_MAX_REJECTS, AIOTSEC_A_MAX_REJECTS, 256 },
		{ AIOTSEC_LIM_A_MIN_GROUP, AIOTSEC_A_MIN_GROUP, 0x4000000 },
		{ AIOTSEC_LIM_A_MAX_ROUNDS, AIOTSEC_A_MAX_ROUNDS, 64 },
	};
	struct nlattr *tb[AIOTSEC_LIM_A_MAX + 1], *lim;
	struct socket *sock = nl_sock(test, NL_PORTID);
	struct netlink_ext_ack ext;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	unsigned int i;
	u32 v;
	int n;

	skb = msg_new(test, AIOTSEC_CMD_GET_CONFIG, &nlh);
	KUNIT_EXPECT_EQ(test, run_op_from(test, skb, nlh, &ext, sock->sk,
					  NL_PORTID), 0);
	kfree_skb(skb);
	for (i = 0; i < 50 && skb_queue_empty(&sock->sk->sk_receive_queue); i++)
		msleep(20);
	skb = skb_dequeue(&sock->sk->sk_receive_queue);
	if (skb)
		skb_orphan(skb);	/* it outlives the socket */
	sock_release(sock);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	lim = nlmsg_find_attr(nlmsg_hdr(skb), GENL_HDRLEN, AIOTSEC_A_LIMITS);
	KUNIT_ASSERT_NOT_NULL(test, lim);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, AIOTSEC_LIM_A_MAX, lim, NULL,
					       NULL), 0);
	/* Every limit there, each a u32. */
	for (n = 1; n <= AIOTSEC_LIM_A_MAX; n++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, tb[n], "limit %d missing", n);
		KUNIT_EXPECT_EQ_MSG(test, nla_len(tb[n]), (int)sizeof(u32),
				    "limit %d", n);
	}

	for (i = 0; i < ARRAY_SIZE(set); i++) {
		v = nla_get_u32(tb[set[i].lim]);
		/* Today's figures (README, aiotctl.8): a change is deliberate. */
		KUNIT_EXPECT_EQ_MSG(test, v, set[i].want, "limit %d", set[i].lim);
		KUNIT_EXPECT_TRUE_MSG(test, policy_takes(test, AIOTSEC_CMD_SET_CONFIG,
							 set[i].attr, v),
				      "attribute %d refuses its limit %u",
				      set[i].attr, v);
		KUNIT_EXPECT_FALSE_MSG(test, policy_takes(test, AIOTSEC_CMD_SET_CONFIG,
							  set[i].attr, v + 1),
				       "attribute %d takes %u", set[i].attr, v + 1);
	}

	v = nla_get_u32(tb[AIOTSEC_LIM_A_BATCH]);
	KUNIT_EXPECT_EQ(test, v, 1024);
	/* The limit passes the size check (and fails on the unknown IDs). */
	KUNIT_EXPECT_EQ(test, batch_of(test, v, &ext), -ENOENT);
	KUNIT_EXPECT_EQ(test, batch_of(test, v + 1, &ext), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, ext._msg);
	if (ext._msg)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ext._msg, "1 to AIOTSEC_LIM_A_BATCH (1024)"),
					  "message: %s", ext._msg);

	v = nla_get_u32(tb[AIOTSEC_LIM_A_FLAGS]);
	KUNIT_EXPECT_EQ(test, v, AIOTSEC_F_REPLACE);
	KUNIT_EXPECT_TRUE(test, policy_takes(test, AIOTSEC_CMD_ADD_DEVICES,
					     AIOTSEC_A_FLAGS, v));
	/* Each bit outside the mask is refused. */
	for (n = 0; n < 32; n++)
		if (!(v & BIT(n)))
			KUNIT_EXPECT_FALSE_MSG(test, policy_takes(test, AIOTSEC_CMD_ADD_DEVICES,
								  AIOTSEC_A_FLAGS, BIT(n)),
					       "flag bit %d taken", n);
	kfree_skb(skb);
}

/*
 * A device's group: as added, all zero by default, and as the last
 * replacement gave it (a replacement without one resets it to zero), in
 * the table and in what GET_DEVICE shows.
 */
static void nl_device_group(struct kunit *test)
{
	static const u8 g1[AIOTSEC_GROUP_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 g2[AIOTSEC_GROUP_LEN] = { 0xff, 0, 0, 0, 0, 0, 0, 1 };
	static const u8 zero[AIOTSEC_GROUP_LEN];
	struct socket *sock = nl_sock(test, NL_PORTID);
	u8 got[AIOTSEC_GROUP_LEN];

	KUNIT_ASSERT_EQ(test, add_grouped(test, 0x50, g1, false), 0);
	KUNIT_ASSERT_EQ(test, add_grouped(test, 0x51, NULL, false), 0);
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x50, got));
	AIOT_EXPECT_MEMEQ(test, got, g1, AIOTSEC_GROUP_LEN, "added");
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x51, got));
	AIOT_EXPECT_MEMEQ(test, got, zero, AIOTSEC_GROUP_LEN, "default");

	KUNIT_EXPECT_EQ(test, add_grouped(test, 0x50, g2, false), -EEXIST);
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x50, got));
	AIOT_EXPECT_MEMEQ(test, got, g1, AIOTSEC_GROUP_LEN, "refused add");
	KUNIT_ASSERT_EQ(test, add_grouped(test, 0x50, g2, true), 0);
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x50, got));
	AIOT_EXPECT_MEMEQ(test, got, g2, AIOTSEC_GROUP_LEN, "replaced");
	KUNIT_ASSERT_EQ(test, add_grouped(test, 0x50, NULL, true), 0);
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x50, got));
	AIOT_EXPECT_MEMEQ(test, got, zero, AIOTSEC_GROUP_LEN,
			  "replaced without a group");
	KUNIT_ASSERT_EQ(test, add_grouped(test, 0x51, g2, true), 0);
	KUNIT_ASSERT_TRUE(test, get_group(test, sock, 0x51, got));
	AIOT_EXPECT_MEMEQ(test, got, g2, AIOTSEC_GROUP_LEN, "given by replace");
	sock_release(sock);
}

/*
 * The reply of a batch cannot be queued (the requester's buffer is
 * full): its frames are on the air, so its transactions go ahead, and
 * their results reach the requester once it has read, each naming the
 * request by its sequence number.
 */
static void nl_batch_reply_lost(struct kunit *test)
{
	struct aiot_stats_snapshot before, after;
	struct socket *sock = nl_sock(test, NL_PORTID);
	struct sk_buff *fill;
	struct batch b;

	/* One message queued and a buffer too small for another. */
	fill = alloc_skb(8192, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fill);
	KUNIT_ASSERT_EQ(test, sock_queue_rcv_skb(sock->sk, fill), 0);
	WRITE_ONCE(sock->sk->sk_rcvbuf, SOCK_MIN_RCVBUF);

	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_ok);
	b.nlh->nlmsg_seq = 77;
	nla_put_u32(b.skb, AIOTSEC_A_TIMEOUT_MS, 50);
	aiot_stats_read(b.an, &before);
	KUNIT_EXPECT_EQ(test, run_op_from(test, b.skb, b.nlh, &b.ext, sock->sk,
					  NL_PORTID), 0);
	KUNIT_EXPECT_EQ(test, frames_sent(b.dev), 2U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b.an->npending), 2);
	/* Only the filler is there: the reply was dropped. */
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sock->sk->sk_receive_queue), 1U);
	kfree_skb(skb_dequeue(&sock->sk->sk_receive_queue));
	WRITE_ONCE(sock->sk->sk_rcvbuf, 1 << 20);
	KUNIT_EXPECT_EQ(test, nl_expect(test, sock, 2, AIOTSEC_CMD_EVENT_TIMEOUT,
					77), 2U);
	batch_end(test, &b);
	aiot_stats_read(b.an, &after);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_TIMEOUTS] -
			before.ctr[AIOT_CTR_TIMEOUTS], 2ULL);
	sock_release(sock);
}

/*
 * Results are the requesting socket's, not its portid's: after it
 * closes, a socket that binds the same portid gets none of them (they
 * are counted orphaned). The requester itself, while open, gets each.
 */
static void nl_results_not_by_portid(struct kunit *test)
{
	struct aiot_stats_snapshot before, after;
	struct socket *a = nl_sock(test, NL_PORTID), *c;
	struct batch b;

	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_ok);
	b.nlh->nlmsg_seq = 5;
	nla_put_u32(b.skb, AIOTSEC_A_TIMEOUT_MS, 100);
	aiot_stats_read(b.an, &before);
	KUNIT_EXPECT_EQ(test, run_op_from(test, b.skb, b.nlh, &b.ext, a->sk,
					  NL_PORTID), 0);
	KUNIT_EXPECT_EQ(test, nl_expect(test, a, 1, AIOTSEC_CMD_AUTH, 0), 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&b.an->npending), 2);
	sock_release(a);		/* its portid is free again */
	c = nl_sock(test, NL_PORTID);
	batch_end(test, &b);		/* both expire */
	aiot_stats_read(b.an, &after);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&c->sk->sk_receive_queue), 0U);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_RESULTS_ORPHANED] -
			before.ctr[AIOT_CTR_RESULTS_ORPHANED], 2ULL);
	KUNIT_EXPECT_EQ(test, after.ctr[AIOT_CTR_TIMEOUTS] -
			before.ctr[AIOT_CTR_TIMEOUTS], 2ULL);

	/* The same on a socket that stays: each result, with its seq. */
	batch_start(test, &b, AIOTSEC_CMD_AUTH, put_ids_ok);
	b.nlh->nlmsg_seq = 6;
	nla_put_u32(b.skb, AIOTSEC_A_TIMEOUT_MS, 50);
	KUNIT_EXPECT_EQ(test, run_op_from(test, b.skb, b.nlh, &b.ext, c->sk,
					  NL_PORTID), 0);
	KUNIT_EXPECT_EQ(test, nl_expect(test, c, 1, AIOTSEC_CMD_AUTH, 0), 1U);
	KUNIT_EXPECT_EQ(test, nl_expect(test, c, 2, AIOTSEC_CMD_EVENT_TIMEOUT,
					6), 2U);
	batch_end(test, &b);
	sock_release(c);
}

/*
 * AIOTSEC_STAT_DROPS is an attribute set of its own: reason R's counter at
 * AIOTSEC_DROPS_A_REASON(R), padding (where there is any) at
 * AIOTSEC_DROPS_A_PAD, never an attribute of type 0 (AIOTSEC_DROP_NONE).
 */
static void nl_stats_drops_attrs(struct kunit *test)
{
	struct aiot_stats_snapshot snap = {};
	struct nlattr *st, *drops, *a;
	unsigned int seen = 0;
	struct sk_buff *skb;
	int i, rem;

	for (i = 1; i < __AIOTSEC_DROP_MAX; i++)
		snap.drop[i] = 1000 + i;
	skb = nlmsg_new(aiot_stats_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, aiot_stats_put(skb, &snap), 0);
	st = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, nla_type(st), AIOTSEC_A_STATS);
	drops = nla_find_nested(st, AIOTSEC_STAT_DROPS);
	KUNIT_ASSERT_NOT_NULL(test, drops);
	nla_for_each_nested(a, drops, rem) {
		KUNIT_EXPECT_NE(test, nla_type(a), 0);
		KUNIT_EXPECT_LE(test, nla_type(a), AIOTSEC_DROPS_A_MAX);
		if (nla_type(a) == AIOTSEC_DROPS_A_PAD)
			continue;
		KUNIT_EXPECT_EQ(test, nla_get_u64(a),
				1000ULL + nla_type(a) - AIOTSEC_DROPS_A_PAD);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, (unsigned int)AIOTSEC_DROP_MAX);
	kfree_skb(skb);
}

static struct kunit_case nl_cases_list[] = {
	KUNIT_CASE(nl_stats_drops_attrs),
	KUNIT_CASE_PARAM(nl_parse_devices, nl_gen_params),
	KUNIT_CASE(nl_parse_devices_room),
	{}
};

static struct kunit_case nl_ops_cases[] = {
	KUNIT_CASE_PARAM(nl_op_errors, op_gen_params),
	KUNIT_CASE(nl_dup_devices_wiped),
	KUNIT_CASE(nl_keys_wiped),
	KUNIT_CASE(nl_batch_none_sent),
	KUNIT_CASE(nl_batch_each_sent),
	KUNIT_CASE(nl_batch_xmit_fails),
	KUNIT_CASE(nl_batch_no_room),
	KUNIT_CASE(nl_batch_reply_lost),
	KUNIT_CASE(nl_results_not_by_portid),
	KUNIT_CASE(nl_device_group),
	KUNIT_CASE(nl_config_limits),
	{}
};

/* Runs in the initial namespace, which must have no reader bound. */
static struct kunit_suite nl_ops_suite = {
	.name = "aiotsec_netlink_ops",
	.init = ops_init,
	.exit = ops_exit,
	.test_cases = nl_ops_cases,
};

static struct kunit_suite nl_suite = {
	.name = "aiotsec_netlink",
	.test_cases = nl_cases_list,
};

kunit_test_suites(&nl_suite, &nl_ops_suite);
