// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * failnth: every allocation failure on the module's request paths ends in
 * an error with an extack message, changes nothing and leaves no warning.
 *
 *   failnth -n NETNS -i IFNAME
 *
 * Started in the initial namespace (debugfs: `ip netns exec` would hide
 * it), it sets the fault-injection knobs, then enters network namespace
 * NETNS (/run/netns/NETNS) and binds IFNAME there (a veth whose peer is
 * up) as its reader. For each request (a device added alone and 64 at once, AUTH,
 * COMMAND, an AUTH batch of 16, INVENTORY, SET_CONFIG) it fails the Nth
 * slab allocation of this task (/proc/thread-self/fail-nth, failslab with
 * sleeping allocations included; not fail_page_alloc, whose slab refills
 * would make the Nth point of one call another than of the next) for
 * N = 1, 2, ...
 * until a call runs without reaching the Nth point. Generic netlink runs
 * the request in the sender's send(), so that is the whole request. Each
 * call whose fault was injected must
 *   - fail in send() (netlink's own buffer: the module never saw it), or
 *   - end in an error ACK carrying an extack message, or without one only
 *     where the failed allocation was not the module's (the fault's stack,
 *     dumped to the kernel log, has no [aiotsec] frame: generic netlink's
 *     attribute table), or
 *   - succeed (the failure was absorbed: kmemleak's pool, kvmalloc's
 *     vmalloc fallback), a batch with ENOMEM in some of its slots (those
 *     slots have no cookie, and only the others were sent), or
 *   - lose its ACK (netlink's ACK allocation; state: before or after);
 * and an error must leave the device count, the pending count, the
 * frames sent and the settings as they were. No call may leave a warning
 * in the kernel log. Result line: FAILNTH ..., violations as
 * "# FAILNTH-VIOLATION ...". Without fault injection in the kernel:
 * FAILNTH skipped=1.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../uapi/linux/aiotsec.h"

#define MAX_NTH		4000
#define BUF		65536
#define NDEV		16	/* provisioned: AUTH, COMMAND, batch, inventory */
#define NADD		64	/* added at once */
#define TXN_MS		200
#define WINDOW_MS	50

static uint16_t family;
static uint32_t seq = 1;
static int ifindex, nth_fd = -1, kmsg_fd = -1;
static unsigned long violations;
static unsigned int slots_nomem;	/* batch slots refused with ENOMEM */

static void violation(const char *op, unsigned int nth, const char *fmt, ...)
{
	va_list ap;

	printf("# FAILNTH-VIOLATION op=%s nth=%u: ", op, nth);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	violations++;
}

/* ---- messages ------------------------------------------------------------ */

struct msg {
	union {
		struct nlmsghdr nh;
		uint8_t b[BUF];
	};
	size_t nest[4];
	int depth;
};

static void msg_start(struct msg *m, uint16_t type, uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(&m->nh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nh.nlmsg_type = type;
	m->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m->nh.nlmsg_seq = ++seq;
	g = NLMSG_DATA(&m->nh);
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : AIOTSEC_GENL_VERSION;
	m->depth = 0;
}

static void put(struct msg *m, uint16_t type, const void *data, size_t n)
{
	struct nlattr *a = (struct nlattr *)(m->b + m->nh.nlmsg_len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	if (n)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, n);
	memset((uint8_t *)a + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	m->nh.nlmsg_len += NLA_ALIGN(a->nla_len);
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void nest_start(struct msg *m, uint16_t type)
{
	m->nest[m->depth++] = m->nh.nlmsg_len;
	put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m)
{
	struct nlattr *a = (struct nlattr *)(m->b + m->nest[--m->depth]);

	a->nla_len = m->nh.nlmsg_len - m->nest[m->depth];
}

#define for_attrs(a, start, len)					\
	for (a = (struct nlattr *)(start);				\
	     (uint8_t *)a + NLA_HDRLEN <= (uint8_t *)(start) + (len) &&	\
	     a->nla_len >= NLA_HDRLEN &&				\
	     (uint8_t *)a + a->nla_len <= (uint8_t *)(start) + (len);	\
	     a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len)))

#define attr_data(a)	((void *)((uint8_t *)(a) + NLA_HDRLEN))
#define attr_len(a)	((size_t)(a)->nla_len - NLA_HDRLEN)
#define attr_type(a)	((a)->nla_type & NLA_TYPE_MASK)

static uint32_t attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, attr_data(a), attr_len(a) < 4 ? attr_len(a) : 4);
	return v;
}

static uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	memcpy(&v, attr_data(a), attr_len(a) < 8 ? attr_len(a) : 8);
	return v;
}

/* ---- one request ------------------------------------------------------------ */

struct outcome {
	int send_err;		/* errno of send(), 0 */
	bool acked;		/* an ACK came */
	int err;		/* its error (positive errno), 0 */
	bool lost;		/* recv said ENOBUFS: the ACK was not queued */
	bool timeout;		/* nothing at all */
	char msg[256];		/* its extack message */
	size_t rlen;		/* the last reply's attributes */
	uint8_t reply[BUF];
};

static int nl_open(void)
{
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, rcv = 1 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void ack_of(struct nlmsghdr *nh, struct outcome *o)
{
	struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	o->acked = true;
	o->err = -e->error;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS) || nh->nlmsg_len < off)
		return;
	for_attrs(a, (uint8_t *)nh + off, nh->nlmsg_len - off)
		if (attr_type(a) == NLMSGERR_ATTR_MSG && attr_len(a))
			snprintf(o->msg, sizeof(o->msg), "%.*s",
				 (int)attr_len(a), (char *)attr_data(a));
}

/* Read until the ACK of @s. Results (events) on the socket are skipped. */
static void recv_ack(int fd, uint32_t s, struct outcome *o)
{
	static uint8_t buf[BUF];
	struct nlmsghdr *nh;
	ssize_t n;
	size_t len;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno == ENOBUFS)
				o->lost = true;
			else
				o->timeout = true;
			return;
		}
		len = (size_t)n;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != s)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				ack_of(nh, o);
				return;
			}
			if (nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
				o->rlen = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
				memcpy(o->reply, (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN,
				       o->rlen);
			}
		}
	}
}

static void set_nth(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(nth_fd, s, len, 0) != len) {
		perror("fail-nth");
		exit(1);
	}
}

/* What is left of the count: 0 once the Nth point was reached. */
static unsigned int get_nth(void)
{
	char s[16] = "";

	if (pread(nth_fd, s, sizeof(s) - 1, 0) <= 0) {
		perror("fail-nth");
		exit(1);
	}
	return (unsigned int)strtoul(s, NULL, 10);
}

/*
 * Send @m on a socket of its own with the @nth-th fault point failing (0:
 * none); *injected: the point was reached.
 */
static void call(struct msg *m, unsigned int nth, struct outcome *o,
		 bool *injected)
{
	int fd = nl_open();
	ssize_t r;

	memset(o, 0, offsetof(struct outcome, reply));
	*injected = false;
	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	if (nth)
		set_nth(nth);
	r = send(fd, m->b, m->nh.nlmsg_len, 0);
	if (nth) {
		*injected = get_nth() == 0;
		set_nth(0);
	}
	if (r < 0)
		o->send_err = errno;
	else
		recv_ack(fd, m->nh.nlmsg_seq, o);
	close(fd);
}

/* A request without fault injection that must succeed. */
static int must(struct msg *m, struct outcome *o, const char *what)
{
	bool inj;

	call(m, 0, o, &inj);
	if (o->send_err || !o->acked || o->err) {
		fprintf(stderr, "failnth: %s: %s %s\n", what,
			strerror(o->send_err ? o->send_err : o->err ? o->err : EIO),
			o->msg);
		return -1;
	}
	return 0;
}

/* ---- the kernel log ------------------------------------------------------------ */

static char klog[1 << 18];
static size_t klen;

/* What the kernel logged since the last call. */
static void klog_read(void)
{
	char rec[8192];
	ssize_t n;
	char *p;

	klen = 0;
	klog[0] = 0;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		p = strchr(rec, ';');
		p = p ? p + 1 : rec;
		n = (ssize_t)strlen(p);
		if (klen + (size_t)n + 1 < sizeof(klog)) {
			memcpy(klog + klen, p, (size_t)n);
			klen += (size_t)n;
			klog[klen] = 0;
		}
	}
}

/* A splat of the kind tests/qemu/stress.sh looks for. */
static const char *klog_trouble(void)
{
	static const char *const bad[] = {
		"BUG:", "WARNING:", "KASAN:", "UBSAN:", "Oops",
		"general protection", "possible circular locking",
		"possible recursive locking", "inconsistent lock state",
		"suspicious RCU usage", "refcount_t:", "list_add corruption",
		"list_del corruption", "kernel BUG", "sleeping function called",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(klog, bad[i]))
			return bad[i];
	return NULL;
}

