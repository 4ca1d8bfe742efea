// SPDX-License-Identifier: GPL-2.0
/*
 * Result and timeout events, multicast to the namespace's listeners on
 * AIOTSEC_GENL_MCGRP_EVENTS and unicast to the socket that asked for the
 * transaction (its requester). They are built in softirq context: an
 * event that cannot be allocated or sent is counted, never waited for. A
 * result event is allocated only for a response that has verified.
 *
 * A requester's results wait until the reply carrying their cookies has
 * gone (aiot_requester_open()): a result may be verified before the
 * request that started it has replied, and a requester must never see a
 * cookie before the reply that names it.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "aiotsec.h"

/* The requester of one AUTH/COMMAND message from @portid (not 0). */
struct aiot_requester *aiot_requester_new(struct aiot_net *an, u32 portid)
{
	struct aiot_requester *rq;

	rq = kzalloc(sizeof(*rq), GFP_KERNEL_ACCOUNT);
	if (!rq)
		return NULL;
	refcount_set(&rq->ref, 1);
	rq->portid = portid;
	rq->an = an;
	__skb_queue_head_init(&rq->held);
	spin_lock_bh(&an->rq_lock);
	list_add(&rq->list, &an->requesters);
	spin_unlock_bh(&an->rq_lock);
	return rq;
}

void aiot_requester_put(struct aiot_requester *rq)
{
	struct aiot_net *an = rq->an;

	if (!refcount_dec_and_test(&rq->ref))
		return;
	spin_lock_bh(&an->rq_lock);
	list_del(&rq->list);
	spin_unlock_bh(&an->rq_lock);
	/* Empty: its request opened or orphaned it before letting go. */
	__skb_queue_purge(&rq->held);
	kfree(rq);
}

/* Unicast one result to @rq; consumes @skb. */
static void requester_deliver(struct aiot_requester *rq, struct sk_buff *skb)
{
	struct aiot_net *an = rq->an;
	int ret;

	/* Non-blocking: a full receive buffer is -EAGAIN (and ENOBUFS there). */
	ret = genlmsg_unicast(an->net, skb, rq->portid);
	if (ret == -ECONNREFUSED)	/* gone, its notifier not run yet */
		aiot_count(an, AIOT_CTR_RESULTS_ORPHANED);
	else if (ret)
		aiot_count(an, AIOT_CTR_RESULTS_LOST);
}

/* The reply is out: deliver what waited for it, and the rest as it comes. */
void aiot_requester_open(struct aiot_requester *rq)
{
	struct aiot_net *an = rq->an;
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&an->rq_lock);
	rq->open = true;
	skb_queue_splice_init(&rq->held, &q);
	spin_unlock_bh(&an->rq_lock);
	while ((skb = __skb_dequeue(&q)))
		requester_deliver(rq, skb);
}

/* The reply failed: the requester never gets a result (it got the error). */
void aiot_requester_orphan(struct aiot_requester *rq)
{
	struct aiot_net *an = rq->an;
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&an->rq_lock);
	rq->orphaned = true;
	skb_queue_splice_init(&rq->held, &q);
	spin_unlock_bh(&an->rq_lock);
	while ((skb = __skb_dequeue(&q))) {
		aiot_count(an, AIOT_CTR_RESULTS_LOST);
		kfree_skb(skb);
	}
}

/* A copy of the finished event @skb for the transaction's requester. */
static void requester_send(struct aiot_requester *rq, struct sk_buff *skb)
{
	struct aiot_net *an = rq->an;
	struct sk_buff *copy;

	spin_lock_bh(&an->rq_lock);
	if (rq->orphaned) {
		spin_unlock_bh(&an->rq_lock);
		aiot_count(an, AIOT_CTR_RESULTS_ORPHANED);
		return;
	}
	copy = skb_clone(skb, GFP_ATOMIC);
	if (!copy) {
		spin_unlock_bh(&an->rq_lock);
		aiot_count(an, AIOT_CTR_RESULTS_LOST);
		return;
	}
	if (!rq->open) {
		__skb_queue_tail(&rq->held, copy);
		spin_unlock_bh(&an->rq_lock);
		return;
	}
	spin_unlock_bh(&an->rq_lock);
	requester_deliver(rq, copy);
}

