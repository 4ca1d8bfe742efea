// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: inventory rounds (profile v1.1) through the real transmit and
 * receive paths of init_net. A capture interface takes the INVENTORY; the
 * test's devices (the device role: group match first, no cryptography,
 * then INV_RESP) answer through the stack. Then the round's table (every
 * candidate found by its RID, forced collisions decided by the MAC, the
 * memory per candidate), every refusal, and rounds racing device changes,
 * reader unbind and namespace exit on two CPUs.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "aiotsec.h"
#include "capdev.h"
#include "test_util.h"

#define RT_NDEV		64	/* devices: 40 of group A, 24 of group B */
#define RT_NA		40

struct rt_dev {
	u8 id[AIOTSEC_ID_LEN];
	u8 key[AIOTSEC_KEY_LEN_128];
	u8 group[AIOTSEC_GROUP_LEN];
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

struct rt {
	struct aiot_net *an;
	struct net_device *dev;
	struct rt_dev d[RT_NDEV];
	struct socket *sock;		/* the requester's */
	struct aiot_requester *rq;
	u8 inv[AIOT_MSG_MAX];
	int invlen;
	u8 buf[3][AIOT_MSG_MAX];	/* answers, off the stack */
};

static const u8 group_a[AIOTSEC_GROUP_LEN] = { 0xa0, 0x5a, 1, 2, 3, 4, 5, 6 };
static const u8 group_b[AIOTSEC_GROUP_LEN] = { 0xb0, 0x5a, 1, 2, 3, 4, 5, 6 };

static void rt_spec(struct rt_dev *d, struct aiot_dev_spec *s, u8 min_policy)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->id, d->id, AIOTSEC_ID_LEN);
	s->key = d->key;
	s->key_len = sizeof(d->key);
	s->policy = min_policy;		/* IDP 1, PI: valid for a COMMAND */
	s->min_policy = min_policy;
	memcpy(s->group, d->group, AIOTSEC_GROUP_LEN);
}

static int rt_init(struct kunit *test)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct aiot_dev_spec *spec;
	struct aiot_dev_err err = {};
	struct rt *rt;
	int i, ret;

	rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	spec = kunit_kcalloc(test, RT_NDEV, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	rt->an = aiot_net(&init_net);
	rt->dev = capdev_new();
	KUNIT_ASSERT_NOT_NULL(test, rt->dev);
	rtnl_lock();
	ret = aiot_reader_add(rt->an, rt->dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);
	for (i = 0; i < RT_NDEV; i++) {
		struct rt_dev *d = &rt->d[i];

		d->id[0] = 0x1f;
		d->id[15] = i;
		memset(d->key, 0x30 + i, sizeof(d->key));
		d->key[0] = i;
		memcpy(d->group, i < RT_NA ? group_a : group_b, AIOTSEC_GROUP_LEN);
		KUNIT_ASSERT_EQ(test, aiot_hkey_init(&d->hk, d->key, sizeof(d->key)), 0);
		d->cred.id = d->id;
		d->cred.hk = &d->hk;
		/* Half of them allow a 4-byte MAC, half demand 8 bytes. */
		rt_spec(d, &spec[i], i & 1 ? 0x29 : 0x09);
	}
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, spec, RT_NDEV, false, &err), 0);

	ret = sock_create_kern(&init_net, PF_NETLINK, SOCK_RAW, NETLINK_GENERIC,
			       &rt->sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	addr.nl_pid = 0x7a10c5e2;
	KUNIT_ASSERT_EQ(test, kernel_bind(rt->sock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	rt->rq = aiot_requester_new(rt->an, rt->sock->sk, 0x5e);
	KUNIT_ASSERT_NOT_NULL(test, rt->rq);
	aiot_requester_open(rt->rq);
	test->priv = rt;
	return 0;
}

static void rt_exit(struct kunit *test)
{
	struct rt *rt = test->priv;
	int i;

	for (i = 0; i < 200 && atomic_read(&rt->an->nrounds); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->an->nrounds), 0);
	capdev_free(rt->dev);
	aiot_devtab_flush(rt->an);
	aiot_requester_put(rt->rq);
	sock_release(rt->sock);
	for (i = 0; i < RT_NDEV; i++)
		aiot_hkey_wipe(&rt->d[i].hk);
	WRITE_ONCE(rt->an->min_group, AIOTSEC_MIN_GROUP_DEFAULT);
	WRITE_ONCE(rt->an->max_rounds, AIOTSEC_MAX_ROUNDS_DEFAULT);
}

static u64 rt_ctr(struct rt *rt, enum aiot_ctr c)
{
	struct aiot_stats_snapshot s;

	aiot_stats_read(rt->an, &s);
	return s.ctr[c];
}

static u64 rt_drops(struct rt *rt, enum aiotsec_drop why)
{
	struct aiot_stats_snapshot s;

	aiot_stats_read(rt->an, &s);
	return s.drop[why];
}

/* A round of group A (FBITS 8) with @policy, @stop and a window of @ms. */
static int rt_start(struct kunit *test, struct rt *rt, u8 policy, u8 fbits,
		    const u8 *filter, u32 stop, u32 ms, struct aiot_round **r,
		    struct netlink_ext_ack *ext)
{
	u8 f[AIOT_FILTER_MAX] = { 0 }, nn[AIOT_NONCE_LEN];
	struct aiot_inv_req req = {
		.policy = policy, .fbits = fbits, .filter = f,
		.stop = stop, .window_ms = ms, .rq = rt->rq,
	};

	memcpy(f, filter, aiot_filter_len(fbits));
	get_random_bytes(nn, sizeof(nn));
	memset(ext, 0, sizeof(*ext));
	return aiot_inv_start_nn(rt->an, &req, nn, r, ext);
}

/* The INVENTORY the module sent, checked and kept in rt->inv. */
static void rt_take(struct kunit *test, struct rt *rt, struct aiot_msg *m)
{
	struct sk_buff *skb = capdev_take(rt->dev, AIOTSEC_ETHERTYPE);
	struct ethhdr *eh;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	eh = (struct ethhdr *)skb->data;
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(eh->h_dest));
	rt->invlen = skb->len - ETH_HLEN;
	KUNIT_ASSERT_LE(test, rt->invlen, (int)sizeof(rt->inv));
	memcpy(rt->inv, skb->data + ETH_HLEN, rt->invlen);
	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, aiot_parse(rt->inv, rt->invlen, m), AIOTSEC_DROP_NONE);
	KUNIT_ASSERT_EQ(test, m->type, AIOT_MSG_INVENTORY);
}

