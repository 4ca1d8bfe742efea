// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path: a frame of AIOTSEC_ETHERTYPE on a bound reader is
 * parsed, matched to the pending transactions with its correlation tag,
 * and verified against each one's device (the profile's order: policy
 * minimum, MAC, then protected ID). The first that verifies ends its
 * transaction and becomes an event; a frame that verifies nowhere is
 * dropped and counted against every candidate, and a candidate that has
 * collected its MAX_REJECTS ends as failed (AIOTSEC_CMD_EVENT_REJECTED)
 * where its device allows a 4-byte MAC.
 *
 * Verification writes into this CPU's scratch, with bottom halves off (the
 * path runs in softirq context, and KUnit calls it from process context).
 * No allocation but the event of a response that verified, none at all for
 * a forgery; no lock but RCU. A frame longer than any message is dropped
 * before a byte of it is copied; a nonlinear one is copied (at most
 * AIOT_MSG_MAX bytes) into the scratch, never linearized.
 */
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>

#include "aiotsec.h"

struct aiot_rx_scratch {
	u8 frame[AIOT_MSG_MAX];		/* a nonlinear frame, copied */
	u8 payload[AIOTSEC_PLEN_MAX];	/* a CMD_RESP payload, decrypted */
};

static struct aiot_rx_scratch __percpu *aiot_scratch;

static u8 txn_type_of(u8 msg_type)
{
	return msg_type == AIOT_MSG_AUTH_RESP ? AIOT_TXN_AUTH :
						   AIOT_TXN_COMMAND;
}

/* Verify @m for transaction @t of device @d, CMD_RESP payload to @payload. */
static enum aiotsec_drop verify(struct aiot_txn *t, struct aiot_device *d,
				const struct aiot_msg *m, u8 *payload)
{
	struct aiot_cred cred = { .id = d->id, .hk = &d->hk };

	if (t->type == AIOT_TXN_AUTH)
		return aiotf_auth_resp(&cred, t->nn, t->policy,
				       d->min_policy, m);
	return aiotf_cmd_resp(&cred, t->nn, d->min_policy, m, payload);
}

static int fill_event(struct sk_buff *ev, const struct aiot_txn *t,
		      const struct aiot_msg *m, const u8 *payload)
{
	if (nla_put_u64_64bit(ev, AIOTSEC_A_COOKIE, t->cookie, AIOTSEC_A_PAD) ||
	    nla_put(ev, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, t->id) ||
	    nla_put_u32(ev, AIOTSEC_A_IFINDEX, t->ifindex) ||
	    nla_put_u32(ev, AIOTSEC_A_REJECTS, atomic_read(&t->rejects)) ||
	    nla_put_u8(ev, AIOTSEC_A_POLICY, m->policy))
		return -EMSGSIZE;
	if (t->type == AIOT_TXN_AUTH)
		return nla_put(ev, AIOTSEC_A_CAP, m->caplen, m->cap);
	return nla_put(ev, AIOTSEC_A_PAYLOAD, m->plen, payload);
}

/* The result of a verified response: allocated only now. */
static void send_result(struct aiot_net *an, const struct aiot_txn *t,
			const struct aiot_msg *m, const u8 *payload)
{
	struct sk_buff *ev;
	void *hdr;

	ev = aiot_event_new(t->type == AIOT_TXN_AUTH ? AIOTSEC_CMD_EVENT_AUTH :
			    AIOTSEC_CMD_EVENT_COMMAND,
			    t->type == AIOT_TXN_AUTH ? m->caplen : m->plen, &hdr);
	if (!ev) {
		aiot_count(an, AIOT_CTR_EVENTS_LOST);
		return;
	}
	if (fill_event(ev, t, m, payload)) {
		aiot_count(an, AIOT_CTR_EVENTS_LOST);
		nlmsg_free(ev);
		return;
	}
	aiot_event_send(an, t, ev, hdr);
}

/*
 * MAX_REJECTS binds only a device whose minimum policy allows a 4-byte
 * MAC (ML = 0), where it stops a search of 2^32 MACs. With 8 or 16 bytes
 * no search is possible, and the CT is public: a cap would only let a
 * bystander end a genuine transaction with junk frames (PROTOCOL.md v1.1).
 */
static bool short_mac_allowed(const struct aiot_device *d)
{
	return !(d->min_policy & AIOTSEC_POL_ML_MASK);
}

/*
 * A response that verified for no transaction: charge every candidate.
 * The one whose count reaches its MAX_REJECTS ends as failed, where its
 * device allows a short MAC.
 */
static void count_rejects(struct aiot_net *an, struct rhlist_head *list,
			  int ifindex, u8 type)
{
	struct rhlist_head *pos;
	struct aiot_device *d;
	struct aiot_txn *t;
	u32 n;

	rhl_for_each_entry_rcu(t, pos, list, node) {
		if (t->ifindex != ifindex || t->type != type ||
		    test_bit(0, &t->done))
			continue;
		n = atomic_inc_return(&t->rejects);
		d = aiot_devtab_lookup(an, t->id);
		if (d)
			atomic64_inc(type == AIOT_TXN_AUTH ? &d->stats->auth_fail :
							     &d->stats->cmd_fail);
		aiot_count(an, type == AIOT_TXN_AUTH ? AIOT_CTR_AUTH_FAIL :
						       AIOT_CTR_CMD_FAIL);
		if (n >= t->max_rejects && d && short_mac_allowed(d) &&
		    aiot_txn_claim(t)) {
			aiot_event_end(an, t, AIOTSEC_CMD_EVENT_REJECTED);
			aiot_txn_finish(t);	/* RCU keeps @pos valid */
		}
	}
}

