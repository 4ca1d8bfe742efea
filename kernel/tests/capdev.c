// SPDX-License-Identifier: GPL-2.0
/* The capture interface of capdev.h. */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "capdev.h"

struct capdev {
	struct sk_buff_head txq;
	bool discard;
	unsigned int fail_ms;		/* 0, or: refuse after this long */
	capdev_hook_t hook;
	void *hook_arg;
};

static netdev_tx_t capdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct capdev *c = netdev_priv(dev);
	unsigned int fail_ms = READ_ONCE(c->fail_ms);
	capdev_hook_t hook = READ_ONCE(c->hook);

	if (fail_ms) {
		mdelay(fail_ms);
		kfree_skb(skb);
		return (netdev_tx_t)NET_XMIT_DROP;
	}
	if (hook)
		hook(READ_ONCE(c->hook_arg), skb);
	if (READ_ONCE(c->discard))
		consume_skb(skb);
	else
		skb_queue_tail(&c->txq, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops capdev_ops = {
	.ndo_start_xmit = capdev_xmit,
};

struct net_device *capdev_new(void)
{
	struct net_device *dev;
	struct capdev *c;

	dev = alloc_netdev(sizeof(*c), "aiotcap%d", NET_NAME_ENUM, ether_setup);
	if (!dev)
		return NULL;
	c = netdev_priv(dev);
	skb_queue_head_init(&c->txq);
	dev->netdev_ops = &capdev_ops;
	dev->priv_flags |= IFF_NO_QUEUE;
	eth_hw_addr_random(dev);
	rtnl_lock();
	if (register_netdevice(dev) || dev_open(dev, NULL)) {
		if (dev->reg_state == NETREG_REGISTERED)
			unregister_netdevice(dev);
		rtnl_unlock();
		free_netdev(dev);
		return NULL;
	}
	rtnl_unlock();
	return dev;
}

void capdev_free(struct net_device *dev)
{
	struct capdev *c = netdev_priv(dev);

	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
	skb_queue_purge(&c->txq);
	free_netdev(dev);
}

void capdev_discard(struct net_device *dev, bool discard)
{
	struct capdev *c = netdev_priv(dev);

	WRITE_ONCE(c->discard, discard);
	if (discard)
		skb_queue_purge(&c->txq);
}

void capdev_fail(struct net_device *dev, unsigned int delay_ms)
{
	struct capdev *c = netdev_priv(dev);

	WRITE_ONCE(c->fail_ms, delay_ms);
}

void capdev_set_hook(struct net_device *dev, capdev_hook_t hook, void *arg)
{
	struct capdev *c = netdev_priv(dev);

	WRITE_ONCE(c->hook_arg, arg);
	WRITE_ONCE(c->hook, hook);
}

struct sk_buff *capdev_take(struct net_device *dev, u16 proto)
{
	struct capdev *c = netdev_priv(dev);
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&c->txq))) {
		if (ntohs(((struct ethhdr *)skb->data)->h_proto) == proto)
			return skb;
		kfree_skb(skb);		/* IPv6 says hello when a link comes up */
	}
	return NULL;
}

/*
 * A frame of @proto from a random source to @dev: its Ethernet header put,
 * room for @room more bytes in its head. NULL if out of memory.
 */
static struct sk_buff *capdev_frame(struct net_device *dev, u16 proto,
				    int room)
{
	struct sk_buff *skb;
	struct ethhdr *eh;

	skb = alloc_skb(NET_IP_ALIGN + ETH_HLEN + room, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	eh = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eh->h_dest, dev->dev_addr);
	eth_random_addr(eh->h_source);
	eh->h_proto = htons(proto);
	return skb;
}

int capdev_inject(struct net_device *dev, u16 proto, const u8 *msg, int len)
{
	struct sk_buff *skb = capdev_frame(dev, proto, len);

	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, msg, len);
	skb->protocol = eth_type_trans(skb, dev);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	return 0;
}

int capdev_inject_frags(struct net_device *dev, u16 proto, const u8 *msg,
			int len)
{
	struct sk_buff *skb = capdev_frame(dev, proto, 0);
	int off = 0;

	if (!skb)
		return -ENOMEM;
	while (off < len) {
		int n = min_t(int, len - off, PAGE_SIZE);
		struct page *page;

		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS) {
			kfree_skb(skb);
			return -E2BIG;
		}
		page = alloc_page(GFP_KERNEL);
		if (!page) {
			kfree_skb(skb);
			return -ENOMEM;
		}
		memcpy(page_address(page), msg + off, n);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 0, n,
				PAGE_SIZE);
		off += n;
	}
	skb->protocol = eth_type_trans(skb, dev);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	return 0;
}
