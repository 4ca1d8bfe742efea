// SPDX-License-Identifier: GPL-2.0
/*
 * Inventory rounds (profile v1.1, "Inventory of unknown devices"): which
 * of the namespace's devices are here? A round's candidates are the
 * devices whose GROUP matches the request's filter when it is made.
 * Before the INVENTORY leaves, RID = KDF(K, 0xA6, NN, ID)[0..7] is
 * computed for each of them into the round's own table: work items of a
 * bound CPU-intensive workqueue, one chunk of the candidates per online
 * CPU, the request waiting for them (its error then still means that no
 * frame was sent). The table (invtab.c: open addressing, at most 32
 * bytes a candidate with the candidates themselves) is filled lock-free,
 * read-only once the round is live: an answer costs one probe sequence,
 * whatever the number of candidates, and an unknown RID is dropped without
 * any cryptography. Candidates whose RIDs collide (8 bytes: about
 * N^2 / 2^65 per round) are all tried: the MAC decides.
 *
 * A round is found by CT and reader on a short RCU list (at most
 * AIOTSEC_A_MAX_ROUNDS a namespace). It ends exactly once (whoever sets
 * its done bit), at its window, at its stop count, when every candidate
 * has answered, or when its reader is unbound (each with a summary
 * event); namespace exit and module unload end it without an event. A
 * round whose RIDs are being computed is cancelled by the same three
 * causes: the work stops at its next candidate and the request fails.
 *
 * References: one for the list (dropped by whoever ends it), one for the
 * timer while armed, one for the starting request. The last put frees
 * the round, its candidates and its table after a grace period. Memory
 * (round, candidates, table) is charged to the requester's memory cgroup.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "aiotsec.h"

/* Round flag bits. */
#define ROUND_DONE	0		/* claimed: being ended */
#define ROUND_LIVE	1		/* its frame may be out: answers count */
#define ROUND_CANCEL	2		/* stop computing; never goes live */
#define ROUND_STOPPED	3		/* seen by aiot_inv_stop() */
#define ROUND_SENT	4		/* its frame is out: it goes ahead */

/* Candidates a work item takes at least. */
#define INV_CHUNK_MIN	256

static struct workqueue_struct *inv_wq;

/* CPUs a round's RIDs are computed on at most; 0: every online CPU. */
VISIBLE_IF_KUNIT unsigned int aiot_inv_cpus;
EXPORT_SYMBOL_IF_KUNIT(aiot_inv_cpus);

struct aiot_inv_chunk {
	struct work_struct work;
	struct aiot_round *r;
	u32 start, end;
};

static void round_free_rcu(struct rcu_head *head)
{
	struct aiot_round *r = container_of(head, struct aiot_round, rcu);

	if (r->rq)
		aiot_requester_put(r->rq);
	aiot_invtab_free(r);
	kfree(r->chunks);
	memzero_explicit(r->nn, sizeof(r->nn));
	kfree(r);
}

