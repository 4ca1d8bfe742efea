// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * nlfuzz: the generic netlink side of `make stress` (tests/stress/README.md).
 * Raw netlink sockets, no libnl: the fuzzer has to be able to send what a
 * library would refuse to build.
 *
 *   nlfuzz provision -s SEED -n N [-i IFNAME] [-S SPACE]
 *	bind IFNAME as a reader, add devices 0..N-1 of SPACE (default 'R')
 *   nlfuzz fuzz -s SEED -t SECONDS -i IFNAME [-u]
 *	random and semi-valid requests of every command and unknown ones,
 *	as root (full invariant checks), as uid 65534 without capabilities
 *	in the same namespace and, with -u, as uid 65534 that became root of
 *	its own user and network namespace (full invariant checks there)
 *   nlfuzz genuine -s SEED -n N -t SECONDS [-w WINDOW] [-c]
 *	genuine AUTH (and with -c COMMAND) requests on devices 0..N-1 of
 *	space 'R', counting the results from the events group
 *   nlfuzz stats
 *	the namespace's counters, one line "STATS key=value..."
 *   nlfuzz churn -s SEED -t SECONDS -i IFNAME
 *	1 ms and 10 min transactions, devices replaced and deleted while
 *	pending, flushes; for namespaces that are torn down under it
 *   nlfuzz inv -s SEED -n N -t SECONDS -i IFNAME [-c]
 *	inventory rounds (v1.1) on reader IFNAME, one after another without
 *	waiting for their end: short and long windows, stop counts, filters
 *	of every length; with -c under churn: devices 0..N-1 of space 'R'
 *	replaced, deleted and added back, flushed, the reader unbound and
 *	bound again while rounds run. From the events group: a device found
 *	twice in one round, a device that is not one of ours, or a round
 *	ending twice is a violation
 *
 * Every reply, dump message, error ACK and event is scanned for the bytes
 * of every provisioned key (the key pool of tests/stress/stress.h). Each
 * mode ends with one line "NLFUZZ mode=... key=value..." on stdout; the
 * exit status is 1 when a key was seen or an invariant broke.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/aiotsec.h>

#include "stress.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define BUFSZ (1 << 17)

static uint64_t seed = 1;
static volatile sig_atomic_t stop;
static const char *persona = "root";
static int verbose;

/* ---- counters -------------------------------------------------------- */

static struct {
	unsigned long sent, replies, rejected, accepted, dumps, abandoned;
	unsigned long events, keyhits, violations, echo_probe, timeouts;
	unsigned long g_ok, g_fail, g_timeout, g_err;
} st;

