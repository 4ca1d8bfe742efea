// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The transaction engine (see txn.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "dev.h"
#include "idlist.h"
#include "txn.h"

#define BUCKETS		8192	/* cookie hash: a power of two */
#define BUCKET_BITS	13

struct txn {
	uint64_t cookie;		/* 0: adopted, its reply was lost */
	uint32_t req_seq;		/* adopted: its request's nlmsg_seq */
	uint8_t id[AIOTSEC_ID_LEN];	/* adopted: its device */
	void *tag;
	size_t idx;
	uint64_t seq;			/* window_sent()'s */
	uint32_t tmo;			/* effective timeout, ms */
	double t0, deadline, slow;
	struct txn *hnext;		/* in its bucket */
	struct txn *prev, *next;	/* in the engine's list */
};

struct txn_engine {
	struct anl *a;
	struct txn_conf c;
	struct window w;
	uint32_t ns_ms;
	struct txn *bucket[BUCKETS];
	struct txn *first;
	size_t n;
	size_t adopted;			/* outstanding with cookie 0 */
	struct txn_counts k;
};

static struct txn **slot(struct txn_engine *e, uint64_t cookie)
{
	struct txn **p = &e->bucket[(cookie * 0x9e3779b97f4a7c15ull) >>
				    (64 - BUCKET_BITS)];

	while (*p && (*p)->cookie != cookie)
		p = &(*p)->hnext;
	return p;
}

static void report(struct txn_engine *e, const struct txn_result *r)
{
	if (e->c.cb)
		e->c.cb(r, e->c.arg);
}

/* Take @t out of the engine, feed the window, tell the caller. */
static void finish(struct txn_engine *e, struct txn *t, enum txn_outcome o,
		   const struct event *ev)
{
	double now = now_secs();
	struct txn_result r = {
		.outcome = o, .tag = t->tag, .idx = t->idx, .ev = ev,
		.msg = "", .timeout_ms = t->tmo, .secs = now - t->t0,
	};

	if (t->cookie)
		*slot(e, t->cookie) = t->hnext;
	else
		e->adopted--;
	if (t->prev)
		t->prev->next = t->next;
	else
		e->first = t->next;
	if (t->next)
		t->next->prev = t->prev;
	e->n--;
	if (o == TXN_LOST ||
	    (o == TXN_EVENT && ev->cmd == AIOTSEC_CMD_EVENT_TIMEOUT) ||
	    (o == TXN_EVENT && e->c.slow_halves && now > t->slow))
		window_timeout(&e->w, t->seq);
	else if (o == TXN_EVENT)
		window_result(&e->w);
	if (o == TXN_LOST)
		e->k.lost++;
	report(e, &r);
	free(t);
}

static void refuse(struct txn_engine *e, const struct txn_spec *s, void *tag,
		   size_t idx, int err, const char *msg)
{
	struct txn_result r = {
		.outcome = TXN_REFUSED, .tag = tag, .idx = idx,
		.err = err, .msg = msg ? msg : "",
		.timeout_ms = txn_timeout(e, s),
	};

	report(e, &r);
}

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	struct txn_engine *e = arg;
	struct event ev;
	struct txn *t;

	if (event_parse(nlh, &ev))
		return;
	/*
	 * Results come by unicast, never before the reply naming their
	 * cookie. None of ours: one given up as lost whose result came
	 * after all.
	 */
	t = *slot(e, ev.cookie);
	/*
	 * Or one whose reply was lost (a full receive buffer): the module
	 * carried it out, and its result names the request by sequence
	 * number and the device by ID.
	 */
	if (!t && e->adopted && ev.has_seq)
		for (t = e->first; t; t = t->next)
			if (!t->cookie && t->req_seq == ev.seq &&
			    !memcmp(t->id, ev.id, AIOTSEC_ID_LEN))
				break;
	if (t)
		finish(e, t, TXN_EVENT, &ev);
	else
		e->k.unmatched++;
}

/* Device (@tag, @idx) has transaction @cookie in the module now. */
static int add(struct txn_engine *e, const struct txn_spec *s, void *tag,
	       size_t idx, uint64_t cookie, double t0)
{
	struct txn *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->cookie = cookie;
	t->tag = tag;
	t->idx = idx;
	t->tmo = txn_timeout(e, s);
	t->t0 = t0;
	t->deadline = t0 + (t->tmo + e->c.grace_ms) / 1000.0;
	t->slow = t0 + t->tmo / 2000.0;
	t->seq = window_sent(&e->w);
	if (cookie)
		*slot(e, cookie) = t;
	else
		e->adopted++;
	t->next = e->first;
	if (e->first)
		e->first->prev = t;
	e->first = t;
	e->n++;
	return 0;
}