void aiot_round_put(struct aiot_round *r)
{
	if (refcount_dec_and_test(&r->ref))
		call_rcu(&r->rcu, round_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_round_put);

/* One round fewer in flight; aiot_inv_stop() waits for the count. */
static void rounds_dec(struct aiot_net *an)
{
	if (atomic_dec_and_test(&an->nrounds))
		wake_up_var(&an->nrounds);
}

/* The summary of a round that ended. */
static void round_summary(struct aiot_round *r)
{
	struct aiot_net *an = r->an;
	struct sk_buff *skb;
	void *hdr;

	skb = aiot_event_new(AIOTSEC_CMD_EVENT_INV_DONE,
			     6 * nla_total_size(sizeof(u32)), &hdr);
	if (!skb)
		goto lost;
	if (nla_put_u64_64bit(skb, AIOTSEC_A_COOKIE, r->cookie, AIOTSEC_A_PAD) ||
	    nla_put_u32(skb, AIOTSEC_A_IFINDEX, r->ifindex) ||
	    nla_put_u32(skb, AIOTSEC_A_CANDIDATES, r->nlive) ||
	    nla_put_u32(skb, AIOTSEC_A_FOUND, atomic_read(&r->found)) ||
	    nla_put_u32(skb, AIOTSEC_A_UNKNOWN_RIDS, atomic_read(&r->unknown)) ||
	    nla_put_u32(skb, AIOTSEC_A_FAILED_MACS, atomic_read(&r->failed)) ||
	    nla_put_u32(skb, AIOTSEC_A_REPLAYS, atomic_read(&r->replays)) ||
	    nla_put_u32(skb, AIOTSEC_A_INV_END, r->end)) {
		nlmsg_free(skb);
		goto lost;
	}
	aiot_event_send_rq(an, r->rq, skb, hdr);
	return;
lost:
	aiot_count(an, AIOT_CTR_EVENTS_LOST);
}

/*
 * End round @r (any context) for @why, with its summary if @event. Only
 * the caller that claims it does anything. Returns whether it did.
 */
static bool round_end(struct aiot_round *r, u8 why, bool event)
{
	struct aiot_net *an = r->an;

	if (test_and_set_bit(ROUND_DONE, &r->flags))
		return false;
	r->end = why;
	spin_lock_bh(&an->rounds_lock);
	list_del_rcu(&r->list);
	spin_unlock_bh(&an->rounds_lock);
	if (event)
		round_summary(r);
	if (del_timer(&r->timer))
		aiot_round_put(r);	/* the timer's reference */
	rounds_dec(an);
	aiot_round_put(r);		/* the list's reference */
	return true;
}

static void round_expire(struct timer_list *timer)
{
	struct aiot_round *r = from_timer(r, timer, timer);

	round_end(r, AIOTSEC_INV_END_WINDOW, true);
	aiot_round_put(r);		/* the timer's reference */
}

/* ---- RIDs, off the request ---------------------------------------------- */

/* One chunk of candidates: RID of each, into the table. */
static void chunk_work(struct work_struct *work)
{
	struct aiot_inv_chunk *c = container_of(work, struct aiot_inv_chunk, work);
	struct aiot_round *r = c->r;
	struct aiot_device *d;
	u8 rid[AIOT_RID_LEN];
	int ret = 0;
	u32 i;

	for (i = c->start; i < c->end; i++) {
		if (test_bit(ROUND_CANCEL, &r->flags))
			break;
		rcu_read_lock();
		d = aiot_devtab_lookup(r->an, r->id[i]);
		if (d) {
			struct aiot_cred cred = { .id = d->id, .hk = &d->hk };

			ret = aiot_rid(&cred, r->nn, rid);
		}
		rcu_read_unlock();
		/* No device when its RID was due: never in the table. */
		if (!d || ret)
			atomic_inc(&r->gone);
		else
			aiot_invtab_insert(r, i, rid);
		if (!(i % 64))
			cond_resched();
	}
	if (atomic_dec_and_test(&r->chunks_left))
		complete(&r->computed);
}

/*
 * Split the candidates of @r over the online CPUs and wait for them.
 * Returns -ECANCELED if the round was cancelled meanwhile.
 */
static int round_compute(struct aiot_round *r, unsigned int nchunks)
{
	unsigned int i = 0, cpu;
	u32 per = DIV_ROUND_UP(r->ncand, nchunks);

	atomic_set(&r->chunks_left, nchunks);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct aiot_inv_chunk *c = &r->chunks[i];

		if (i == nchunks)
			break;
		c->r = r;
		c->start = min(i * per, r->ncand);
		c->end = min(c->start + per, r->ncand);
		INIT_WORK(&c->work, chunk_work);
		queue_work_on(cpu, inv_wq, &c->work);
		i++;
	}
	cpus_read_unlock();
	/* Fewer CPUs online than when counted: the rest here. */
	for (; i < nchunks; i++) {
		struct aiot_inv_chunk *c = &r->chunks[i];

		c->r = r;
		c->start = min(i * per, r->ncand);
		c->end = min(c->start + per, r->ncand);
		INIT_WORK(&c->work, chunk_work);
		chunk_work(&c->work);
	}
	wait_for_completion(&r->computed);
	return test_bit(ROUND_CANCEL, &r->flags) ? -ECANCELED : 0;
}

/* ---- candidates ---------------------------------------------------------- */

/*
 * Walk the device table under an->lock: count the devices that match
 * (@ids NULL), or copy up to @max of their IDs into @ids. A matching
 * device whose minimum demands a longer MAC than the request's is -EPERM.
 * No device comes or goes under the lock, but the table's own worker may
 * be rehashing it: a walk that goes on into the new table may see some
 * devices twice (*@dup set); one whose table was replaced while it paused
 * starts over from the first bucket, and so does its count.
 */
