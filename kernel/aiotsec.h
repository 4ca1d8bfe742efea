/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aiotsec.ko internals: the per-namespace state and the pieces that act on
 * it. The protocol itself (codec, derivations, the network role, the
 * primitives) is proto/, which user space builds too. Each .c file here
 * owns one concern:
 *   netns.c    per-namespace state, settings
 *   devtab.c   device table (ID -> key, policies, counters), RCU lookups
 *   pending.c  pending transactions by correlation tag, expiry
 *   reader.c   bound interfaces (a packet handler each), transmit
 *   rx.c       receive path: frame -> verified result
 *   netlink.c  the generic netlink family (uapi/linux/aiotsec.h)
 *   inventory.c  inventory rounds (v1.1): candidates, RIDs, answers
 *   invtab.c     a round's candidates and RID table (32 bytes a candidate)
 *   events.c   result and timeout events
 *   stats.c    counters
 */
#ifndef _AIOTSEC_H
#define _AIOTSEC_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "proto.h"

/* ---- counters (stats.c) ------------------------------------------------ */

enum aiot_ctr {
	AIOT_CTR_RX_FRAMES,
	AIOT_CTR_TX_FRAMES,
	AIOT_CTR_AUTH_OK,
	AIOT_CTR_AUTH_FAIL,
	AIOT_CTR_CMD_OK,
	AIOT_CTR_CMD_FAIL,
	AIOT_CTR_TIMEOUTS,
	AIOT_CTR_EVENTS_LOST,
	AIOT_CTR_RESULTS_LOST,
	AIOT_CTR_RESULTS_ORPHANED,
	AIOT_CTR_INV_ROUNDS,
	AIOT_CTR_INV_FOUND,
	AIOT_CTR_INV_FAIL,
	AIOT_CTR_NUM
};

/* Per-CPU: the hot path never writes a cache line another CPU writes. */
struct aiot_pcpu_stats {
	u64_stats_t ctr[AIOT_CTR_NUM];
	u64_stats_t drop[__AIOTSEC_DROP_MAX];
	struct u64_stats_sync syncp;
};

struct aiot_stats_snapshot {
	u64 ctr[AIOT_CTR_NUM];
	u64 drop[__AIOTSEC_DROP_MAX];
};

/*
 * Per device: touched only by that device's own transactions. An object
 * of its own, shared by a device and the one that replaces it: the
 * receive path may still count on the old entry during and after the
 * replacement (until its grace period ends), and those counts must land
 * in the counters that the new entry reports. Freed with the last device
 * that points to it (after that device's grace period).
 */
struct aiot_dev_stats {
	refcount_t ref;			/* devices pointing here */
	atomic64_t auth_ok, auth_fail, cmd_ok, cmd_fail, timeouts;
};

/* ---- per-namespace state (netns.c) -------------------------------------- */

struct aiot_net {
	struct net *net;
	struct mutex lock;		/* serialises changes to devices */
	struct rhashtable devices;	/* struct aiot_device, by ID */
	atomic_t ndevices;
	atomic_t dev_gen;		/* bumped by every device change */
	struct rhltable pending;	/* struct aiot_txn, by CT */
	atomic_t npending;
	atomic64_t next_cookie;
	struct list_head readers;	/* struct aiot_reader; RTNL, RCU */
	unsigned int reader_gen;	/* RTNL: bumped by reader add/del */
	u32 timeout_ms;			/* settings: READ_ONCE/WRITE_ONCE */
	u32 max_pending;
	u32 max_devices;
	u32 max_rejects;
	u32 min_group;			/* inventory: MIN_GROUP */
	u32 max_rounds;
	struct list_head rounds;	/* struct aiot_round; RCU */
	spinlock_t rounds_lock;		/* changes to @rounds; BH */
	atomic_t nrounds;		/* in flight, reserved ones included */
	struct aiot_pcpu_stats __percpu *stats;
	bool dying;			/* no new transactions */
};

extern bool aiot_stopping;		/* module unload: no new transactions */

/* Under rcu_read_lock(): no transaction may start in @an. */
static inline bool aiot_net_closed(const struct aiot_net *an)
{
	return READ_ONCE(an->dying) || READ_ONCE(aiot_stopping);
}

extern unsigned int aiot_net_id;

static inline struct aiot_net *aiot_net(const struct net *net)
{
	return net_generic(net, aiot_net_id);
}

int aiot_netns_init(void);
void aiot_netns_stop(void);
void aiot_netns_exit(void);

/* ---- devices (devtab.c) ------------------------------------------------- */