static void violation(const char *fmt, ...)
{
	va_list ap;

	st.violations++;
	if (st.violations > 20)
		return;
	fprintf(stderr, "nlfuzz[%s]: INVARIANT: ", persona);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- key scan ---------------------------------------------------------- */

/* 12-byte windows at offsets 0 and 16 (32-byte keys) of every pool key. */
static uint8_t needles[2 * KEY_POOL][12];
static unsigned int nneedles;

static void keys_init(void)
{
	uint8_t k[32];
	unsigned int i, len;

	nneedles = 0;
	for (i = 0; i < KEY_POOL; i++) {
		len = pool_key(seed, i, k);
		memcpy(needles[nneedles++], k, 12);
		if (len == 32)
			memcpy(needles[nneedles++], k + 16, 12);
	}
}

static unsigned int key_scan(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	unsigned int hits = 0, i;
	size_t off;

	if (len < 12)
		return 0;
	/* every needle starts with its own byte: one pass over the buffer */
	for (off = 0; off + 12 <= len; off++)
		for (i = 0; i < nneedles; i++)
			if (b[off] == needles[i][0] &&
			    !memcmp(b + off, needles[i], 12))
				hits++;
	return hits;
}

static void scan(const void *buf, size_t len, const char *what)
{
	unsigned int h = key_scan(buf, len);

	if (h) {
		st.keyhits += h;
		fprintf(stderr, "nlfuzz[%s]: KEY BYTES in %s (%u hits, %zu bytes)\n",
			persona, what, h, len);
	}
}

/* ---- message building -------------------------------------------------- */

struct msg {
	uint8_t b[BUFSZ];
	size_t len;
	size_t nest[16];
	int depth;
};

static struct nlmsghdr *msg_start(struct msg *m, uint16_t type, uint16_t flags,
				  uint8_t cmd)
{
	struct nlmsghdr *nh = (void *)m->b;
	struct genlmsghdr *gh;

	memset(m->b, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = flags;
	gh = (void *)(m->b + NLMSG_HDRLEN);
	gh->cmd = cmd;
	gh->version = AIOTSEC_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
	return nh;
}

static bool room(struct msg *m, size_t n)
{
	return m->len + NLA_ALIGN(n) + NLA_HDRLEN < sizeof(m->b) - 64;
}

static void put(struct msg *m, uint16_t type, const void *data, size_t n)
{
	struct nlattr *a;

	if (!room(m, n))
		return;
	a = (void *)(m->b + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	if (n)
		memcpy(m->b + m->len + NLA_HDRLEN, data, n);
	memset(m->b + m->len + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	m->len += NLA_HDRLEN + NLA_ALIGN(n);
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, 4);
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	put(m, type, &v, 1);
}

static void nest_start(struct msg *m, uint16_t type)
{
	if (m->depth >= 16 || !room(m, 0))
		return;
	m->nest[m->depth++] = m->len;
	put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m)
{
	struct nlattr *a;

	if (!m->depth)
		return;
	a = (void *)(m->b + m->nest[--m->depth]);
	a->nla_len = m->len - m->nest[m->depth];
}

static void msg_finish(struct msg *m)
{
	while (m->depth)
		nest_end(m);
	((struct nlmsghdr *)m->b)->nlmsg_len = m->len;
}

/* ---- sockets ----------------------------------------------------------- */

struct nl {
	int fd;
	uint32_t seq;
	uint16_t family;
	uint32_t mcgrp;
	uint8_t rx[BUFSZ];
};

static int nl_open(struct nl *n, bool cap_ack)
{
	int one = 1, sz = 1 << 20;
	struct timeval tv = { .tv_sec = 3 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (n->fd < 0)
		return -errno;
	if (cap_ack)
		setsockopt(n->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(n->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(n->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(n->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(n->fd, (void *)&sa, sizeof(sa)) < 0)
		return -errno;
	n->seq = (uint32_t)time(NULL);
	return 0;
}

static int nl_send(struct nl *n, struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nh = (void *)m->b;

	nh->nlmsg_seq = ++n->seq;
	st.sent++;
	if (sendto(n->fd, m->b, m->len, 0, (void *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/*
 * Reads until the ACK, error or DONE of the last request. Returns the
 * request's errno (0 or negative), -ETIMEDOUT when nothing came. @cb sees
 * every genl reply message. Every byte received is scanned for keys.
 */
typedef void (*reply_cb)(struct nlmsghdr *nh, void *arg);

static int nl_wait(struct nl *n, reply_cb cb, void *arg, bool abandon)
{
	for (;;) {
		ssize_t r = recv(n->fd, n->rx, sizeof(n->rx), 0);
		struct nlmsghdr *nh;
		size_t left;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				st.timeouts++;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		scan(n->rx, r, "reply");
		left = r;
		for (nh = (void *)n->rx; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq != n->seq)
				continue;	/* late answer to an earlier one */
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				return e->error;
			}
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			st.replies++;
			if (cb)
				cb(nh, arg);
		}
		if (abandon)
			return 1;
	}
}

static int nl_req(struct nl *n, struct msg *m, reply_cb cb, void *arg)
{
	int err;

	msg_finish(m);
	err = nl_send(n, m);
	if (err)
		return err;
	return nl_wait(n, cb, arg, false);
}

/* ---- attribute walking ------------------------------------------------- */

static struct nlattr *attr_first(struct nlmsghdr *nh, size_t *left)
{
	size_t hl = NLMSG_HDRLEN + GENL_HDRLEN;

	if (nh->nlmsg_len < hl) {
		*left = 0;
		return NULL;
	}
	*left = nh->nlmsg_len - hl;
	return (void *)((uint8_t *)nh + hl);
}

static struct nlattr *attr_nextf(struct nlattr *a, size_t *l)
{
	size_t s = NLA_ALIGN(a->nla_len);

	*l = s < *l ? *l - s : 0;
	return (struct nlattr *)((uint8_t *)a + s);
}

#define attr_ok(a, l) ((l) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN && \
		       (a)->nla_len <= (l))
#define attr_next(a, l) attr_nextf(a, &(l))
#define attr_type(a) ((a)->nla_type & NLA_TYPE_MASK)
#define attr_data(a) ((void *)((uint8_t *)(a) + NLA_HDRLEN))
#define attr_len(a) ((unsigned int)((a)->nla_len - NLA_HDRLEN))

static uint32_t attr_u32(struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, attr_data(a), attr_len(a) < 4 ? attr_len(a) : 4);
	return v;
}

/* ---- family ------------------------------------------------------------ */

static void family_cb(struct nlmsghdr *nh, void *arg)
{
	struct nl *n = arg;
	struct nlattr *a, *g, *ga;
	size_t l, gl, gal;

	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l)) {
		if (attr_type(a) == CTRL_ATTR_FAMILY_ID)
			n->family = *(uint16_t *)attr_data(a);
		if (attr_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		gl = attr_len(a);
		for (g = attr_data(a); attr_ok(g, gl); g = attr_next(g, gl)) {
			uint32_t id = 0;
			bool ev = false;

			gal = attr_len(g);
			for (ga = attr_data(g); attr_ok(ga, gal);
			     ga = attr_next(ga, gal)) {
				if (attr_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = attr_u32(ga);
				if (attr_type(ga) == CTRL_ATTR_MCAST_GRP_NAME &&
				    !strcmp(attr_data(ga), AIOTSEC_GENL_MCGRP_EVENTS))
					ev = true;
			}
			if (ev)
				n->mcgrp = id;
		}
	}
}

static int nl_family(struct nl *n)
{
	struct msg *m = malloc(sizeof(*m));
	int err;

	msg_start(m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(m->b + NLMSG_HDRLEN))->version = 1;
	put(m, CTRL_ATTR_FAMILY_NAME, AIOTSEC_GENL_NAME,
	    sizeof(AIOTSEC_GENL_NAME));
	err = nl_req(n, m, family_cb, n);
	free(m);
	return err ? err : (n->family ? 0 : -ENOENT);
}

static int nl_setup(struct nl *n, bool cap_ack)
{
	int err = nl_open(n, cap_ack);

	if (!err)
		err = nl_family(n);
	if (err)
		fprintf(stderr, "nlfuzz[%s]: netlink/family: %s\n", persona,
			strerror(-err));
	return err;
}

static int nl_subscribe(struct nl *n)
{
	int g = n->mcgrp;

	if (setsockopt(n->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g,
		       sizeof(g)) < 0)
		return -errno;
	fcntl(n->fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* ---- valid operations ---------------------------------------------------- */

static void put_device(struct msg *m, uint8_t space, unsigned int i,
		       bool with_key)
{
	uint8_t id[16], key[32];
	unsigned int klen;

	dev_id(space, i, id);
	nest_start(m, AIOTSEC_A_DEVICE);
	put(m, AIOTSEC_DEV_A_ID, id, 16);
	if (with_key) {
		klen = dev_key(seed, i, key);
		put(m, AIOTSEC_DEV_A_KEY, key, klen);
		put_u8(m, AIOTSEC_DEV_A_POLICY, dev_policy(i));
		put_u8(m, AIOTSEC_DEV_A_MIN_POLICY, dev_policy(i));
	}
	nest_end(m);
}

static int add_devices(struct nl *n, uint8_t space, unsigned int from,
		       unsigned int to, bool replace)
{
	struct msg *m = malloc(sizeof(*m));
	unsigned int i;
	int err = 0;

	while (from < to && !err) {
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK,
			  AIOTSEC_CMD_ADD_DEVICES);
		if (replace)
			put_u32(m, AIOTSEC_A_FLAGS, AIOTSEC_F_REPLACE);
		nest_start(m, AIOTSEC_A_DEVICES);
		for (i = 0; i < 400 && from < to; i++, from++)
			put_device(m, space, from, true);
		err = nl_req(n, m, NULL, NULL);
	}
	free(m);
	return err;
}

static int simple(struct nl *n, uint8_t cmd, void (*fill)(struct msg *, void *),
		  void *arg, reply_cb cb, void *cbarg)
{
	struct msg *m = malloc(sizeof(*m));
	int err;

	msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	if (fill)
		fill(m, arg);
	err = nl_req(n, m, cb, cbarg);
	free(m);
	return err;
}

static void fill_ifname(struct msg *m, void *arg)
{
	put(m, AIOTSEC_A_IFNAME, arg, strlen(arg) + 1);
}

/* ---- state snapshot, for "a rejected request changes nothing" --------- */

struct snap {
	uint32_t timeout, max_pending, max_devices, ndev, npend;
	uint32_t lim_pending, lim_devices;	/* AIOTSEC_A_LIMITS */
	uint32_t readers[16];
	unsigned int nreaders;
	uint64_t devhash;
	unsigned long ndumped;
	bool intr;		/* a dump message flagged NLM_F_DUMP_INTR */
};

/* The module's limits the fuzzer uses, from AIOTSEC_A_LIMITS @nest. */
static void limits_of(struct nlattr *nest, struct snap *s)
{
	size_t l = attr_len(nest);
	struct nlattr *a;

	for (a = attr_data(nest); attr_ok(a, l); a = attr_next(a, l)) {
		if (attr_type(a) == AIOTSEC_LIM_A_MAX_PENDING)
			s->lim_pending = attr_u32(a);
		else if (attr_type(a) == AIOTSEC_LIM_A_MAX_DEVICES)
			s->lim_devices = attr_u32(a);
	}
}

static void config_cb(struct nlmsghdr *nh, void *arg)
{
	struct snap *s = arg;
	struct nlattr *a;
	size_t l;

	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l)) {
		switch (attr_type(a)) {
		case AIOTSEC_A_TIMEOUT_MS: s->timeout = attr_u32(a); break;
		case AIOTSEC_A_MAX_PENDING: s->max_pending = attr_u32(a); break;
		case AIOTSEC_A_MAX_DEVICES: s->max_devices = attr_u32(a); break;
		case AIOTSEC_A_NUM_DEVICES: s->ndev = attr_u32(a); break;
		case AIOTSEC_A_NUM_PENDING: s->npend = attr_u32(a); break;
		case AIOTSEC_A_LIMITS: limits_of(a, s); break;
		}
	}
}

static void reader_cb(struct nlmsghdr *nh, void *arg)
{
	struct snap *s = arg;
	struct nlattr *a;
	size_t l;

	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l))
		if (attr_type(a) == AIOTSEC_A_IFINDEX && s->nreaders < 16)
			s->readers[s->nreaders++] = attr_u32(a);
}

/* Order-independent hash of ID, policies, fingerprint, key length. */
static void device_cb(struct nlmsghdr *nh, void *arg)
{
	struct snap *s = arg;
	struct nlattr *a, *d;
	size_t l, dl;

	if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
		s->intr = true;
	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l)) {
		uint64_t h = 0x9e3779b97f4a7c15ULL;

		if (attr_type(a) != AIOTSEC_A_DEVICE)
			continue;
		dl = attr_len(a);
		for (d = attr_data(a); attr_ok(d, dl); d = attr_next(d, dl)) {
			uint8_t *p = attr_data(d);
			unsigned int t = attr_type(d), i;

			if (t == AIOTSEC_DEV_A_STATS)
				continue;
			for (i = 0; i < attr_len(d); i++)
				h = (h ^ p[i] ^ (uint64_t)t << 40) * 0x100000001b3ULL;
		}
		s->devhash += splitmix64(&h);
		s->ndumped++;
	}
}

static int snapshot(struct nl *n, struct snap *s, bool devices)
{
	struct msg *m = malloc(sizeof(*m));
	int err, tries;

	memset(s, 0, sizeof(*s));
	err = simple(n, AIOTSEC_CMD_GET_CONFIG, NULL, NULL, config_cb, s);
	if (!err) {
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  AIOTSEC_CMD_GET_READER);
		err = nl_req(n, m, reader_cb, s);
	}
	/*
	 * A dump that raced a change of the table (its own resize worker
	 * included: entries may repeat or be skipped) is flagged: again.
	 */
	for (tries = 0; !err && devices && tries < 8; tries++) {
		s->devhash = 0;
		s->ndumped = 0;
		s->intr = false;
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  AIOTSEC_CMD_GET_DEVICE);
		err = nl_req(n, m, device_cb, s);
		st.dumps++;
		if (!s->intr)
			break;
	}
	free(m);
	return err;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The state after a rejected request against the one before it. */
static void check_same(const struct snap *a, const struct snap *b,
		       const char *what, bool devices)
{
	struct snap x = *a, y = *b;

	qsort(x.readers, x.nreaders, 4, cmp_u32);
	qsort(y.readers, y.nreaders, 4, cmp_u32);
	if (x.timeout != y.timeout || x.max_pending != y.max_pending ||
	    x.max_devices != y.max_devices)
		violation("%s: rejected, but config changed (%u/%u/%u -> %u/%u/%u)",
			  what, x.timeout, x.max_pending, x.max_devices,
			  y.timeout, y.max_pending, y.max_devices);
	if (x.ndev != y.ndev)
		violation("%s: rejected, but device count %u -> %u", what,
			  x.ndev, y.ndev);
	if (y.npend > x.npend)
		violation("%s: rejected, but pending %u -> %u", what, x.npend,
			  y.npend);
	if (x.nreaders != y.nreaders ||
	    memcmp(x.readers, y.readers, 4 * x.nreaders))
		violation("%s: rejected, but readers changed (%u -> %u)", what,
			  x.nreaders, y.nreaders);
	if (devices && (x.devhash != y.devhash || x.ndumped != y.ndumped))
		violation("%s: rejected, but the device dump changed", what);
}

/* ---- the fuzzer ---------------------------------------------------------- */

static const uint8_t admin_cmds[] = {
	AIOTSEC_CMD_SET_CONFIG, AIOTSEC_CMD_ADD_READER, AIOTSEC_CMD_DEL_READER,
	AIOTSEC_CMD_ADD_DEVICES, AIOTSEC_CMD_DEL_DEVICES,
	AIOTSEC_CMD_FLUSH_DEVICES, AIOTSEC_CMD_AUTH, AIOTSEC_CMD_COMMAND,
	AIOTSEC_CMD_INVENTORY,
};

static bool is_admin(uint8_t cmd)
{
	unsigned int i;

	for (i = 0; i < sizeof(admin_cmds); i++)
		if (admin_cmds[i] == cmd)
			return true;
	return false;
}

static const char *fz_ifname;
#define FZ_DEVICES 300
#define FZ_SPACE 'F'

/* A random attribute payload: often the right size for some type. */
static void rnd_payload(struct rng *r, uint8_t *p, size_t *n, uint16_t t)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 8, 15, 16, 17,
					31, 32, 33, 64, 1024, 1025, 4000 };
	uint8_t key[32];

	*n = sizes[rndn(r, sizeof(sizes) / sizeof(sizes[0]))];
	rndbuf(r, p, *n);
	switch (rndn(r, 6)) {
	case 0:		/* a pool key, maybe cut or stretched */
		if ((t & NLA_TYPE_MASK) != AIOTSEC_DEV_A_KEY)
			break;
		pool_key(seed, rndn(r, KEY_POOL), key);
		memcpy(p, key, *n < 32 ? *n : 32);
		break;
	case 1:		/* a known device ID */
		if (*n >= 16)
			dev_id(FZ_SPACE, rndn(r, FZ_DEVICES + 10), p);
		break;
	case 2:
		if (*n >= 4)
			memset(p, rndn(r, 2) ? 0 : 0xff, 4);
		break;
	}
}

