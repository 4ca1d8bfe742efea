// SPDX-License-Identifier: GPL-2.0
/*
 * Pending transactions, found by correlation tag (NN[0..3]) in O(1). Tags
 * may collide: the table is a hash list and a response is tried against
 * every transaction with its tag. A transaction ends exactly once, by
 * success or by expiry: whoever sets its done bit first finishes it.
 *
 * References: one for the table, one for the armed timer. The last put
 * frees it after an RCU grace period (the receive path walks the table
 * under RCU).
 */
#include <linux/random.h>
#include <linux/slab.h>

#include "aiotsec.h"

static const struct rhashtable_params txn_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct aiot_txn, ct),
	.head_offset = offsetof(struct aiot_txn, node),
	.automatic_shrinking = true,
};

int aiot_pending_init(struct aiot_net *an)
{
	return rhltable_init(&an->pending, &txn_params);
}

static void txn_put(struct aiot_txn *t)
{
	if (refcount_dec_and_test(&t->ref)) {
		memzero_explicit(t->nn, sizeof(t->nn));
		kfree_rcu(t, rcu);
	}
}

/* Only the caller that wins this may finish the transaction. */
bool aiot_txn_claim(struct aiot_txn *t)
{
	return !test_and_set_bit(0, &t->done);
}

/* Take a claimed transaction out of the table and stop its timer. */
void aiot_txn_finish(struct aiot_txn *t)
{
	struct aiot_net *an = t->an;

	rhltable_remove(&an->pending, &t->node, txn_params);
	atomic_dec(&an->npending);
	if (del_timer(&t->timer))
		txn_put(t);		/* the timer's reference */
	txn_put(t);			/* the table's reference */
}

static void txn_expire(struct timer_list *timer)
{
	struct aiot_txn *t = from_timer(t, timer, timer);
	struct aiot_net *an = t->an;

	if (aiot_txn_claim(t)) {
		aiot_count(an, AIOT_CTR_TIMEOUTS);
		rcu_read_lock();
		aiot_devtab_count_timeout(an, t->id);
		rcu_read_unlock();
		aiot_event_timeout(an, t);
		rhltable_remove(&an->pending, &t->node, txn_params);
		atomic_dec(&an->npending);
		txn_put(t);		/* the table's reference */
	}
	txn_put(t);			/* the timer's reference */
}

/* Under rcu_read_lock(). */
struct rhlist_head *aiot_pending_lookup(struct aiot_net *an, u32 ct)
{
	return rhltable_lookup(&an->pending, &ct, txn_params);
}

/* Build the request of @t for device @d into @skb, and trim it to size. */
static int build_request(const struct aiot_txn *t, const struct aiot_device *d,
			 const struct aiot_request *req, struct sk_buff *skb)
{
	struct aiot_cred cred = { .id = d->id, .hk = &d->hk };
	int ret;

	if (t->type == AIOT_TXN_AUTH)
		ret = aiotf_paging(&cred, t->nn, t->policy, skb->data);
	else
		ret = aiotf_command(&cred, t->nn, t->policy, req->payload,
				    req->plen, skb->data);
	if (ret < 0)
		return ret;
	skb_trim(skb, ret);
	return 0;
}

/*
 * Start a transaction with Network Nonce @nn: request built with the
 * device's key, entered in the pending table, timer armed, frame sent. On
 * success *cookie identifies the result event to come. (KUnit calls this
 * directly to make correlation tags collide.)
 */
