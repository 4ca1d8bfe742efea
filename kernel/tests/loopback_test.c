// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: requests and responses through the real transmit and receive
 * paths of init_net. A test interface captures what the module sends;
 * the test's own device role answers, and the answer enters the stack
 * like any received frame. Replays, forgeries, downgrades, collisions,
 * expiry, a full table and unbound readers end where the profile says.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/kthread.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/sch_generic.h>

#include "aiotsec.h"
#include "capdev.h"
#include "test_util.h"

/* A simulated device: its ID and key, as the device role holds them. */
struct sim {
	u8 id[AIOTSEC_ID_LEN];
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

struct lb {
	struct aiot_net *an;
	struct net_device *dev;
	struct sim sim[2];
	u8 buf[AIOT_MSG_MAX];
	u8 payload[AIOTSEC_PLEN_MAX];
	int len;
};

static const u8 lb_key[2][32] = { { 0x11, 0x22 }, { 0x33, 0x44 } };

static struct net_device *lb_dev_new(struct kunit *test)
{
	struct net_device *dev = capdev_new();

	KUNIT_ASSERT_NOT_NULL(test, dev);
	return dev;
}

static int lb_init(struct kunit *test)
{
	struct aiot_dev_spec spec[2];
	struct aiot_dev_err err = {};
	struct lb *lb;
	int i;

	lb = kunit_kzalloc(test, sizeof(*lb), GFP_KERNEL);
	if (!lb)
		return -ENOMEM;
	lb->an = aiot_net(&init_net);
	lb->dev = lb_dev_new(test);
	rtnl_lock();
	i = aiot_reader_add(lb->an, lb->dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, i, 0);
	for (i = 0; i < 2; i++) {
		struct sim *s = &lb->sim[i];

		s->id[AIOTSEC_ID_LEN - 1] = i + 1;
		KUNIT_ASSERT_EQ(test, aiot_hkey_init(&s->hk, lb_key[i], 32), 0);
		s->cred.id = s->id;
		s->cred.hk = &s->hk;
		memset(&spec[i], 0, sizeof(spec[i]));
		memcpy(spec[i].id, s->id, AIOTSEC_ID_LEN);
		spec[i].key = lb_key[i];
		spec[i].key_len = 32;
		spec[i].policy = 0x09;
		spec[i].min_policy = 0x09;
	}
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(lb->an, spec, 2, false, &err), 0);
	test->priv = lb;
	return 0;
}

static void wait_idle(struct kunit *test, struct lb *lb)
{
	int i;

	for (i = 0; i < 200 && atomic_read(&lb->an->npending); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
}

static void lb_exit(struct kunit *test)
{
	struct lb *lb = test->priv;

	capdev_fail(lb->dev, 0);
	capdev_set_hook(lb->dev, NULL, NULL);
	wait_idle(test, lb);
	capdev_free(lb->dev);
	aiot_devtab_flush(lb->an);
	aiot_hkey_wipe(&lb->sim[0].hk);
	aiot_hkey_wipe(&lb->sim[1].hk);
}

static u64 ctr(struct lb *lb, enum aiot_ctr c)
{
	struct aiot_stats_snapshot s;

	aiot_stats_read(lb->an, &s);
	return s.ctr[c];
}

static u64 drops(struct lb *lb, enum aiotsec_drop why)
{
	struct aiot_stats_snapshot s;

	aiot_stats_read(lb->an, &s);
	return s.drop[why];
}

/* Every drop, whatever the reason. */
static u64 all_drops(struct lb *lb)
{
	struct aiot_stats_snapshot s;
	u64 sum = 0;
	int i;

	aiot_stats_read(lb->an, &s);
	for (i = 0; i < __AIOTSEC_DROP_MAX; i++)
		sum += s.drop[i];
	return sum;
}

/* Start a request for simulated device @i; returns its cookie. */
static u64 lb_request(struct kunit *test, struct lb *lb, u8 type, int i,
		      int policy, const u8 *nn)
{
	static const u8 payload[17] = "read user memory";
	struct aiot_request req = {
		.type = type,
		.id = lb->sim[i].id,
		.policy = policy,
		.timeout_ms = 300,	/* what a test leaves pending ends soon */
		.payload = payload,
		.plen = sizeof(payload),
	};
	u8 fresh[AIOT_NONCE_LEN];
	u64 cookie = 0;

	if (!nn) {
		get_random_bytes(fresh, sizeof(fresh));
		nn = fresh;
	}
	KUNIT_ASSERT_EQ(test, aiot_request_nn(lb->an, &req, nn, &cookie, NULL), 0);
	KUNIT_EXPECT_NE(test, cookie, 0);
	return cookie;
}

/* The oldest request the module sent, parsed, the Ethernet header checked. */
static void lb_take(struct kunit *test, struct lb *lb, struct aiot_msg *m)
{
	struct sk_buff *skb = capdev_take(lb->dev, AIOTSEC_ETHERTYPE);
	struct ethhdr *eh;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	eh = (struct ethhdr *)skb->data;
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(eh->h_dest));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eh->h_source, lb->dev->dev_addr));
	lb->len = skb->len - ETH_HLEN;
	KUNIT_ASSERT_LE(test, lb->len, (int)sizeof(lb->buf));
	memcpy(lb->buf, skb->data + ETH_HLEN, lb->len);
	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, aiot_parse(lb->buf, lb->len, m), AIOTSEC_DROP_NONE);
}

