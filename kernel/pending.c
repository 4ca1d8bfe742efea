/*
 * Pending transactions, found by correlation tag (NN[0..3]) in O(1). Tags
 * may collide: the table is a hash list and a response is tried against
 * every transaction with its tag. A transaction ends exactly once, by
 * success, by expiry, by too many failed verifications or by cancel:
 * whoever sets its done bit first finishes it.
 *
 * References: one for the table, one for the timer, one for the request
 * that starts it (held until the request returns). A transaction holds
 * its requester (struct aiot_requester) until it is freed. The last put frees it
 * after an RCU grace period (the receive path walks the table under RCU).
 *
 * Order of a request: in the table, frame sent, reply sent, timer armed.
 * The timer is armed last, so that no expiry can be reported for a
 * request that fails; a transaction that ended before its timer was armed
 * has its timer stopped again by the request (txn_arm()).
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

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

/* Drop a reference; the last one frees @t after a grace period. */
void aiot_txn_put(struct aiot_txn *t)
{
	if (refcount_dec_and_test(&t->ref)) {
		if (t->rq)
			aiot_requester_put(t->rq);
		memzero_explicit(t->nn, sizeof(t->nn));
		kfree_rcu(t, rcu);
	}
}
EXPORT_SYMBOL_IF_KUNIT(aiot_txn_put);

/* One transaction fewer; aiot_pending_stop() waits for the count to drain. */
static void pending_dec(struct aiot_net *an)
{
	if (atomic_dec_and_test(&an->npending))
		wake_up_var(&an->npending);
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
	pending_dec(an);
	if (del_timer(&t->timer))
		aiot_txn_put(t);	/* the timer's reference */
	aiot_txn_put(t);		/* the table's reference */
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
		aiot_event_end(an, t, AIOTSEC_CMD_EVENT_TIMEOUT);
		rhltable_remove(&an->pending, &t->node, txn_params);
		pending_dec(an);
		aiot_txn_put(t);	/* the table's reference */
	}
	aiot_txn_put(t);		/* the timer's reference */
}

/*
 * Arm the timer of a published transaction (the caller holds a
 * reference). If it ended meanwhile, its finisher found no timer to stop:
 * stop it here. del_timer() and mod_timer() serialise on the timer's
 * base, so either the finisher's del_timer() sees the timer armed, or
 * this sees the done bit.
 */
static void txn_arm(struct aiot_txn *t, u32 timeout_ms)
{
	mod_timer(&t->timer, jiffies + msecs_to_jiffies(timeout_ms));
	smp_mb();	/* the done bit is read after the timer is queued */
	if (test_bit(0, &t->done) && del_timer(&t->timer))
		aiot_txn_put(t);	/* the timer's reference */
}

/* Under rcu_read_lock(). */
struct rhlist_head *aiot_pending_lookup(struct aiot_net *an, u32 ct)
{
	return rhltable_lookup(&an->pending, &ct, txn_params);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pending_lookup);

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
 * Room in the pending table for @n transactions, taken at once so that a
 * batch either fits whole or not at all. aiot_txn_start() consumes one
 * unit, whether it succeeds or not.
 */
int aiot_pending_reserve(struct aiot_net *an, unsigned int n,
			 struct netlink_ext_ack *extack)
{
	if (atomic_add_return(n, &an->npending) > READ_ONCE(an->max_pending)) {
		aiot_pending_unreserve(an, n);
		NL_SET_ERR_MSG_MOD(extack, "pending table is full (AIOTSEC_A_MAX_PENDING)");
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pending_reserve);

void aiot_pending_unreserve(struct aiot_net *an, unsigned int n)
{
	if (atomic_sub_and_test(n, &an->npending))
		wake_up_var(&an->npending);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pending_unreserve);

/*
 * Start a transaction with Network Nonce @nn on reader @dev (the caller
 * holds it), in room reserved with aiot_pending_reserve(): request built
 * with the device's key, entered in the pending table, frame sent. On
 * success *tp is published and holds the starting request's reference and
 * the timer's (not armed yet): the caller ends it with aiot_txn_commit()
 * or aiot_txn_cancel(). On failure nothing of it is left and no event
 * follows.
 */
int aiot_txn_start(struct aiot_net *an, const struct aiot_request *req,
		   struct net_device *dev, const u8 *nn, struct aiot_txn **tp,
		   struct netlink_ext_ack *extack)
{
	struct aiot_device *d;
	struct sk_buff *skb;
	struct aiot_txn *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the transaction");
		ret = -ENOMEM;
		goto unreserve;
	}
	t->an = an;
	t->type = req->type;
	t->ifindex = dev->ifindex;
	t->max_rejects = READ_ONCE(an->max_rejects);
	memcpy(t->id, req->id, AIOTSEC_ID_LEN);
	memcpy(t->nn, nn, sizeof(t->nn));
	memcpy(&t->ct, t->nn, sizeof(t->ct));
	t->cookie = atomic64_inc_return(&an->next_cookie);
	refcount_set(&t->ref, 3);	/* table, timer, this request */
	timer_setup(&t->timer, txn_expire, 0);