/* Under rcu_read_lock(), with @payload this CPU's scratch. */
static void rx_frame(struct aiot_net *an, int ifindex, const u8 *data,
		     size_t len, u8 *payload)
{
	enum aiotsec_drop why = AIOTSEC_DROP_UNKNOWN_CT, err;
	struct rhlist_head *list, *pos;
	struct aiot_device *d;
	struct aiot_txn *t;
	struct aiot_msg m;
	bool tried = false;
	u8 type;
	u32 ct;

	err = aiot_parse(data, len, &m);
	if (err) {
		aiot_count_drop(an, err);
		return;
	}
	if (m.type == AIOT_MSG_INV_RESP) {
		/* An inventory answer: round by CT, candidate by RID. */
		err = aiot_inv_rx(an, ifindex, &m);
		if (err)
			aiot_count_drop(an, err);
		return;
	}
	if (m.type != AIOT_MSG_AUTH_RESP && m.type != AIOT_MSG_CMD_RESP) {
		aiot_count_drop(an, AIOTSEC_DROP_NOT_RESPONSE);
		return;
	}
	type = txn_type_of(m.type);
	memcpy(&ct, m.ct, sizeof(ct));

	list = aiot_pending_lookup(an, ct);
	rhl_for_each_entry_rcu(t, pos, list, node) {
		if (t->ifindex != ifindex || t->type != type ||
		    test_bit(0, &t->done))
			continue;
		d = aiot_devtab_lookup(an, t->id);
		if (!d) {
			why = AIOTSEC_DROP_NO_DEVICE;
			continue;
		}
		tried = true;
		why = verify(t, d, &m, payload);
		if (why)
			continue;
		if (!aiot_txn_claim(t)) {
			/* Expired or answered on another CPU this instant. */
			why = AIOTSEC_DROP_UNKNOWN_CT;
			break;
		}
		if (type == AIOT_TXN_AUTH) {
			atomic64_inc(&d->stats->auth_ok);
			aiot_count(an, AIOT_CTR_AUTH_OK);
		} else {
			atomic64_inc(&d->stats->cmd_ok);
			aiot_count(an, AIOT_CTR_CMD_OK);
		}
		send_result(an, t, &m, payload);
		aiot_txn_finish(t);
		return;
	}
	if (tried && why != AIOTSEC_DROP_UNKNOWN_CT)
		count_rejects(an, list, ifindex, type);
	aiot_count_drop(an, why);
}

/* Under rcu_read_lock(), as every packet handler runs. */
void aiot_rx_frame(struct aiot_net *an, int ifindex, const u8 *data,
		   size_t len)
{
	u8 *payload;

	local_bh_disable();
	payload = this_cpu_ptr(aiot_scratch)->payload;
	rx_frame(an, ifindex, data, len, payload);
	memzero_explicit(payload, AIOTSEC_PLEN_MAX);
	local_bh_enable();
}
EXPORT_SYMBOL_IF_KUNIT(aiot_rx_frame);

int aiot_rcv(struct sk_buff *skb, struct net_device *dev,
	     struct packet_type *pt, struct net_device *orig_dev)
{
	struct aiot_reader *r = container_of(pt, struct aiot_reader, pt);
	struct aiot_net *an = r->an;
	struct aiot_rx_scratch *s;
	const u8 *data;

	/* Delivered for its lower device too (a VLAN on the reader). */
	if (dev != r->dev)
		goto drop;
	aiot_count(an, AIOT_CTR_RX_FRAMES);
	if (skb->pkt_type == PACKET_OTHERHOST) {
		aiot_count_drop(an, AIOTSEC_DROP_OTHERHOST);
		goto drop;
	}
	/* Longer than any message (and than any padding): bound first. */
	if (skb->len > AIOT_MSG_MAX) {
		aiot_count_drop(an, AIOTSEC_DROP_TRAILING);
		goto drop;
	}
	local_bh_disable();
	s = this_cpu_ptr(aiot_scratch);
	data = skb_header_pointer(skb, 0, skb->len, s->frame);
	if (data) {
		rx_frame(an, dev->ifindex, data, skb->len, s->payload);
		memzero_explicit(s->payload, AIOTSEC_PLEN_MAX);
	} else {
		aiot_count_drop(an, AIOTSEC_DROP_SHORT);
	}
	local_bh_enable();
	if (!data)
		goto drop;
	consume_skb(skb);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

int aiot_rx_init(void)
{
	aiot_scratch = alloc_percpu(struct aiot_rx_scratch);
	return aiot_scratch ? 0 : -ENOMEM;
}

/* After every reader is gone (their handlers with them). */
void aiot_rx_exit(void)
{
	free_percpu(aiot_scratch);
}