/*
 * A device with @c answers the request in lb->buf with @policy (-1: the
 * request's); the answer is left in lb->buf / lb->len. With @check the
 * device first verifies the request, as a real one does.
 */
static void lb_answer_as(struct kunit *test, struct lb *lb,
			 const struct aiot_cred *c, int policy, bool check)
{
	static const u8 cap[4] = { 0xca, 0xfe };
	u8 dn[AIOT_NONCE_LEN], nn[AIOT_NONCE_LEN];
	struct aiot_msg m;
	int p, k;

	KUNIT_ASSERT_EQ(test, aiot_parse(lb->buf, lb->len, &m), AIOTSEC_DROP_NONE);
	memcpy(nn, m.nn, sizeof(nn));
	get_random_bytes(dn, sizeof(dn));
	p = policy >= 0 ? policy : m.policy;
	if (m.type == AIOT_MSG_PAGING) {
		if (check)
			KUNIT_ASSERT_EQ(test, aiotdev_paging_match(c, &m), 0);
		lb->len = aiotdev_auth_resp(c, nn, dn, p, cap, sizeof(cap),
					    lb->buf);
	} else {
		if (check)
			KUNIT_ASSERT_EQ(test, aiotdev_command_open(c, &m, lb->payload), 0);
		for (k = 0; k < m.plen; k++)
			lb->payload[k] ^= 0xff;
		lb->len = aiotdev_cmd_resp(c, nn, dn, p, lb->payload, m.plen,
					   lb->buf);
	}
	KUNIT_ASSERT_GT(test, lb->len, 0);
}

static void lb_answer(struct kunit *test, struct lb *lb, int i, int policy)
{
	lb_answer_as(test, lb, &lb->sim[i].cred, policy, true);
}

/* Hand @len bytes to the stack as a frame received on @dev. */
static void lb_inject(struct kunit *test, struct net_device *dev,
		      const u8 *msg, int len)
{
	KUNIT_ASSERT_EQ(test, capdev_inject(dev, AIOTSEC_ETHERTYPE, msg, len), 0);
}

static void lb_auth_each_policy(struct kunit *test)
{
	struct lb *lb = test->priv;
	static const u8 pol[] = { 0x01, 0x21, 0x41, 0x02, 0x22, 0x42 };
	struct aiot_device *d;
	struct aiot_msg m;
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK), tx = ctr(lb, AIOT_CTR_TX_FRAMES);
	int i;

	for (i = 0; i < ARRAY_SIZE(pol); i++) {
		lb_request(test, lb, AIOT_TXN_AUTH, 0, pol[i], NULL);
		lb_take(test, lb, &m);
		KUNIT_EXPECT_EQ(test, m.type, AIOT_MSG_PAGING);
		KUNIT_EXPECT_EQ(test, m.policy, pol[i]);
		lb_answer(test, lb, 0, -1);
		lb_inject(test, lb->dev, lb->buf, lb->len);
		KUNIT_EXPECT_EQ_MSG(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + i + 1,
				    "policy %02x", pol[i]);
	}
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx + ARRAY_SIZE(pol));
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	rcu_read_lock();
	d = aiot_devtab_lookup(lb->an, lb->sim[0].id);
	KUNIT_EXPECT_EQ(test, atomic64_read(&d->stats->auth_ok), ARRAY_SIZE(pol));
	rcu_read_unlock();
}

static void lb_command_each_policy(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 ok = ctr(lb, AIOT_CTR_CMD_OK);
	struct aiot_msg m;
	unsigned int p, n = 0;

	for (p = 0; p < 256; p++) {
		if (aiot_policy_check(p, AIOT_MSG_COMMAND))
			continue;
		lb_request(test, lb, AIOT_TXN_COMMAND, 1, p, NULL);
		lb_take(test, lb, &m);
		KUNIT_EXPECT_EQ(test, m.type, AIOT_MSG_COMMAND);
		KUNIT_EXPECT_EQ(test, m.plen, 17);
		lb_answer(test, lb, 1, -1);
		lb_inject(test, lb->dev, lb->buf, lb->len);
		n++;
		KUNIT_EXPECT_EQ_MSG(test, ctr(lb, AIOT_CTR_CMD_OK), ok + n,
				    "policy %02x", p);
	}
	KUNIT_EXPECT_EQ(test, n, 24);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
}