/*
 * The reliable frames of the fault's stack (not the unwinder's "? "
 * guesses) that belong to the module, into @where (for the report).
 * Returns how many; -1 if the fault dumped no stack.
 */
static int fault_module_frames(char *where, size_t size)
{
	const char *f = strstr(klog, "FAULT_INJECTION: forcing a failure");
	const char *line, *end;
	int n = 0;
	size_t w = 0;

	where[0] = 0;
	if (!f || !strstr(f, "Call Trace:"))
		return -1;
	for (line = f; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (memmem(line, (size_t)(end - line), "[aiotsec]", 9) &&
		    !memmem(line, (size_t)(end - line), " ? ", 3)) {
			n++;
			if (w + (size_t)(end - line) + 2 < size)
				w += (size_t)snprintf(where + w, size - w, "%.*s;",
						      (int)(end - line), line);
		}
	}
	return n;
}

/* ---- state ------------------------------------------------------------------ */

struct state {
	uint32_t ndev, npend, timeout, max_pending;
	uint64_t tx;
};

static int snapshot(struct state *s)
{
	static struct outcome o;
	static struct msg m;
	struct nlattr *a, *b;

	memset(s, 0, sizeof(*s));
	msg_start(&m, family, AIOTSEC_CMD_GET_CONFIG);
	if (must(&m, &o, "GET_CONFIG"))
		return -1;
	for_attrs(a, o.reply, o.rlen) {
		switch (attr_type(a)) {
		case AIOTSEC_A_NUM_DEVICES: s->ndev = attr_u32(a); break;
		case AIOTSEC_A_NUM_PENDING: s->npend = attr_u32(a); break;
		case AIOTSEC_A_TIMEOUT_MS: s->timeout = attr_u32(a); break;
		case AIOTSEC_A_MAX_PENDING: s->max_pending = attr_u32(a); break;
		}
	}
	msg_start(&m, family, AIOTSEC_CMD_GET_STATS);
	if (must(&m, &o, "GET_STATS"))
		return -1;
	for_attrs(a, o.reply, o.rlen)
		if (attr_type(a) == AIOTSEC_A_STATS)
			for_attrs(b, attr_data(a), attr_len(a))
				if (attr_type(b) == AIOTSEC_STAT_TX_FRAMES)
					s->tx = attr_u64(b);
	return 0;
}

static bool same(const struct state *a, const struct state *b)
{
	return a->ndev == b->ndev && a->npend == b->npend &&
	       a->timeout == b->timeout && a->max_pending == b->max_pending &&
	       a->tx == b->tx;
}

/* Wait until no transaction is pending (the module's timers end them). */
static void drain(void)
{
	struct state s;
	int i;

	for (i = 0; i < 500; i++) {
		if (snapshot(&s) || !s.npend)
			break;
		usleep(20000);
	}
}

/* ---- the requests ------------------------------------------------------------ */

static void dev_id(unsigned int i, uint8_t id[AIOTSEC_ID_LEN])
{
	memset(id, 0, AIOTSEC_ID_LEN);
	id[0] = 0xfa;
	id[14] = (uint8_t)(i >> 8);
	id[15] = (uint8_t)i;
}

static void put_devices(struct msg *m, unsigned int from, unsigned int n,
			bool keys)
{
	uint8_t id[AIOTSEC_ID_LEN], key[AIOTSEC_KEY_LEN_128];
	uint8_t pol = 0x56;	/* TID, PC, MI, 16-byte MAC */
	unsigned int i;

	nest_start(m, AIOTSEC_A_DEVICES);
	for (i = from; i < from + n; i++) {
		dev_id(i, id);
		memset(key, 0x30 + (i & 0x3f), sizeof(key));
		nest_start(m, AIOTSEC_A_DEVICE);
		put(m, AIOTSEC_DEV_A_ID, id, sizeof(id));
		if (keys) {
			put(m, AIOTSEC_DEV_A_KEY, key, sizeof(key));
			put(m, AIOTSEC_DEV_A_POLICY, &pol, 1);
		}
		nest_end(m);
	}
	nest_end(m);
}