/*
 * The reply of request @seq was lost (the socket overran), but its frames
 * went out: each device's transaction runs in the module without a cookie
 * we know. Its result names request and device: match it by those.
 */
static int adopt(struct txn_engine *e, const struct txn_spec *s, void *tag,
		 size_t idx, const uint8_t *id, uint32_t seq, double t0)
{
	int ret = add(e, s, tag, idx, 0, t0);

	if (!ret) {
		e->first->req_seq = seq;	/* add() put it first */
		memcpy(e->first->id, id, AIOTSEC_ID_LEN);
		e->k.adopted++;
	}
	return ret;
}

/* Was the last request's reply lost, the request carried out all the same? */
static bool reply_lost(const struct txn_engine *e, int ret)
{
	return ret == -ENOBUFS && e->a->lost_seq;
}

/* The namespace's timeout and the module's batch limit. */
static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct txn_engine *e = arg;
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct anl_limits l;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX))
		return 0;
	if (tb[AIOTSEC_A_TIMEOUT_MS])
		e->ns_ms = nla_get_u32(tb[AIOTSEC_A_TIMEOUT_MS]);
	anl_limits_parse(tb[AIOTSEC_A_LIMITS], &l);
	if (l.v[AIOTSEC_LIM_A_BATCH] && e->c.pack > l.v[AIOTSEC_LIM_A_BATCH])
		e->c.pack = l.v[AIOTSEC_LIM_A_BATCH];
	return 0;
}

struct txn_engine *txn_new(struct anl *a, const struct txn_conf *c)
{
	struct txn_engine *e = calloc(1, sizeof(*e));
	struct nl_msg *msg;

	if (!e)
		return NULL;
	e->a = a;
	e->c = *c;
	if (!e->c.pack)
		e->c.pack = 1;
	if (e->c.pack > TXN_PACK_MAX)
		e->c.pack = TXN_PACK_MAX;
	window_init(&e->w, c->window, c->fixed);
	e->ns_ms = AIOTSEC_TIMEOUT_DEFAULT_MS;
	msg = anl_msg(a, AIOTSEC_CMD_GET_CONFIG, 0, 0);
	if (msg)
		anl_request(a, msg, config_cb, e);
	a->on_event = on_event;
	a->event_arg = e;
	return e;
}

void txn_free(struct txn_engine *e)
{
	struct txn *t, *n;

	if (!e)
		return;
	for (t = e->first; t; t = n) {
		n = t->next;
		free(t);
	}
	if (e->a->event_arg == e) {
		e->a->on_event = NULL;
		e->a->event_arg = NULL;
	}
	free(e);
}

uint32_t txn_ns_timeout(const struct txn_engine *e)
{
	return e->ns_ms;
}

size_t txn_pack(const struct txn_engine *e)
{
	return e->c.pack;
}

uint32_t txn_timeout(const struct txn_engine *e, const struct txn_spec *s)
{
	return s->timeout_ms ? s->timeout_ms : e->ns_ms;
}

size_t txn_room(const struct txn_engine *e)
{
	return e->n < e->w.cur ? e->w.cur - e->n : 0;
}

size_t txn_outstanding(const struct txn_engine *e)
{
	return e->n;
}

uint32_t txn_window(const struct txn_engine *e)
{
	return e->w.cur;
}

const struct txn_counts *txn_counts(const struct txn_engine *e)
{
	return &e->k;
}

/* The attributes a request shares among its devices. */
static int put_shared(struct nl_msg *msg, const struct txn_spec *s)
{
	return (s->ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, s->ifindex)) ||
	       (s->policy >= 0 &&
	        nla_put_u8(msg, AIOTSEC_A_POLICY, (uint8_t)s->policy)) ||
	       (s->timeout_ms &&
	        nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, s->timeout_ms)) ||
	       (s->type == AIOTSEC_CMD_COMMAND &&
	        nla_put(msg, AIOTSEC_A_PAYLOAD, (int)s->plen, s->payload)) ||
	       (s->has_dest && nla_put(msg, AIOTSEC_A_DEST_MAC, 6, s->dest));
}

/* ---- one device per message ------------------------------------------------ */

struct one_reply {
	struct txn_engine *e;
	const struct txn_spec *s;
	void *tag;
	size_t idx;
	double t0;
	bool added;
	int err;
};

/*
 * The reply's cookie: the transaction exists from here on, whatever
 * happens to the ack after it, and its result may follow before the ack.
 */
static int cookie_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct one_reply *r = arg;
	uint64_t cookie;

	if (r->added || anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE])
		return 0;
	cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	if (cookie) {
		r->err = add(r->e, r->s, r->tag, r->idx, cookie, r->t0);
		r->added = !r->err;
	}
	return 0;
}