/* A second copy of a verified response finds nothing: replay rejected. */
static void lb_replay(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 ok = ctr(lb, AIOT_CTR_CMD_OK), unk = drops(lb, AIOTSEC_DROP_UNKNOWN_CT);
	struct aiot_msg m;

	lb_request(test, lb, AIOT_TXN_COMMAND, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_CMD_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_UNKNOWN_CT), unk + 1);
}

/* A forged response is counted and cannot cancel the real one. */
static void lb_forged_then_genuine(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK), fail = ctr(lb, AIOT_CTR_AUTH_FAIL);
	u64 mac = drops(lb, AIOTSEC_DROP_MAC);
	struct aiot_msg m;

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	lb->buf[lb->len - 1] ^= 0x01;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_MAC), mac + 1);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_FAIL), fail + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
	lb->buf[lb->len - 1] ^= 0x01;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
}

/* The right key with another ID: the MAC verifies, PID* does not. */
static void lb_wrong_id(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_cred c = { .id = lb->sim[1].id, .hk = &lb->sim[0].hk };
	u64 idd = drops(lb, AIOTSEC_DROP_ID), mac = drops(lb, AIOTSEC_DROP_MAC);
	struct aiot_msg m;

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer_as(test, lb, &c, -1, false);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_ID), idd + 1);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_MAC), mac);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
}

/* A device that answers below its minimum policy is refused. */
static void lb_downgrade(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 down = drops(lb, AIOTSEC_DROP_DOWNGRADE);
	struct aiot_dev_spec spec = {
		.key = lb_key[0], .key_len = 32,
		.policy = 0x2d, .min_policy = 0x2d,	/* PC, PI, MAC 8 */
	};
	struct aiot_dev_err err = {};
	struct aiot_msg m;

	memcpy(spec.id, lb->sim[0].id, AIOTSEC_ID_LEN);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(lb->an, &spec, 1, true, &err), 0);

	lb_request(test, lb, AIOT_TXN_COMMAND, 0, -1, NULL);
	lb_take(test, lb, &m);
	KUNIT_EXPECT_EQ(test, m.policy, 0x2d);
	lb_answer(test, lb, 0, 0x09);		/* no PC, MAC 4 */
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_DOWNGRADE), down + 1);

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	KUNIT_EXPECT_EQ(test, m.policy, 0x21);
	lb_answer(test, lb, 0, 0x01);		/* MAC 4 < 8 */
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_DOWNGRADE), down + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 2);
}

/* Two pending transactions with one correlation tag: each gets its own. */
static void lb_ct_collision(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK), fail = ctr(lb, AIOT_CTR_AUTH_FAIL);
	u8 nn0[AIOT_NONCE_LEN] = { 0xc0, 0x11, 0x1d, 0xe5, 1 };
	u8 nn1[AIOT_NONCE_LEN] = { 0xc0, 0x11, 0x1d, 0xe5, 2 };
	u8 ans0[AIOT_MSG_MAX];
	struct aiot_msg m;
	int len0;

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, nn0);
	lb_request(test, lb, AIOT_TXN_AUTH, 1, -1, nn1);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	memcpy(ans0, lb->buf, lb->len);
	len0 = lb->len;
	lb_take(test, lb, &m);
	lb_answer(test, lb, 1, -1);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
	lb_inject(test, lb->dev, ans0, len0);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 2);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_FAIL), fail);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
}

/* A transaction expires; an answer after that finds nothing. */
static void lb_expiry(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 30 };
	u64 to = ctr(lb, AIOT_CTR_TIMEOUTS), ok = ctr(lb, AIOT_CTR_AUTH_OK);
	u64 unk = drops(lb, AIOTSEC_DROP_UNKNOWN_CT), cookie;
	struct aiot_device *d;
	struct aiot_msg m;

	req.id = lb->sim[0].id;
	KUNIT_ASSERT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	wait_idle(test, lb);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TIMEOUTS), to + 1);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_UNKNOWN_CT), unk + 1);
	rcu_read_lock();
	d = aiot_devtab_lookup(lb->an, lb->sim[0].id);
	KUNIT_EXPECT_EQ(test, atomic64_read(&d->stats->timeouts), 1);
	rcu_read_unlock();
}