struct op {
	const char *name;
	void (*build)(struct msg *m);
	int tx;			/* frames a success sends (batch: per slot) */
	int ndev;		/* devices a success adds */
	void (*undo)(void);	/* after a success */
	bool batch;		/* AIOTSEC_A_RESULTS in the reply */
};

static void build_add1(struct msg *m)
{
	msg_start(m, family, AIOTSEC_CMD_ADD_DEVICES);
	put_devices(m, 1000, 1, true);
}

static void build_add64(struct msg *m)
{
	msg_start(m, family, AIOTSEC_CMD_ADD_DEVICES);
	put_devices(m, 2000, NADD, true);
}

static void del(unsigned int from, unsigned int n)
{
	static struct outcome o;
	static struct msg m;

	msg_start(&m, family, AIOTSEC_CMD_DEL_DEVICES);
	put_devices(&m, from, n, false);
	must(&m, &o, "DEL_DEVICES");
}

static void undo_add1(void)
{
	del(1000, 1);
}

static void undo_add64(void)
{
	del(2000, NADD);
}

static void put_request(struct msg *m)
{
	uint8_t id[AIOTSEC_ID_LEN];

	dev_id(0, id);
	put(m, AIOTSEC_A_DEV_ID, id, sizeof(id));
	put_u32(m, AIOTSEC_A_IFINDEX, (uint32_t)ifindex);
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, TXN_MS);
}

static void build_auth(struct msg *m)
{
	msg_start(m, family, AIOTSEC_CMD_AUTH);
	put_request(m);
}

static void build_command(struct msg *m)
{
	static const uint8_t payload[8] = "failnth";

	msg_start(m, family, AIOTSEC_CMD_COMMAND);
	put_request(m);
	put(m, AIOTSEC_A_PAYLOAD, payload, sizeof(payload));
}

static void build_batch(struct msg *m)
{
	uint8_t id[AIOTSEC_ID_LEN];
	unsigned int i;

	msg_start(m, family, AIOTSEC_CMD_AUTH);
	nest_start(m, AIOTSEC_A_DEV_IDS);
	for (i = 0; i < NDEV; i++) {
		dev_id(i, id);
		put(m, AIOTSEC_A_DEV_ID, id, sizeof(id));
	}
	nest_end(m);
	put_u32(m, AIOTSEC_A_IFINDEX, (uint32_t)ifindex);
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, TXN_MS);
}

static void build_inventory(struct msg *m)
{
	msg_start(m, family, AIOTSEC_CMD_INVENTORY);
	put_u32(m, AIOTSEC_A_IFINDEX, (uint32_t)ifindex);
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, WINDOW_MS);
}

static void undo_inventory(void)
{
	usleep(3 * WINDOW_MS * 1000);	/* the round ends at its window */
}

static void build_config(struct msg *m)
{
	msg_start(m, family, AIOTSEC_CMD_SET_CONFIG);
	put_u32(m, AIOTSEC_A_TIMEOUT_MS, 4321);
	put_u32(m, AIOTSEC_A_MAX_PENDING, 4321);
}

static void undo_config(void)
{
	static struct outcome o;
	static struct msg m;

	msg_start(&m, family, AIOTSEC_CMD_SET_CONFIG);
	put_u32(&m, AIOTSEC_A_TIMEOUT_MS, AIOTSEC_TIMEOUT_DEFAULT_MS);
	put_u32(&m, AIOTSEC_A_MAX_PENDING, AIOTSEC_MAX_PENDING_DEFAULT);
	must(&m, &o, "SET_CONFIG back");
}

static const struct op ops[] = {
	{ "add-one", build_add1, 0, 1, undo_add1, false },
	{ "add-64", build_add64, 0, NADD, undo_add64, false },
	{ "auth", build_auth, 1, 0, drain, false },
	{ "command", build_command, 1, 0, drain, false },
	{ "auth-batch", build_batch, 1, 0, drain, true },
	{ "inventory", build_inventory, 1, 0, undo_inventory, false },
	{ "set-config", build_config, 0, 0, undo_config, false },
};

/*
 * A batch that succeeded: each slot sent (a cookie, no error) or refused
 * for want of memory (ENOMEM, no cookie). Returns the slots sent.
 */