/*
 * Device @i hears the INVENTORY: silent without a match (no cryptography
 * on that path: aiotdev_inventory_match() is all it runs), else its
 * INV_RESP into @buf. Returns its length, 0 if silent.
 */
static int rt_answer(struct kunit *test, struct rt *rt, int i, u8 *buf)
{
	static const u8 cap[3] = { 0xc0, 0xff, 0xee };
	u8 dn[AIOT_NONCE_LEN];
	struct aiot_msg m;
	int len;

	KUNIT_ASSERT_EQ(test, aiot_parse(rt->inv, rt->invlen, &m), 0);
	if (aiotdev_inventory_match(rt->d[i].group, &m))
		return 0;
	get_random_bytes(dn, sizeof(dn));
	len = aiotdev_inv_resp(&rt->d[i].cred, m.nn, dn, m.policy, cap,
			       sizeof(cap), buf);
	KUNIT_ASSERT_GT(test, len, 0);
	return len;
}

/* Every frame the module sent that no case took. */
static void rt_drain(struct rt *rt)
{
	struct sk_buff *skb;

	while ((skb = capdev_take(rt->dev, AIOTSEC_ETHERTYPE)))
		kfree_skb(skb);
}

static void rt_inject(struct kunit *test, struct rt *rt, const u8 *buf, int len)
{
	KUNIT_ASSERT_EQ(test, capdev_inject(rt->dev, AIOTSEC_ETHERTYPE, buf, len), 0);
}

/* Events of @cmd queued on the requester's socket (consumed), by cookie. */
static unsigned int rt_events(struct rt *rt, u8 cmd, u64 cookie,
			      u32 *summary)
{
	struct sk_buff_head *q = &rt->sock->sk->sk_receive_queue;
	struct sk_buff_head keep;
	unsigned int n = 0;
	struct sk_buff *skb;

	__skb_queue_head_init(&keep);
	while ((skb = skb_dequeue(q))) {
		struct nlmsghdr *nlh = nlmsg_hdr(skb);
		struct genlmsghdr *gh = nlmsg_data(nlh);
		struct nlattr *a;

		a = nlmsg_find_attr(nlh, GENL_HDRLEN, AIOTSEC_A_COOKIE);
		if (gh->cmd != cmd || !a || nla_get_u64(a) != cookie) {
			__skb_queue_tail(&keep, skb);
			continue;
		}
		n++;
		if (summary) {
			static const int attrs[] = {
				AIOTSEC_A_CANDIDATES, AIOTSEC_A_FOUND,
				AIOTSEC_A_UNKNOWN_RIDS, AIOTSEC_A_FAILED_MACS,
				AIOTSEC_A_REPLAYS,
			};
			int k;

			for (k = 0; k < ARRAY_SIZE(attrs); k++) {
				a = nlmsg_find_attr(nlh, GENL_HDRLEN, attrs[k]);
				summary[k] = a ? nla_get_u32(a) : ~0U;
			}
			a = nlmsg_find_attr(nlh, GENL_HDRLEN, AIOTSEC_A_INV_END);
			summary[5] = a ? nla_get_u8(a) : ~0U;
		}
		kfree_skb(skb);
	}
	while ((skb = __skb_dequeue(&keep)))
		skb_queue_tail(q, skb);
	return n;
}