/* Past max_pending a request is refused, and nothing is sent for it. */
static void lb_full(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 30 };
	u32 saved = lb->an->max_pending;
	u64 tx, cookie;

	req.id = lb->sim[0].id;
	WRITE_ONCE(lb->an->max_pending, 2);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	tx = ctr(lb, AIOT_CTR_TX_FRAMES);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 2);
	WRITE_ONCE(lb->an->max_pending, saved);
	wait_idle(test, lb);
}

/* Requests need a reader; frames on an interface that is not one are dropped. */
static void lb_no_reader(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .ifindex = 1 };
	struct net_device *other = lb_dev_new(test);
	static const u8 nobody[AIOTSEC_ID_LEN];
	u64 rx, dropped, cookie;
	struct aiot_msg m;

	req.id = lb->sim[0].id;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENODEV);
	req.ifindex = other->ifindex;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENODEV);
	req.id = nobody;
	req.ifindex = 0;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENOENT);

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	/*
	 * A frame of an interface that is no reader never enters the
	 * module: not counted as received, nor as dropped (each reader has
	 * its own packet handler).
	 */
	rx = ctr(lb, AIOT_CTR_RX_FRAMES);
	dropped = all_drops(lb);
	lb_inject(test, other, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_RX_FRAMES), rx);
	KUNIT_EXPECT_EQ(test, all_drops(lb), dropped);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);

	/* Bound, its frames are seen; unbound again, they are not. */
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, aiot_reader_add(lb->an, other, NULL), 0);
	rtnl_unlock();
	lb_inject(test, other, lb->buf, lb->len);	/* wrong reader: no CT */
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_RX_FRAMES), rx + 1);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, aiot_reader_del(lb->an, other, NULL), 0);
	rtnl_unlock();
	lb_inject(test, other, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_RX_FRAMES), rx + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);

	/* A bound interface that goes away is unbound, no reference kept. */
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, aiot_reader_add(lb->an, other, NULL), 0);
	rtnl_unlock();
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, aiot_reader_bound(lb->an, other));
	rcu_read_unlock();
	capdev_free(other);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, list_count_nodes(&lb->an->readers), 1);
	rtnl_unlock();
}

/* Malformed frames are dropped and counted by reason; requests too. */
static void lb_malformed(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 sh = drops(lb, AIOTSEC_DROP_SHORT), ver = drops(lb, AIOTSEC_DROP_VERSION);
	u64 nr = drops(lb, AIOTSEC_DROP_NOT_RESPONSE), pol = drops(lb, AIOTSEC_DROP_POLICY);
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK) + ctr(lb, AIOT_CTR_CMD_OK);
	struct aiot_msg m;
	int n;

	lb_request(test, lb, AIOT_TXN_COMMAND, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_inject(test, lb->dev, lb->buf, lb->len);	/* our own COMMAND */
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_NOT_RESPONSE), nr + 1);
	lb_answer(test, lb, 0, -1);
	for (n = 0; n < lb->len; n++)
		lb_inject(test, lb->dev, lb->buf, n);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_SHORT), sh + lb->len);
	lb->buf[0] = 0x24;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_VERSION), ver + 1);
	lb->buf[0] = 0x14;
	lb->buf[2] = 0x80;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_POLICY), pol + 1);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK) + ctr(lb, AIOT_CTR_CMD_OK), ok);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
}

/* A device deleted while its transaction is pending. */
static void lb_device_deleted(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 nod = drops(lb, AIOTSEC_DROP_NO_DEVICE);
	struct aiot_dev_err err = {};
	struct aiot_msg m;

	lb_request(test, lb, AIOT_TXN_AUTH, 1, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 1, -1);
	KUNIT_ASSERT_EQ(test, aiot_devtab_del(lb->an, lb->sim[1].id, 1, &err), 0);
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_NO_DEVICE), nod + 1);
}

/*
 * Transmit refused after a delay, with a 1 ms timeout: the timer would
 * expire while the frame is in the driver. The request fails, no
 * transaction is left, and no timeout is reported for it.
 */
static void lb_xmit_fails_slowly(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 1 };
	u64 to = ctr(lb, AIOT_CTR_TIMEOUTS), tx = ctr(lb, AIOT_CTR_TX_FRAMES);
	u64 cookie = 0;
	int i;

	req.id = lb->sim[0].id;
	capdev_fail(lb->dev, 20);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL),
				-ENOBUFS);
	capdev_fail(lb->dev, 0);
	KUNIT_EXPECT_EQ(test, cookie, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	msleep(30);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TIMEOUTS), to);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx);
}

struct quick {
	struct kunit *test;
	struct lb *lb;
	struct aiot_txn *t;		/* held */
};