static void rnd_attrs(struct rng *r, struct msg *m, int depth, int budget)
{
	uint8_t p[4096];
	size_t n;

	while (budget-- > 0 && room(m, 4096)) {
		uint16_t t = rndn(r, 8) ? rndn(r, AIOTSEC_A_MAX + 3) :
			     (uint16_t)rnd(r);

		if (depth < 6 && !rndn(r, 4)) {
			nest_start(m, t & NLA_TYPE_MASK);
			rnd_attrs(r, m, depth + 1, rndn(r, 8));
			nest_end(m);
			continue;
		}
		rnd_payload(r, p, &n, t);
		put(m, t & (rndn(r, 16) ? NLA_TYPE_MASK : 0xffff), p, n);
	}
}

/* A device nest with every field random-but-plausible. */
static void semi_device(struct rng *r, struct msg *m)
{
	uint8_t id[16], key[32], b[4096];
	unsigned int klen, i = rndn(r, FZ_DEVICES + 20);
	size_t n;

	nest_start(m, rndn(r, 20) ? AIOTSEC_A_DEVICE : rndn(r, 12));
	dev_id(FZ_SPACE, i, id);
	if (rndn(r, 10))
		put(m, AIOTSEC_DEV_A_ID, id, rndn(r, 10) ? 16 : rndn(r, 20));
	klen = dev_key(seed, i, key);
	if (!rndn(r, 5))
		klen = rndn(r, 33);
	if (rndn(r, 8))
		put(m, AIOTSEC_DEV_A_KEY, key, klen);
	if (!rndn(r, 10))
		put(m, AIOTSEC_DEV_A_KEY, key, 16);	/* duplicate */
	if (rndn(r, 6))
		put_u8(m, AIOTSEC_DEV_A_POLICY, rndn(r, 3) ? dev_policy(i) :
		       (uint8_t)rnd(r));
	if (rndn(r, 2))
		put_u8(m, AIOTSEC_DEV_A_MIN_POLICY, rndn(r, 3) ? dev_policy(i) :
		       (uint8_t)rnd(r));
	if (!rndn(r, 8)) {
		uint16_t t = rndn(r, AIOTSEC_DEV_A_MAX + 3);

		rnd_payload(r, b, &n, t);
		put(m, t, b, n > 64 ? 64 : n);
	}
	nest_end(m);
}

/* A semi-valid INVENTORY: mostly short windows, any filter. */
static void semi_inventory(struct rng *r, struct msg *m)
{
	uint8_t f[12];
	uint32_t fbits = rndn(r, 4) ? rndn(r, 65) : (uint32_t)rnd(r);

	if (rndn(r, 2))
		put_u8(m, AIOTSEC_A_POLICY, rndn(r, 4) ? rndn(r, 3) << 5 :
		       (uint8_t)rnd(r));
	if (rndn(r, 2)) {
		put_u32(m, AIOTSEC_A_FBITS, fbits);
		rndbuf(r, f, sizeof(f));
		if (fbits <= 64 && fbits % 8 && rndn(r, 4))
			f[(fbits - 1) / 8] &= (uint8_t)(0xff << (8 - fbits % 8));
		put(m, AIOTSEC_A_FILTER, f, fbits <= 64 && rndn(r, 4) ?
		    (fbits + 7) / 8 : rndn(r, sizeof(f) + 1));
	}
	if (rndn(r, 4))
		put_u32(m, AIOTSEC_A_TIMEOUT_MS, rndn(r, 4) ? 1 + rndn(r, 500) :
			(uint32_t)rnd(r));
	if (!rndn(r, 3))
		put_u32(m, AIOTSEC_A_STOP_COUNT, rndn(r, 2) ? rndn(r, 4) :
			(uint32_t)rnd(r));
	if (!rndn(r, 4))
		put_u32(m, AIOTSEC_A_IFINDEX, rndn(r, 2) ?
			if_nametoindex(fz_ifname) : rndn(r, 5));
}