static void rt_wait_done(struct kunit *test, struct aiot_round *r)
{
	int i;

	for (i = 0; i < 200 && !test_bit(0, &r->flags); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, test_bit(0, &r->flags));
}

/*
 * A round of group A: only its 40 devices are candidates, the 24 of
 * group B stay silent for free. Ten of A answer and are found once each;
 * a replay, an unknown RID, a forged MAC and an answer on another CT are
 * counted where the profile says; the window ends it with the summary.
 */
static void rt_round(struct kunit *test)
{
	struct rt *rt = test->priv;
	u64 found = rt_ctr(rt, AIOT_CTR_INV_FOUND), fail = rt_ctr(rt, AIOT_CTR_INV_FAIL);
	u64 unk = rt_drops(rt, AIOTSEC_DROP_UNKNOWN_RID);
	u64 rep = rt_drops(rt, AIOTSEC_DROP_REPLAY);
	u64 uct = rt_drops(rt, AIOTSEC_DROP_UNKNOWN_CT);
	u8 *buf = rt->buf[0], *first = rt->buf[1];
	struct netlink_ext_ack ext;
	struct aiot_round *r;
	u32 sum[6];
	int i, len, flen = 0, silent = 0;
	struct aiot_msg m;

	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x20, 8, group_a, 0, 300, &r,
				       &ext), 0);
	KUNIT_EXPECT_EQ(test, r->nlive, RT_NA);
	rt_take(test, rt, &m);
	KUNIT_EXPECT_EQ(test, m.fbits, 8);
	KUNIT_EXPECT_EQ(test, m.policy, 0x20);
	KUNIT_EXPECT_EQ(test, m.filter[0], 0xa0);
	AIOT_EXPECT_MEMEQ(test, m.nn, r->nn, AIOT_NONCE_LEN, "NN");

	for (i = 0; i < RT_NDEV; i++) {
		len = rt_answer(test, rt, i, buf);
		if (!len) {
			silent++;
			continue;
		}
		if (i % 4)
			continue;	/* not here */
		if (!flen) {
			memcpy(first, buf, len);
			flen = len;
		}
		rt_inject(test, rt, buf, len);
	}
	KUNIT_EXPECT_EQ(test, silent, RT_NDEV - RT_NA);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), RT_NA / 4);
	KUNIT_EXPECT_EQ(test, rt_ctr(rt, AIOT_CTR_INV_FOUND) - found, (u64)RT_NA / 4);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND,
					r->cookie, NULL), RT_NA / 4);

	/* The same answer again: a replay, not a second report. */
	rt_inject(test, rt, first, flen);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->replays), 1);
	KUNIT_EXPECT_EQ(test, rt_drops(rt, AIOTSEC_DROP_REPLAY) - rep, 1ULL);
	/* Another RID: dropped before any cryptography. */
	memcpy(buf, first, flen);
	buf[23] ^= 0xff;
	rt_inject(test, rt, buf, flen);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->unknown), 1);
	KUNIT_EXPECT_EQ(test, rt_drops(rt, AIOTSEC_DROP_UNKNOWN_RID) - unk, 1ULL);
	/* A device of A that was not found yet, its MAC forged. */
	len = rt_answer(test, rt, 1, buf);
	buf[len - 1] ^= 1;
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->failed), 1);
	KUNIT_EXPECT_EQ(test, rt_ctr(rt, AIOT_CTR_INV_FAIL) - fail, 1ULL);
	/* Another CT: no round. */
	memcpy(buf, first, flen);
	buf[3] ^= 0xff;
	rt_inject(test, rt, buf, flen);
	KUNIT_EXPECT_EQ(test, rt_drops(rt, AIOTSEC_DROP_UNKNOWN_CT) - uct, 1ULL);

	rt_wait_done(test, r);
	KUNIT_EXPECT_EQ(test, r->end, AIOTSEC_INV_END_WINDOW);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
					r->cookie, sum), 1U);
	KUNIT_EXPECT_EQ(test, sum[0], RT_NA);
	KUNIT_EXPECT_EQ(test, sum[1], RT_NA / 4);
	KUNIT_EXPECT_EQ(test, sum[2], 1U);
	KUNIT_EXPECT_EQ(test, sum[3], 1U);
	KUNIT_EXPECT_EQ(test, sum[4], 1U);
	KUNIT_EXPECT_EQ(test, sum[5], AIOTSEC_INV_END_WINDOW);
	/* After the round: its answers find none. */
	rt_inject(test, rt, first, flen);
	KUNIT_EXPECT_EQ(test, rt_drops(rt, AIOTSEC_DROP_UNKNOWN_CT) - uct, 2ULL);
	aiot_round_put(r);
}

