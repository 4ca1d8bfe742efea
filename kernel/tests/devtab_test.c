// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the device table on a private namespace state. Add, replace,
 * delete, lookup, flush; all-or-nothing requests; 100,000 devices.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "aiotsec.h"
#include "devtab_mem.h"
#include "test_util.h"

static struct aiot_net *an_new(struct kunit *test)
{
	struct aiot_net *an = kunit_kzalloc(test, sizeof(*an), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, an);
	mutex_init(&an->lock);
	an->max_devices = AIOTSEC_MAX_DEVICES_DEFAULT;
	KUNIT_ASSERT_EQ(test, aiot_devtab_init(an), 0);
	test->priv = an;
	return an;
}

static void devtab_exit(struct kunit *test)
{
	if (test->priv)
		aiot_devtab_destroy(test->priv);
}

static const u8 key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const u8 key32[32] = { 0xff, 0xee, 0xdd };

/* Device @i: ID = big-endian i in the last 4 bytes, as a padded EPC would be. */
static void spec_for(struct aiot_dev_spec *s, u32 i, const u8 *key, u8 klen)
{
	memset(s, 0, sizeof(*s));
	put_unaligned_be32(i, s->id + AIOTSEC_ID_LEN - 4);
	s->key = key;
	s->key_len = klen;
	s->policy = 0x09;
	s->min_policy = 0x09;
}

static void devtab_add_lookup_replace_delete(struct kunit *test)
{
	struct aiot_net *an = an_new(test);
	struct netlink_ext_ack ext = {};
	struct aiot_dev_err err = { .extack = &ext };
	struct aiot_dev_spec s;
	struct aiot_device *d;
	struct aiot_hkey hk;
	u64 fp16;

	spec_for(&s, 7, key16, 16);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(an, &s, 1, false, &err), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 1);

	rcu_read_lock();
	d = aiot_devtab_lookup(an, s.id);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d->policy, 0x09);
	KUNIT_EXPECT_EQ(test, d->key_len, 16);
	KUNIT_ASSERT_EQ(test, aiot_hkey_init(&hk, key16, 16), 0);
	KUNIT_EXPECT_EQ(test, aiot_key_fp(&d->hk), aiot_key_fp(&hk));
	AIOT_EXPECT_MEMEQ(test, &d->hk, &hk, sizeof(hk), "prepared key");
	fp16 = aiot_key_fp(&d->hk);
	rcu_read_unlock();

	/* Existing without REPLACE: refused, and the old key stays. */
	spec_for(&s, 7, key32, 32);
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, &s, 1, false, &err), -EEXIST);
	KUNIT_EXPECT_EQ(test, err.index, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ext._msg, "AIOTSEC_DEV_A_ID"));
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, aiot_key_fp(&aiot_devtab_lookup(an, s.id)->hk), fp16);
	rcu_read_unlock();

	/* With REPLACE: the new key, the count unchanged. */
	s.policy = 0x31;
	s.min_policy = 0x11;
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, &s, 1, true, &err), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 1);
	rcu_read_lock();
	d = aiot_devtab_lookup(an, s.id);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_NE(test, aiot_key_fp(&d->hk), fp16);
	KUNIT_EXPECT_EQ(test, d->key_len, 32);
	KUNIT_EXPECT_EQ(test, d->policy, 0x31);
	KUNIT_EXPECT_EQ(test, d->min_policy, 0x11);
	rcu_read_unlock();

	/* Delete: an unknown ID anywhere in the request deletes nothing. */
	{
		u8 ids[2 * AIOTSEC_ID_LEN] = { 0 };

		memcpy(ids, s.id, AIOTSEC_ID_LEN);
		ids[AIOTSEC_ID_LEN] = 0x42;
		KUNIT_EXPECT_EQ(test, aiot_devtab_del(an, ids, 2, &err), -ENOENT);
		KUNIT_EXPECT_EQ(test, err.index, 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 1);
		KUNIT_EXPECT_EQ(test, aiot_devtab_del(an, ids, 1, &err), 0);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(an, s.id));
	rcu_read_unlock();
}