/* One semi-valid request for @cmd. */
static void semi(struct rng *r, struct msg *m, uint8_t cmd)
{
	uint8_t id[16], b[1100];
	unsigned int k, ndev;

	switch (cmd) {
	case AIOTSEC_CMD_SET_CONFIG:
		if (rndn(r, 2))
			put_u32(m, AIOTSEC_A_TIMEOUT_MS, rndn(r, 3) ?
				1 + rndn(r, 20000) : (uint32_t)rnd(r));
		if (rndn(r, 2))
			put_u32(m, AIOTSEC_A_MAX_PENDING, rndn(r, 3) ?
				1 + rndn(r, 70000) : (uint32_t)rnd(r));
		if (rndn(r, 2))
			put_u32(m, AIOTSEC_A_MAX_DEVICES, rndn(r, 3) ?
				rndn(r, 5000) : (uint32_t)rnd(r));
		break;
	case AIOTSEC_CMD_ADD_READER:
	case AIOTSEC_CMD_DEL_READER:
		if (rndn(r, 2)) {
			char name[32] = { 0 };

			snprintf(name, sizeof(name), "%s",
				 rndn(r, 2) ? fz_ifname : "lo");
			put(m, AIOTSEC_A_IFNAME, name,
			    rndn(r, 8) ? strlen(name) + 1 : rndn(r, 20));
		} else {
			put_u32(m, AIOTSEC_A_IFINDEX, rndn(r, 2) ?
				if_nametoindex(fz_ifname) : rndn(r, 5));
		}
		break;
	case AIOTSEC_CMD_ADD_DEVICES:
	case AIOTSEC_CMD_DEL_DEVICES:
		if (!rndn(r, 4))
			put_u32(m, AIOTSEC_A_FLAGS, rndn(r, 2) ? AIOTSEC_F_REPLACE :
				(uint32_t)rnd(r));
		k = rndn(r, 3) ? 1 + rndn(r, 3) : (rndn(r, 2) ? 1 : 3);
		while (k--) {	/* sometimes two top-level AIOTSEC_A_DEVICES */
			nest_start(m, AIOTSEC_A_DEVICES);
			ndev = rndn(r, 10) ? rndn(r, 6) : rndn(r, 1200);
			while (ndev-- && room(m, 200))
				semi_device(r, m);
			nest_end(m);
		}
		break;
	case AIOTSEC_CMD_GET_DEVICE:
	case AIOTSEC_CMD_AUTH:
	case AIOTSEC_CMD_COMMAND:
		dev_id(FZ_SPACE, rndn(r, FZ_DEVICES + 10), id);
		if (rndn(r, 8))
			put(m, AIOTSEC_A_DEV_ID, id, rndn(r, 12) ? 16 : rndn(r, 20));
		if (!rndn(r, 3))
			put_u8(m, AIOTSEC_A_POLICY, rndn(r, 2) ? dev_policy(rndn(r, 8)) :
			       (uint8_t)rnd(r));
		if (!rndn(r, 3))
			put_u32(m, AIOTSEC_A_TIMEOUT_MS, rndn(r, 2) ? 1 + rndn(r, 3) :
				(uint32_t)rnd(r));
		if (!rndn(r, 4))
			put_u32(m, AIOTSEC_A_IFINDEX, rndn(r, 2) ?
				if_nametoindex(fz_ifname) : rndn(r, 5));
		if (cmd == AIOTSEC_CMD_COMMAND && rndn(r, 8)) {
			size_t n = rndn(r, 4) ? rndn(r, 64) : rndn(r, 1100);

			rndbuf(r, b, n);
			put(m, AIOTSEC_A_PAYLOAD, b, n);
		}
		if (!rndn(r, 6)) {
			rndbuf(r, b, 6);
			put(m, AIOTSEC_A_DEST_MAC, b, rndn(r, 4) ? 6 : rndn(r, 10));
		}
		break;
	case AIOTSEC_CMD_INVENTORY:
		semi_inventory(r, m);
		break;
	}
	if (!rndn(r, 6))
		rnd_attrs(r, m, 0, 1 + rndn(r, 4));
}

static void mutate_bytes(struct rng *r, struct msg *m)
{
	unsigned int k = 1 + rndn(r, 4);
	size_t hl = NLMSG_HDRLEN + GENL_HDRLEN;

	if (m->len <= hl)
		return;
	while (k--)
		m->b[hl + rndn(r, m->len - hl)] ^= 1 << rndn(r, 8);
}

/*
 * Builds one fuzz request into @m. Returns true when its nlmsg_len was
 * made wrong (to be sent alone: the kernel may drop it without an ACK).
 */
static bool fuzz_build(struct rng *r, struct nl *n, struct msg *m,
		       uint8_t *cmdp, bool alone)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t cmd;

	if (rndn(r, 16))
		cmd = 1 + rndn(r, AIOTSEC_CMD_MAX);
	else
		cmd = rndn(r, 2) ? (uint8_t)rnd(r) : AIOTSEC_CMD_MAX + 1 + rndn(r, 3);
	if (cmd == AIOTSEC_CMD_FLUSH_DEVICES && rndn(r, 50))
		cmd = AIOTSEC_CMD_GET_CONFIG;
	if (!rndn(r, 12))
		flags |= NLM_F_DUMP;
	if (!rndn(r, 40))
		flags ^= (uint16_t)rnd(r) & ~(NLM_F_REQUEST | NLM_F_ACK);
	*cmdp = cmd;
	msg_start(m, n->family, flags, cmd);
	if (!rndn(r, 30))
		((struct genlmsghdr *)(m->b + NLMSG_HDRLEN))->version = rnd(r);
	if (rndn(r, 5))
		semi(r, m, cmd);
	else
		rnd_attrs(r, m, 0, rndn(r, 12));
	msg_finish(m);
	if (!rndn(r, 5))
		mutate_bytes(r, m);
	if (alone && !rndn(r, 30)) {
		((struct nlmsghdr *)m->b)->nlmsg_len = rndn(r, m->len + 40);
		return true;
	}
	return false;
}

#define BATCH_MAX 32
#define BATCH_BYTES 49152

struct batch {
	uint8_t b[BATCH_BYTES + BUFSZ];
	size_t len;
	unsigned int n;
	uint32_t seq0;
	uint8_t cmd[BATCH_MAX];
	int res[BATCH_MAX];
	bool done[BATCH_MAX];
};

/* Waits for the ACK, error or DONE of every request of the batch. */
static void batch_wait(struct nl *n, struct batch *bt)
{
	unsigned int answered = 0, i;

	for (i = 0; i < bt->n; i++) {
		bt->done[i] = false;
		bt->res[i] = -ETIMEDOUT;
	}
	while (answered < bt->n) {
		ssize_t r = recv(n->fd, n->rx, sizeof(n->rx), 0);
		struct nlmsghdr *nh;
		size_t left;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			st.timeouts++;
			return;
		}
		scan(n->rx, r, "reply");
		left = r;
		for (nh = (void *)n->rx; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			i = nh->nlmsg_seq - bt->seq0;
			if (i >= bt->n)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_DONE) {
				if (bt->done[i])
					continue;
				bt->done[i] = true;
				bt->res[i] = nh->nlmsg_type == NLMSG_DONE ? 0 :
					((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				answered++;
			} else {
				st.replies++;
			}
		}
	}
}

/*
 * One fuzz step: a single request or a batch of up to BATCH_MAX in one
 * send. Returns how many were accepted; *admin_ok says whether one that
 * may change the state (an admin command) was among them.
 */
static int fuzz_step(struct rng *r, struct nl *n, struct msg *m,
		     struct batch *bt, bool *admin_ok, bool *flushed)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	unsigned int want = rndn(r, 4) ? 1 + rndn(r, BATCH_MAX) : 1, i;
	int accepted = 0;

	*admin_ok = *flushed = false;
	bt->len = 0;
	bt->n = 0;
	bt->seq0 = n->seq + 1;
	while (bt->n < want) {
		uint8_t cmd;
		bool bad = fuzz_build(r, n, m, &cmd, want == 1);
		struct nlmsghdr *nh = (void *)m->b;

		if (bad) {	/* alone, and maybe never answered */
			struct timeval tv = { .tv_usec = 50000 };
			int err;

			if (nl_send(n, m))
				return 0;
			setsockopt(n->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			err = nl_wait(n, NULL, NULL, false);
			tv.tv_sec = 3;
			tv.tv_usec = 0;
			setsockopt(n->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			if (err == -ETIMEDOUT)
				st.timeouts--;
			if (err == 0) {
				*admin_ok = is_admin(cmd);
				*flushed = cmd == AIOTSEC_CMD_FLUSH_DEVICES;
				st.accepted++;
				return 1;
			}
			st.rejected++;
			return 0;
		}
		if (bt->n && bt->len + m->len > BATCH_BYTES)
			break;
		nh->nlmsg_seq = ++n->seq;
		memcpy(bt->b + bt->len, m->b, m->len);
		bt->len += NLMSG_ALIGN(m->len);
		bt->cmd[bt->n++] = cmd;
	}
	st.sent += bt->n;
	if (sendto(n->fd, bt->b, bt->len, 0, (void *)&sa, sizeof(sa)) < 0)
		return 0;
	batch_wait(n, bt);
	for (i = 0; i < bt->n; i++) {
		if (bt->res[i] == -ETIMEDOUT)
			continue;
		if (bt->res[i]) {
			st.rejected++;
			continue;
		}
		st.accepted++;
		accepted++;
		if (is_admin(bt->cmd[i]))
			*admin_ok = true;
		if (bt->cmd[i] == AIOTSEC_CMD_FLUSH_DEVICES)
			*flushed = true;
	}
	return accepted;
}

/* A device dump read for one message and dropped. */
static void abandon_dump(struct rng *r, struct nl *parent)
{
	struct msg *m = malloc(sizeof(*m));
	struct nl *n = malloc(sizeof(*n));

	if (!nl_open(n, true)) {
		n->family = parent->family;
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  rndn(r, 4) ? AIOTSEC_CMD_GET_DEVICE :
			  AIOTSEC_CMD_GET_READER);
		msg_finish(m);
		if (!nl_send(n, m)) {
			if (rndn(r, 2))
				nl_wait(n, NULL, NULL, true);
			st.abandoned++;
		}
	}
	close(n->fd);
	free(n);
	free(m);
}