static int batch_slots(const struct op *op, unsigned int nth,
		       const struct outcome *o)
{
	struct nlattr *a, *r, *f;
	int sent = 0, slots = 0;

	for_attrs(a, o->reply, o->rlen) {
		if (attr_type(a) != AIOTSEC_A_RESULTS)
			continue;
		for_attrs(r, attr_data(a), attr_len(a)) {
			uint64_t cookie = 0;
			uint32_t err = 0;

			for_attrs(f, attr_data(r), attr_len(r)) {
				if (attr_type(f) == AIOTSEC_RES_A_COOKIE)
					cookie = attr_u64(f);
				else if (attr_type(f) == AIOTSEC_RES_A_ERROR)
					err = attr_u32(f);
			}
			slots++;
			if (!err && cookie)
				sent++;
			else if (err == ENOMEM && !cookie)
				slots_nomem++;
			else
				violation(op->name, nth, "slot %d: error %u, cookie %llu",
					  slots - 1, err, (unsigned long long)cookie);
		}
	}
	if (slots != NDEV)
		violation(op->name, nth, "%d result slots, not %d", slots, NDEV);
	return sent;
}

struct tally {
	unsigned int calls, injected, in_send, genl, refused, absorbed, lost;
	char seen[8][128];	/* the distinct extack messages, for the log */
	unsigned int nseen, times[8];
};

static void saw(struct tally *t, const char *msg)
{
	unsigned int i;

	for (i = 0; i < t->nseen; i++)
		if (!strcmp(t->seen[i], msg)) {
			t->times[i]++;
			return;
		}
	if (t->nseen < 8)
		t->times[t->nseen] = 1;
	if (t->nseen < 8)
		snprintf(t->seen[t->nseen++], sizeof(t->seen[0]), "%.120s", msg);
}

/* One request, N = 1, 2, ... until it runs without reaching the Nth point. */
static void run_op(const struct op *op, struct tally *all)
{
	static struct outcome o;
	static struct msg m;
	struct tally t;
	struct state before, after;
	char where[1024];
	const char *bad;
	unsigned int nth;
	bool inj;
	int sent;

	memset(&t, 0, sizeof(t));
	/* Once without a fault: what a first call sets up is not counted. */
	op->build(&m);
	if (!must(&m, &o, op->name) && op->undo)
		op->undo();
	for (nth = 1; nth <= MAX_NTH; nth++) {
		if (snapshot(&before))
			exit(1);
		op->build(&m);
		klog_read();		/* what came before: not this call's */
		call(&m, nth, &o, &inj);
		klog_read();
		t.calls++;
		bad = klog_trouble();
		if (bad)
			violation(op->name, nth, "the kernel logged \"%s\"", bad);
		if (o.timeout)
			violation(op->name, nth, "no ACK at all");
		if (snapshot(&after))
			exit(1);
		if (!inj) {
			/* Done: the whole request ran without the fault. */
			if (o.send_err || !o.acked || o.err)
				violation(op->name, nth, "fails without a fault: %s %s",
					  strerror(o.send_err ? o.send_err :
						   o.err ? o.err : EIO), o.msg);
			else if (op->undo)
				op->undo();
			break;
		}
		t.injected++;
		if (o.send_err) {
			t.in_send++;
		} else if (o.acked && o.err) {
			if (o.msg[0]) {
				t.refused++;
				saw(&t, o.msg);
			} else if (fault_module_frames(where, sizeof(where)) == 0) {
				t.genl++;
			} else {
				violation(op->name, nth, "error %d (%s) without an extack message, at%s",
					  o.err, strerror(o.err), where);
			}
		} else if (o.lost) {
			t.lost++;
		} else if (o.acked) {
			t.absorbed++;
		}
		if ((o.send_err || o.err) && !same(&before, &after))
			violation(op->name, nth,
				  "an error (%s%s %s) changed the state: devices %u->%u, pending %u->%u, frames %llu->%llu, timeout %u->%u",
				  o.send_err ? "send: " : "",
				  strerror(o.send_err ? o.send_err : o.err), o.msg,
				  before.ndev, after.ndev, before.npend, after.npend,
				  (unsigned long long)before.tx,
				  (unsigned long long)after.tx, before.timeout,
				  after.timeout);
		if (o.acked && !o.err) {
			sent = op->batch ? batch_slots(op, nth, &o) : op->tx;
			if (after.tx != before.tx + (uint64_t)sent ||
			    after.ndev != before.ndev + (uint32_t)op->ndev)
				violation(op->name, nth,
					  "a success sent %llu frames (not %d), added %d devices (not %d)",
					  (unsigned long long)(after.tx - before.tx), sent,
					  (int)(after.ndev - before.ndev), op->ndev);
		}
		/* An ACK lost: the request was carried out, or it was not. */
		if (o.lost && !same(&before, &after) &&
		    after.ndev != before.ndev + (uint32_t)op->ndev &&
		    after.tx != before.tx + (uint64_t)op->tx)
			violation(op->name, nth, "ACK lost, the state neither before nor after");
		/* Undone after a success, or an ACK lost with the request done. */
		if (op->undo && ((o.acked && !o.err) ||
				 (o.lost && !same(&before, &after))))
			op->undo();
	}
	if (nth > MAX_NTH)
		violation(op->name, nth, "still reaching its Nth fault point at %u", MAX_NTH);
	printf("# failnth op=%s calls=%u injected=%u in_send=%u genl=%u refused_with_message=%u absorbed=%u ack_lost=%u\n",
	       op->name, t.calls, t.injected, t.in_send, t.genl, t.refused,
	       t.absorbed, t.lost);
	for (nth = 0; nth < t.nseen; nth++)
		printf("#   %s: %u x \"%.120s\"\n", op->name, t.times[nth],
		       t.seen[nth]);
	fflush(stdout);
	all->calls += t.calls;
	all->injected += t.injected;
	all->in_send += t.in_send;
	all->genl += t.genl;
	all->refused += t.refused;
	all->absorbed += t.absorbed;
	all->lost += t.lost;
}