static const struct spec_case {
	const char *name;
	u8 klen, policy, min_policy;
	int ret;
} spec_cases[] = {
	{ "valid 16-byte key", 16, 0x09, 0x09, 0 },
	{ "valid 32-byte key", 32, 0x55, 0x15, 0 },
	{ "key of 24 bytes", 24, 0x09, 0x09, -EINVAL },
	{ "key of 15 bytes", 15, 0x09, 0x09, -EINVAL },
	{ "policy without integrity", 16, 0x01, 0x01, -EINVAL },
	{ "policy with PI and MI", 16, 0x19, 0x09, -EINVAL },
	{ "policy with IDP 0", 16, 0x08, 0x08, -EINVAL },
	{ "policy with ML 3", 16, 0x69, 0x09, -EINVAL },
	{ "policy with bit 7", 16, 0x89, 0x09, -EINVAL },
	{ "minimum with bit 7", 16, 0x09, 0x89, -EINVAL },
	{ "minimum with ML 3", 16, 0x09, 0x61, -EINVAL },
	{ "policy below minimum MAC", 16, 0x09, 0x29, -EINVAL },
	{ "policy without minimum PC", 16, 0x09, 0x0d, -EINVAL },
	{ "policy without minimum MI", 16, 0x09, 0x11, -EINVAL },
	{ "policy above minimum", 16, 0x55, 0x09, 0 },
};

static void spec_desc(const struct spec_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spec, spec_cases, spec_desc);

/* The policy-minimum rule and the other checks of a device request. */
static void devtab_check_spec(struct kunit *test)
{
	const struct spec_case *c = test->param_value;
	struct aiot_dev_spec s;
	struct netlink_ext_ack ext = {};

	spec_for(&s, 1, key32, c->klen);
	s.policy = c->policy;
	s.min_policy = c->min_policy;
	KUNIT_EXPECT_EQ(test, aiot_devtab_check_spec(&s, &ext), c->ret);
	if (c->ret)
		KUNIT_EXPECT_NOT_NULL(test, ext._msg);
}

/* A request that fails for any one device changes nothing. */
static void devtab_all_or_nothing(struct kunit *test)
{
	struct aiot_net *an = an_new(test);
	struct aiot_dev_spec s[8];
	struct netlink_ext_ack ext = {};
	struct aiot_dev_err err = { .extack = &ext };
	int i;

	for (i = 0; i < 8; i++)
		spec_for(&s[i], i, key16, 16);
	s[5].key_len = 20;
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s, 8, false, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.index, 5);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 0);

	s[5].key_len = 16;
	memcpy(s[6].id, s[2].id, AIOTSEC_ID_LEN);
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s, 8, true, &err), -EINVAL);
	KUNIT_EXPECT_TRUE(test, err.index == 2 || err.index == 6);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 0);

	spec_for(&s[6], 6, key16, 16);
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s, 4, false, &err), 0);
	/* 4..7 are new, 3 exists: without REPLACE nothing of it is added. */
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s + 3, 5, false, &err), -EEXIST);
	KUNIT_EXPECT_EQ(test, err.index, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 4);

	/* The limit counts only new devices, and is all or nothing too. */
	an->max_devices = 6;
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s, 8, true, &err), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 4);
	KUNIT_EXPECT_EQ(test, aiot_devtab_add(an, s, 6, true, &err), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 6);

	aiot_devtab_flush(an);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 0);
	rcu_read_lock();
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(an, s[i].id));
	rcu_read_unlock();
}

/* The u64 that AIOTSEC_DEV_A_STATS holds for @type. */
static u64 exported(struct kunit *test, const struct aiot_dev_stats *st,
		    int type)
{
	struct nlattr *tb[AIOTSEC_STAT_MAX + 1];
	struct sk_buff *skb;
	struct nlattr *nest;
	u64 v = 0;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = (struct nlattr *)skb_tail_pointer(skb);
	KUNIT_ASSERT_EQ(test, aiot_dev_stats_put(skb, st), 0);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, AIOTSEC_STAT_MAX, nest,
					       NULL, NULL), 0);
	if (tb[type])
		v = nla_get_u64(tb[type]);
	kfree_skb(skb);
	return v;
}

/*
 * Replacing a device keeps its counters: not a copy taken at replacement
 * (the receive path may still count on the old entry until its grace
 * period ends), but the old entry's own, which it goes on counting into.
 * And they are 64-bit, as exported.
 */