/*
 * The device answers while the request is still in the driver, before
 * the timer is armed: the transaction ends then, and no timer may be left
 * armed behind it.
 */
static void quick_answer(void *arg, struct sk_buff *skb)
{
	struct quick *q = arg;
	struct lb *lb = q->lb;
	struct rhlist_head *list, *pos;
	struct aiot_txn *t;
	struct aiot_msg m;
	u32 ct;

	if (ntohs(((struct ethhdr *)skb->data)->h_proto) != AIOTSEC_ETHERTYPE)
		return;
	lb->len = skb->len - ETH_HLEN;
	memcpy(lb->buf, skb->data + ETH_HLEN, lb->len);
	if (aiot_parse(lb->buf, lb->len, &m))
		return;
	memcpy(&ct, m.nn, sizeof(ct));
	rcu_read_lock();
	list = aiot_pending_lookup(lb->an, ct);
	rhl_for_each_entry_rcu(t, pos, list, node) {
		refcount_inc(&t->ref);
		q->t = t;
		break;
	}
	rcu_read_unlock();
	lb_answer(q->test, lb, 0, -1);
	rcu_read_lock();
	aiot_rx_frame(lb->an, lb->dev->ifindex, lb->buf, lb->len);
	rcu_read_unlock();
}

static void lb_answered_before_armed(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct quick q = { .test = test, .lb = lb };
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 60000 };
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK), cookie;

	req.id = lb->sim[0].id;
	capdev_set_hook(lb->dev, quick_answer, &q);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	capdev_set_hook(lb->dev, NULL, NULL);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	KUNIT_ASSERT_NOT_NULL(test, q.t);
	KUNIT_EXPECT_FALSE(test, timer_pending(&q.t->timer));
	KUNIT_EXPECT_EQ(test, refcount_read(&q.t->ref), 1);	/* ours */
	aiot_txn_put(q.t);
}

/* The reply "fails" once the frame is out, and the device answers first. */
static void sent_answered(void *arg, u64 cookie)
{
	struct quick *q = arg;
	struct aiot_msg m;

	lb_take(q->test, q->lb, &m);
	lb_answer(q->test, q->lb, 0, -1);
	lb_inject(q->test, q->lb->dev, q->lb->buf, q->lb->len);
}

/*
 * Whatever becomes of the request's reply, a transaction whose frame is
 * out goes ahead: the answer that came before the reply ends it with
 * its result, and none is cancelled behind the device's back.
 */
static void lb_reply_fails(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct quick q = { .test = test, .lb = lb };
	struct aiot_request req = { .type = AIOT_TXN_COMMAND, .policy = -1,
				    .timeout_ms = 1, .payload = lb->payload,
				    .plen = 8, .sent = sent_answered,
				    .sent_arg = &q };
	u64 to = ctr(lb, AIOT_CTR_TIMEOUTS), ok = ctr(lb, AIOT_CTR_CMD_OK);
	u64 cookie = 0;

	req.id = lb->sim[0].id;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	KUNIT_EXPECT_NE(test, cookie, 0);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_CMD_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	msleep(30);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TIMEOUTS), to);
}

/* A message longer than the reader's MTU is refused, not sent. */
static void lb_mtu(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_COMMAND, .policy = -1,
				    .timeout_ms = 100, .payload = lb->payload,
				    .plen = 600 };
	u64 tx = ctr(lb, AIOT_CTR_TX_FRAMES), cookie;
	int ret;

	req.id = lb->sim[0].id;
	rtnl_lock();
	ret = dev_set_mtu(lb->dev, 576);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -EMSGSIZE);
	req.plen = 500;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	rtnl_lock();
	dev_set_mtu(lb->dev, ETH_DATA_LEN);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
}

/* Until the interface's qdisc is live again (the link watch is async). */
static void wait_qdisc(struct kunit *test, struct net_device *dev)
{
	int i;

	for (i = 0; i < 150; i++) {
		if (rcu_access_pointer(netdev_get_tx_queue(dev, 0)->qdisc) !=
		    &noop_qdisc)
			return;
		msleep(20);
	}
	KUNIT_FAIL(test, "%s: qdisc still noop", dev->name);
}

/* A reader that is down, or without carrier, refuses: -ENETDOWN. */
static void lb_reader_down(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1 };
	u64 tx = ctr(lb, AIOT_CTR_TX_FRAMES), cookie;

	req.id = lb->sim[0].id;
	rtnl_lock();
	dev_close(lb->dev);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENETDOWN);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, dev_open(lb->dev, NULL), 0);
	rtnl_unlock();
	netif_carrier_off(lb->dev);
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENETDOWN);
	netif_carrier_on(lb->dev);
	wait_qdisc(test, lb->dev);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
}