/* Events: drained and scanned. */
static void drain_events(struct nl *ev)
{
	ssize_t r;

	if (ev->fd < 0)
		return;
	while ((r = recv(ev->fd, ev->rx, sizeof(ev->rx), MSG_DONTWAIT)) > 0) {
		st.events++;
		scan(ev->rx, r, "event");
	}
}

/* Error ACK without NETLINK_CAP_ACK: the echo of the request (point 8). */
static void echo_probe(struct nl *n)
{
	struct msg *m = malloc(sizeof(*m));
	struct nl *p = malloc(sizeof(*p));
	ssize_t r;

	if (!nl_open(p, false)) {
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
			  AIOTSEC_CMD_ADD_DEVICES);
		nest_start(m, AIOTSEC_A_DEVICES);
		put_device(m, FZ_SPACE, 1, true);
		msg_finish(m);
		if (!nl_send(p, m)) {
			r = recv(p->fd, p->rx, sizeof(p->rx), 0);
			if (r > 0 && key_scan(p->rx, r))
				st.echo_probe++;
		}
	}
	close(p->fd);
	free(p);
	free(m);
}

static int fuzz_loop(double secs, bool full, bool provision)
{
	struct msg *m = malloc(sizeof(*m));
	struct batch *bt = malloc(sizeof(*bt));
	struct nl *n = malloc(sizeof(*n)), *ev = malloc(sizeof(*ev));
	struct rng r = { .s = seed ^ (uint64_t)getpid() << 20 };
	struct snap before, after;
	double end = now() + secs;
	unsigned long checks = 0;
	bool have = false, dev, admin_ok, flushed;
	int err;

	ev->fd = -1;
	if (nl_setup(n, true))
		return 2;
	if (provision) {
		if (fz_ifname)
			simple(n, AIOTSEC_CMD_ADD_READER, fill_ifname,
			       (void *)fz_ifname, NULL, NULL);
		err = add_devices(n, FZ_SPACE, 0, FZ_DEVICES, false);
		if (err && err != -EEXIST)
			fprintf(stderr, "nlfuzz[%s]: provision: %s\n", persona,
				strerror(-err));
	}
	if (!nl_setup(ev, true) && nl_subscribe(ev)) {
		close(ev->fd);
		ev->fd = -1;
	}
	echo_probe(n);
	while (now() < end && !stop) {
		if (full && !have)
			have = !snapshot(n, &before, true);
		if (!rndn(&r, 60)) {
			abandon_dump(&r, n);
			continue;
		}
		fuzz_step(&r, n, m, bt, &admin_ok, &flushed);
		drain_events(ev);
		if (admin_ok) {
			if (!full)
				violation("an admin command was accepted without CAP_NET_ADMIN");
			have = false;
			if (flushed && provision)
				add_devices(n, FZ_SPACE, 0, FZ_DEVICES, false);
			continue;
		}
		if (!full || !have)
			continue;
		/*
		 * Nothing that may change the state was accepted: config and
		 * readers must be as before, the device dump too (every 16th).
		 */
		dev = !(++checks % 16);
		if (snapshot(n, &after, dev))
			continue;
		check_same(&before, &after, "batch", dev);
		before.npend = after.npend;
	}
	drain_events(ev);
	free(m);
	free(bt);
	return 0;
}

static void report(const char *mode)
{
	printf("NLFUZZ mode=%s persona=%s sent=%lu replies=%lu accepted=%lu "
	       "rejected=%lu dumps=%lu abandoned=%lu events=%lu timeouts=%lu "
	       "keyhits=%lu violations=%lu echo_probe=%lu g_ok=%lu g_fail=%lu "
	       "g_timeout=%lu g_err=%lu\n", mode, persona, st.sent, st.replies,
	       st.accepted, st.rejected, st.dumps, st.abandoned, st.events,
	       st.timeouts, st.keyhits, st.violations, st.echo_probe, st.g_ok,
	       st.g_fail, st.g_timeout, st.g_err);
	fflush(stdout);
}

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("nlfuzz: setuid");
		return -1;
	}
	/* a changed uid leaves /proc/self root's: uid_map needs it ours */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0) {
		fprintf(stderr, "nlfuzz: open %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	if (!ok)
		fprintf(stderr, "nlfuzz: write %s: %s\n", path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

/*
 * uid 65534 becomes root of its own user namespace and network namespace,
 * as `unshare -Urn` makes it. The parent writes the id maps: on 6.1 the
 * child cannot open its own /proc/self/uid_map once its credentials
 * changed.
 */
static int enter_userns(int ready, int go)
{
	char c = 0;

	if (drop_to_nobody())
		return -1;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		perror("nlfuzz: unshare(CLONE_NEWUSER | CLONE_NEWNET)");
		return -1;
	}
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1 || c != 1) {
		fprintf(stderr, "nlfuzz: no id maps from the parent\n");
		return -1;
	}
	return 0;
}

static int map_child(pid_t pid, int ready, int go)
{
	char path[64], c = 0;
	int ok;

	if (read(ready, &c, 1) != 1)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	ok = !write_file(path, "0 65534 1");
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	ok = ok && !write_file(path, "deny");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	ok = ok && !write_file(path, "0 65534 1");
	c = ok;
	return write(go, &c, 1) == 1 && ok ? 0 : -1;
}

/* Point 2 evidence: what an unprivileged user can make its namespace hold. */
static void userns_limits(void)
{
	struct nl *n = malloc(sizeof(*n));
	struct snap s;
	struct msg *m = malloc(sizeof(*m));
	int err;

	if (nl_setup(n, true))
		return;
	/* Up to the module's limits, as it reports them. */
	snapshot(n, &s, false);
	if (!s.lim_devices || !s.lim_pending)
		violation("GET_CONFIG without AIOTSEC_A_LIMITS");
	msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK, AIOTSEC_CMD_SET_CONFIG);
	put_u32(m, AIOTSEC_A_MAX_DEVICES, s.lim_devices);
	put_u32(m, AIOTSEC_A_MAX_PENDING, s.lim_pending);
	err = nl_req(n, m, NULL, NULL);
	snapshot(n, &s, false);
	printf("NLFUZZ-USERNS raise_limits=%s max_devices=%u max_pending=%u\n",
	       err ? strerror(-err) : "accepted", s.max_devices, s.max_pending);
	if (!err) {
		simple(n, AIOTSEC_CMD_SET_CONFIG, NULL, NULL, NULL, NULL);
		msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK,
			  AIOTSEC_CMD_SET_CONFIG);
		put_u32(m, AIOTSEC_A_MAX_DEVICES, AIOTSEC_MAX_DEVICES_DEFAULT);
		put_u32(m, AIOTSEC_A_MAX_PENDING, AIOTSEC_MAX_PENDING_DEFAULT);
		nl_req(n, m, NULL, NULL);
	}
	close(n->fd);
	free(n);
	free(m);
}

/* Point 3 evidence: what uid 65534 can read of the namespace. */
static void nobody_reads(void)
{
	struct nl *n = malloc(sizeof(*n));
	struct snap sn;
	int err;

	if (nl_setup(n, true))
		return;
	err = snapshot(n, &sn, true);
	printf("NLFUZZ-NOBODY reads=%s devices_listed=%lu readers_listed=%u\n",
	       err ? strerror(-err) : "allowed", sn.ndumped, sn.nreaders);
	close(n->fd);
	free(n);
}