static long walk_matching(struct aiot_net *an, const struct aiot_inv_req *req,
			  u8 (*ids)[AIOTSEC_ID_LEN], u32 max, bool *dup)
{
	struct rhashtable_iter iter;
	struct aiot_device *d;
	unsigned long steps = 0;
	long n = 0;

	*dup = false;
	rhashtable_walk_enter(&an->devices, &iter);
	rhashtable_walk_start(&iter);
	while ((d = rhashtable_walk_next(&iter))) {
		if (IS_ERR(d)) {
			*dup = true;	/* -EAGAIN: on into the new table */
			continue;
		}
		if (!(++steps % 1024)) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			if (rhashtable_walk_start_check(&iter) == -EAGAIN) {
				n = 0;	/* from the first bucket again */
				*dup = false;
				continue;
			}
		}
		if (!aiot_group_match(d->group, req->fbits, req->filter))
			continue;
		if (!aiot_policy_meets(req->policy, d->min_policy,
				       AIOT_MSG_INVENTORY)) {
			n = -EPERM;
			break;
		}
		if (ids) {
			if (n == max) {
				*dup = true;	/* more than counted */
				continue;
			}
			memcpy(ids[n], d->id, AIOTSEC_ID_LEN);
		}
		n++;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return n;
}

/* Walks a rehash under way may repeat: at most this many, 5-10 ms apart. */
#define WALK_TRIES	200

/*
 * walk_matching() until a walk sees each device once (the rehash over):
 * its count, or -EAGAIN if the table kept changing.
 */
static long walk_once(struct aiot_net *an, const struct aiot_inv_req *req,
		      u8 (*ids)[AIOTSEC_ID_LEN], u32 max)
{
	bool dup;
	long n;
	int i;

	for (i = 0; i < WALK_TRIES; i++) {
		n = walk_matching(an, req, ids, max, &dup);
		if (!dup || n < 0)
			return n;
		usleep_range(5000, 10000);
	}
	return -EAGAIN;
}

/* The candidates of @req into a new round's array; 0 or -errno (extack). */
static int round_candidates(struct aiot_net *an, struct aiot_round *r,
			    const struct aiot_inv_req *req,
			    struct netlink_ext_ack *extack)
{
	int ret = 0;
	long n;

	mutex_lock(&an->lock);
	n = walk_once(an, req, NULL, 0);
	if (n == -EPERM) {
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_POLICY: a shorter MAC than a candidate's AIOTSEC_DEV_A_MIN_POLICY");
		ret = -EINVAL;
		goto out;
	}
	if (n == -EAGAIN)
		goto busy;
	if (req->fbits && n < READ_ONCE(an->min_group)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_FILTER: matches fewer devices than AIOTSEC_A_MIN_GROUP");
		ret = -EPERM;
		goto out;
	}
	if (!n) {
		NL_SET_ERR_MSG_MOD(extack, "no device to take inventory of");
		ret = -ENOENT;
		goto out;
	}
	if (aiot_invtab_alloc(r, n)) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the round's table");
		ret = -ENOMEM;
		goto out;
	}
	/* The same devices under the same lock: n of them again. */
	n = walk_once(an, req, r->id, n);
	if (n < 0)
		goto busy;
	r->ncand = n;
out:
	mutex_unlock(&an->lock);
	return ret;
busy:
	NL_SET_ERR_MSG_MOD(extack, "the device table is being resized: try again");
	ret = -EAGAIN;
	goto out;
}

/* ---- rounds -------------------------------------------------------------- */

#if IS_ENABLED(CONFIG_KUNIT)
/* Bytes a round holds: itself, its work items, candidates and table. */
size_t aiot_round_bytes(const struct aiot_round *r)
{
	return ksize(r) + (r->chunks ? ksize(r->chunks) : 0) +
	       aiot_invtab_bytes(r);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_round_bytes);
#endif

/*
 * Start an inventory round with Network Nonce @nn: candidates, RIDs, then
 * the frame on the air, req->sent, and the window's timer. On failure
 * nothing was sent and no event follows. On success, *rp (if not NULL)
 * gets a reference for the caller (aiot_round_put() it).
 */
VISIBLE_IF_KUNIT int aiot_inv_start_nn(struct aiot_net *an,
				       const struct aiot_inv_req *req,
				       const u8 *nn, struct aiot_round **rp,
				       struct netlink_ext_ack *extack)
{
	netdevice_tracker tracker;
	struct net_device *dev;
	struct aiot_round *r;
	struct sk_buff *skb;
	unsigned int nchunks;
	bool cancelled;
	int ret;

