/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A capture interface for in-kernel tests and benchmarks: an Ethernet
 * device whose transmit queues every frame for the caller to take (or
 * drops it, when told to), and a way to hand a frame to the stack as if
 * it had been received on it.
 */
#ifndef _AIOT_CAPDEV_H
#define _AIOT_CAPDEV_H

#include <linux/netdevice.h>

struct net_device *capdev_new(void);
void capdev_free(struct net_device *dev);
/* The oldest frame of @proto sent, MAC header first, or NULL. */
struct sk_buff *capdev_take(struct net_device *dev, u16 proto);
/* Drop what is sent from now on (true) or keep it (false). */
void capdev_discard(struct net_device *dev, bool discard);
/*
 * Refuse what is sent from now on (NET_XMIT_DROP), each frame after
 * @delay_ms of busy waiting in the transmit path; 0: stop refusing.
 */
void capdev_fail(struct net_device *dev, unsigned int delay_ms);
/* Called with every frame sent (bottom halves off), before it is kept. */
typedef void (*capdev_hook_t)(void *arg, struct sk_buff *skb);
void capdev_set_hook(struct net_device *dev, capdev_hook_t hook, void *arg);
/* Deliver @len bytes of @msg as a frame of @proto received on @dev. */
int capdev_inject(struct net_device *dev, u16 proto, const u8 *msg, int len);
/* The same, the message in page fragments (a nonlinear skb). */
int capdev_inject_frags(struct net_device *dev, u16 proto, const u8 *msg,
			int len);

#endif /* _AIOT_CAPDEV_H */
