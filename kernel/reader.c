// SPDX-License-Identifier: GPL-2.0
/*
 * Readers: the interfaces of a namespace bound to carry frames of
 * AIOTSEC_ETHERTYPE. Each has its own packet handler for its interface
 * alone (as TIPC's bearers do), added when it is bound and removed, with a
 * wait for running handlers, when it is unbound: a frame of any other
 * interface never reaches the module. The list changes under RTNL only
 * and is read under RCU; an interface that is unregistered is unbound by
 * the notifier, so no reference outlives it.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/rtnetlink.h>
#include <net/sch_generic.h>

#include "aiotsec.h"

static struct aiot_reader *reader_find(struct aiot_net *an,
				       const struct net_device *dev)
{
	struct aiot_reader *r;

	list_for_each_entry_rcu(r, &an->readers, list, lockdep_rtnl_is_held())
		if (r->dev == dev)
			return r;
	return NULL;
}

/* Under RTNL. */
int aiot_reader_add(struct aiot_net *an, struct net_device *dev,
		    struct netlink_ext_ack *extack)
{
	struct aiot_reader *r;

	ASSERT_RTNL();
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: not an Ethernet interface");
		return -EINVAL;
	}
	if (reader_find(an, dev)) {
		NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: interface is already a reader");
		return -EEXIST;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the reader");
		return -ENOMEM;
	}
	r->an = an;
	r->dev = dev;
	netdev_hold(dev, &r->tracker, GFP_KERNEL);
	/* Its own handler: frames of @dev only (TIPC's bearers do the same). */
	r->pt.type = cpu_to_be16(AIOTSEC_ETHERTYPE);
	r->pt.dev = dev;
	r->pt.func = aiot_rcv;
	list_add_tail_rcu(&r->list, &an->readers);
	dev_add_pack(&r->pt);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_reader_add);

/* Unlinked and its handler removed; free it once no handler runs. */
static void reader_release(struct aiot_reader *r)
{
	netdev_put(r->dev, &r->tracker);
	kfree_rcu(r, rcu);
}

/* Under RTNL: unbind one reader, waiting for its running handlers. */
static void reader_free(struct aiot_reader *r)
{
	aiot_inv_reader_gone(r->an, r->dev->ifindex);
	list_del_rcu(&r->list);
	dev_remove_pack(&r->pt);	/* synchronize_net() */
	reader_release(r);
}

/* Under RTNL. */
int aiot_reader_del(struct aiot_net *an, struct net_device *dev,
		    struct netlink_ext_ack *extack)
{
	struct aiot_reader *r;

	ASSERT_RTNL();
	r = reader_find(an, dev);
	if (!r) {
		NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: interface is not a reader");
		return -ENOENT;
	}
	reader_free(r);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_reader_del);

/*
 * Under RTNL: unbind every reader of the namespaces of @net_list (a batch
 * of dying ones), with one wait for running handlers for them all.
 */
void aiot_readers_flush_batch(struct list_head *net_list)
{
	struct aiot_reader *r, *tmp;
	LIST_HEAD(gone);
	struct net *net;

	ASSERT_RTNL();
	list_for_each_entry(net, net_list, exit_list) {
		list_for_each_entry_safe(r, tmp, &aiot_net(net)->readers, list) {
			list_del_rcu(&r->list);
			__dev_remove_pack(&r->pt);
			list_add(&r->list, &gone);
		}
	}
	if (list_empty(&gone))
		return;
	synchronize_net();
	list_for_each_entry_safe(r, tmp, &gone, list)
		reader_release(r);
}

/* Under RCU. */
bool aiot_reader_bound(struct aiot_net *an, const struct net_device *dev)
{
	return reader_find(an, dev);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_reader_bound);

/*
 * The interface a request goes out on: @ifindex if it is a bound reader,
 * or the first reader when @ifindex is 0. Returns it held with @tracker
 * (netdev_put() it), or NULL.
 */
struct net_device *aiot_reader_pick(struct aiot_net *an, int ifindex,
				    netdevice_tracker *tracker)
{
	struct net_device *dev = NULL;
	struct aiot_reader *r;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &an->readers, list) {
		if (!ifindex || r->dev->ifindex == ifindex) {
			dev = r->dev;
			netdev_hold(dev, tracker, GFP_ATOMIC);
			break;
		}
	}
	rcu_read_unlock();
	return dev;
}

/* A frame with room for @len bytes of message after the link header. */
struct sk_buff *aiot_alloc_frame(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + len + dev->needed_tailroom,
			GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	skb_put(skb, len);
	return skb;
}

/*
 * Can @dev carry a frame now? Up, running, with carrier, and a qdisc that
 * is not noop_qdisc (what a deactivated interface has: it drops and says
 * NET_XMIT_CN).
 */
static bool reader_can_send(struct net_device *dev)
{
	return (dev->flags & IFF_UP) && netif_running(dev) &&
	       netif_carrier_ok(dev) &&
	       rcu_access_pointer(netdev_get_tx_queue(dev, 0)->qdisc) !=
	       &noop_qdisc;
}

/*
 * Send a built message to @dest (NULL: broadcast). Consumes @skb. A frame
 * counts as sent only if the interface took it.
 */
int aiot_xmit(struct aiot_net *an, struct net_device *dev, const u8 *dest,
	      struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	int ret;

	if (skb->len > dev->mtu) {
		kfree_skb(skb);
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_PAYLOAD: the message is longer than the reader's MTU (AIOTSEC_A_IFINDEX)");
		return -EMSGSIZE;
	}
	if (!reader_can_send(dev)) {
		kfree_skb(skb);
		goto down;
	}
	skb->dev = dev;
	skb->protocol = htons(AIOTSEC_ETHERTYPE);
	if (dev_hard_header(skb, dev, AIOTSEC_ETHERTYPE,
			    dest ? dest : dev->broadcast, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_IFINDEX: cannot build the link header");
		return -EINVAL;
	}
	ret = dev_queue_xmit(skb);
	/* Congestion on a live qdisc: queued, or dropped like any frame. */
	if (ret == NET_XMIT_SUCCESS ||
	    (ret == NET_XMIT_CN && reader_can_send(dev))) {
		aiot_count(an, AIOT_CTR_TX_FRAMES);
		return 0;
	}
	if (ret == NET_XMIT_CN)
		goto down;
	NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: transmit on the reader failed");
	return ret < 0 ? ret : -ENOBUFS;
down:
	NL_SET_ERR_MSG_MOD(extack,
			   "AIOTSEC_A_IFINDEX: the reader is down (not running, no carrier or no qdisc)");
	return -ENETDOWN;
}

static int aiot_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct aiot_reader *r;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	r = reader_find(aiot_net(dev_net(dev)), dev);
	if (r)
		reader_free(r);
	return NOTIFY_DONE;
}

static struct notifier_block aiot_netdev_nb = {
	.notifier_call = aiot_netdev_event,
};

int aiot_reader_init(void)
{
	return register_netdevice_notifier(&aiot_netdev_nb);
}

void aiot_reader_exit(void)
{
	unregister_netdevice_notifier(&aiot_netdev_nb);
}