static int fuzz_main(double secs, bool userns)
{
	pid_t kids[2] = { -1, -1 };
	int status, rc = 0, i;

	/* uid 65534 in this namespace: every admin command must fail */
	kids[0] = fork();
	if (kids[0] == 0) {
		persona = "nobody";
		if (drop_to_nobody())
			_exit(2);
		sleep(3);	/* after root has provisioned */
		nobody_reads();
		fuzz_loop(secs, false, false);
		report("fuzz");
		_exit(st.keyhits || st.violations);
	}
	if (userns) {
		int ready[2], go[2];

		if (pipe(ready) || pipe(go))
			return 2;
		kids[1] = fork();
		if (kids[1] == 0) {
			persona = "userns";
			if (enter_userns(ready[1], go[0]))
				_exit(2);
			userns_limits();
			fz_ifname = "lo";	/* its namespace has no other */
			fuzz_loop(secs, true, true);
			report("fuzz");
			_exit(st.keyhits || st.violations);
		}
		if (kids[1] > 0 && map_child(kids[1], ready[0], go[1]))
			fprintf(stderr, "nlfuzz: id maps of the userns persona failed\n");
	}
	fuzz_loop(secs, true, true);
	report("fuzz");
	if (st.keyhits || st.violations)
		rc = 1;
	for (i = 0; i < 2; i++) {
		if (kids[i] <= 0)
			continue;
		if (waitpid(kids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "nlfuzz: persona %d exited %d\n", i, status);
			rc = 1;
		}
	}
	return rc;
}

/* ---- genuine requests --------------------------------------------------- */

struct pend {
	uint64_t cookie;
	double t;
	bool live;
};

static void cookie_cb(struct nlmsghdr *nh, void *arg)
{
	struct nlattr *a;
	size_t l;

	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l))
		if (attr_type(a) == AIOTSEC_A_COOKIE && attr_len(a) == 8)
			memcpy(arg, attr_data(a), 8);
}

static void genuine_events(struct nl *ev, struct pend *p, unsigned int w)
{
	ssize_t r;

	while ((r = recv(ev->fd, ev->rx, sizeof(ev->rx), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nh;
		size_t left = r;

		st.events++;
		scan(ev->rx, r, "event");
		for (nh = (void *)ev->rx; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			struct genlmsghdr *gh = NLMSG_DATA(nh);
			uint64_t c = 0;
			unsigned int i;

			if (nh->nlmsg_type != ev->family)
				continue;
			cookie_cb(nh, &c);
			for (i = 0; i < w; i++) {
				if (!p[i].live || p[i].cookie != c)
					continue;
				p[i].live = false;
				if (gh->cmd == AIOTSEC_CMD_EVENT_TIMEOUT)
					st.g_timeout++;
				else
					st.g_ok++;
			}
		}
	}
}

static int genuine_main(unsigned int ndev, double secs, unsigned int w,
			bool cmds)
{
	struct nl *n = malloc(sizeof(*n)), *ev = malloc(sizeof(*ev));
	struct msg *m = malloc(sizeof(*m));
	struct pend p[64] = { 0 };
	double end = now() + secs;
	unsigned int i, next = 0;
	struct pollfd pf;
	uint8_t id[16];

	if (w > 64)
		w = 64;
	if (nl_setup(n, true) || nl_setup(ev, true) || nl_subscribe(ev))
		return 2;
	for (;;) {
		bool busy = false;

		for (i = 0; i < w; i++) {
			if (p[i].live && now() - p[i].t > 20) {
				p[i].live = false;	/* event lost */
				st.g_fail++;
			}
			if (p[i].live) {
				busy = true;
				continue;
			}
			if (now() >= end)
				continue;
			dev_id('R', next % ndev, id);
			msg_start(m, n->family, NLM_F_REQUEST | NLM_F_ACK,
				  cmds && (next & 1) ? AIOTSEC_CMD_COMMAND :
				  AIOTSEC_CMD_AUTH);
			put(m, AIOTSEC_A_DEV_ID, id, 16);
			put_u32(m, AIOTSEC_A_TIMEOUT_MS, 5000);
			if (cmds && (next & 1))
				put(m, AIOTSEC_A_PAYLOAD, "\x01\x00\x00\x04", 4);
			next++;
			p[i].cookie = 0;
			if (nl_req(n, m, cookie_cb, &p[i].cookie)) {
				st.g_err++;
				continue;
			}
			p[i].live = true;
			p[i].t = now();
			busy = true;
		}
		if (stop || (!busy && now() >= end))
			break;
		pf.fd = ev->fd;
		pf.events = POLLIN;
		poll(&pf, 1, 100);
		genuine_events(ev, p, w);
	}
	report("genuine");
	free(m);
	return st.keyhits ? 1 : 0;
}

/* ---- portid reuse ---------------------------------------------------------- */

/*
 * Requesters (root) send a batch of AUTHs, read the reply and close at
 * once, the answers in flight; an unprivileged process spins on binding
 * each closed requester's portid and counts every aiotsec message it
 * receives. It never joined the events group, so any such message is a
 * result that reached a socket that did not ask: a violation.
 */
struct portid_race {
	volatile uint32_t target;	/* the portid just closed, or 0 */
	volatile int done;
	volatile unsigned long binds, foreign;
};

static void portid_spin(struct portid_race *pr, uint16_t family)
{
	uint8_t buf[4096];

	while (!pr->done) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		struct timeval tv = { .tv_usec = 20000 };
		uint32_t p = pr->target;
		int fd;

		if (!p) {
			sched_yield();
			continue;
		}
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		if (fd < 0)
			continue;
		sa.nl_pid = p;
		if (bind(fd, (void *)&sa, sizeof(sa))) {
			close(fd);
			sched_yield();
			continue;
		}
		pr->binds++;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		for (;;) {
			ssize_t r = recv(fd, buf, sizeof(buf), 0);
			struct nlmsghdr *nh;
			size_t left;

			if (r < 0 && errno == ENOBUFS)
				continue;
			if (r <= 0)
				break;
			left = r;
			for (nh = (void *)buf; NLMSG_OK(nh, left);
			     nh = NLMSG_NEXT(nh, left))
				if (nh->nlmsg_type == family)
					pr->foreign++;
		}
		close(fd);
	}
}

static int portid_main(unsigned int ndev, double secs)
{
	struct nl *n = malloc(sizeof(*n));
	struct msg *m = malloc(sizeof(*m));
	struct portid_race *pr;
	double end = now() + secs;
	unsigned long rounds = 0;
	unsigned int i, next = 0;
	uint16_t family;
	uint8_t id[16];
	pid_t pid;
	int status;

	pr = mmap(NULL, sizeof(*pr), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pr == MAP_FAILED || !n || !m || nl_setup(n, true))
		return 2;
	family = n->family;
	close(n->fd);
	memset(pr, 0, sizeof(*pr));
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		persona = "nobody";
		if (drop_to_nobody())
			_exit(2);
		portid_spin(pr, family);
		_exit(0);
	}
	while (!stop && now() < end) {
		struct sockaddr_nl sa;
		socklen_t len = sizeof(sa);

		if (nl_open(n, true) ||
		    getsockname(n->fd, (void *)&sa, &len)) {
			st.g_err++;
			continue;
		}
		n->family = family;
		msg_start(m, family, NLM_F_REQUEST | NLM_F_ACK,
			  (rounds & 1) ? AIOTSEC_CMD_COMMAND : AIOTSEC_CMD_AUTH);
		nest_start(m, AIOTSEC_A_DEV_IDS);
		for (i = 0; i < 8; i++) {
			dev_id('R', next++ % ndev, id);
			put(m, AIOTSEC_A_DEV_ID, id, 16);
		}
		nest_end(m);
		put_u32(m, AIOTSEC_A_TIMEOUT_MS, 200);
		if (rounds & 1)
			put(m, AIOTSEC_A_PAYLOAD, "\x01\x00\x00\x04", 4);
		if (nl_req(n, m, NULL, NULL))
			st.g_err++;
		pr->target = sa.nl_pid;
		close(n->fd);		/* the answers are on their way */
		rounds++;
		usleep(1000 + rounds % 4000);
	}
	pr->done = 1;
	waitpid(pid, &status, 0);
	for (i = 0; i < pr->foreign; i++)
		violation("a result reached a socket that bound a closed requester's portid");
	printf("PORTID rounds=%lu binds=%lu foreign=%lu\n", rounds, pr->binds,
	       pr->foreign);
	report("portid");
	free(m);
	free(n);
	return pr->foreign || !WIFEXITED(status) || WEXITSTATUS(status) ? 1 : 0;
}

