// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The aiotsec generic netlink socket (see nl.h). */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "nl.h"

#define RCVBUF		(32 << 20)	/* events must not overrun it */
#define SNDBUF		(4 << 20)	/* above any request we build */
#define BUF_MIN		(64 << 10)

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void set_buffers(struct anl *a)
{
	int rcv = RCVBUF, snd = SNDBUF;

	/* Up to the sysctl limits for anybody, beyond them for root. */
	nl_socket_set_buffer_size(a->sk, rcv, snd);
	setsockopt(a->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
	setsockopt(a->fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd));
}

int anl_sock_opts(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		return -errno;
	return 0;
}

static int open_fail(struct anl *a, struct anl_open_err *oe,
		     enum anl_open_stage stage, int err, const char *detail)
{
	if (oe) {
		oe->stage = stage;
		oe->err = err;
		snprintf(oe->detail, sizeof(oe->detail), "%s", detail ? detail : "");
	}
	anl_close(a);
	return -(err ? err : EIO);
}

int anl_open(struct anl *a, bool events, struct anl_open_err *oe)
{
	int grp, ret;

	memset(a, 0, sizeof(*a));
	if (oe)
		memset(oe, 0, sizeof(*oe));
	a->sk = nl_socket_alloc();
	a->buf = malloc(BUF_MIN);
	a->cap = BUF_MIN;
	if (!a->sk || !a->buf)
		return open_fail(a, oe, ANL_OPEN_NOMEM, ENOMEM, NULL);
	ret = genl_connect(a->sk);
	if (ret)
		return open_fail(a, oe, ANL_OPEN_SOCKET, EIO, nl_geterror(ret));
	a->fd = nl_socket_get_fd(a->sk);
	a->family = genl_ctrl_resolve(a->sk, AIOTSEC_GENL_NAME);
	if (a->family < 0) {
		if (a->family == -NLE_OBJ_NOTFOUND)
			return open_fail(a, oe, ANL_OPEN_NO_MODULE, ENOENT, NULL);
		return open_fail(a, oe, ANL_OPEN_FAMILY, EIO,
				 nl_geterror(a->family));
	}
	if (events) {
		grp = genl_ctrl_resolve_grp(a->sk, AIOTSEC_GENL_NAME,
					    AIOTSEC_GENL_MCGRP_EVENTS);
		if (grp < 0)
			return open_fail(a, oe, ANL_OPEN_GROUP, EIO,
					 nl_geterror(grp));
		if (setsockopt(a->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp)))
			return open_fail(a, oe, ANL_OPEN_JOIN, errno, NULL);
	}
	ret = anl_sock_opts(a->fd);
	if (ret)
		return open_fail(a, oe, ANL_OPEN_SOCKOPT, -ret, NULL);
	set_buffers(a);
	return 0;
}

void anl_close(struct anl *a)
{
	if (a->sk)
		nl_socket_free(a->sk);
	free(a->buf);
	memset(a, 0, sizeof(*a));
}

struct nl_msg *anl_msg(struct anl *a, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size + NLMSG_HDRLEN +
					       GENL_HDRLEN + 64);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, a->family, 0, flags,
			 cmd, AIOTSEC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int anl_parse(const struct nlmsghdr *nlh, struct nlattr **tb, int max)
{
	return genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, max, NULL);
}

void anl_limits_parse(const struct nlattr *nest, struct anl_limits *l)
{
	struct nlattr *tb[AIOTSEC_LIM_A_MAX + 1];
	int i;

	memset(l, 0, sizeof(*l));
	if (!nest || nla_parse_nested(tb, AIOTSEC_LIM_A_MAX,
				      (struct nlattr *)nest, NULL))
		return;
	for (i = 1; i <= AIOTSEC_LIM_A_MAX; i++)
		if (tb[i] && nla_len(tb[i]) == sizeof(uint32_t))
			l->v[i] = nla_get_u32(tb[i]);
}

static int limits_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX))
		return -EBADMSG;
	anl_limits_parse(tb[AIOTSEC_A_LIMITS], arg);
	return 0;
}

int anl_limits(struct anl *a, struct anl_limits *l)
{
	struct nl_msg *msg = anl_msg(a, AIOTSEC_CMD_GET_CONFIG, 0, 0);

	memset(l, 0, sizeof(*l));
	return msg ? anl_request(a, msg, limits_cb, l) : -ENOMEM;
}

/*
 * Read one datagram into a->buf; its length, or a negative errno. One
 * read, no MSG_PEEK first: the buffer (BUF_MIN) holds the largest message
 * the module sends (a batch's reply, 45 KiB; a dump's part, at most
 * 32 KiB). A larger one is cut (MSG_TRUNC gives its whole length): it is
 * lost, like an overrun's (-EMSGSIZE), and the buffer grows to take the
 * next.
 */
