// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A bare generic netlink requester for the batch cases: its own socket
 * in a namespace, AUTH with AIOTSEC_A_DEV_IDS, and a record of what came
 * back (the reply's cookies, each result, anything not its own, a result
 * before its reply). No libnl: what arrives is checked as it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "e2e.h"
#include "linux/aiotsec.h"

#define NLA_NEXT(a) ((struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_OK(a, end) ((char *)(a) + NLA_HDRLEN <= (char *)(end) && \
			(a)->nla_len >= NLA_HDRLEN && \
			(char *)(a) + (a)->nla_len <= (char *)(end))

static void put_attr(char *buf, size_t *off, uint16_t type, const void *p,
		     size_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(a + 1, p, len);
	*off += NLA_ALIGN(a->nla_len);
}

static int family_id(int fd)
{
	char buf[8192];
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	struct nlattr *a;
	ssize_t n;

	memset(buf, 0, sizeof(buf));
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	put_attr(buf, &off, CTRL_ATTR_FAMILY_NAME, AIOTSEC_GENL_NAME,
		 sizeof(AIOTSEC_GENL_NAME));
	nlh->nlmsg_len = off;
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	if (send(fd, buf, off, 0) != (ssize_t)off)
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN) || nlh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	for (a = (struct nlattr *)(buf + NLMSG_HDRLEN + GENL_HDRLEN);
	     NLA_OK(a, buf + nlh->nlmsg_len); a = NLA_NEXT(a))
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(a + 1);
	return -1;
}

int nlc_open(struct nlc *c, const char *ns, int rcvbuf, uint32_t portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = portid };
	char path[128];
	socklen_t len = sizeof(sa);
	int self, other, ret = -1;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	other = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || other < 0 || setns(other, CLONE_NEWNET))
		goto out;
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (setns(self, CLONE_NEWNET) || c->fd < 0)
		goto out;
	if (rcvbuf && setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf)))
		goto out;
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(c->fd, (struct sockaddr *)&sa, &len))
		goto out;
	c->portid = sa.nl_pid;
	ret = family_id(c->fd);
	if (ret > 0) {
		c->family = ret;
		ret = 0;
	}
out:
	if (self >= 0)
		close(self);
	if (other >= 0)
		close(other);
	if (ret && c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	return ret;
}