/* ---- churn --------------------------------------------------------------- */

static void fill_txn(struct msg *m, void *arg)
{
	unsigned int *a = arg;
	uint8_t id[16];

	dev_id('C', a[0], id);
	put(m, AIOTSEC_A_DEV_ID, id, 16);
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, a[1]);
	if (a[2])
		put(m, AIOTSEC_A_PAYLOAD, "\x01\x02\x03", 3);
}

static void fill_del(struct msg *m, void *arg)
{
	unsigned int *a = arg;

	nest_start(m, AIOTSEC_A_DEVICES);
	put_device(m, 'C', a[0], false);
	nest_end(m);
}

static void fill_cfg(struct msg *m, void *arg)
{
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, *(unsigned int *)arg);
}

static int churn_main(double secs)
{
	struct nl *n = malloc(sizeof(*n)), *ev = malloc(sizeof(*ev));
	struct rng r = { .s = seed ^ (uint64_t)getpid() << 24 };
	double end = now() + secs;
	unsigned int a[3], one = 1, i;
	const unsigned int nd = 32;

	ev->fd = -1;
	if (nl_setup(n, true))
		return 2;
	if (!nl_setup(ev, true) && nl_subscribe(ev)) {
		close(ev->fd);
		ev->fd = -1;
	}
	if (fz_ifname)
		simple(n, AIOTSEC_CMD_ADD_READER, fill_ifname, (void *)fz_ifname,
		       NULL, NULL);
	simple(n, AIOTSEC_CMD_SET_CONFIG, fill_cfg, &one, NULL, NULL);
	add_devices(n, 'C', 0, nd, false);
	while (now() < end && !stop) {
		switch (rndn(&r, 10)) {
		case 0:
			add_devices(n, 'C', rndn(&r, nd), nd, true);
			break;
		case 1:
			a[0] = rndn(&r, nd);
			simple(n, AIOTSEC_CMD_DEL_DEVICES, fill_del, a, NULL, NULL);
			break;
		case 2:
			if (!rndn(&r, 5)) {
				simple(n, AIOTSEC_CMD_FLUSH_DEVICES, NULL, NULL,
				       NULL, NULL);
				add_devices(n, 'C', 0, nd, false);
			} else {
				add_devices(n, 'C', 0, nd, false);
			}
			break;
		default:
			/* mostly 1 ms, some long ones left for netns exit */
			for (i = 0; i < 4; i++) {
				a[0] = rndn(&r, nd);
				a[1] = rndn(&r, 8) ? 1 : 600000;
				a[2] = rndn(&r, 2);
				simple(n, a[2] ? AIOTSEC_CMD_COMMAND :
				       AIOTSEC_CMD_AUTH, fill_txn, a, NULL, NULL);
			}
		}
		drain_events(ev);
	}
	report("churn");
	return st.keyhits ? 1 : 0;
}

/* ---- inventory rounds ---------------------------------------------------- */

#define INV_ROUNDS	64		/* rounds whose events are followed */

static struct {
	unsigned long started, refused, busy, cancelled_req, found, done;
	unsigned long end[8], strangers, twice;
} iv;

static struct inv_round {
	uint64_t cookie;
	uint8_t found[256 / 8];
	bool done;
} rounds[INV_ROUNDS];
static unsigned int nrounds;

static struct inv_round *round_of(uint64_t cookie)
{
	unsigned int i;

	for (i = 0; i < INV_ROUNDS; i++)
		if (rounds[i].cookie == cookie)
			return &rounds[i];
	i = nrounds++ % INV_ROUNDS;
	memset(&rounds[i], 0, sizeof(rounds[i]));
	rounds[i].cookie = cookie;
	return &rounds[i];
}