/* The stop count ends a round; so does the last candidate's answer. */
static void rt_stop_and_all(struct kunit *test)
{
	struct rt *rt = test->priv;
	u8 *buf = rt->buf[0], all[AIOTSEC_GROUP_LEN] = { 0 };
	struct netlink_ext_ack ext;
	struct aiot_round *r;
	struct aiot_msg m;
	u32 sum[6];
	int i, len;

	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 8, group_a, 3, 1000, &r,
				       &ext), 0);
	rt_take(test, rt, &m);
	for (i = 0; i < 5; i++) {
		len = rt_answer(test, rt, i, buf);
		rt_inject(test, rt, buf, len);
	}
	KUNIT_EXPECT_TRUE(test, test_bit(0, &r->flags));
	KUNIT_EXPECT_EQ(test, r->end, AIOTSEC_INV_END_STOP);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), 3);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND,
					r->cookie, NULL), 3U);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
					r->cookie, sum), 1U);
	KUNIT_EXPECT_EQ(test, sum[5], AIOTSEC_INV_END_STOP);
	aiot_round_put(r);

	/* FBITS 0: every device; all 64 answer. */
	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 1000, &r,
				       &ext), 0);
	KUNIT_EXPECT_EQ(test, r->nlive, RT_NDEV);
	rt_take(test, rt, &m);
	for (i = 0; i < RT_NDEV; i++) {
		len = rt_answer(test, rt, i, buf);
		KUNIT_ASSERT_GT(test, len, 0);
		rt_inject(test, rt, buf, len);
	}
	KUNIT_EXPECT_TRUE(test, test_bit(0, &r->flags));
	KUNIT_EXPECT_EQ(test, r->end, AIOTSEC_INV_END_ALL);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), RT_NDEV);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
					r->cookie, sum), 1U);
	KUNIT_EXPECT_EQ(test, sum[1], RT_NDEV);
	rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND, r->cookie, NULL);
	aiot_round_put(r);
}

/* Does @r's table give candidate @i for @rid? */
static bool rt_in_table(const struct aiot_round *r, const u8 *rid, u32 i)
{
	u32 pos = AIOT_INVTAB_START;
	s64 c;

	while ((c = aiot_invtab_find(r, rid, &pos)) >= 0)
		if (c == i)
			return true;
	return false;
}

/* Does @r's table give any candidate for @rid? */
static bool rt_any(const struct aiot_round *r, const u8 *rid)
{
	u32 pos = AIOT_INVTAB_START;

	return aiot_invtab_find(r, rid, &pos) >= 0;
}

/*
 * The table: each candidate is found from its device's own RID (the
 * device role computes it apart), none from that RID with one bit changed
 * in either half, the load is below one. Then a forced collision: device
 * Y answers under X's RID; both candidates are tried, the MAC decides (Y
 * found, one failure counted against X).
 */