struct aiot_device {
	struct rhash_head node;
	u8 id[AIOTSEC_ID_LEN];
	struct aiot_hkey hk;		/* prepared key; the key is not kept */
	u8 key_len;
	u8 policy;			/* default request policy */
	u8 min_policy;			/* weakest response accepted */
	u8 group[AIOTSEC_GROUP_LEN];	/* public inventory group (v1.1) */
	struct aiot_dev_stats *stats;	/* never NULL while in the table */
	struct rcu_head rcu;
};

/* A device as a request describes it, before it enters the table. */
struct aiot_dev_spec {
	u8 id[AIOTSEC_ID_LEN];
	const u8 *key;			/* points into the request */
	u8 key_len;
	u8 policy;
	u8 min_policy;
	u8 group[AIOTSEC_GROUP_LEN];	/* all zero unless given */
};

/* Where and why a device request failed. */
struct aiot_dev_err {
	int index;			/* device at fault, or -1 */
	struct netlink_ext_ack *extack;	/* gets a message naming the attribute */
};

int aiot_devtab_cache_init(void);
void aiot_devtab_cache_exit(void);
int aiot_devtab_init(struct aiot_net *an);
void aiot_devtab_destroy(struct aiot_net *an);
struct aiot_device *aiot_devtab_lookup(struct aiot_net *an, const u8 *id);
int aiot_devtab_check_spec(const struct aiot_dev_spec *s,
			   struct netlink_ext_ack *extack);
int aiot_devtab_add(struct aiot_net *an, const struct aiot_dev_spec *specs,
		    unsigned int n, bool replace, struct aiot_dev_err *err);
int aiot_devtab_del(struct aiot_net *an, const u8 *ids, unsigned int n,
		    struct aiot_dev_err *err);
void aiot_devtab_flush(struct aiot_net *an);
void aiot_devtab_count_timeout(struct aiot_net *an, const u8 *id);
#if IS_ENABLED(CONFIG_KUNIT)
size_t aiot_devtab_obj_size(void);
#endif

/* ---- readers (reader.c) ------------------------------------------------- */

/*
 * A bound interface. Its own packet handler (.dev set) sees only its
 * frames: frames of other interfaces never enter the module.
 */
struct aiot_reader {
	struct list_head list;
	struct packet_type pt;
	struct aiot_net *an;
	struct net_device *dev;
	netdevice_tracker tracker;
	struct rcu_head rcu;
};

int aiot_reader_add(struct aiot_net *an, struct net_device *dev,
		    struct netlink_ext_ack *extack);
int aiot_reader_del(struct aiot_net *an, struct net_device *dev,
		    struct netlink_ext_ack *extack);
bool aiot_reader_bound(struct aiot_net *an, const struct net_device *dev);
struct net_device *aiot_reader_pick(struct aiot_net *an, int ifindex,
				    netdevice_tracker *tracker);
int aiot_xmit(struct aiot_net *an, struct net_device *dev, const u8 *dest,
	      struct sk_buff *skb, struct netlink_ext_ack *extack);
struct sk_buff *aiot_alloc_frame(struct net_device *dev, unsigned int len);
int aiot_reader_init(void);
void aiot_reader_exit(void);
void aiot_readers_flush_batch(struct list_head *net_list);

/* ---- requesters (events.c) --------------------------------------------- */

/*
 * One AUTH/COMMAND message and the socket that sent it, shared by the
 * transactions it started (each holds a reference). Its results are
 * queued on that socket object itself (held by reference), never sent by
 * portid: a socket that later binds the same portid cannot get them, and
 * closing a socket walks nothing. Until the reply carrying their cookies
 * is out (aiot_requester_open()), results wait in @held.
 */
struct aiot_requester {
	refcount_t ref;
	spinlock_t lock;		/* @open, @held; taken in softirq */
	bool open;
	u32 seq;			/* nlmsg_seq of the request */
	struct sk_buff_head held;	/* results before the reply */
	struct sock *sk;		/* the requesting socket, held */
	struct aiot_net *an;
};

struct aiot_requester *aiot_requester_new(struct aiot_net *an,
					  struct sock *sk, u32 seq);
void aiot_requester_put(struct aiot_requester *rq);
void aiot_requester_open(struct aiot_requester *rq);

/* ---- transactions (pending.c) ------------------------------------------ */

enum aiot_txn_type {
	AIOT_TXN_AUTH = AIOTSEC_CMD_AUTH,
	AIOT_TXN_COMMAND = AIOTSEC_CMD_COMMAND,
};