	if (aiot_policy_check(req->policy, AIOT_MSG_INVENTORY)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_POLICY: an INVENTORY carries only ML (bits 5-6)");
		return -EINVAL;
	}
	if (req->fbits > AIOT_FBITS_MAX ||
	    !aiot_filter_valid(req->fbits, req->filter)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "AIOTSEC_A_FILTER: FBITS 0..64, ceil(FBITS/8) bytes, no bit set past FBITS");
		return -EINVAL;
	}
	if (atomic_inc_return(&an->nrounds) > READ_ONCE(an->max_rounds)) {
		rounds_dec(an);
		NL_SET_ERR_MSG_MOD(extack,
				   "too many inventory rounds in flight (AIOTSEC_A_MAX_ROUNDS)");
		return -EBUSY;
	}
	dev = aiot_reader_pick(an, req->ifindex, &tracker);
	if (!dev) {
		if (req->ifindex)
			NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_A_IFINDEX: interface is not a reader");
		else
			NL_SET_ERR_MSG_MOD(extack, "no reader is bound (AIOTSEC_CMD_ADD_READER)");
		rounds_dec(an);
		return -ENODEV;
	}

	ret = -ENOMEM;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the round");
		goto put_dev;
	}
	r->an = an;
	r->ifindex = dev->ifindex;
	r->policy = req->policy;
	r->stop = req->stop;
	r->max_rejects = READ_ONCE(an->max_rejects);
	memcpy(r->nn, nn, sizeof(r->nn));
	memcpy(&r->ct, r->nn, sizeof(r->ct));
	refcount_set(&r->ref, 3);	/* list, timer, this request */
	timer_setup(&r->timer, round_expire, 0);
	init_completion(&r->computed);
	if (req->rq) {
		refcount_inc(&req->rq->ref);
		r->rq = req->rq;
	}

	ret = round_candidates(an, r, req, extack);
	if (ret)
		goto free;
	nchunks = clamp_t(unsigned int, DIV_ROUND_UP(r->ncand, INV_CHUNK_MIN),
			  1, num_online_cpus());
	if (aiot_inv_cpus)
		nchunks = min(nchunks, aiot_inv_cpus);
	r->chunks = kcalloc(nchunks, sizeof(*r->chunks), GFP_KERNEL_ACCOUNT);
	skb = aiot_alloc_frame(dev, aiot_inventory_len(req->fbits));
	if (!r->chunks || !skb) {
		kfree_skb(skb);
		NL_SET_ERR_MSG_MOD(extack, "out of memory for the round");
		ret = -ENOMEM;
		goto free;
	}
	skb_trim(skb, aiotf_inventory(r->nn, r->policy, req->fbits,
				      req->filter, skb->data));

	/* On the list while computing: unbind and exit can cancel it. */
	spin_lock_bh(&an->rounds_lock);
	list_add_tail_rcu(&r->list, &an->rounds);
	spin_unlock_bh(&an->rounds_lock);
	r->cookie = atomic64_inc_return(&an->next_cookie);
	ret = round_compute(r, nchunks);
	r->nlive = r->ncand - atomic_read(&r->gone);

	/* Live, unless cancelled or closed: answers count from now on. */
	rcu_read_lock();
	spin_lock_bh(&an->rounds_lock);
	if (!ret && (aiot_net_closed(an) || test_bit(ROUND_CANCEL, &r->flags)))
		ret = -ECANCELED;
	if (!ret) {
		/* The table is complete (the completion ordered it): publish. */
		smp_mb__before_atomic();
		set_bit(ROUND_LIVE, &r->flags);
	}
	spin_unlock_bh(&an->rounds_lock);
	rcu_read_unlock();
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the round was cancelled: its reader was unbound, or the namespace or the module is going away");
		kfree_skb(skb);
		goto unlist;
	}

	ret = aiot_xmit(an, dev, NULL, skb, extack);
	if (ret)
		goto unlist;
	/*
	 * On the air: the round goes ahead, whatever becomes of the reply.
	 * An unbind since it went live left it to us (ROUND_SENT unset).
	 */
	spin_lock_bh(&an->rounds_lock);
	set_bit(ROUND_SENT, &r->flags);
	cancelled = test_bit(ROUND_CANCEL, &r->flags);
	spin_unlock_bh(&an->rounds_lock);
	aiot_count(an, AIOT_CTR_INV_ROUNDS);
	if (req->sent)
		req->sent(req->sent_arg, r->cookie, r->nlive);
	mod_timer(&r->timer, jiffies +
		  msecs_to_jiffies(req->window_ms ?: READ_ONCE(an->timeout_ms)));
	smp_mb();	/* the done bit is read after the timer is queued */
	if (test_bit(ROUND_DONE, &r->flags) && del_timer(&r->timer))
		aiot_round_put(r);	/* ended before the timer was armed */
	if (cancelled)
		round_end(r, AIOTSEC_INV_END_CANCELLED, true);
	else if (!r->nlive)
		round_end(r, AIOTSEC_INV_END_ALL, true);
	if (rp) {
		refcount_inc(&r->ref);
		*rp = r;
	}
	aiot_round_put(r);		/* this request's reference */
	netdev_put(dev, &tracker);
	return 0;