static void rt_table(struct kunit *test)
{
	struct rt *rt = test->priv;
	u8 rid[AIOT_RID_LEN], rid_x[AIOT_RID_LEN], *buf = rt->buf[0];
	u8 dn[AIOT_NONCE_LEN] = { 7 }, mac[AIOT_MAC_MAX], all[1] = { 0 };
	struct netlink_ext_ack ext;
	struct aiot_keys k;
	struct aiot_round *r;
	struct aiot_msg m;
	u32 i, x = ~0U, y = ~0U;
	int len, d, b;

	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 1000, &r,
				       &ext), 0);
	rt_take(test, rt, &m);
	KUNIT_EXPECT_EQ(test, r->ncand, RT_NDEV);
	KUNIT_EXPECT_GT(test, r->nslot, r->ncand);
	for (i = 0; i < r->ncand; i++) {
		d = r->id[i][15];
		KUNIT_ASSERT_LT(test, d, RT_NDEV);
		AIOT_EXPECT_MEMEQ(test, r->id[i], rt->d[d].id, AIOTSEC_ID_LEN,
				  "ID %u", i);
		KUNIT_ASSERT_EQ(test, aiot_rid(&rt->d[d].cred, r->nn, rid), 0);
		KUNIT_EXPECT_TRUE_MSG(test, rt_in_table(r, rid, i), "candidate %u", i);
		for (b = 0; b < AIOT_RID_LEN; b += 7) {
			rid[b] ^= 0x10;
			KUNIT_EXPECT_FALSE_MSG(test, rt_any(r, rid),
					       "candidate %u, byte %d changed", i, b);
			rid[b] ^= 0x10;
		}
		if (d == 2) {
			x = i;
			memcpy(rid_x, rid, sizeof(rid_x));
		}
		if (d == 4)
			y = i;
	}

	/* Y's candidate takes X's RID, in a second slot of X's run. */
	KUNIT_ASSERT_NE(test, x, ~0U);
	KUNIT_ASSERT_NE(test, y, ~0U);
	aiot_invtab_insert(r, y, rid_x);
	KUNIT_EXPECT_TRUE(test, rt_in_table(r, rid_x, x));
	KUNIT_EXPECT_TRUE(test, rt_in_table(r, rid_x, y));
	/* Y's answer under X's RID, with Y's own MAC. */
	len = aiot_inv_resp_len(0x40, 0);
	aiot_put_hdr(buf, AIOT_MSG_INV_RESP, 0x40);
	memcpy(buf + 3, r->nn, AIOT_CT_LEN);
	memcpy(buf + 7, dn, AIOT_NONCE_LEN);
	memcpy(buf + 23, rid_x, AIOT_RID_LEN);
	buf[31] = 0;
	KUNIT_ASSERT_EQ(test, aiot_derive_ul(&rt->d[4].hk, r->nn, dn, &k), 0);
	KUNIT_ASSERT_EQ(test, aiot_nia2(k.integ, 0, AIOT_BEARER_MSG, AIOT_DIR_UP,
					buf, 32, NULL, 0, mac), 0);
	memzero_explicit(&k, sizeof(k));
	memcpy(buf + 32, mac, 16);
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->failed), 1);
	KUNIT_EXPECT_EQ(test, aiot_cand_state(r, x) & AIOT_CAND_REJECTS, 1);
	KUNIT_EXPECT_TRUE(test, aiot_cand_state(r, y) & CAND_ANSWERED);
	KUNIT_EXPECT_FALSE(test, aiot_cand_state(r, x) & CAND_ANSWERED);
	rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND, r->cookie, NULL);
	aiot_round_put(r);
}

#define RT_NMEM		8192	/* candidates of the memory case */

/*
 * Memory per candidate: a round over RT_NMEM devices of a group of their
 * own holds at most 32 bytes a candidate, the round, its work items and
 * its table included, as the allocator handed them out (ksize, or whole
 * pages for vmalloc). The round starts right after the add, while the
 * device table's own worker may still be growing it: each device must be
 * a candidate exactly once all the same.
 */
static void rt_memory(struct kunit *test)
{
	static const u8 group_m[AIOTSEC_GROUP_LEN] = { 0x3e, 0x3e };
	u8 key[AIOTSEC_KEY_LEN_128] = { 0x5a };
	struct rt *rt = test->priv;
	struct aiot_dev_err err = {};
	struct aiot_dev_spec *spec;
	struct netlink_ext_ack ext;
	struct aiot_round *r;
	struct aiot_msg m;
	size_t bytes;
	u32 i;

	spec = kvcalloc(RT_NMEM, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	for (i = 0; i < RT_NMEM; i++) {
		spec[i].id[0] = 0x3e;
		put_unaligned_be32(i, spec[i].id + 12);
		spec[i].key = key;
		spec[i].key_len = sizeof(key);
		spec[i].policy = 0x09;
		spec[i].min_policy = 0x09;
		memcpy(spec[i].group, group_m, AIOTSEC_GROUP_LEN);
	}
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, spec, RT_NMEM, false, &err), 0);
	kvfree(spec);
	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 16, group_m, 0, 1000, &r,
				       &ext), 0);
	rt_take(test, rt, &m);
	KUNIT_EXPECT_EQ(test, r->ncand, RT_NMEM);
	KUNIT_EXPECT_EQ(test, r->nlive, RT_NMEM);
	bytes = aiot_round_bytes(r);
	kunit_info(test, "%u candidates: %zu bytes, %zu.%02zu a candidate",
		   r->ncand, bytes, bytes / r->ncand,
		   bytes % r->ncand * 100 / r->ncand);
	KUNIT_EXPECT_LE(test, bytes, 32UL * r->ncand);
	KUNIT_EXPECT_GE(test, bytes, 22UL * r->ncand + 8UL * r->nslot);
	aiot_round_put(r);
}

/*
 * MAX_REJECTS closes a candidate whose minimum allows 4-byte MACs (device
 * 0: min 0x09), never one that demands 8 (device 1: 0x29); either way its
 * genuine answer counts until then.
 */