/*
 * MAX_REJECTS: a transaction that collects that many failed
 * verifications ends as failed, before its timeout; one fewer leaves it
 * pending for the genuine answer.
 */
static void lb_max_rejects(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 to = ctr(lb, AIOT_CTR_TIMEOUTS), ok = ctr(lb, AIOT_CTR_AUTH_OK);
	u64 fail = ctr(lb, AIOT_CTR_AUTH_FAIL), unk;
	u32 saved = lb->an->max_rejects;
	struct aiot_msg m;
	int i;

	KUNIT_EXPECT_EQ(test, saved, AIOTSEC_MAX_REJECTS_DEFAULT);
	WRITE_ONCE(lb->an->max_rejects, 3);
	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	lb->buf[lb->len - 1] ^= 0x01;
	for (i = 0; i < 2; i++)
		lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
	lb->buf[lb->len - 1] ^= 0x01;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);

	lb_request(test, lb, AIOT_TXN_AUTH, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	lb->buf[lb->len - 1] ^= 0x01;
	for (i = 0; i < 3; i++)
		lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_FAIL), fail + 5);
	/* Ended: the genuine answer now finds nothing, and no timeout. */
	unk = drops(lb, AIOTSEC_DROP_UNKNOWN_CT);
	lb->buf[lb->len - 1] ^= 0x01;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_UNKNOWN_CT), unk + 1);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);
	WRITE_ONCE(lb->an->max_rejects, saved);
	msleep(400);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TIMEOUTS), to);
}

/*
 * MAX_REJECTS binds only where the device's minimum allows a 4-byte MAC:
 * with a 16-byte minimum, MAX_REJECTS forgeries on a sniffed CT are
 * counted, and the genuine answer that follows still succeeds.
 */
static void lb_rejects_long_mac(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_dev_spec spec = { .key = lb_key[1], .key_len = 32,
				      .policy = 0x49, .min_policy = 0x49 };
	u64 ok = ctr(lb, AIOT_CTR_AUTH_OK), fail = ctr(lb, AIOT_CTR_AUTH_FAIL);
	struct aiot_dev_err err = {};
	struct quick q = { .test = test, .lb = lb };
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 5000 };
	struct rhlist_head *list, *pos;
	struct aiot_txn *t;
	struct aiot_msg m;
	u64 cookie;
	u32 ct;
	int i;

	memcpy(spec.id, lb->sim[1].id, AIOTSEC_ID_LEN);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(lb->an, &spec, 1, true, &err), 0);
	req.id = lb->sim[1].id;
	KUNIT_ASSERT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), 0);
	lb_take(test, lb, &m);
	KUNIT_EXPECT_EQ(test, m.policy & AIOTSEC_POL_ML_MASK, 0x40);
	memcpy(&ct, m.nn, sizeof(ct));
	rcu_read_lock();
	list = aiot_pending_lookup(lb->an, ct);
	rhl_for_each_entry_rcu(t, pos, list, node) {
		refcount_inc(&t->ref);
		q.t = t;
		break;
	}
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, q.t);
	lb_answer(test, lb, 1, -1);
	lb->buf[lb->len - 1] ^= 0x01;
	for (i = 0; i < AIOTSEC_MAX_REJECTS_DEFAULT; i++)
		lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 1);
	lb->buf[lb->len - 1] ^= 0x01;
	lb_inject(test, lb->dev, lb->buf, lb->len);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_OK), ok + 1);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_AUTH_FAIL),
			fail + AIOTSEC_MAX_REJECTS_DEFAULT);
	KUNIT_EXPECT_EQ(test, atomic_read(&q.t->rejects),
			AIOTSEC_MAX_REJECTS_DEFAULT);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	aiot_txn_put(q.t);
}

/*
 * A request's policy is checked against the device its frame is built
 * from (not only by netlink beforehand): after a replacement raised the
 * minimum, a request below it is refused and nothing is sent.
 */
static void lb_min_policy_at_build(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_dev_spec spec = { .key = lb_key[1], .key_len = 32,
				      .policy = 0x49, .min_policy = 0x49 };
	struct aiot_request req = { .type = AIOT_TXN_COMMAND, .policy = 0x09,
				    .timeout_ms = 100, .payload = lb->payload,
				    .plen = 4 };
	u64 tx = ctr(lb, AIOT_CTR_TX_FRAMES), cookie = 0;
	struct netlink_ext_ack ext = {};
	struct aiot_dev_err err = {};

	memcpy(spec.id, lb->sim[1].id, AIOTSEC_ID_LEN);
	KUNIT_ASSERT_EQ(test, aiot_devtab_add(lb->an, &spec, 1, true, &err), 0);
	req.id = lb->sim[1].id;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, &ext), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, ext._msg);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	req.policy = 0x49;
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, &ext), 0);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TX_FRAMES), tx + 1);
}