static ssize_t recv_one(struct anl *a, int flags)
{
	ssize_t n;
	void *nb;

	do
		n = recv(a->fd, a->buf, a->cap, MSG_TRUNC | flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n <= a->cap)
		return n;
	nb = realloc(a->buf, (size_t)n);
	if (nb) {
		a->buf = nb;
		a->cap = (size_t)n;
	}
	return -EMSGSIZE;
}

/* NLMSGERR_ATTR_POLICY: what the rejecting policy allows, in words. */
static void parse_policy(const unsigned char *p, size_t len, char *out,
			 size_t outlen)
{
	const unsigned char *end = p + len;
	bool has_mins = false, has_maxs = false, has_minu = false;
	bool has_maxu = false, has_minl = false, has_maxl = false;
	int64_t mins = 0, maxs = 0;
	uint64_t minu = 0, maxu = 0;
	uint32_t minl = 0, maxl = 0;
	const struct nlattr *nla;
	size_t l;

	while (p + NLA_HDRLEN <= end) {
		nla = (const struct nlattr *)p;
		if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end)
			break;
		l = nla->nla_len - NLA_HDRLEN;
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			if (l == 8)
				memcpy(&mins, p + NLA_HDRLEN, 8), has_mins = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			if (l == 8)
				memcpy(&maxs, p + NLA_HDRLEN, 8), has_maxs = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			if (l == 8)
				memcpy(&minu, p + NLA_HDRLEN, 8), has_minu = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			if (l == 8)
				memcpy(&maxu, p + NLA_HDRLEN, 8), has_maxu = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			if (l == 4)
				memcpy(&minl, p + NLA_HDRLEN, 4), has_minl = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			if (l == 4)
				memcpy(&maxl, p + NLA_HDRLEN, 4), has_maxl = true;
			break;
		}
		p += NLA_ALIGN(nla->nla_len);
	}
	out[0] = '\0';
	if (has_minu && has_maxu)
		snprintf(out, outlen, "%" PRIu64 " to %" PRIu64, minu, maxu);
	else if (has_mins && has_maxs)
		snprintf(out, outlen, "%" PRId64 " to %" PRId64, mins, maxs);
	else if (has_minl && has_maxl && minl == maxl)
		snprintf(out, outlen, "length %" PRIu32 " bytes", minl);
	else if (has_minl && has_maxl)
		snprintf(out, outlen, "length %" PRIu32 " to %" PRIu32 " bytes",
			 minl, maxl);
	else if (has_maxl)
		snprintf(out, outlen, "length at most %" PRIu32 " bytes", maxl);
	else if (has_minl)
		snprintf(out, outlen, "length at least %" PRIu32 " bytes", minl);
}

/* The extended ack TLVs of an NLMSG_ERROR or NLMSG_DONE message. */
static void parse_extack(const struct nlmsghdr *nlh, size_t skip,
			 struct anl_err *e)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(nlh) + skip;
	const unsigned char *end = (const unsigned char *)nlh + nlh->nlmsg_len;
	const struct nlattr *nla;
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (p + NLA_HDRLEN <= end) {
		nla = (const struct nlattr *)p;
		if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end)
			break;
		len = nla->nla_len - NLA_HDRLEN;
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (len >= sizeof(e->msg))
				len = sizeof(e->msg) - 1;
			memcpy(e->msg, p + NLA_HDRLEN, len);
			e->msg[len] = '\0';
			e->msg[strcspn(e->msg, "\n")] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (len >= sizeof(uint32_t)) {
				memcpy(&e->off, p + NLA_HDRLEN, sizeof(e->off));
				e->has_off = true;
			}
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(p + NLA_HDRLEN, len, e->policy,
				     sizeof(e->policy));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (len >= sizeof(uint32_t)) {
				memcpy(&e->miss_type, p + NLA_HDRLEN, sizeof(uint32_t));
				e->has_miss = true;
			}
			break;
		}
		p += NLA_ALIGN(nla->nla_len);
	}
}

static int handle_error(const struct nlmsghdr *nlh, struct anl_err *e)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t skip = sizeof(*err);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
		return -EBADMSG;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += err->msg.nlmsg_len - sizeof(err->msg);
	if (skip + NLMSG_HDRLEN > nlh->nlmsg_len)
		skip = nlh->nlmsg_len - NLMSG_HDRLEN;
	e->err = -err->error;
	parse_extack(nlh, NLMSG_ALIGN(skip), e);
	return err->error;
}

int anl_error_parse(const struct nlmsghdr *nlh, struct anl_err *e)
{
	int ret;

	memset(e, 0, sizeof(*e));
	ret = handle_error(nlh, e);
	return ret == -EBADMSG && !e->err ? ret : 0;
}