/*
 * A generic netlink socket is released: its portid may be bound again by
 * another socket, which must not get results asked for by this one.
 * netlink_release() calls this in process context, the socket already out
 * of the portid table.
 */
static int requester_netlink_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct aiot_requester *rq;
	struct aiot_net *an;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	an = aiot_net(n->net);
	spin_lock_bh(&an->rq_lock);
	list_for_each_entry(rq, &an->requesters, list)
		if (rq->portid == n->portid)
			rq->orphaned = true;
	spin_unlock_bh(&an->rq_lock);
	return NOTIFY_DONE;
}

static struct notifier_block requester_notifier = {
	.notifier_call = requester_netlink_event,
};

int aiot_requester_notifier_init(void)
{
	return netlink_register_notifier(&requester_notifier);
}

void aiot_requester_notifier_exit(void)
{
	netlink_unregister_notifier(&requester_notifier);
}

/* A new event message with room for @payload bytes of payload or CAP. */
struct sk_buff *aiot_event_new(u8 cmd, size_t payload, void **hdr)
{
	size_t size = nla_total_size_64bit(sizeof(u64)) +	/* COOKIE */
		      nla_total_size(AIOTSEC_ID_LEN) +		/* DEV_ID */
		      nla_total_size(sizeof(u32)) * 2 +		/* IFINDEX, REJECTS */
		      nla_total_size(sizeof(u8)) * 2 +		/* POLICY, TXN_TYPE */
		      nla_total_size(payload);			/* PAYLOAD or CAP */
	struct sk_buff *skb = genlmsg_new(size, GFP_ATOMIC);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &aiot_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/*
 * Send a finished event of transaction @t (NULL: none): to its requester,
 * and to the events group.
 */
void aiot_event_send(struct aiot_net *an, const struct aiot_txn *t,
		     struct sk_buff *skb, void *hdr)
{
	int ret;

	/*
	 * Module unload closes every namespace, ends its transactions and
	 * waits a grace period before the family goes: an event of a
	 * namespace that was already dying then is not sent after it.
	 */
	rcu_read_lock();
	if (READ_ONCE(aiot_stopping)) {
		rcu_read_unlock();
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	if (t && t->rq)
		requester_send(t->rq, skb);
	ret = genlmsg_multicast_netns(&aiot_genl_family, an->net, skb, 0, 0,
				      GFP_ATOMIC);
	rcu_read_unlock();
	/*
	 * -ESRCH: nobody listens, which is not a loss. A listener whose
	 * receive buffer is full makes this fail only if it set
	 * NETLINK_BROADCAST_ERROR; others see the overrun as ENOBUFS.
	 */
	if (ret && ret != -ESRCH)
		aiot_count(an, AIOT_CTR_EVENTS_LOST);
}

/*
 * A transaction ended without a result: AIOTSEC_CMD_EVENT_TIMEOUT, or
 * AIOTSEC_CMD_EVENT_REJECTED when MAX_REJECTS responses failed to verify.
 */
void aiot_event_end(struct aiot_net *an, const struct aiot_txn *t, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	skb = aiot_event_new(cmd, 0, &hdr);
	if (!skb)
		goto lost;
	if (nla_put_u64_64bit(skb, AIOTSEC_A_COOKIE, t->cookie, AIOTSEC_A_PAD) ||
	    nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, t->id) ||
	    nla_put_u8(skb, AIOTSEC_A_TXN_TYPE, t->type) ||
	    nla_put_u32(skb, AIOTSEC_A_IFINDEX, t->ifindex) ||
	    nla_put_u32(skb, AIOTSEC_A_REJECTS, atomic_read(&t->rejects))) {
		nlmsg_free(skb);
		goto lost;
	}
	aiot_event_send(an, t, skb, hdr);
	return;
lost:
	aiot_count(an, AIOT_CTR_EVENTS_LOST);
}