VISIBLE_IF_KUNIT int aiot_request_nn(struct aiot_net *an,
				     const struct aiot_request *req,
				     const u8 *nn, u64 *cookie,
				     struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct aiot_device *d;
	struct sk_buff *skb;
	struct aiot_txn *t;
	u32 timeout;
	int ret;

	dev = aiot_reader_pick(an, req->ifindex);
	if (!dev) {
		if (req->ifindex)
			NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: interface is not a reader");
		else
			NL_SET_ERR_MSG_MOD(extack, "no reader is bound (AIOTSEC_CMD_ADD_READER)");
		return -ENODEV;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		ret = -ENOMEM;
		goto put_dev;
	}
	t->an = an;
	t->type = req->type;
	t->ifindex = dev->ifindex;
	memcpy(t->id, req->id, AIOTSEC_ID_LEN);
	memcpy(t->nn, nn, sizeof(t->nn));
	memcpy(&t->ct, t->nn, sizeof(t->ct));
	t->cookie = atomic64_inc_return(&an->next_cookie);
	refcount_set(&t->ref, 2);
	timer_setup(&t->timer, txn_expire, 0);

	/* Room for the longest MAC: the policy is known only under RCU. */
	skb = aiot_alloc_frame(dev, t->type == AIOT_TXN_AUTH ? aiot_paging_len() :
			       aiot_command_len(2 << AIOTSEC_POL_ML_SHIFT, req->plen));
	if (!skb) {
		ret = -ENOMEM;
		goto free_txn;
	}
	rcu_read_lock();
	d = aiot_devtab_lookup(an, req->id);
	if (!d) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_DEV_ID: no such device");
		ret = -ENOENT;
		goto free_skb;
	}
	t->policy = req->policy >= 0 ? req->policy : d->policy;
	if (t->type == AIOT_TXN_AUTH)
		t->policy &= AIOTSEC_POL_AUTH_MASK;
	ret = build_request(t, d, req, skb);
	rcu_read_unlock();
	if (ret)
		goto free_skb;

	if (atomic_inc_return(&an->npending) > READ_ONCE(an->max_pending)) {
		NL_SET_ERR_MSG_MOD(extack, "pending table is full (AIOTSEC_A_MAX_PENDING)");
		ret = -EBUSY;
		goto dec_pending;
	}
	/*
	 * In the table before the frame leaves: the answer may be quick.
	 * The RCU section orders this against aiot_pending_destroy().
	 */
	rcu_read_lock();
	ret = READ_ONCE(an->dying) ? -ENODEV :
	      rhltable_insert(&an->pending, &t->node, txn_params);
	if (!ret) {
		timeout = req->timeout_ms ?: READ_ONCE(an->timeout_ms);
		mod_timer(&t->timer, jiffies + msecs_to_jiffies(timeout));
	}
	rcu_read_unlock();
	if (ret)
		goto dec_pending;
	*cookie = t->cookie;

	ret = aiot_xmit(an, dev, req->dest, skb);
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack, "transmit on the reader failed");
		if (aiot_txn_claim(t))
			aiot_txn_finish(t);
	}
	dev_put(dev);
	return ret;

dec_pending:
	atomic_dec(&an->npending);
free_skb:
	kfree_skb(skb);
free_txn:
	kfree(t);
put_dev:
	dev_put(dev);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_request_nn);

/* Start a transaction with a fresh NN: never reused (128 random bits). */
int aiot_request(struct aiot_net *an, const struct aiot_request *req,
		 u64 *cookie, struct netlink_ext_ack *extack)
{
	u8 nn[AIOT_NONCE_LEN];

	get_random_bytes(nn, sizeof(nn));
	return aiot_request_nn(an, req, nn, cookie, extack);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_request);

/*
 * The namespace is going away: end every transaction without an event.
 * No new one can start (an->dying is set), and no frame can arrive (its
 * interfaces are gone).
 */
void aiot_pending_destroy(struct aiot_net *an)
{
	struct rhashtable_iter iter;
	struct aiot_txn *t;

	/* Whoever saw an->dying false has inserted and armed by now. */
	synchronize_rcu();
	do {
		rhltable_walk_enter(&an->pending, &iter);
		rhashtable_walk_start(&iter);
		while ((t = rhashtable_walk_next(&iter))) {
			if (IS_ERR(t))
				continue;
			if (!aiot_txn_claim(t))
				continue;	/* its timer is finishing it */
			rhltable_remove(&an->pending, &t->node, txn_params);
			atomic_dec(&an->npending);
			if (del_timer_sync(&t->timer))
				txn_put(t);
			txn_put(t);
		}
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
		cond_resched();
	} while (atomic_read(&an->npending));
	/*
	 * An expiry that claimed its transaction has taken it out of the
	 * count but may still be running, in softirq context: wait for it.
	 */
	synchronize_rcu();
	rhltable_destroy(&an->pending);
}