/*
 * Nonlinear frames: a genuine answer in page fragments verifies; junk
 * longer than any message is dropped by its length before anything of it
 * is read or linearized.
 */
static void lb_nonlinear(struct kunit *test)
{
	struct lb *lb = test->priv;
	u64 ok = ctr(lb, AIOT_CTR_CMD_OK), tr = drops(lb, AIOTSEC_DROP_TRAILING);
	u64 ver = drops(lb, AIOTSEC_DROP_VERSION);
	struct aiot_msg m;
	u8 *junk;

	lb_request(test, lb, AIOT_TXN_COMMAND, 0, -1, NULL);
	lb_take(test, lb, &m);
	lb_answer(test, lb, 0, -1);
	KUNIT_ASSERT_EQ(test, capdev_inject_frags(lb->dev, AIOTSEC_ETHERTYPE,
						  lb->buf, lb->len), 0);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_CMD_OK), ok + 1);

	junk = kunit_kmalloc(test, 60 * 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, junk);
	memset(junk, 0xff, 60 * 1024);
	KUNIT_ASSERT_EQ(test, capdev_inject_frags(lb->dev, AIOTSEC_ETHERTYPE,
						  junk, 60 * 1024), 0);
	KUNIT_ASSERT_EQ(test, capdev_inject_frags(lb->dev, AIOTSEC_ETHERTYPE,
						  junk, AIOT_MSG_MAX + 1), 0);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_TRAILING), tr + 2);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_VERSION), ver);
	KUNIT_ASSERT_EQ(test, capdev_inject_frags(lb->dev, AIOTSEC_ETHERTYPE,
						  junk, AIOT_MSG_MAX), 0);
	KUNIT_EXPECT_EQ(test, drops(lb, AIOTSEC_DROP_VERSION), ver + 1);
}

/*
 * What module unload and namespace exit do first: with new transactions
 * refused, every pending one ends at once without an event, and no timer
 * of theirs fires later.
 */
static void lb_stop(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = -1,
				    .timeout_ms = 50 };
	u64 to = ctr(lb, AIOT_CTR_TIMEOUTS), cookie;
	int i;

	req.id = lb->sim[0].id;
	for (i = 0; i < 4; i++)
		lb_request(test, lb, AIOT_TXN_AUTH, i & 1, -1, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 4);
	WRITE_ONCE(lb->an->dying, true);
	synchronize_rcu();
	KUNIT_EXPECT_EQ(test, aiot_request(lb->an, &req, &cookie, NULL), -ENODEV);
	aiot_pending_stop(lb->an);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->an->npending), 0);
	WRITE_ONCE(lb->an->dying, false);
	msleep(100);
	KUNIT_EXPECT_EQ(test, ctr(lb, AIOT_CTR_TIMEOUTS), to);
}

/*
 * Two CPUs: a thread on CPU 1 feeds genuine and forged answers to a
 * reader while CPU 0 binds and unbinds it, starts requests on it, and
 * deletes and re-adds their device. KASAN and lockdep watch; afterwards
 * every transaction has ended, and no frame was counted while the reader
 * was unbound.
 */
struct feeder {
	struct lb *lb;
	struct net_device *dev;
	struct kunit *test;
	atomic_t iter;
	atomic_t phase;		/* odd: binding or bound; even: unbound */
	unsigned long sent, sent_unbound;
};

static void race_nn(u8 *nn, int iter, int dev)
{
	memset(nn, 0, AIOT_NONCE_LEN);
	nn[0] = 0xac;
	nn[1] = iter;
	nn[2] = iter >> 8;
	nn[3] = dev;
}

static int feeder_fn(void *arg)
{
	struct feeder *f = arg;
	u8 nn[AIOT_NONCE_LEN], dn[AIOT_NONCE_LEN] = { 0 };
	static const u8 cap[1];
	u8 buf[AIOT_MSG_MAX];
	int len, i, k = 0, p;

	while (!kthread_should_stop()) {
		i = atomic_read(&f->iter);
		race_nn(nn, i, k & 1);
		dn[0] = k;
		len = aiotdev_auth_resp(&f->lb->sim[k & 1].cred, nn, dn, 0x01,
					cap, 0, buf);
		if (len > 0) {
			if (k & 2)
				buf[len - 1] ^= 0x5a;	/* a forgery */
			p = atomic_read(&f->phase);
			capdev_inject(f->dev, AIOTSEC_ETHERTYPE, buf, len);
			/* Unbound from before it was sent until after. */
			if (!(p & 1) && atomic_read(&f->phase) == p)
				f->sent_unbound++;
			f->sent++;
		}
		k++;
		if (!(k & 15))
			cond_resched();
	}
	return 0;
}

