// SPDX-License-Identifier: GPL-2.0
/*
 * Result and timeout events, multicast to the namespace's listeners on
 * AIOTSEC_GENL_MCGRP_EVENTS. They are built in softirq context: an event
 * that cannot be allocated or sent is counted, never waited for. A result
 * event is allocated only for a response that has verified.
 */
#include "aiotsec.h"

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

void aiot_event_send(struct aiot_net *an, struct sk_buff *skb, void *hdr)
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
	ret = genlmsg_multicast_netns(&aiot_genl_family, an->net, skb, 0, 0,
				      GFP_ATOMIC);
	rcu_read_unlock();
	/* -ESRCH: nobody listens, which is not a loss. */
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
	aiot_event_send(an, skb, hdr);
	return;
lost:
	aiot_count(an, AIOT_CTR_EVENTS_LOST);
}