static void send_one(struct txn_engine *e, const struct txn_spec *s,
		     void *tag, size_t idx, const uint8_t *id)
{
	struct one_reply r = { .e = e, .s = s, .tag = tag, .idx = idx,
			       .t0 = now_secs() };
	struct nl_msg *msg;
	int ret;

	msg = anl_msg(e->a, s->type, 0, s->plen + AIOTSEC_ID_LEN + 128);
	if (!msg || nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, id) ||
	    put_shared(msg, s)) {
		if (msg)
			nlmsg_free(msg);
		refuse(e, s, tag, idx, ENOMEM, "out of memory");
		return;
	}
	e->a->lost_seq = 0;
	ret = anl_request(e->a, msg, cookie_cb, &r);
	if (r.added)
		return;		/* its result (or the module's timeout) comes */
	if (reply_lost(e, ret) &&
	    !adopt(e, s, tag, idx, id, e->a->lost_seq, r.t0))
		return;
	if (r.err)
		refuse(e, s, tag, idx, -r.err, "out of memory");
	else if (!ret)
		refuse(e, s, tag, idx, EBADMSG, "the reply had no cookie");
	else
		refuse(e, s, tag, idx, -ret, e->a->last.msg);
}

/* ---- many devices per message ---------------------------------------------- */

struct batch_reply {
	struct txn_engine *e;
	const struct txn_spec *s;
	void *tag;
	size_t first, n, got;
	double t0;
};

/* The reply to a batch: each device's cookie, or why it has none. */
static int results_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *rt[AIOTSEC_RES_A_MAX + 1];
	struct batch_reply *br = arg;
	struct nlattr *res;
	uint32_t err;
	size_t idx;
	int rem;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_RESULTS])
		return 0;
	nla_for_each_nested(res, tb[AIOTSEC_A_RESULTS], rem) {
		if (br->got == br->n)
			break;
		idx = br->first + br->got++;
		if (nla_parse_nested(rt, AIOTSEC_RES_A_MAX, res, NULL) ||
		    !rt[AIOTSEC_RES_A_COOKIE] || !rt[AIOTSEC_RES_A_ERROR]) {
			refuse(br->e, br->s, br->tag, idx, EBADMSG,
			       "the reply has no result for it");
			continue;
		}
		err = nla_get_u32(rt[AIOTSEC_RES_A_ERROR]);
		if (!err && !nla_get_u64(rt[AIOTSEC_RES_A_COOKIE]))
			err = EBADMSG;
		if (!err && add(br->e, br->s, br->tag, idx,
				nla_get_u64(rt[AIOTSEC_RES_A_COOKIE]), br->t0))
			err = ENOMEM;
		if (err)
			refuse(br->e, br->s, br->tag, idx, (int)err, "");
	}
	return 0;
}

static struct nl_msg *build_batch(struct txn_engine *e,
				  const struct txn_spec *s,
				  const uint8_t (*ids)[AIOTSEC_ID_LEN], size_t n)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t i;

	msg = anl_msg(e->a, s->type, 0, n * (NLA_HDRLEN + AIOTSEC_ID_LEN) +
		      AIOTSEC_PLEN_MAX + 128);
	if (!msg)
		return NULL;
	/* First, so that an extack offset names the entry (batch_entry_at()). */
	nest = nla_nest_start(msg, AIOTSEC_A_DEV_IDS);
	if (!nest)
		goto fail;
	for (i = 0; i < n; i++)
		if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, ids[i]))
			goto fail;
	nla_nest_end(msg, nest);
	if (put_shared(msg, s))
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

/*
 * Send @ids[0..@n) in one message. Returns how many were taken, or a
 * negative errno (nothing taken).
 */