struct aiot_txn {
	struct rhlist_head node;
	u32 ct;				/* key: NN[0..3] */
	u8 type;			/* enum aiot_txn_type */
	u8 policy;			/* of the request */
	int ifindex;			/* reader it went out on */
	u8 nn[AIOT_NONCE_LEN];
	u8 id[AIOTSEC_ID_LEN];
	u64 cookie;
	atomic_t rejects;		/* responses that failed verification */
	u32 max_rejects;		/* ends it as failed when reached */
	unsigned long done;		/* bit 0: claimed, being finished */
	refcount_t ref;			/* table, timer, starting request */
	struct timer_list timer;
	struct aiot_net *an;
	struct aiot_requester *rq;	/* NULL: results go only to the group */
	struct rcu_head rcu;
};

struct aiot_request {
	u8 type;
	const u8 *id;
	int ifindex;			/* 0: first reader */
	int policy;			/* -1: the device's */
	u32 timeout_ms;			/* 0: the namespace default */
	const u8 *payload;
	u16 plen;
	const u8 *dest;			/* NULL: broadcast */
	/*
	 * Optional: called once the frame is sent, before the timer is
	 * armed. Netlink sends its reply here. The frame is on the air: the
	 * transaction goes ahead whatever becomes of the reply.
	 */
	void (*sent)(void *arg, u64 cookie);
	void *sent_arg;
	struct aiot_requester *rq;	/* optional: the transaction's requester */
};

int aiot_pending_init(struct aiot_net *an);
void aiot_pending_stop(struct aiot_net *an);
void aiot_pending_destroy(struct aiot_net *an);
int aiot_request(struct aiot_net *an, const struct aiot_request *req,
		 u64 *cookie, struct netlink_ext_ack *extack);
#if IS_ENABLED(CONFIG_KUNIT)
/* Static without KUnit: VISIBLE_IF_KUNIT. */
int aiot_request_nn(struct aiot_net *an, const struct aiot_request *req,
		    const u8 *nn, u64 *cookie, struct netlink_ext_ack *extack);
#endif
int aiot_pending_reserve(struct aiot_net *an, unsigned int n,
			 struct netlink_ext_ack *extack);
void aiot_pending_unreserve(struct aiot_net *an, unsigned int n);
int aiot_txn_start(struct aiot_net *an, const struct aiot_request *req,
		   struct net_device *dev, const u8 *nn, struct aiot_txn **tp,
		   struct netlink_ext_ack *extack);
void aiot_txn_commit(struct aiot_txn *t, u32 timeout_ms);
void aiot_txn_cancel(struct aiot_txn *t);
struct rhlist_head *aiot_pending_lookup(struct aiot_net *an, u32 ct);
bool aiot_txn_claim(struct aiot_txn *t);
void aiot_txn_finish(struct aiot_txn *t);
void aiot_txn_put(struct aiot_txn *t);

/* ---- inventory rounds (inventory.c) ------------------------------------- */

/*
 * A candidate's state lane (invtab.c): answered, closed, and its failed
 * MACs (saturating at AIOT_CAND_REJECTS).
 */
#define CAND_ANSWERED		BIT(15)	/* reported: a second valid one is a replay */
#define CAND_CLOSED		BIT(14)	/* MAX_REJECTS reached (short MACs only) */
#define AIOT_CAND_REJECTS	0x3fff

struct aiot_inv_chunk;

struct aiot_round {
	struct list_head list;		/* an->rounds */
	refcount_t ref;			/* list, timer, starting request */
	struct aiot_net *an;
	struct aiot_requester *rq;	/* NULL: events to the group only */
	u64 cookie;
	u32 ct;				/* NN[0..3] */
	u8 nn[AIOT_NONCE_LEN];
	u8 policy;			/* of the INVENTORY: ML only */
	u8 end;				/* enum aiotsec_inv_end */
	int ifindex;
	u32 stop;			/* found count that ends it; 0: none */
	u32 max_rejects;
	u32 ncand, nlive;		/* candidates; those with a RID */
	/* The candidates and the RID table (invtab.c), one allocation. */
	u32 nslot;			/* table slots */
	size_t mem_len;
	u64 *slot;			/* RID[4..7] << 32 | index + 1; 0: empty */
	u32 *rid_lo;			/* per candidate: RID[0..3] */
	atomic_t *meta;			/* per candidate: a 16-bit lane */
	u8 (*id)[AIOTSEC_ID_LEN];	/* per candidate: its device's ID */
	unsigned long flags;		/* ROUND_* bits */
	atomic_t found, unknown, failed, replays, gone;
	atomic_t chunks_left;
	struct completion computed;
	struct aiot_inv_chunk *chunks;
	struct timer_list timer;	/* the window */
	struct rcu_head rcu;
};