static void rt_max_rejects(struct kunit *test)
{
	struct rt *rt = test->priv;
	u8 *buf = rt->buf[0], *good[2] = { rt->buf[1], rt->buf[2] };
	u8 all[1] = { 0 };
	struct netlink_ext_ack ext;
	struct aiot_round *r;
	struct aiot_msg m;
	int i, k, len[2];
	u32 max;

	max = READ_ONCE(rt->an->max_rejects);
	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 1000, &r,
				       &ext), 0);
	rt_take(test, rt, &m);
	for (k = 0; k < 2; k++) {
		len[k] = rt_answer(test, rt, k, good[k]);
		for (i = 0; i < max; i++) {
			memcpy(buf, good[k], len[k]);
			buf[len[k] - 1] ^= 1 + i;
			rt_inject(test, rt, buf, len[k]);
		}
		rt_inject(test, rt, good[k], len[k]);
	}
	/* Device 0 is closed: its genuine answer came too late. */
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->failed), 2 * max);
	rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND, r->cookie, NULL);
	aiot_round_put(r);
}

/* Every refusal, each with its extack message and nothing sent. */
static void rt_refusals(struct kunit *test)
{
	struct rt *rt = test->priv;
	struct netlink_ext_ack ext;
	struct aiot_round *r, *r2;
	struct aiot_dev_spec spec;
	struct aiot_dev_err err = {};
	u8 none[1] = { 0xff }, bad[2] = { 0xa0, 0x01 }, all[1] = { 0 };
	u64 tx = rt_ctr(rt, AIOT_CTR_TX_FRAMES);

	/* Group A has 40 devices: a MIN_GROUP of 41 refuses its filter. */
	WRITE_ONCE(rt->an->min_group, RT_NA + 1);
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 8, group_a, 0, 100, &r,
				       &ext), -EPERM);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ext._msg ?: "", "AIOTSEC_A_MIN_GROUP"));
	/* ... but not an unfiltered round. */
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 20, &r, &ext), 0);
	rt_wait_done(test, r);
	aiot_round_put(r);
	rt_drain(rt);
	tx = rt_ctr(rt, AIOT_CTR_TX_FRAMES);
	WRITE_ONCE(rt->an->min_group, AIOTSEC_MIN_GROUP_DEFAULT);
	/* A filter that matches nobody. */
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 8, none, 0, 100, &r,
				       &ext), -EPERM);
	/* 4-byte MACs: below the minimum of the odd devices (0x29). */
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x00, 8, group_a, 0, 100, &r,
				       &ext), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ext._msg ?: "", "MIN_POLICY"));
	/* Policy with more than ML, a bit past FBITS. */
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x41, 8, group_a, 0, 100, &r,
				       &ext), -EINVAL);
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 9, bad, 0, 100, &r,
				       &ext), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ext._msg ?: "", "AIOTSEC_A_FILTER"));
	KUNIT_EXPECT_EQ(test, rt_ctr(rt, AIOT_CTR_TX_FRAMES), tx);

	/* Too many rounds in flight. */
	WRITE_ONCE(rt->an->max_rounds, 1);
	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 5000, &r,
				       &ext), 0);
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 100, &r2,
				       &ext), -EBUSY);
	KUNIT_EXPECT_NOT_NULL(test, strstr(ext._msg ?: "", "AIOTSEC_A_MAX_ROUNDS"));
	/* Unbinding its reader ends it, with its summary. */
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, aiot_reader_del(rt->an, rt->dev, NULL), 0);
	KUNIT_EXPECT_EQ(test, aiot_reader_add(rt->an, rt->dev, NULL), 0);
	rtnl_unlock();
	KUNIT_EXPECT_TRUE(test, test_bit(0, &r->flags));
	KUNIT_EXPECT_EQ(test, r->end, AIOTSEC_INV_END_CANCELLED);
	KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
					r->cookie, NULL), 1U);
	aiot_round_put(r);
	WRITE_ONCE(rt->an->max_rounds, AIOTSEC_MAX_ROUNDS_DEFAULT);
	rt_drain(rt);

	/* A device whose minimum demands 16 bytes refuses 8. */
	rt_spec(&rt->d[0], &spec, 0x49);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, &spec, 1, true, &err), 0);
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x20, 8, group_a, 0, 100, &r,
				       &ext), -EINVAL);
	rt_spec(&rt->d[0], &spec, 0x09);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, &spec, 1, true, &err), 0);
	/* No reader of that index. */
	{
		u8 f[AIOT_FILTER_MAX] = { 0 };
		struct aiot_inv_req req = { .policy = 0x40, .filter = f,
					    .ifindex = 0x7ffffff0 };

		KUNIT_EXPECT_EQ(test, aiot_inv_start(rt->an, &req, &ext), -ENODEV);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->an->nrounds), 0);
}