static void lb_race_rx_unbind(struct kunit *test)
{
	struct lb *lb = test->priv;
	struct aiot_request req = { .type = AIOT_TXN_AUTH, .policy = 0x01,
				    .timeout_ms = 20 };
	struct task_struct *task;
	struct aiot_dev_spec spec;
	struct aiot_dev_err err;
	u8 nn[AIOT_NONCE_LEN];
	unsigned long end;
	struct feeder f;
	u64 rx, cookie;
	int i, d;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	memset(&f, 0, sizeof(f));
	f.lb = lb;
	f.test = test;
	f.dev = lb_dev_new(test);
	memset(&spec, 0, sizeof(spec));
	memcpy(spec.id, lb->sim[1].id, AIOTSEC_ID_LEN);
	spec.key = lb_key[1];
	spec.key_len = 32;
	spec.policy = 0x09;
	spec.min_policy = 0x09;
	capdev_discard(f.dev, true);
	rx = ctr(lb, AIOT_CTR_RX_FRAMES);

	/* This case runs in a kthread of its own: pin it to CPU 0. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(0)), 0);
	task = kthread_create(feeder_fn, &f, "aiot-feeder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, 1);
	wake_up_process(task);

	end = jiffies + msecs_to_jiffies(1500);
	for (i = 0; time_before(jiffies, end); i++) {
		rtnl_lock();
		atomic_inc(&f.phase);
		KUNIT_EXPECT_EQ(test, aiot_reader_add(lb->an, f.dev, NULL), 0);
		rtnl_unlock();
		atomic_set(&f.iter, i);
		req.ifindex = f.dev->ifindex;
		for (d = 0; d < 2; d++) {
			race_nn(nn, i, d);
			req.id = lb->sim[d].id;
			aiot_request_nn(lb->an, &req, nn, &cookie, NULL);
		}
		usleep_range(200, 400);
		KUNIT_EXPECT_EQ(test, aiot_devtab_del(lb->an, lb->sim[1].id, 1, &err), 0);
		KUNIT_EXPECT_EQ(test, aiot_devtab_add(lb->an, &spec, 1, false, &err), 0);
		rtnl_lock();
		KUNIT_EXPECT_EQ(test, aiot_reader_del(lb->an, f.dev, NULL), 0);
		atomic_inc(&f.phase);
		rtnl_unlock();
		usleep_range(100, 200);
	}
	kthread_stop(task);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	capdev_free(f.dev);
	wait_idle(test, lb);
	kunit_info(test, "%d rounds, %lu frames fed, %lu while unbound", i,
		   f.sent, f.sent_unbound);
	KUNIT_EXPECT_GT(test, f.sent, 0UL);
	/* Frames fed while unbound never entered the module. */
	KUNIT_EXPECT_LE(test, ctr(lb, AIOT_CTR_RX_FRAMES) - rx,
			(u64)(f.sent - f.sent_unbound));
}

static struct kunit_case lb_cases[] = {
	KUNIT_CASE(lb_auth_each_policy),
	KUNIT_CASE(lb_command_each_policy),
	KUNIT_CASE(lb_replay),
	KUNIT_CASE(lb_forged_then_genuine),
	KUNIT_CASE(lb_wrong_id),
	KUNIT_CASE(lb_downgrade),
	KUNIT_CASE(lb_ct_collision),
	KUNIT_CASE(lb_expiry),
	KUNIT_CASE(lb_full),
	KUNIT_CASE(lb_no_reader),
	KUNIT_CASE(lb_malformed),
	KUNIT_CASE(lb_device_deleted),
	KUNIT_CASE(lb_xmit_fails_slowly),
	KUNIT_CASE(lb_answered_before_armed),
	KUNIT_CASE(lb_reply_fails),
	KUNIT_CASE(lb_mtu),
	KUNIT_CASE(lb_reader_down),
	KUNIT_CASE(lb_max_rejects),
	KUNIT_CASE(lb_rejects_long_mac),
	KUNIT_CASE(lb_min_policy_at_build),
	KUNIT_CASE(lb_nonlinear),
	KUNIT_CASE(lb_stop),
	KUNIT_CASE(lb_race_rx_unbind),
	{}
};

static struct kunit_suite lb_suite = {
	.name = "aiotsec_loopback",
	.init = lb_init,
	.exit = lb_exit,
	.test_cases = lb_cases,
};

kunit_test_suite(lb_suite);
