// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path: a frame of AIOTSEC_ETHERTYPE on a bound reader is
 * parsed, matched to the pending transactions with its correlation tag,
 * and verified against each one's device (the profile's order: policy
 * minimum, MAC, then protected ID). The first that verifies ends its
 * transaction and becomes an event; a frame that verifies nowhere is
 * dropped and counted, and leaves every transaction pending.
 *
 * No allocation but the result event; no lock but RCU.
 */
#include <linux/if_ether.h>
#include <linux/netdevice.h>

#include "aiotsec.h"

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
		      const struct aiot_msg *m)
{
	if (nla_put_u64_64bit(ev, AIOTSEC_A_COOKIE, t->cookie, AIOTSEC_A_PAD) ||
	    nla_put(ev, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, t->id) ||
	    nla_put_u32(ev, AIOTSEC_A_IFINDEX, t->ifindex) ||
	    nla_put_u8(ev, AIOTSEC_A_POLICY, m->policy))
		return -EMSGSIZE;
	if (t->type == AIOT_TXN_AUTH &&
	    nla_put(ev, AIOTSEC_A_CAP, m->caplen, m->cap))
		return -EMSGSIZE;
	return 0;
}

/* A response that verified for no transaction: charge every candidate. */
static void count_rejects(struct aiot_net *an, struct rhlist_head *list,
			  int ifindex, u8 type)
{
	struct rhlist_head *pos;
	struct aiot_device *d;
	struct aiot_txn *t;

	rhl_for_each_entry_rcu(t, pos, list, node) {
		if (t->ifindex != ifindex || t->type != type)
			continue;
		atomic_inc(&t->rejects);
		d = aiot_devtab_lookup(an, t->id);
		if (d)
			atomic_inc(type == AIOT_TXN_AUTH ? &d->stats.auth_fail :
							   &d->stats.cmd_fail);
		aiot_count(an, type == AIOT_TXN_AUTH ? AIOT_CTR_AUTH_FAIL :
						       AIOT_CTR_CMD_FAIL);
	}
}

/* Under rcu_read_lock(), as every packet handler runs. */
void aiot_rx_frame(struct aiot_net *an, int ifindex, const u8 *data,
		   size_t len)
{
	enum aiotsec_drop why = AIOTSEC_DROP_UNKNOWN_CT, err;
	struct rhlist_head *list, *pos;
	struct sk_buff *ev = NULL;
	struct aiot_device *d;
	struct aiot_txn *t;
	struct aiot_msg m;
	u8 *payload = NULL;
	void *hdr = NULL;
	bool tried = false;
	u8 type;
	u32 ct;

	err = aiot_parse(data, len, &m);
	if (err) {
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
		if (!ev) {
			ev = aiot_event_new(type == AIOT_TXN_AUTH ?
					    AIOTSEC_CMD_EVENT_AUTH :
					    AIOTSEC_CMD_EVENT_COMMAND,
					    max_t(size_t, m.plen, m.caplen), &hdr);
			if (!ev) {
				aiot_count(an, AIOT_CTR_EVENTS_LOST);
				return;
			}
			if (type == AIOT_TXN_COMMAND) {
				struct nlattr *a;

				a = nla_reserve(ev, AIOTSEC_A_PAYLOAD, m.plen);
				if (!a) {
					nlmsg_free(ev);
					aiot_count(an, AIOT_CTR_EVENTS_LOST);
					return;
				}
				payload = nla_data(a);
			}
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
			atomic_inc(&d->stats.auth_ok);
			aiot_count(an, AIOT_CTR_AUTH_OK);
		} else {
			atomic_inc(&d->stats.cmd_ok);
			aiot_count(an, AIOT_CTR_CMD_OK);
		}
		if (fill_event(ev, t, &m)) {
			aiot_count(an, AIOT_CTR_EVENTS_LOST);
			nlmsg_free(ev);
		} else {
			aiot_event_send(an, ev, hdr);
		}
		aiot_txn_finish(t);
		return;
	}
	if (tried && why != AIOTSEC_DROP_UNKNOWN_CT)
		count_rejects(an, list, ifindex, type);
	if (ev) {
		if (payload)
			memzero_explicit(payload, m.plen);
		nlmsg_free(ev);
	}
	aiot_count_drop(an, why);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_rx_frame);

static int aiot_rcv(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig_dev)
{
	struct aiot_net *an = aiot_net(dev_net(dev));

	aiot_count(an, AIOT_CTR_RX_FRAMES);
	if (skb->pkt_type == PACKET_OTHERHOST) {
		aiot_count_drop(an, AIOTSEC_DROP_OTHERHOST);
		goto drop;
	}
	if (!aiot_reader_bound(an, dev)) {
		aiot_count_drop(an, AIOTSEC_DROP_NO_READER);
		goto drop;
	}
	if (skb_is_nonlinear(skb)) {
		skb = skb_share_check(skb, GFP_ATOMIC);
		if (!skb || skb_linearize(skb)) {
			aiot_count_drop(an, AIOTSEC_DROP_SHORT);
			goto drop;
		}
	}
	aiot_rx_frame(an, dev->ifindex, skb->data, skb->len);
	consume_skb(skb);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static struct packet_type aiot_packet_type __read_mostly = {
	.type = cpu_to_be16(AIOTSEC_ETHERTYPE),
	.func = aiot_rcv,
};

int aiot_rx_init(void)
{
	dev_add_pack(&aiot_packet_type);
	return 0;
}

void aiot_rx_exit(void)
{
	dev_remove_pack(&aiot_packet_type);	/* waits for running handlers */
}