/*
 * Walk the messages of one datagram. Returns 1 when request @seq is
 * complete (its ack, error or NLMSG_DONE), 0 to read on, or the error.
 */
static int walk(struct anl *a, ssize_t len, uint32_t seq, anl_reply_fn cb,
		void *arg, int *cb_ret)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)a->buf;
	uint32_t port = nl_socket_get_local_port(a->sk);
	int ret;

	for (; NLMSG_OK(nlh, (size_t)len); nlh = NLMSG_NEXT(nlh, len)) {
		if (!seq || nlh->nlmsg_seq != seq || nlh->nlmsg_pid != port) {
			if (a->on_event && nlh->nlmsg_type == a->family)
				a->on_event(nlh, a->event_arg);
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			a->dump_intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			ret = handle_error(nlh, &a->last);
			return ret ? ret : 1;
		case NLMSG_DONE:
			if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				memcpy(&ret, NLMSG_DATA(nlh), sizeof(ret));
				if (ret) {
					a->last.err = -ret;
					parse_extack(nlh, sizeof(int), &a->last);
					return ret;
				}
			}
			return 1;
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			continue;
		}
		a->replies++;
		if (cb && !*cb_ret)
			*cb_ret = cb(nlh, arg);
	}
	return 0;
}

/*
 * The reply to request @seq was dropped: the socket overran (a full
 * receive buffer), and its queue holds no reply. The module still
 * carried the request out; its results name it by @seq.
 */
static int reply_lost(struct anl *a, uint32_t seq)
{
	a->last.err = ENOBUFS;
	a->lost_seq = seq;
	snprintf(a->last.msg, sizeof(a->last.msg),
		 "the reply was lost (receive buffer full); the request may have been carried out, its results carry sequence number %" PRIu32,
		 seq);
	return -ENOBUFS;
}

int anl_request(struct anl *a, struct nl_msg *msg, anl_reply_fn cb,
		void *arg)
{
	bool overrun = false, dump;
	int cb_ret = 0, ret;
	uint32_t seq;
	ssize_t n;

	memset(&a->last, 0, sizeof(a->last));
	a->dump_intr = false;
	a->replies = 0;
	ret = nl_send_auto(a->sk, msg);
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	dump = nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP;
	nlmsg_free(msg);
	if (ret < 0) {
		a->last.err = ret == -NLE_MSGSIZE ? EMSGSIZE : EIO;
		snprintf(a->last.msg, sizeof(a->last.msg), "sending: %s",
			 nl_geterror(ret));
		return -a->last.err;
	}
	for (;;) {
		/*
		 * The module has answered by the time the send returns: after
		 * an overrun, a queue read dry without the answer means the
		 * answer was dropped. Read without blocking then.
		 */
		n = recv_one(a, overrun ? MSG_DONTWAIT : 0);
		if (n == -EMSGSIZE && dump) {
			/* a part of the dump lost: the dump is not whole */
			a->last.err = EMSGSIZE;
			snprintf(a->last.msg, sizeof(a->last.msg),
				 "a reply larger than the receive buffer was lost");
			return -EMSGSIZE;
		}
		if (n == -ENOBUFS || n == -EMSGSIZE) {
			/* Events, results or this request's reply dropped. */
			a->overrun = true;
			overrun = true;
			continue;
		}
		if (overrun && (n == -EAGAIN || n == -EWOULDBLOCK))
			return reply_lost(a, seq);
		if (n < 0) {
			a->last.err = (int)-n;
			return (int)n;
		}
		ret = walk(a, n, seq, cb, arg, &cb_ret);
		if (ret < 0) {
			a->last.err = -ret;
			return ret;
		}
		if (ret)
			break;
	}
	/* An ACK without the reply that should precede it: dropped too. */
	if (overrun && cb && !dump && !a->replies)
		return reply_lost(a, seq);
	if (cb_ret < 0) {
		a->last.err = -cb_ret;
		return cb_ret;
	}
	return 0;
}

int anl_poll(struct anl *a, int ms)
{
	struct pollfd pfd = { .fd = a->fd, .events = POLLIN };
	int cb_ret = 0, ret;
	ssize_t n;

	/* not waiting: the read itself says whether there is something */
	if (ms) {
		ret = poll(&pfd, 1, ms);
		if (ret < 0)
			return errno == EINTR ? 0 : -errno;
		if (!ret)
			return 0;
	}
	n = recv_one(a, MSG_DONTWAIT);
	if (n == -EAGAIN || n == -EWOULDBLOCK)
		return 0;
	if (n == -ENOBUFS || n == -EMSGSIZE) {	/* lost */
		a->overrun = true;
		return 1;
	}
	if (n < 0)
		return (int)n;
	walk(a, n, 0, NULL, NULL, &cb_ret);
	return 1;
}