unlist:
	/*
	 * Never on the air: ended without an event (unless a reader unbind
	 * ended it first). Its timer was never armed.
	 */
	round_end(r, AIOTSEC_INV_END_CANCELLED, false);
	aiot_round_put(r);		/* the timer's */
	aiot_round_put(r);		/* this request's */
	netdev_put(dev, &tracker);
	return ret;

free:
	if (r->rq)
		aiot_requester_put(r->rq);
	aiot_invtab_free(r);
	kfree(r->chunks);
	kfree(r);
put_dev:
	netdev_put(dev, &tracker);
	rounds_dec(an);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_inv_start_nn);

int aiot_inv_start(struct aiot_net *an, const struct aiot_inv_req *req,
		   struct netlink_ext_ack *extack)
{
	u8 nn[AIOT_NONCE_LEN];

	get_random_bytes(nn, sizeof(nn));
	return aiot_inv_start_nn(an, req, nn, NULL, extack);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_inv_start);

/* ---- answers ------------------------------------------------------------- */

static void send_found(struct aiot_round *r, u32 c, const struct aiot_msg *m)
{
	struct aiot_net *an = r->an;
	struct sk_buff *skb;
	void *hdr;

	skb = aiot_event_new(AIOTSEC_CMD_EVENT_INV_FOUND, m->caplen, &hdr);
	if (!skb)
		goto lost;
	if (nla_put_u64_64bit(skb, AIOTSEC_A_COOKIE, r->cookie, AIOTSEC_A_PAD) ||
	    nla_put(skb, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, r->id[c]) ||
	    nla_put_u32(skb, AIOTSEC_A_IFINDEX, r->ifindex) ||
	    nla_put_u32(skb, AIOTSEC_A_REJECTS,
			aiot_cand_state(r, c) & AIOT_CAND_REJECTS) ||
	    nla_put_u8(skb, AIOTSEC_A_POLICY, m->policy) ||
	    nla_put(skb, AIOTSEC_A_CAP, m->caplen, m->cap)) {
		nlmsg_free(skb);
		goto lost;
	}
	aiot_event_send_rq(an, r->rq, skb, hdr);
	return;
lost:
	aiot_count(an, AIOT_CTR_EVENTS_LOST);
}

/*
 * An answer for candidate @c of live round @r. Returns the drop reason,
 * AIOTSEC_DROP_NONE if it was reported.
 */
static enum aiotsec_drop try_candidate(struct aiot_round *r, u32 c,
				       const struct aiot_msg *m)
{
	struct aiot_net *an = r->an;
	enum aiotsec_drop err;
	struct aiot_device *d;
	u32 n;

	if (aiot_cand_state(r, c) & CAND_CLOSED)
		return AIOTSEC_DROP_MAC;	/* closed: no more cryptography */
	d = aiot_devtab_lookup(an, r->id[c]);
	if (!d)
		return AIOTSEC_DROP_NO_DEVICE;	/* deleted during the round */
	{
		struct aiot_cred cred = { .id = d->id, .hk = &d->hk };

		/* The table matched all 8 bytes of the RID. */
		err = aiotf_inv_resp(&cred, r->nn, r->policy, d->min_policy,
				     m->rid, m);
	}
	if (err == AIOTSEC_DROP_MAC) {
		atomic_inc(&r->failed);
		aiot_count(an, AIOT_CTR_INV_FAIL);
		n = aiot_cand_reject(r, c);
		/* As for transactions: only where a 4-byte MAC is allowed. */
		if (n >= r->max_rejects &&
		    !(d->min_policy & AIOTSEC_POL_ML_MASK))
			aiot_cand_set(r, c, CAND_CLOSED);
		return err;
	}
	if (err)
		return err;
	if (aiot_cand_set(r, c, CAND_ANSWERED) & CAND_ANSWERED) {
		atomic_inc(&r->replays);
		return AIOTSEC_DROP_REPLAY;
	}
	n = atomic_inc_return(&r->found);
	aiot_count(an, AIOT_CTR_INV_FOUND);
	send_found(r, c, m);
	if (r->stop && n >= r->stop)
		round_end(r, AIOTSEC_INV_END_STOP, true);
	else if (n >= r->nlive)
		round_end(r, AIOTSEC_INV_END_ALL, true);
	return AIOTSEC_DROP_NONE;
}