/*
 * Devices deleted or replaced during a round (uapi: a candidate is its
 * ID, verified with the device of that ID when the answer comes): a
 * deleted one's answer is not reported; a replaced one with another key
 * answers under a RID the round does not know; with the same key it is
 * found as before.
 */
static void rt_delete_replace(struct kunit *test)
{
	struct rt *rt = test->priv;
	u64 nodev = rt_drops(rt, AIOTSEC_DROP_NO_DEVICE);
	u8 *buf = rt->buf[0], all[1] = { 0 };
	struct aiot_dev_err err = {};
	struct netlink_ext_ack ext;
	struct aiot_dev_spec spec;
	struct aiot_round *r;
	struct aiot_hkey hk;
	struct aiot_cred c;
	struct aiot_msg m;
	u8 key[16];
	int len;

	KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 1000, &r,
				       &ext), 0);
	rt_take(test, rt, &m);
	/* Device 5 deleted. */
	KUNIT_ASSERT_EQ(test, aiot_devtab_del(rt->an, rt->d[5].id, 1, &err), 0);
	len = rt_answer(test, rt, 5, buf);
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, rt_drops(rt, AIOTSEC_DROP_NO_DEVICE) - nodev, 1ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), 0);
	/* Device 6 replaced with another key: its answer is unknown. */
	memset(key, 0xee, sizeof(key));
	rt_spec(&rt->d[6], &spec, 0x09);
	spec.key = key;
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, &spec, 1, true, &err), 0);
	KUNIT_ASSERT_EQ(test, aiot_hkey_init(&hk, key, sizeof(key)), 0);
	c.id = rt->d[6].id;
	c.hk = &hk;
	KUNIT_ASSERT_EQ(test, aiot_parse(rt->inv, rt->invlen, &m), 0);
	len = aiotdev_inv_resp(&c, m.nn, key, 0x40, NULL, 0, buf);
	aiot_hkey_wipe(&hk);
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->unknown), 1);
	/* ... its old key's answer fails its MAC. */
	len = rt_answer(test, rt, 6, buf);
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->failed), 1);
	/* Device 7 replaced with the same key: found. */
	rt_spec(&rt->d[7], &spec, 0x09);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, &spec, 1, true, &err), 0);
	len = rt_answer(test, rt, 7, buf);
	rt_inject(test, rt, buf, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->found), 1);
	rt_events(rt, AIOTSEC_CMD_EVENT_INV_FOUND, r->cookie, NULL);
	aiot_round_put(r);
}

/*
 * Namespace exit and module unload, as they run: new rounds refused, the
 * live ones ended at once without an event, no window firing later.
 */
static void rt_stop(struct kunit *test)
{
	struct rt *rt = test->priv;
	struct netlink_ext_ack ext;
	struct aiot_round *r[2];
	u8 all[1] = { 0 };
	int i;

	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 100,
					       &r[i], &ext), 0);
	WRITE_ONCE(rt->an->dying, true);
	synchronize_rcu();
	KUNIT_EXPECT_EQ(test, rt_start(test, rt, 0x40, 0, all, 0, 100, &r[0],
				       &ext), -ECANCELED);
	aiot_inv_stop(rt->an);
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->an->nrounds), 0);
	WRITE_ONCE(rt->an->dying, false);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, r[i]->end, AIOTSEC_INV_END_CANCELLED);
		KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
						r[i]->cookie, NULL), 0U);
	}
	msleep(150);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, rt_events(rt, AIOTSEC_CMD_EVENT_INV_DONE,
						r[i]->cookie, NULL), 0U);
		aiot_round_put(r[i]);
	}
	rt_drain(rt);
}

/*
 * Two CPUs: CPU 1 answers every INVENTORY it sees (genuine and forged)
 * and unbinds and rebinds the reader now and then, while CPU 0 starts
 * rounds (over a thousand candidates: their RIDs take a while), deletes
 * and re-adds a candidate, and at the end stops the namespace with
 * rounds live. KASAN, lockdep and kmemleak watch; every round ends.
 */
struct rt_race {
	struct rt *rt;
	struct kunit *test;
	atomic_t unbinds;
};