	/* Room for the longest MAC: the policy is known only under RCU. */
	skb = aiot_alloc_frame(dev, t->type == AIOT_TXN_AUTH ? aiot_paging_len() :
			       aiot_command_len(2 << AIOTSEC_POL_ML_SHIFT, req->plen));
	if (!skb) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the frame");
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
	/*
	 * Against the device the frame is built from: a replacement that
	 * raised its minimum after netlink's early check is not missed.
	 */
	if (req->policy >= 0 &&
	    !aiot_policy_meets(req->policy, d->min_policy,
			       t->type == AIOT_TXN_AUTH ? AIOT_MSG_AUTH_RESP :
							  AIOT_MSG_COMMAND)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_POLICY: below the device's AIOTSEC_DEV_A_MIN_POLICY");
		ret = -EINVAL;
		goto free_skb;
	}
	ret = build_request(t, d, req, skb);
	rcu_read_unlock();
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_POLICY: the request cannot be built with this policy");
		goto free_skb;
	}

	/*
	 * In the table before the frame leaves: the answer may be quick.
	 * The RCU section orders this against aiot_pending_stop().
	 */
	rcu_read_lock();
	if (aiot_net_closed(an)) {
		NL_SET_ERR_MSG_MOD(extack, "the namespace or the module is going away");
		ret = -ENODEV;
	} else {
		/* Before it is published: the receive path may read it. */
		if (req->rq) {
			refcount_inc(&req->rq->ref);
			t->rq = req->rq;
		}
		ret = rhltable_insert(&an->pending, &t->node, txn_params);
		if (ret)
			NL_SET_ERR_MSG_MOD(extack, "the pending table refused the transaction");
	}
	rcu_read_unlock();
	if (ret)
		goto put_rq;

	/* Published: from here on @t is ended by claim and finish. */
	ret = aiot_xmit(an, dev, req->dest, skb, extack);
	if (ret) {
		aiot_txn_cancel(t);
		return ret;
	}
	*tp = t;
	return 0;

put_rq:
	if (t->rq)
		aiot_requester_put(t->rq);
free_skb:
	kfree_skb(skb);
free_txn:
	kfree(t);
unreserve:
	pending_dec(an);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_txn_start);

/* A started transaction goes ahead: its timer runs from now. */
void aiot_txn_commit(struct aiot_txn *t, u32 timeout_ms)
{
	txn_arm(t, timeout_ms ?: READ_ONCE(t->an->timeout_ms));
	aiot_txn_put(t);		/* the starting request's reference */
}
EXPORT_SYMBOL_IF_KUNIT(aiot_txn_commit);

/* A started transaction is dropped (its request failed): no event. */
void aiot_txn_cancel(struct aiot_txn *t)
{
	if (aiot_txn_claim(t))
		aiot_txn_finish(t);
	/* The timer was never armed: its reference is dropped here. */
	aiot_txn_put(t);
	aiot_txn_put(t);		/* the starting request's reference */
}
EXPORT_SYMBOL_IF_KUNIT(aiot_txn_cancel);

/*
 * Start one transaction with Network Nonce @nn and go through with it:
 * aiot_txn_start(), then req->sent, then the timer. On success *cookie
 * identifies the result event to come. On failure nothing was sent,
 * nothing of the transaction is left and no event is sent for it: once
 * its frame is out, a transaction is never dropped. (KUnit calls this
 * directly to make correlation tags collide.)
 */
VISIBLE_IF_KUNIT int aiot_request_nn(struct aiot_net *an,
				     const struct aiot_request *req,
				     const u8 *nn, u64 *cookie,
				     struct netlink_ext_ack *extack)
{
	netdevice_tracker tracker;
	struct net_device *dev;
	struct aiot_txn *t;
	int ret;

	dev = aiot_reader_pick(an, req->ifindex, &tracker);
	if (!dev) {
		if (req->ifindex)
			NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: interface is not a reader");
		else
			NL_SET_ERR_MSG_MOD(extack, "no reader is bound (AIOTSEC_CMD_ADD_READER)");
		return -ENODEV;
	}
	ret = aiot_pending_reserve(an, 1, extack);
	if (!ret)
		ret = aiot_txn_start(an, req, dev, nn, &t, extack);
	if (!ret) {
		/* On the air: it goes ahead, whatever becomes of the reply. */
		if (req->sent)
			req->sent(req->sent_arg, t->cookie);
		*cookie = t->cookie;
		aiot_txn_commit(t, req->timeout_ms);
	}
	netdev_put(dev, &tracker);
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
 * One walk over the table, ending what nobody has claimed. Returns how
 * many it ended: a walk that removes entries may skip some when it
 * resumes, so the caller walks again until one ends none.
 */
static unsigned int pending_stop_pass(struct aiot_net *an)
{
	struct rhashtable_iter iter;
	unsigned int n = 0;
	struct aiot_txn *t;

	rhltable_walk_enter(&an->pending, &iter);
	rhashtable_walk_start(&iter);
	while ((t = rhashtable_walk_next(&iter))) {
		if (IS_ERR(t))
			continue;
		if (!aiot_txn_claim(t))
			continue;	/* being finished elsewhere */
		rhltable_remove(&an->pending, &t->node, txn_params);
		pending_dec(an);
		n++;
		rhashtable_walk_stop(&iter);
		/* Outside the walk's RCU section: may wait for an expiry. */
		if (del_timer_sync(&t->timer))
			aiot_txn_put(t);
		aiot_txn_put(t);
		rhashtable_walk_start(&iter);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return n;
}

/*
 * End every transaction of @an without an event. The caller has closed
 * @an to new ones (aiot_net_closed()) and waited for a grace period since,
 * so whoever saw it open has inserted by now. A transaction that another
 * CPU has claimed is being finished there: sleep until the count drains
 * (every decrement to zero wakes us). What still runs after that in
 * softirq context (the tail of an expiry or of a receive) is waited for
 * by the caller's next grace period.
 */
void aiot_pending_stop(struct aiot_net *an)
{
	while (pending_stop_pass(an))
		cond_resched();
	wait_var_event(&an->npending, !atomic_read(&an->npending));
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pending_stop);

/* After aiot_pending_stop() and a grace period: free the table. */
void aiot_pending_destroy(struct aiot_net *an)
{
	rhltable_destroy(&an->pending);
}
