// SPDX-License-Identifier: GPL-2.0
/*
 * Result and timeout events, multicast to the namespace's listeners on
 * AIOTSEC_GENL_MCGRP_EVENTS and queued on the socket that asked for the
 * transaction (its requester). They are built in softirq context: an
 * event that cannot be allocated or sent is counted, never waited for. A
 * result event is allocated only for a response that has verified.
 *
 * A requester's results are queued on its socket object, held by
 * reference from the request (sock_queue_rcv_skb()), never unicast by
 * portid: af_netlink frees a portid before it tells anyone that its
 * socket is gone, and a socket that binds it in between must not get
 * device IDs, capabilities or decrypted payloads. A dead socket gets
 * nothing (counted orphaned); closing a socket costs this module nothing.
 *
 * Results wait until the reply carrying their cookies has gone
 * (aiot_requester_open()): a result may be verified before the request
 * that started it has replied, and a requester must never see a cookie
 * before the reply that names it.
 */
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "aiotsec.h"

/*
 * The requester of one AUTH/COMMAND message with sequence number @seq,
 * sent by socket @sk (a user socket: NETLINK_CB() of the request).
 */
struct aiot_requester *aiot_requester_new(struct aiot_net *an,
					  struct sock *sk, u32 seq)
{
	struct aiot_requester *rq;

	rq = kzalloc(sizeof(*rq), GFP_KERNEL_ACCOUNT);
	if (!rq)
		return NULL;
	refcount_set(&rq->ref, 1);
	spin_lock_init(&rq->lock);
	__skb_queue_head_init(&rq->held);
	sock_hold(sk);
	rq->sk = sk;
	rq->seq = seq;
	rq->an = an;
	return rq;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_requester_new);

/* May run in softirq context (the last transaction's put). */
void aiot_requester_put(struct aiot_requester *rq)
{
	struct sk_buff *skb;

	if (!refcount_dec_and_test(&rq->ref))
		return;
	/* Empty once its request opened it. */
	while ((skb = __skb_dequeue(&rq->held)))
		kfree_skb(skb);
	sock_put(rq->sk);
	kfree(rq);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_requester_put);

/* Queue one result on @rq's socket; consumes @skb. */
static void requester_deliver(struct aiot_requester *rq, struct sk_buff *skb)
{
	struct aiot_net *an = rq->an;
	struct sock *sk = rq->sk;

	if (sock_flag(sk, SOCK_DEAD)) {		/* closed: nobody to read it */
		aiot_count(an, AIOT_CTR_RESULTS_ORPHANED);
		kfree_skb(skb);
		return;
	}
	if (sock_queue_rcv_skb(sk, skb)) {	/* receive buffer full */
		aiot_count(an, AIOT_CTR_RESULTS_LOST);
		kfree_skb(skb);
		/* As netlink reports an overrun: ENOBUFS on the next read. */
		WRITE_ONCE(sk->sk_err, ENOBUFS);
		sk_error_report(sk);
	}
}

/*
 * The request has replied, or tried to: deliver what waited, and the
 * rest as it comes. Called whether or not the reply could be queued: its
 * frames are on the air, and their results are the requester's.
 */
void aiot_requester_open(struct aiot_requester *rq)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&rq->lock);
	rq->open = true;
	skb_queue_splice_init(&rq->held, &q);
	spin_unlock_bh(&rq->lock);
	while ((skb = __skb_dequeue(&q)))
		requester_deliver(rq, skb);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_requester_open);

/* A copy of the finished event @skb for the transaction's requester. */
static void requester_send(struct aiot_requester *rq, struct sk_buff *skb)
{
	struct sk_buff *copy;

	copy = skb_clone(skb, GFP_ATOMIC);
	if (!copy) {
		aiot_count(rq->an, AIOT_CTR_RESULTS_LOST);
		return;
	}
	spin_lock_bh(&rq->lock);
	if (!rq->open) {
		__skb_queue_tail(&rq->held, copy);
		spin_unlock_bh(&rq->lock);
		return;
	}
	spin_unlock_bh(&rq->lock);
	requester_deliver(rq, copy);
}

/* A new event message with room for @payload bytes of payload or CAP. */
struct sk_buff *aiot_event_new(u8 cmd, size_t payload, void **hdr)
{
	size_t size = nla_total_size_64bit(sizeof(u64)) +	/* COOKIE */
		      nla_total_size(AIOTSEC_ID_LEN) +		/* DEV_ID */
		      nla_total_size(sizeof(u32)) * 3 +		/* IFINDEX, REJECTS, SEQ */
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
EXPORT_SYMBOL_IF_KUNIT(aiot_event_new);

/*
 * Send a finished event of transaction @t (NULL: none): to its requester,
 * and to the events group.
 */
void aiot_event_send(struct aiot_net *an, const struct aiot_txn *t,
		     struct sk_buff *skb, void *hdr)
{
	aiot_event_send_rq(an, t ? t->rq : NULL, skb, hdr);
}

/* The same for requester @rq (NULL: the group only), an inventory's too. */
void aiot_event_send_rq(struct aiot_net *an, struct aiot_requester *rq,
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
	/* Sized for it in aiot_event_new(). */
	if (rq && nla_put_u32(skb, AIOTSEC_A_SEQ, rq->seq)) {
		rcu_read_unlock();
		nlmsg_free(skb);
		aiot_count(an, AIOT_CTR_EVENTS_LOST);
		return;
	}
	genlmsg_end(skb, hdr);
	if (rq)
		requester_send(rq, skb);
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
EXPORT_SYMBOL_IF_KUNIT(aiot_event_send);

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