/* ---- setup ------------------------------------------------------------------ */

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int resolve_family(void)
{
	static struct outcome o;
	static struct msg m;
	struct nlattr *a;

	msg_start(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put(&m, CTRL_ATTR_FAMILY_NAME, AIOTSEC_GENL_NAME,
	    sizeof(AIOTSEC_GENL_NAME));
	if (must(&m, &o, "family"))
		return -1;
	for_attrs(a, o.reply, o.rlen)
		if (attr_type(a) == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)attr_data(a);
	return family ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "2" },
	};
	static struct outcome o;
	static struct msg m;
	static struct tally all;
	const char *ifname = NULL, *netns = NULL;
	char path[256];
	size_t i;
	int c, fd;

	while ((c = getopt(argc, argv, "i:n:")) != -1) {
		if (c == 'i') {
			ifname = optarg;
		} else if (c == 'n') {
			netns = optarg;
		} else {
			fprintf(stderr, "usage: failnth -n NETNS -i IFNAME\n");
			return 2;
		}
	}
	if (!ifname || !netns) {
		fprintf(stderr, "usage: failnth -n NETNS -i IFNAME\n");
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		printf("FAILNTH skipped=1 (no /proc/thread-self/fail-nth: CONFIG_FAULT_INJECTION)\n");
		return 0;
	}
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (write_file(knobs[i][0], knobs[i][1])) {
			printf("FAILNTH skipped=1 (%s: %s)\n", knobs[i][0], strerror(errno));
			return 0;
		}
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0 || lseek(kmsg_fd, 0, SEEK_END) < 0) {
		perror("/dev/kmsg");
		return 1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		perror(path);
		return 1;
	}
	close(fd);
	ifindex = (int)if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "failnth: %s: no such interface in %s\n", ifname, netns);
		return 2;
	}
	if (resolve_family())
		return 1;
	msg_start(&m, family, AIOTSEC_CMD_ADD_READER);
	put_u32(&m, AIOTSEC_A_IFINDEX, (uint32_t)ifindex);
	if (must(&m, &o, "ADD_READER"))
		return 1;
	msg_start(&m, family, AIOTSEC_CMD_ADD_DEVICES);
	put_devices(&m, 0, NDEV, true);
	if (must(&m, &o, "ADD_DEVICES"))
		return 1;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		run_op(&ops[i], &all);

	printf("FAILNTH skipped=0 ops=%zu calls=%u injected=%u in_send=%u genl=%u refused_with_message=%u absorbed=%u ack_lost=%u batch_slots_nomem=%u violations=%lu\n",
	       sizeof(ops) / sizeof(ops[0]), all.calls, all.injected,
	       all.in_send, all.genl, all.refused, all.absorbed, all.lost,
	       slots_nomem, violations);
	return violations ? 1 : 0;
}
