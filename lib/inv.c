// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Inventory rounds on one socket (see inv.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/attr.h>

#include "inv.h"

struct round {
	uint64_t cookie;		/* 0: adopted, its reply was lost */
	uint32_t seq;			/* its request's nlmsg_seq */
	void *tag;
	uint32_t devices;		/* INV_FOUND seen */
	double t0, deadline;
	struct round *next;
};

struct inv_set {
	struct anl *a;
	struct inv_conf c;
	anl_event_fn prev_fn;		/* the hook we replaced */
	void *prev_arg;
	uint32_t ns_ms;
	struct round *first;
	size_t n;
	struct inv_counts k;
};

static double mono_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] && nla_len(tb[type]) >= 4 ? nla_get_u32(tb[type]) : 0;
}

/* The round of an event: by cookie, else adopted by the request's seq. */
static struct round **find(struct inv_set *s, struct nlattr **tb)
{
	uint64_t cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	struct round **p;

	for (p = &s->first; *p; p = &(*p)->next)
		if ((*p)->cookie && (*p)->cookie == cookie)
			return p;
	if (!tb[AIOTSEC_A_SEQ])
		return NULL;
	for (p = &s->first; *p; p = &(*p)->next)
		if (!(*p)->cookie && (*p)->seq == get_u32(tb, AIOTSEC_A_SEQ)) {
			/* the first event tells us its cookie */
			(*p)->cookie = cookie;
			return p;
		}
	return NULL;
}

/* Take the round at @p out and report its end. */
static void finish(struct inv_set *s, struct round **p, struct inv_done *d)
{
	struct round *r = *p;

	*p = r->next;
	s->n--;
	d->tag = r->tag;
	d->cookie = d->cookie ? d->cookie : r->cookie;
	d->devices = r->devices;
	d->secs = mono_secs() - r->t0;
	if (d->outcome == INV_LOST)
		s->k.lost++;
	free(r);
	if (s->c.done)
		s->c.done(d, s->c.arg);
}

static void on_found(struct inv_set *s, struct round *r, struct nlattr **tb)
{
	struct nlattr *cap = tb[AIOTSEC_A_CAP];
	struct inv_found f = { .tag = r->tag, .cookie = r->cookie };

	if (!tb[AIOTSEC_A_DEV_ID] ||
	    nla_len(tb[AIOTSEC_A_DEV_ID]) != AIOTSEC_ID_LEN)
		return;
	memcpy(f.id, nla_data(tb[AIOTSEC_A_DEV_ID]), AIOTSEC_ID_LEN);
	f.ifindex = get_u32(tb, AIOTSEC_A_IFINDEX);
	if (tb[AIOTSEC_A_POLICY])
		f.policy = nla_get_u8(tb[AIOTSEC_A_POLICY]);
	if (cap) {
		f.caplen = (size_t)nla_len(cap);
		if (f.caplen > sizeof(f.cap))
			f.caplen = sizeof(f.cap);
		memcpy(f.cap, nla_data(cap), f.caplen);
	}
	if (tb[AIOTSEC_A_REJECTS]) {
		f.has_rejects = true;
		f.rejects = get_u32(tb, AIOTSEC_A_REJECTS);
	}
	r->devices++;
	if (s->c.found)
		s->c.found(&f, s->c.arg);
}

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct inv_set *s = arg;
	struct inv_done d = { .outcome = INV_SUMMARY };
	struct round **p;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
	    (g->cmd != AIOTSEC_CMD_EVENT_INV_FOUND &&
	     g->cmd != AIOTSEC_CMD_EVENT_INV_DONE)) {
		if (s->prev_fn)
			s->prev_fn(nlh, s->prev_arg);
		return;
	}
	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE] ||
	    nla_len(tb[AIOTSEC_A_COOKIE]) < 8) {
		s->k.unmatched++;
		return;
	}
	p = find(s, tb);
	if (!p) {
		s->k.unmatched++;
		return;
	}
	if (g->cmd == AIOTSEC_CMD_EVENT_INV_FOUND) {
		on_found(s, *p, tb);
		return;
	}
	d.ifindex = get_u32(tb, AIOTSEC_A_IFINDEX);
	d.candidates = get_u32(tb, AIOTSEC_A_CANDIDATES);
	d.found = get_u32(tb, AIOTSEC_A_FOUND);
	d.unknown_rids = get_u32(tb, AIOTSEC_A_UNKNOWN_RIDS);
	d.failed_macs = get_u32(tb, AIOTSEC_A_FAILED_MACS);
	d.replays = get_u32(tb, AIOTSEC_A_REPLAYS);
	d.end = get_u32(tb, AIOTSEC_A_INV_END);
	finish(s, p, &d);
}