void nlc_close(struct nlc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static bool own(const struct nlc *c, uint64_t cookie, unsigned int *i)
{
	for (*i = 0; *i < c->ncookies; (*i)++)
		if (c->cookie[*i] == cookie)
			return true;
	return false;
}

static int nlc_request(struct nlc *c, uint8_t cmd, const char (*ids)[33],
		       unsigned int n, uint32_t timeout_ms, const void *payload,
		       uint16_t plen)
{
	static char buf[65536];
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, nest;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	uint8_t id[AIOTSEC_ID_LEN];
	unsigned int i, k;

	if (c->nreq == NLC_REQ_MAX)
		return -1;
	memset(buf, 0, sizeof(buf));
	gh->cmd = cmd;
	gh->version = AIOTSEC_GENL_VERSION;
	nest = off;
	off += NLA_HDRLEN;
	for (i = 0; i < n; i++) {
		memset(id, 0, sizeof(id));
		for (k = 0; k < 16 && ids[i][2 * k]; k++)
			sscanf(&ids[i][2 * k], "%2hhx", &id[k]);
		/* env_id_hex() writes 32 digits: all 16 bytes. */
		put_attr(buf, &off, AIOTSEC_A_DEV_ID, id, sizeof(id));
	}
	((struct nlattr *)(buf + nest))->nla_type = NLA_F_NESTED | AIOTSEC_A_DEV_IDS;
	((struct nlattr *)(buf + nest))->nla_len = off - nest;
	put_attr(buf, &off, AIOTSEC_A_TIMEOUT_MS, &timeout_ms, sizeof(timeout_ms));
	if (cmd == AIOTSEC_CMD_COMMAND)
		put_attr(buf, &off, AIOTSEC_A_PAYLOAD, payload, plen);
	nlh->nlmsg_len = off;
	nlh->nlmsg_type = c->family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++c->seq + 1000;
	c->req_seq[c->nreq++] = nlh->nlmsg_seq;
	return send(c->fd, buf, off, 0) == (ssize_t)off ? 0 : -1;
}

int nlc_auth(struct nlc *c, const char (*ids)[33], unsigned int n,
	     uint32_t timeout_ms)
{
	return nlc_request(c, AIOTSEC_CMD_AUTH, ids, n, timeout_ms, NULL, 0);
}

int nlc_command(struct nlc *c, const char (*ids)[33], unsigned int n,
		uint32_t timeout_ms, const void *payload, uint16_t plen)
{
	return nlc_request(c, AIOTSEC_CMD_COMMAND, ids, n, timeout_ms, payload,
			   plen);
}

static void take_reply(struct nlc *c, struct nlmsghdr *nlh)
{
	char *end = (char *)nlh + nlh->nlmsg_len;
	struct nlattr *a, *r, *x;

	c->replies++;
	for (a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     NLA_OK(a, end); a = NLA_NEXT(a)) {
		if ((a->nla_type & NLA_TYPE_MASK) != AIOTSEC_A_RESULTS)
			continue;
		for (r = (struct nlattr *)(a + 1); NLA_OK(r, (char *)a + a->nla_len);
		     r = NLA_NEXT(r)) {
			uint64_t cookie = 0;
			uint32_t err = 0;

			for (x = (struct nlattr *)(r + 1);
			     NLA_OK(x, (char *)r + r->nla_len); x = NLA_NEXT(x)) {
				if ((x->nla_type & NLA_TYPE_MASK) == AIOTSEC_RES_A_COOKIE)
					memcpy(&cookie, x + 1, 8);
				if ((x->nla_type & NLA_TYPE_MASK) == AIOTSEC_RES_A_ERROR)
					memcpy(&err, x + 1, 4);
			}
			if (err || !cookie) {
				c->tx_errors++;
			} else if (c->ncookies < NLC_MAX) {
				c->got[c->ncookies] = 0;
				c->cookie[c->ncookies++] = cookie;
			}
		}
	}
}

static void take_event(struct nlc *c, struct nlmsghdr *nlh)
{
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	char *end = (char *)nlh + nlh->nlmsg_len;
	uint64_t cookie = 0;
	uint32_t seq = 0;
	struct nlattr *a;
	unsigned int i;

	for (a = (struct nlattr *)((char *)gh + GENL_HDRLEN); NLA_OK(a, end);
	     a = NLA_NEXT(a)) {
		if ((a->nla_type & NLA_TYPE_MASK) == AIOTSEC_A_COOKIE)
			memcpy(&cookie, a + 1, 8);
		if ((a->nla_type & NLA_TYPE_MASK) == AIOTSEC_A_SEQ)
			memcpy(&seq, a + 1, 4);
	}
	c->events++;
	for (i = 0; i < c->nreq; i++)
		if (seq == c->req_seq[i])
			c->by_seq[i]++;
	/* Not a cookie of a reply seen: another's, or before its reply. */
	if (!own(c, cookie, &i)) {
		c->foreign++;
		return;
	}
	c->got[i]++;
	if (gh->cmd == AIOTSEC_CMD_EVENT_AUTH)
		c->auth_ok++;
	else if (gh->cmd == AIOTSEC_CMD_EVENT_TIMEOUT)
		c->timeouts++;
}

int nlc_poll(struct nlc *c, int ms)
{
	static char buf[1 << 17];
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	struct nlmsghdr *nlh;
	unsigned int i;
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0) {
		if (errno == ENOBUFS)
			c->enobufs++;
		return n < 0 && errno == ENOBUFS ? 1 : -errno;
	}
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (e->error)
				c->errors++;
			continue;
		}
		if (nlh->nlmsg_type != c->family)
			continue;
		for (i = 0; i < c->nreq; i++)
			if (nlh->nlmsg_seq == c->req_seq[i])
				break;
		if (i < c->nreq && nlh->nlmsg_pid == c->portid)
			take_reply(c, nlh);
		else
			take_event(c, nlh);
	}
	return 1;
}

unsigned int nlc_done(const struct nlc *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->ncookies; i++)
		n += c->got[i] > 0;
	return n;
}

unsigned int nlc_twice(const struct nlc *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->ncookies; i++)
		n += c->got[i] > 1;
	return n;
}

void nlc_wait(struct nlc *c, unsigned int want, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while (nlc_done(c) < want && now_ms() < end)
		if (nlc_poll(c, 100) < 0)
			break;
}