/* The events group: each device at most once a round, one end a round. */
static void inv_events(struct nl *ev, unsigned int ndev)
{
	ssize_t r;

	while ((r = recv(ev->fd, ev->rx, sizeof(ev->rx), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *nh;
		size_t left = r;

		st.events++;
		scan(ev->rx, r, "event");
		for (nh = (void *)ev->rx; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			struct genlmsghdr *gh = NLMSG_DATA(nh);
			uint8_t *id = NULL, want[16];
			uint32_t end = 0;
			uint64_t c = 0;
			struct inv_round *rd;
			struct nlattr *a;
			unsigned int i;
			size_t l;

			if (nh->nlmsg_type != ev->family ||
			    (gh->cmd != AIOTSEC_CMD_EVENT_INV_FOUND &&
			     gh->cmd != AIOTSEC_CMD_EVENT_INV_DONE))
				continue;
			for (a = attr_first(nh, &l); a && attr_ok(a, l);
			     a = attr_next(a, l)) {
				if (attr_type(a) == AIOTSEC_A_COOKIE && attr_len(a) == 8)
					memcpy(&c, attr_data(a), 8);
				if (attr_type(a) == AIOTSEC_A_DEV_ID && attr_len(a) == 16)
					id = attr_data(a);
				if (attr_type(a) == AIOTSEC_A_INV_END)
					end = attr_u32(a);
			}
			rd = round_of(c);
			if (gh->cmd == AIOTSEC_CMD_EVENT_INV_DONE) {
				iv.done++;
				iv.end[end < 8 ? end : 0]++;
				if (rd->done)
					violation("inventory round %llx ended twice",
						  (unsigned long long)c);
				rd->done = true;
				continue;
			}
			iv.found++;
			for (i = 0; id && i < ndev && i < 256; i++) {
				dev_id('R', i, want);
				if (!memcmp(id, want, 16))
					break;
			}
			if (!id || i == ndev || i == 256) {
				iv.strangers++;
				violation("inventory found a device that is not ours");
				continue;
			}
			if (rd->found[i / 8] & (1 << i % 8)) {
				iv.twice++;
				violation("inventory round %llx found device %u twice",
					  (unsigned long long)c, i);
			}
			rd->found[i / 8] |= (uint8_t)(1 << i % 8);
		}
	}
}

static void fill_inventory(struct msg *m, void *arg)
{
	struct rng *r = arg;
	uint8_t f[8] = { 0 };
	uint32_t fbits;

	/* Every device of the campaign has group zero: zero filters match. */
	fbits = rndn(r, 3) ? 0 : rndn(r, 65);
	put_u8(m, AIOTSEC_A_POLICY, 2 << 5);
	if (fbits) {
		put_u32(m, AIOTSEC_A_FBITS, fbits);
		if (!rndn(r, 4))
			f[0] = 0x80;		/* matches nobody: refused */
		put(m, AIOTSEC_A_FILTER, f, (fbits + 7) / 8);
	}
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, rndn(r, 4) ? 20 + rndn(r, 500) :
		1000 + rndn(r, 4000));
	if (!rndn(r, 3))
		put_u32(m, AIOTSEC_A_STOP_COUNT, 1 + rndn(r, 8));
	if (fz_ifname)
		put_u32(m, AIOTSEC_A_IFINDEX, if_nametoindex(fz_ifname));
}

static void fill_del_r(struct msg *m, void *arg)
{
	nest_start(m, AIOTSEC_A_DEVICES);
	put_device(m, 'R', *(unsigned int *)arg, false);
	nest_end(m);
}

static int inv_main(unsigned int ndev, double secs, bool churn)
{
	struct nl *n = malloc(sizeof(*n)), *ev = malloc(sizeof(*ev));
	struct rng r = { .s = seed ^ (uint64_t)getpid() << 20 };
	double end = now() + secs;
	unsigned int a;
	uint64_t cookie;
	int err;

	if (ndev > 256)
		ndev = 256;
	if (nl_setup(n, true) || nl_setup(ev, true) || nl_subscribe(ev))
		return 2;
	while (now() < end && !stop) {
		switch (churn ? rndn(&r, 12) : 11) {
		case 0:		/* replaced: same keys, the rounds go on */
			add_devices(n, 'R', rndn(&r, ndev), ndev, true);
			break;
		case 1:		/* deleted while a round may wait for it */
			a = rndn(&r, ndev);
			simple(n, AIOTSEC_CMD_DEL_DEVICES, fill_del_r, &a, NULL,
			       NULL);
			break;
		case 2:		/* back, all of them */
			add_devices(n, 'R', 0, ndev, true);
			break;
		case 3:		/* the reader unbound under its rounds */
			if (fz_ifname) {
				simple(n, AIOTSEC_CMD_DEL_READER, fill_ifname,
				       (void *)fz_ifname, NULL, NULL);
				inv_events(ev, ndev);
				simple(n, AIOTSEC_CMD_ADD_READER, fill_ifname,
				       (void *)fz_ifname, NULL, NULL);
			}
			break;
		case 4:
			if (!rndn(&r, 4)) {
				simple(n, AIOTSEC_CMD_FLUSH_DEVICES, NULL, NULL,
				       NULL, NULL);
				add_devices(n, 'R', 0, ndev, false);
			}
			break;
		default:
			cookie = 0;
			err = simple(n, AIOTSEC_CMD_INVENTORY, fill_inventory, &r,
				     cookie_cb, &cookie);
			if (!err && cookie) {
				iv.started++;
				round_of(cookie);
			} else if (err == -EBUSY) {
				iv.busy++;
				usleep(20000);
			} else if (err == -ECANCELED) {
				iv.cancelled_req++;
			} else {
				iv.refused++;
			}
		}
		inv_events(ev, ndev);
	}
	/* The last rounds' ends. */
	for (end = now() + 6; now() < end; usleep(50000))
		inv_events(ev, ndev);
	if (churn)
		add_devices(n, 'R', 0, ndev, true);
	report(churn ? "inv-churn" : "inv");
	printf("INVNL rounds=%lu refused=%lu busy=%lu cancelled_req=%lu found=%lu "
	       "done=%lu end_window=%lu end_stop=%lu end_all=%lu end_cancelled=%lu "
	       "strangers=%lu twice=%lu\n", iv.started, iv.refused, iv.busy,
	       iv.cancelled_req, iv.found, iv.done, iv.end[AIOTSEC_INV_END_WINDOW],
	       iv.end[AIOTSEC_INV_END_STOP], iv.end[AIOTSEC_INV_END_ALL],
	       iv.end[AIOTSEC_INV_END_CANCELLED], iv.strangers, iv.twice);
	return st.keyhits || st.violations ? 1 : 0;
}

/* ---- counters ------------------------------------------------------------- */

static unsigned long long ctr[AIOTSEC_STAT_MAX + 1], drops[AIOTSEC_DROP_MAX + 1];

static void stats_cb(struct nlmsghdr *nh, void *arg)
{
	struct nlattr *a, *s, *d;
	size_t l, sl, dl;

	(void)arg;
	for (a = attr_first(nh, &l); a && attr_ok(a, l); a = attr_next(a, l)) {
		if (attr_type(a) != AIOTSEC_A_STATS)
			continue;
		sl = attr_len(a);
		for (s = attr_data(a); attr_ok(s, sl); s = attr_next(s, sl)) {
			unsigned int t = attr_type(s);

			if (t == AIOTSEC_STAT_DROPS) {
				dl = attr_len(s);
				for (d = attr_data(s); attr_ok(d, dl);
				     d = attr_next(d, dl))
					if (attr_type(d) > AIOTSEC_DROPS_A_PAD &&
					    attr_type(d) <= AIOTSEC_DROPS_A_MAX &&
					    attr_len(d) == 8)
						memcpy(&drops[attr_type(d) -
							      AIOTSEC_DROPS_A_PAD],
						       attr_data(d), 8);
			} else if (t <= AIOTSEC_STAT_MAX && attr_len(s) == 8) {
				memcpy(&ctr[t], attr_data(s), 8);
			}
		}
	}
}

static int stats_main(void)
{
	struct nl *n = malloc(sizeof(*n));
	int err;

	if (nl_setup(n, true))
		return 2;
	err = simple(n, AIOTSEC_CMD_GET_STATS, NULL, NULL, stats_cb, NULL);
	if (err) {
		fprintf(stderr, "nlfuzz: stats: %s\n", strerror(-err));
		return 1;
	}
	printf("STATS rx=%llu tx=%llu auth_ok=%llu auth_fail=%llu cmd_ok=%llu "
	       "cmd_fail=%llu timeouts=%llu events_lost=%llu unknown_ct=%llu "
	       "mac=%llu id=%llu malformed=%llu\n",
	       ctr[AIOTSEC_STAT_RX_FRAMES], ctr[AIOTSEC_STAT_TX_FRAMES],
	       ctr[AIOTSEC_STAT_AUTH_OK], ctr[AIOTSEC_STAT_AUTH_FAIL],
	       ctr[AIOTSEC_STAT_CMD_OK], ctr[AIOTSEC_STAT_CMD_FAIL],
	       ctr[AIOTSEC_STAT_TIMEOUTS], ctr[AIOTSEC_STAT_EVENTS_LOST],
	       drops[AIOTSEC_DROP_UNKNOWN_CT], drops[AIOTSEC_DROP_MAC],
	       drops[AIOTSEC_DROP_ID],
	       drops[AIOTSEC_DROP_SHORT] + drops[AIOTSEC_DROP_VERSION] +
	       drops[AIOTSEC_DROP_SUITE] + drops[AIOTSEC_DROP_TYPE] +
	       drops[AIOTSEC_DROP_POLICY] + drops[AIOTSEC_DROP_PLEN] +
	       drops[AIOTSEC_DROP_CAPLEN] + drops[AIOTSEC_DROP_TRAILING]);
	return 0;
}

/* ---- provision ----------------------------------------------------------- */

static int provision_main(unsigned int ndev, uint8_t space)
{
	struct nl *n = malloc(sizeof(*n));
	int err;

	if (nl_setup(n, true))
		return 2;
	if (fz_ifname) {
		err = simple(n, AIOTSEC_CMD_ADD_READER, fill_ifname,
			     (void *)fz_ifname, NULL, NULL);
		if (err && err != -EEXIST) {
			fprintf(stderr, "nlfuzz: reader %s: %s\n", fz_ifname,
				strerror(-err));
			return 1;
		}
	}
	err = add_devices(n, space, 0, ndev, true);
	if (err) {
		fprintf(stderr, "nlfuzz: add devices: %s\n", strerror(-err));
		return 1;
	}
	report("provision");
	return st.keyhits ? 1 : 0;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	unsigned int ndev = 16, w = 4;
	double secs = 10;
	bool userns = false, cmds = false;
	uint8_t space = 'R';
	int c;

	if (argc < 2) {
		fprintf(stderr, "usage: nlfuzz provision|fuzz|genuine|churn|portid|inv "
			"[-s SEED] [-t SECONDS] [-n N] [-i IFNAME] [-u] [-w W] [-c]\n");
		return 2;
	}
	optind = 2;
	while ((c = getopt(argc, argv, "s:t:n:i:uw:cS:v")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': secs = atof(optarg); break;
		case 'n': ndev = atoi(optarg); break;
		case 'i': fz_ifname = optarg; break;
		case 'u': userns = true; break;
		case 'w': w = atoi(optarg); break;
		case 'c': cmds = true; break;
		case 'S': space = optarg[0]; break;
		case 'v': verbose = 1; break;
		default: return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_term);
	keys_init();
	if (!strcmp(mode, "provision"))
		return provision_main(ndev, space);
	if (!strcmp(mode, "fuzz")) {
		if (!fz_ifname)
			fz_ifname = "lo";
		return fuzz_main(secs, userns);
	}
	if (!strcmp(mode, "genuine"))
		return genuine_main(ndev ? ndev : 1, secs, w, cmds);
	if (!strcmp(mode, "churn"))
		return churn_main(secs);
	if (!strcmp(mode, "portid"))
		return portid_main(ndev ? ndev : 1, secs);
	if (!strcmp(mode, "inv"))
		return inv_main(ndev ? ndev : 1, secs, cmds);
	if (!strcmp(mode, "stats"))
		return stats_main();
	fprintf(stderr, "nlfuzz: unknown mode %s\n", mode);
	return 2;
}