static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];

	if (!anl_parse(nlh, tb, AIOTSEC_A_MAX) && tb[AIOTSEC_A_TIMEOUT_MS])
		*(uint32_t *)arg = nla_get_u32(tb[AIOTSEC_A_TIMEOUT_MS]);
	return 0;
}

struct inv_set *inv_new(struct anl *a, const struct inv_conf *c)
{
	struct inv_set *s = calloc(1, sizeof(*s));
	struct nl_msg *msg;

	if (!s)
		return NULL;
	s->a = a;
	s->c = *c;
	s->ns_ms = AIOTSEC_TIMEOUT_DEFAULT_MS;
	s->prev_fn = a->on_event;
	s->prev_arg = a->event_arg;
	a->on_event = on_event;
	a->event_arg = s;
	if (a->sk) {
		msg = anl_msg(a, AIOTSEC_CMD_GET_CONFIG, 0, 0);
		if (msg)
			anl_request(a, msg, config_cb, &s->ns_ms);
	}
	return s;
}

void inv_free(struct inv_set *s)
{
	struct round *r, *n;

	if (!s)
		return;
	for (r = s->first; r; r = n) {
		n = r->next;
		free(r);
	}
	if (s->a->event_arg == s) {
		s->a->on_event = s->prev_fn;
		s->a->event_arg = s->prev_arg;
	}
	free(s);
}

uint32_t inv_ns_timeout(const struct inv_set *s)
{
	return s->ns_ms;
}

size_t inv_running(const struct inv_set *s)
{
	return s->n;
}

const struct inv_counts *inv_counts(const struct inv_set *s)
{
	return &s->k;
}

int inv_track(struct inv_set *s, void *tag, uint64_t cookie, uint32_t seq,
	      uint32_t window_ms)
{
	struct round *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->cookie = cookie;
	r->seq = seq;
	r->tag = tag;
	r->t0 = mono_secs();
	r->deadline = r->t0 + ((window_ms ? window_ms : s->ns_ms) +
			       s->c.grace_ms) / 1000.0;
	r->next = s->first;
	s->first = r;
	s->n++;
	return 0;
}

struct start_ctx {
	struct inv_started *out;
	struct round *r;		/* tracked, its cookie still 0 */
};

/*
 * The reply: the round's cookie from here on, at once. The module queues
 * the events it held back right after the reply, before the request's
 * ACK: they must find the round by its cookie while the request is
 * still being read.
 */
static int reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct start_ctx *x = arg;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE])
		return -EBADMSG;
	x->out->cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	x->out->candidates = get_u32(tb, AIOTSEC_A_CANDIDATES);
	if (x->r && !x->r->cookie)
		x->r->cookie = x->out->cookie;
	return 0;
}

/* Is @r still tracked (its events may have ended it already)? */
static bool tracked(const struct inv_set *s, const struct round *r)
{
	const struct round *p;

	for (p = s->first; p; p = p->next)
		if (p == r)
			return true;
	return false;
}

int inv_start(struct inv_set *s, const struct inv_spec *sp, void *tag,
	      struct inv_started *out)
{
	struct start_ctx x = { .out = out };
	struct nl_msg *msg;
	uint32_t seq;
	int ret;