static void devtab_replace_keeps_counters(struct kunit *test)
{
	struct aiot_net *an = an_new(test);
	struct netlink_ext_ack ext = {};
	struct aiot_dev_err err = { .extack = &ext };
	struct aiot_dev_stats *st;
	struct aiot_dev_spec s;
	struct aiot_device *d;

	spec_for(&s, 9, key16, 16);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(an, &s, 1, false, &err), 0);
	rcu_read_lock();
	d = aiot_devtab_lookup(an, s.id);
	KUNIT_ASSERT_NOT_NULL(test, d);
	atomic64_inc(&d->stats->auth_ok);
	atomic64_set(&d->stats->timeouts, U32_MAX);
	st = d->stats;		/* what the old entry counts into */
	rcu_read_unlock();

	spec_for(&s, 9, key32, 32);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(an, &s, 1, true, &err), 0);
	/* The old entry's receive path, after the replacement. */
	atomic64_inc(&st->cmd_ok);
	atomic64_inc(&st->timeouts);

	/* (Only this test changes the table: what it finds stays.) */
	rcu_read_lock();
	d = aiot_devtab_lookup(an, s.id);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d->key_len, 32);
	KUNIT_EXPECT_PTR_EQ(test, (const void *)d->stats, (const void *)st);
	KUNIT_EXPECT_EQ(test, exported(test, d->stats, AIOTSEC_STAT_AUTH_OK), 1);
	KUNIT_EXPECT_EQ(test, exported(test, d->stats, AIOTSEC_STAT_CMD_OK), 1);
	KUNIT_EXPECT_EQ(test, exported(test, d->stats, AIOTSEC_STAT_TIMEOUTS),
			(u64)U32_MAX + 1);

	/* Replaced again after the old one is gone: still the same ones. */
	synchronize_rcu();
	rcu_barrier();
	spec_for(&s, 9, key16, 16);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(an, &s, 1, true, &err), 0);
	rcu_read_lock();
	d = aiot_devtab_lookup(an, s.id);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, exported(test, d->stats, AIOTSEC_STAT_CMD_OK), 1);
	aiot_devtab_flush(an);
}

#define MANY 100000
#define BATCH 10000

static void devtab_100k(struct kunit *test)
{
	struct aiot_net *an = an_new(test);
	struct aiot_dev_spec *s;
	struct netlink_ext_ack ext = {};
	struct aiot_dev_err err = { .extack = &ext };
	struct aiot_device *d;
	u8 id[AIOTSEC_ID_LEN] = { 0 };
	u32 i, b, found = 0;

	s = vmalloc(array_size(BATCH, sizeof(*s)));
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (b = 0; b < MANY; b += BATCH) {
		for (i = 0; i < BATCH; i++)
			spec_for(&s[i], b + i, key16, 16);
		KUNIT_ASSERT_EQ(test, aiot_devtab_add(an, s, BATCH, false, &err), 0);
	}
	vfree(s);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), MANY);
	/* The budget of the design: at most 256 bytes per device. */
	kunit_info(test, "memory per device: %zu bytes (structs %zu; slab rounding and buckets %zu in all)\n",
		   aiot_devtab_mem(an) / MANY,
		   sizeof(struct aiot_device) + sizeof(struct aiot_dev_stats),
		   aiot_devtab_mem(an) - MANY * (sizeof(struct aiot_device) +
						 sizeof(struct aiot_dev_stats)));
	KUNIT_EXPECT_LE(test, aiot_devtab_mem(an) / MANY, 256);

	rcu_read_lock();
	for (i = 0; i < MANY; i++) {
		put_unaligned_be32(i, id + AIOTSEC_ID_LEN - 4);
		d = aiot_devtab_lookup(an, id);
		found += d && !memcmp(d->id, id, AIOTSEC_ID_LEN);
	}
	put_unaligned_be32(MANY, id + AIOTSEC_ID_LEN - 4);
	KUNIT_EXPECT_NULL(test, aiot_devtab_lookup(an, id));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, MANY);

	aiot_devtab_flush(an);
	KUNIT_EXPECT_EQ(test, atomic_read(&an->ndevices), 0);
}

static struct kunit_case devtab_cases[] = {
	KUNIT_CASE(devtab_add_lookup_replace_delete),
	KUNIT_CASE_PARAM(devtab_check_spec, spec_gen_params),
	KUNIT_CASE(devtab_all_or_nothing),
	KUNIT_CASE(devtab_replace_keeps_counters),
	KUNIT_CASE(devtab_100k),
	{}
};

static struct kunit_suite devtab_suite = {
	.name = "aiotsec_devtab",
	.exit = devtab_exit,
	.test_cases = devtab_cases,
};

kunit_test_suite(devtab_suite);