static int rt_race_fn(void *arg)
{
	struct rt_race *f = arg;
	struct rt *rt = f->rt;
	u8 *buf = kmalloc(AIOT_MSG_MAX, GFP_KERNEL), dn[AIOT_NONCE_LEN] = { 1 };
	struct sk_buff *skb;
	struct aiot_msg m;
	int k = 0, len, i;

	while (buf && !kthread_should_stop()) {
		skb = capdev_take(rt->dev, AIOTSEC_ETHERTYPE);
		if (skb) {
			if (!aiot_parse(skb->data + ETH_HLEN, skb->len - ETH_HLEN, &m)) {
				for (i = 0; i < RT_NDEV; i += 3) {
					len = aiotdev_inv_resp(&rt->d[i].cred, m.nn, dn,
							       m.policy, NULL, 0, buf);
					if (len <= 0)
						continue;
					if (i & 4)
						buf[len - 1] ^= 1;
					capdev_inject(rt->dev, AIOTSEC_ETHERTYPE, buf, len);
				}
			}
			kfree_skb(skb);
		}
		if (!(++k % 7)) {
			rtnl_lock();
			if (!aiot_reader_del(rt->an, rt->dev, NULL)) {
				atomic_inc(&f->unbinds);
				aiot_reader_add(rt->an, rt->dev, NULL);
			}
			rtnl_unlock();
		}
		usleep_range(50, 150);
	}
	kfree(buf);
	return 0;
}

static void rt_race(struct kunit *test)
{
	struct rt *rt = test->priv;
	struct aiot_dev_spec *spec;
	struct aiot_dev_err err = {};
	struct netlink_ext_ack ext;
	struct task_struct *task;
	struct aiot_round *r;
	unsigned int ok = 0, cancelled = 0, other = 0;
	unsigned long end;
	struct rt_race f = { .rt = rt, .test = test };
	u8 all[1] = { 0 }, key[16] = { 9 };
	int i, ret;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	/* A thousand more candidates (no group given: zero). */
	spec = kvcalloc(1000, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	for (i = 0; i < 1000; i++) {
		spec[i].id[0] = 0x2e;
		spec[i].id[14] = i >> 8;
		spec[i].id[15] = i;
		spec[i].key = key;
		spec[i].key_len = sizeof(key);
		spec[i].policy = 0x09;
		spec[i].min_policy = 0x09;
	}
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(rt->an, spec, 1000, false, &err), 0);
	WRITE_ONCE(rt->an->max_rounds, 2);

	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(0)), 0);
	task = kthread_create(rt_race_fn, &f, "aiot-inv-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, 1);
	wake_up_process(task);

	end = jiffies + msecs_to_jiffies(1500);
	for (i = 0; time_before(jiffies, end); i++) {
		ret = rt_start(test, rt, 0x40, 0, all, 0, 30, &r, &ext);
		if (!ret) {
			ok++;
			aiot_round_put(r);
		} else if (ret == -ECANCELED || ret == -ENODEV) {
			cancelled++;
		} else {
			/* -EBUSY, or a transmit on a reader being unbound. */
			other++;
		}
		KUNIT_EXPECT_EQ(test, aiot_devtab_del(rt->an, spec[i % 1000].id, 1,
						      &err), 0);
		KUNIT_EXPECT_EQ(test, aiot_devtab_add(rt->an, &spec[i % 1000], 1,
						      false, &err), 0);
	}
	/* Namespace exit with rounds live. */
	ret = rt_start(test, rt, 0x40, 0, all, 0, 5000, &r, &ext);
	WRITE_ONCE(rt->an->dying, true);
	synchronize_rcu();
	aiot_inv_stop(rt->an);
	WRITE_ONCE(rt->an->dying, false);
	if (!ret) {
		KUNIT_EXPECT_TRUE(test, test_bit(0, &r->flags));
		aiot_round_put(r);
	}
	kthread_stop(task);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	kunit_info(test, "%d requests: %u rounds, %u cancelled, %u refused; %d unbinds",
		   i, ok, cancelled, other, atomic_read(&f.unbinds));
	KUNIT_EXPECT_GT(test, ok, 0U);
	for (i = 0; i < 200 && atomic_read(&rt->an->nrounds); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->an->nrounds), 0);
	skb_queue_purge(&rt->sock->sk->sk_receive_queue);
	kvfree(spec);
}

static struct kunit_case rt_cases[] = {
	KUNIT_CASE(rt_round),
	KUNIT_CASE(rt_stop_and_all),
	KUNIT_CASE(rt_table),
	KUNIT_CASE(rt_memory),
	KUNIT_CASE(rt_max_rejects),
	KUNIT_CASE(rt_refusals),
	KUNIT_CASE(rt_delete_replace),
	KUNIT_CASE(rt_stop),
	KUNIT_CASE(rt_race),
	{}
};

static struct kunit_suite rt_suite = {
	.name = "aiotsec_inv_round",
	.init = rt_init,
	.exit = rt_exit,
	.test_cases = rt_cases,
};

kunit_test_suite(rt_suite);