	memset(out, 0, sizeof(*out));
	out->window_ms = sp->window_ms ? sp->window_ms : s->ns_ms;
	if (sp->fbits > 8 * AIOTSEC_GROUP_LEN || sp->ml > 2)
		return -EINVAL;
	msg = anl_msg(s->a, AIOTSEC_CMD_INVENTORY, 0, 128);
	if (!msg ||
	    nla_put_u8(msg, AIOTSEC_A_POLICY,
		       (uint8_t)(sp->ml << AIOTSEC_POL_ML_SHIFT)) ||
	    (sp->ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, sp->ifindex)) ||
	    (sp->fbits &&
	     (nla_put_u32(msg, AIOTSEC_A_FBITS, sp->fbits) ||
	      nla_put(msg, AIOTSEC_A_FILTER, (sp->fbits + 7) / 8, sp->filter))) ||
	    (sp->window_ms &&
	     nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, sp->window_ms)) ||
	    (sp->stop && nla_put_u32(msg, AIOTSEC_A_STOP_COUNT, sp->stop))) {
		if (msg)
			nlmsg_free(msg);
		return -ENOMEM;
	}
	/*
	 * Its sequence number now, not at the send (NL_AUTO_SEQ): the round
	 * is tracked by it before its events can come.
	 */
	seq = nl_socket_use_seq(s->a->sk);
	nlmsg_hdr(msg)->nlmsg_seq = seq;
	ret = inv_track(s, tag, 0, seq, sp->window_ms);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	x.r = s->first;		/* inv_track() put it first */
	ret = anl_request(s->a, msg, reply_cb, &x);
	if ((ret == -ENOBUFS && s->a->lost_seq == seq) ||
	    (ret == -EAGAIN && !s->a->last.msg[0])) {
		/*
		 * Carried out, its reply lost; or still computing when the
		 * socket's receive timeout passed (the reply comes later, as
		 * an unmatched message): matched by seq.
		 */
		s->k.adopted++;
		return 0;
	}
	if (ret || !out->cookie) {
		struct round **p;

		/* refused: nothing was sent, no event will come */
		for (p = &s->first; *p; p = &(*p)->next)
			if (*p == x.r) {
				*p = x.r->next;
				s->n--;
				free(x.r);
				break;
			}
		return ret ? ret : -EBADMSG;
	}
	if (tracked(s, x.r) && !x.r->cookie)
		x.r->cookie = out->cookie;
	return 0;
}

void inv_expire(struct inv_set *s)
{
	double now = mono_secs();
	struct round **p = &s->first;

	while (*p) {
		if ((*p)->deadline <= now) {
			struct inv_done d = { .outcome = INV_LOST };

			finish(s, p, &d);
			continue;
		}
		p = &(*p)->next;
	}
}

int inv_next_ms(const struct inv_set *s)
{
	const struct round *r;
	double first = 0;
	int ms;

	if (!s->first)
		return -1;
	for (r = s->first; r; r = r->next)
		if (r == s->first || r->deadline < first)
			first = r->deadline;
	ms = (int)((first - mono_secs()) * 1000) + 1;
	return ms > 0 ? ms : 1;
}

int inv_poll(struct inv_set *s, int ms, int max)
{
	int ret, count;

	if (ms < 0)
		ms = inv_next_ms(s);
	ret = anl_poll(s->a, ms);
	if (ret < 0)
		return ret;
	for (count = ret; ret > 0 && count < max; count += ret) {
		ret = anl_poll(s->a, 0);
		if (ret < 0)
			return ret;
	}
	inv_expire(s);
	return count;
}

void inv_abandon(struct inv_set *s)
{
	while (s->first) {
		struct inv_done d = { .outcome = INV_ABANDONED };

		finish(s, &s->first, &d);
	}
}

int inv_filter_bytes(struct inv_spec *sp, const uint8_t *bytes, size_t n)
{
	if (n > AIOTSEC_GROUP_LEN)
		return -1;
	memset(sp->filter, 0, sizeof(sp->filter));
	if (n)
		memcpy(sp->filter, bytes, n);
	sp->fbits = (uint8_t)(8 * n);
	return 0;
}

bool inv_filter_match(const struct inv_spec *sp,
		      const uint8_t group[AIOTSEC_GROUP_LEN])
{
	unsigned int full = sp->fbits / 8, rest = sp->fbits % 8;
	uint8_t mask;

	if (memcmp(sp->filter, group, full))
		return false;
	if (!rest)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return !((sp->filter[full] ^ group[full]) & mask);
}