static ssize_t send_batch(struct txn_engine *e, const struct txn_spec *s,
			  void *tag, size_t first,
			  const uint8_t (*ids)[AIOTSEC_ID_LEN], size_t n)
{
	struct batch_reply br;
	char msg[ANL_EXTACK_MAX];
	bool held = false;
	size_t held_at = 0, i;
	int held_err = 0, ret, at;
	struct nl_msg *m;

	for (;;) {
		br = (struct batch_reply){ .e = e, .s = s, .tag = tag,
					   .first = first, .n = n,
					   .t0 = now_secs() };
		ret = 0;
		if (n) {
			m = build_batch(e, s, ids, n);
			if (!m)
				return -ENOMEM;
			e->a->lost_seq = 0;
			ret = anl_request(e->a, m, results_cb, &br);
		}
		if (reply_lost(e, ret) && !br.got) {
			/* Sent, its reply lost: each device's result still comes. */
			for (i = 0; i < n; i++)
				if (adopt(e, s, tag, first + i, ids[i],
					  e->a->lost_seq, br.t0))
					refuse(e, s, tag, first + i, ENOMEM,
					       "out of memory");
			break;
		}
		if (!ret || br.got) {
			if (br.got && !e->k.batch_api)
				e->k.batch_api = 1;
			/* entries the reply did not carry */
			for (i = br.got; i < n; i++)
				refuse(e, s, tag, first + i, ret ? -ret : EBADMSG,
				       "the reply has no result for it");
			break;
		}
		/* Nothing of the message was started: all or nothing. */
		at = e->a->last.has_off ? batch_entry_at(e->a->last.off, n) : -1;
		if (at >= 0) {
			/*
			 * The kernel names the device at fault: refused, once
			 * the devices before it are sent; those after it are
			 * the caller's next submission.
			 */
			held = true;
			held_at = (size_t)at;
			held_err = -ret;
			snprintf(msg, sizeof(msg), "%s", e->a->last.msg);
			n = held_at;
			continue;
		}
		if (ret == -EBUSY && e->n) {
			/* The pending table is full: fewer at once, later. */
			window_timeout(&e->w, e->w.sent);
			return 0;
		}
		if (ret == -EAGAIN) {
			/* No reply in time: the module may have started them. */
			for (i = 0; i < n; i++)
				refuse(e, s, tag, first + i, EAGAIN,
				       "no reply from the module in time");
			break;
		}
		if (!e->c.fallback)
			return ret;
		if (!e->k.batch_api && ret == -EINVAL)
			e->k.batch_api = -1;
		for (i = 0; i < n; i++)
			send_one(e, s, tag, first + i, ids[i]);
		break;
	}
	if (!held)
		return (ssize_t)n;
	refuse(e, s, tag, first + held_at, held_err, msg);
	return (ssize_t)held_at + 1;
}

/* How many of @ids go in one message: no ID twice (the kernel refuses). */
static size_t chunk_len(const uint8_t (*ids)[AIOTSEC_ID_LEN], size_t n)
{
	uint16_t tab[2 * TXN_PACK_MAX];	/* index + 1; 0: empty */
	const size_t mask = 2 * TXN_PACK_MAX - 1;
	uint32_t h;
	size_t i;

	memset(tab, 0, sizeof(tab));
	for (i = 0; i < n; i++) {
		memcpy(&h, ids[i] + AIOTSEC_ID_LEN - sizeof(h), sizeof(h));
		h *= 0x9e3779b1u;
		for (h &= mask; tab[h]; h = (h + 1) & mask)
			if (!memcmp(ids[tab[h] - 1], ids[i], AIOTSEC_ID_LEN))
				return i;
		tab[h] = (uint16_t)(i + 1);
	}
	return n;
}

ssize_t txn_submit(struct txn_engine *e, const struct txn_spec *s, void *tag,
		   size_t first, const uint8_t (*ids)[AIOTSEC_ID_LEN], size_t n)
{
	size_t room = txn_room(e), pack = e->c.pack;

	if (e->k.batch_api < 0)
		pack = 1;
	if (n > room)
		n = room;
	if (n > pack)
		n = pack;
	if (!n)
		return 0;
	if (pack == 1) {
		send_one(e, s, tag, first, ids[0]);
		return 1;
	}
	n = chunk_len(ids, n);
	return send_batch(e, s, tag, first, ids, n);
}

/* ---- waiting ----------------------------------------------------------------- */

void txn_expire(struct txn_engine *e)
{
	double now = now_secs();
	struct txn *t, *n;

	for (t = e->first; t; t = n) {
		n = t->next;
		if (t->deadline <= now)
			finish(e, t, TXN_LOST, NULL);
	}
}

int txn_next_ms(const struct txn_engine *e)
{
	double first = 0;
	const struct txn *t;
	int ms;

	if (!e->first)
		return -1;
	for (t = e->first; t; t = t->next)
		if (t == e->first || t->deadline < first)
			first = t->deadline;
	ms = (int)((first - now_secs()) * 1000) + 1;
	return ms > 0 ? ms : 1;
}

int txn_poll(struct txn_engine *e, int ms, int max)
{
	int ret, count;

	if (ms < 0)
		ms = txn_next_ms(e);
	ret = anl_poll(e->a, ms);
	if (ret < 0)
		return ret;
	for (count = ret; ret > 0 && count < max; count += ret) {
		ret = anl_poll(e->a, 0);
		if (ret < 0)
			return ret;
	}
	if (e->a->overrun) {
		e->a->overrun = false;
		e->k.overruns++;
		/* Fewer at once: results are lost when they pile up. */
		window_timeout(&e->w, e->w.sent);
	}
	txn_expire(e);
	return count;
}

void txn_abandon(struct txn_engine *e)
{
	while (e->first)
		finish(e, e->first, TXN_ABANDONED, NULL);
}