/* Under rcu_read_lock(): an INV_RESP received on reader @ifindex. */
enum aiotsec_drop aiot_inv_rx(struct aiot_net *an, int ifindex,
			      const struct aiot_msg *m)
{
	enum aiotsec_drop why = AIOTSEC_DROP_UNKNOWN_CT, err;
	struct aiot_round *r;
	bool seen = false;
	u32 ct, pos;
	s64 c;

	memcpy(&ct, m->ct, sizeof(ct));
	list_for_each_entry_rcu(r, &an->rounds, list) {
		if (r->ct != ct || r->ifindex != ifindex ||
		    !test_bit(ROUND_LIVE, &r->flags) ||
		    test_bit(ROUND_DONE, &r->flags))
			continue;
		smp_rmb();	/* the table after the live bit (aiot_inv_start_nn()) */
		why = AIOTSEC_DROP_UNKNOWN_RID;
		pos = AIOT_INVTAB_START;
		while ((c = aiot_invtab_find(r, m->rid, &pos)) >= 0) {
			seen = true;
			err = try_candidate(r, c, m);
			if (!err)
				return AIOTSEC_DROP_NONE;
			why = err;
		}
		if (!seen)
			atomic_inc(&r->unknown);
		return why;
	}
	return why;
}

/* ---- ends from outside --------------------------------------------------- */

/*
 * Under RTNL, reader @ifindex of @an is being unbound: its rounds on the
 * air end (with their summary); one still computing, or whose frame is
 * not out yet, is cancelled and left to its request.
 */
void aiot_inv_reader_gone(struct aiot_net *an, int ifindex)
{
	struct aiot_round *r;
	bool sent;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &an->rounds, list) {
		if (r->ifindex != ifindex)
			continue;
		spin_lock_bh(&an->rounds_lock);
		set_bit(ROUND_CANCEL, &r->flags);
		sent = test_bit(ROUND_SENT, &r->flags);
		spin_unlock_bh(&an->rounds_lock);
		if (sent)
			round_end(r, AIOTSEC_INV_END_CANCELLED, true);
	}
	rcu_read_unlock();
}

/*
 * End every round of @an without an event, and cancel those computing.
 * The caller has closed @an (aiot_net_closed()) and waited a grace
 * period. Sleeps until every round has ended, including those whose
 * requests are still computing; the caller's next grace period waits for
 * the softirq tails.
 */
void aiot_inv_stop(struct aiot_net *an)
{
	struct aiot_round *r, *found;

	/* One round at a time from the head: each is seen once. */
	do {
		found = NULL;
		rcu_read_lock();
		list_for_each_entry_rcu(r, &an->rounds, list) {
			if (!test_and_set_bit(ROUND_STOPPED, &r->flags) &&
			    refcount_inc_not_zero(&r->ref)) {
				found = r;
				break;
			}
		}
		rcu_read_unlock();
		if (!found)
			break;
		spin_lock_bh(&an->rounds_lock);
		set_bit(ROUND_CANCEL, &found->flags);
		spin_unlock_bh(&an->rounds_lock);
		if (test_bit(ROUND_LIVE, &found->flags))
			round_end(found, AIOTSEC_INV_END_CANCELLED, false);
		/* An expiry running elsewhere is waited for. */
		if (del_timer_sync(&found->timer))
			aiot_round_put(found);
		aiot_round_put(found);
	} while (found);
	/* Requests still computing end their rounds themselves. */
	wait_var_event(&an->nrounds, !atomic_read(&an->nrounds));
}
EXPORT_SYMBOL_IF_KUNIT(aiot_inv_stop);

int aiot_inv_init(void)
{
	inv_wq = alloc_workqueue("aiotsec_inv", WQ_CPU_INTENSIVE, 0);
	return inv_wq ? 0 : -ENOMEM;
}

void aiot_inv_exit(void)
{
	destroy_workqueue(inv_wq);
}