struct aiot_inv_req {
	int ifindex;			/* 0: first reader */
	u8 policy;			/* ML only */
	u8 fbits;
	const u8 *filter;		/* AIOT_FILTER_MAX bytes, zero-padded */
	u32 window_ms;			/* 0: the namespace's timeout */
	u32 stop;			/* 0: none */
	/* Once the frame is out (the reply); the round goes ahead anyway. */
	void (*sent)(void *arg, u64 cookie, u32 candidates);
	void *sent_arg;
	struct aiot_requester *rq;	/* optional */
};

int aiot_inv_init(void);
void aiot_inv_exit(void);
int aiot_inv_start(struct aiot_net *an, const struct aiot_inv_req *req,
		   struct netlink_ext_ack *extack);
void aiot_round_put(struct aiot_round *r);
enum aiotsec_drop aiot_inv_rx(struct aiot_net *an, int ifindex,
			      const struct aiot_msg *m);
void aiot_inv_reader_gone(struct aiot_net *an, int ifindex);
void aiot_inv_stop(struct aiot_net *an);

/* invtab.c */
#define AIOT_INVTAB_START	U32_MAX
int aiot_invtab_alloc(struct aiot_round *r, u32 n);
void aiot_invtab_free(struct aiot_round *r);
size_t aiot_invtab_bytes(const struct aiot_round *r);
void aiot_invtab_insert(struct aiot_round *r, u32 i, const u8 *rid);
s64 aiot_invtab_find(const struct aiot_round *r, const u8 *rid, u32 *pos);
u16 aiot_cand_state(const struct aiot_round *r, u32 i);
u16 aiot_cand_set(struct aiot_round *r, u32 i, u16 bits);
u32 aiot_cand_reject(struct aiot_round *r, u32 i);

#if IS_ENABLED(CONFIG_KUNIT)
int aiot_inv_start_nn(struct aiot_net *an, const struct aiot_inv_req *req,
		      const u8 *nn, struct aiot_round **rp,
		      struct netlink_ext_ack *extack);
size_t aiot_round_bytes(const struct aiot_round *r);
extern unsigned int aiot_inv_cpus;
#endif

/* ---- receive path (rx.c) ------------------------------------------------ */

int aiot_rx_init(void);
void aiot_rx_exit(void);
/* The packet handler of every reader (struct aiot_reader's pt.func). */
int aiot_rcv(struct sk_buff *skb, struct net_device *dev,
	     struct packet_type *pt, struct net_device *orig_dev);
void aiot_rx_frame(struct aiot_net *an, int ifindex, const u8 *data,
		   size_t len);

/* ---- events (events.c) ------------------------------------------------- */

struct sk_buff *aiot_event_new(u8 cmd, size_t payload, void **hdr);
void aiot_event_send(struct aiot_net *an, const struct aiot_txn *t,
		     struct sk_buff *skb, void *hdr);
void aiot_event_send_rq(struct aiot_net *an, struct aiot_requester *rq,
			struct sk_buff *skb, void *hdr);
void aiot_event_end(struct aiot_net *an, const struct aiot_txn *t, u8 cmd);

/* ---- netlink (netlink.c) ------------------------------------------------ */

extern struct genl_family aiot_genl_family;
#if IS_ENABLED(CONFIG_KUNIT)
int aiot_nl_parse_devices(struct nlattr *devices, struct aiot_dev_spec *specs,
			  unsigned int max, bool need_key,
			  struct netlink_ext_ack *extack);
void aiot_nl_wipe_keys(struct genl_info *info);
int aiot_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		     struct genl_info *info);
void aiot_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
		       struct genl_info *info);
int aiot_nl_put_limits(struct sk_buff *skb);
#endif
int aiot_genl_init(void);
void aiot_genl_exit(void);

/* ---- counters (stats.c) ------------------------------------------------- */

/* Bump the counter at @offset of this CPU's struct aiot_pcpu_stats. */
static inline void aiot_count_at(struct aiot_net *an, size_t offset)
{
	struct aiot_pcpu_stats *s = get_cpu_ptr(an->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc((u64_stats_t *)((u8 *)s + offset));
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(an->stats);
}

static inline void aiot_count(struct aiot_net *an, enum aiot_ctr c)
{
	aiot_count_at(an, offsetof(struct aiot_pcpu_stats, ctr[c]));
}

static inline void aiot_count_drop(struct aiot_net *an, enum aiotsec_drop why)
{
	aiot_count_at(an, offsetof(struct aiot_pcpu_stats, drop[why]));
}

void aiot_stats_read(struct aiot_net *an, struct aiot_stats_snapshot *snap);
size_t aiot_stats_size(void);
size_t aiot_dev_stats_size(void);
int aiot_stats_put(struct sk_buff *skb, const struct aiot_stats_snapshot *s);
int aiot_dev_stats_put(struct sk_buff *skb, const struct aiot_dev_stats *s);

#endif /* _AIOTSEC_H */
