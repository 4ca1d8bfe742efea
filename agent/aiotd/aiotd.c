// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotd: the AIOTF's Naiotf_AIoT service (TS 29.569) on aiotsec.ko
 * (agent/aiotd/README.md). One thread runs the HTTP/2 server, the netlink socket
 * and the operations; another sends the notifications (cb.c).
 *
 *   aiotd [-c CONFIG] [-t]     -t: check the configuration and exit
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>

#include <netlink/attr.h>

#include "../aiotctl.h"
#include "../batch.h"
#include "../events.h"
#include "../nl.h"
#include "../out.h"
#include "cb.h"
#include "conf.h"
#include "h2srv.h"
#include "mono.h"
#include "req.h"
#include "state.h"

#define API "/naiotf-aiot/v1"
#define GRACE_S		2.0	/* past the module's timeout: result lost */
#define SEND_BUDGET	256	/* device requests per loop turn */
#define TXN_BUCKETS	8192

struct op {
	struct op_req r;
	char tid[33];
	size_t next_send, done, ok, verify;
	json_t *pending;		/* DevicesRepInfo not yet sent */
	double pend_since;
	struct op *next;
};

struct txn {
	uint64_t cookie;
	struct op *op;
	size_t idx;
	double t0, deadline, slow;	/* slow: past half its timeout */
	uint64_t seq;			/* window_sent()'s */
	struct txn *hnext;
};

static struct aiotd_conf cf;
static struct anl nl;
static bool nl_ok;
static uint32_t mod_timeout_ms = AIOTSEC_TIMEOUT_DEFAULT_MS;
static unsigned int reader_ifindex;
static struct op *ops, **ops_tail = &ops;
static struct txn *txns[TXN_BUCKETS];
/* When the oldest held reports are due (0: none held), see housekeeping() */
static double next_flush;
static size_t inflight, queued;	/* devices sent and not done; not sent */
/*
 * How many of max_inflight may be in the module: AIMD (agent/batch.c,
 * as aiotctl's), halved by a timeout or by a result that took more than
 * half its timeout (the reader's queue is near the timeout: back off
 * before devices time out), grown by the results that came in time.
 */
static struct window win;
static volatile sig_atomic_t sig_term, sig_hup;

/* ---- counters ----------------------------------------------------------- */

enum { EP_INV, EP_CMD, EP_METRICS, EP_OTHER, EP_NUM };
static const char *const ep_names[EP_NUM] = { "request-inv", "request-cmd",
					      "metrics", "other" };
static const int codes[] = { 200, 400, 404, 405, 413, 415, 500, 503 };
#define NCODES (sizeof(codes) / sizeof(codes[0]))
static unsigned long long req_count[EP_NUM][NCODES];
static unsigned long long dev_count[OP_CMD + 1][DR_NUM];
static const double lat_b[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
				0.25, 0.5, 1, 2.5, 5, 10 };
#define NLAT (sizeof(lat_b) / sizeof(lat_b[0]))
static unsigned long long lat_bucket[NLAT], lat_n;
static double lat_sum;
static unsigned long long results_lost, unmatched, syncs, sync_fail;

static void logm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logm(const char *fmt, ...)
{
	va_list ap;

	fputs("aiotd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- systemd ------------------------------------------------------------ */

/* sd_notify(3)'s protocol: a datagram to $NOTIFY_SOCKET. */
static void sd_notify_msg(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = 0;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	close(fd);
}

/* ---- the key store, through aiotctl's own commands ------------------------ */

static int run_aiotctl(int argc, char **argv, bool json, char **out)
{
	size_t len = 0;
	FILE *f;
	int ret;

	*out = NULL;
	f = open_memstream(out, &len);
	if (!f)
		return EXIT_ERR;
	out_init(json, f);
	ret = cmd_run(argc, argv);
	fclose(f);
	out_init(false, stdout);
	return ret;
}

static void sync_keystore(void)
{
	char *argv[] = { "sync", (char *)cf.keystore, NULL }, *out;
	int ret;

	if (!cf.keystore)
		return;
	ret = run_aiotctl(2, argv, false, &out);
	syncs++;
	if (ret) {
		sync_fail++;
		logm("key store %s: sync failed (exit %d)", cf.keystore, ret);
	} else {
		logm("key store %s: synced: %s", cf.keystore,
		     out && *out ? strtok(out, "\n") : "done");
	}
	free(out);
}

/* ---- netlink ------------------------------------------------------------ */

static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];

	(void)arg;
	if (!anl_parse(nlh, tb, AIOTSEC_A_MAX) && tb[AIOTSEC_A_TIMEOUT_MS])
		mod_timeout_ms = nla_get_u32(tb[AIOTSEC_A_TIMEOUT_MS]);
	return 0;
}

static void on_event(const struct nlmsghdr *nlh, void *arg);

static bool nl_up(void)
{
	struct timeval tv = { .tv_sec = 3 };
	int rcvbuf = 16 << 20;
	struct nl_msg *msg;

	if (nl_ok)
		return true;
	/*
	 * Not in the events group: the module unicasts the results of our
	 * own requests to this socket (after the reply naming their
	 * cookies); a member would see each of them twice.
	 */
	if (anl_open(&nl, false))
		return false;
	/*
	 * Room for the results of max_inflight transactions: a full socket
	 * drops events and, worse, the acks of our own requests. And never
	 * wait for an ack forever (SO_RCVTIMEO: anl_request() gets -EAGAIN).
	 */
	if (setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl.on_event = on_event;
	msg = anl_msg(&nl, AIOTSEC_CMD_GET_CONFIG, 0, 0);
	if (msg)
		anl_request(&nl, msg, config_cb, NULL);
	nl_ok = true;
	logm("module: connected, transaction timeout %" PRIu32 " ms",
	     mod_timeout_ms);
	/* at start, and when the module came (back) later: its keys */
	sync_keystore();
	return true;
}

static struct txn **txn_slot(uint64_t cookie)
{
	struct txn **p = &txns[(cookie * 0x9e3779b97f4a7c15ull) >> 51];

	while (*p && (*p)->cookie != cookie)
		p = &(*p)->hnext;
	return p;
}

/* ---- operations --------------------------------------------------------- */

static void flush_reports(struct op *op, bool last)
{
	const char *fc = NULL;
	char *body;

	if (last)
		fc = op_fail_cause(op->ok, op->verify);
	if (json_array_size(op->pending)) {
		/* devicesRepData and failCause never together (TS 29.569) */
		body = notif_json(op->tid, op->pending, last && !fc, NULL);
		cb_post(op->r.notif_uri, op->tid, body, last && !fc);
		json_array_clear(op->pending);
	}
	if (fc) {
		body = notif_json(op->tid, NULL, true, fc);
		cb_post(op->r.notif_uri, op->tid, body, true);
	}
}

static void op_free(struct op *op)
{
	json_decref(op->pending);
	op_req_free(&op->r);
	free(op);
}

/* Device @idx of @op is done with @res. */
static void dev_done(struct op *op, size_t idx, enum dev_result res,
		     const uint8_t *read, size_t rlen, double t0)
{
	json_t *e;
	double lat;
	size_t i;

	dev_count[op->r.kind][res]++;
	if (t0 > 0) {
		lat = mono() - t0;
		lat_n++;
		lat_sum += lat;
		for (i = 0; i < NLAT; i++)
			if (lat <= lat_b[i])
				lat_bucket[i]++;
	}
	if (res == DR_OK)
		op->ok++;
	if (res == DR_VERIFY)
		op->verify++;
	e = rep_entry(op->r.dev_str[idx], res, read, rlen,
		      op->r.kind == OP_CMD && op->r.cmd == CT_READ);
	if (!json_array_size(op->pending)) {
		op->pend_since = mono();
		if (!next_flush || op->pend_since + cf.report_delay_ms / 1000.0 < next_flush)
			next_flush = op->pend_since + cf.report_delay_ms / 1000.0;
	}
	json_array_append_new(op->pending, e);
	op->done++;
	if (op->done == op->r.ndev)
		flush_reports(op, true);
	else if (json_array_size(op->pending) >= cf.report_batch)
		flush_reports(op, false);
}

static void txn_end(struct txn *t, enum dev_result res, const uint8_t *data,
		    size_t len)
{
	struct txn **p = txn_slot(t->cookie);

	*p = t->hnext;
	inflight--;
	if (res == DR_TIMEOUT || mono() > t->slow)
		window_timeout(&win, t->seq);
	else
		window_result(&win);
	dev_done(t->op, t->idx, res, data, len, t->t0);
	free(t);
}

static void apply_event(struct txn *t, const struct event *ev)
{
	const uint8_t *d = NULL;
	size_t dl = 0;
	enum dev_result res;

	switch (ev->cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		res = t->op->r.kind == OP_INV ? DR_OK : DR_NOTIMPL;
		break;
	case AIOTSEC_CMD_EVENT_COMMAND:
		res = cmd_reply(t->op->r.cmd, ev->data, ev->len, &d, &dl);
		break;
	case AIOTSEC_CMD_EVENT_REJECTED:
		res = DR_VERIFY;
		break;
	default:
		res = ev->rejects ? DR_VERIFY : DR_TIMEOUT;
		break;
	}
	txn_end(t, res, d, dl);
}

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	struct event ev;
	struct txn *t;

	(void)arg;
	if (event_parse(nlh, &ev))
		return;
	/*
	 * Our results come by unicast, never before the reply naming their
	 * cookie, whose callback has added the transaction. No transaction:
	 * one given up as lost (its result came after all), counted.
	 */
	t = *txn_slot(ev.cookie);
	if (t)
		apply_event(t, &ev);
	else
		unmatched++;
}

/* The attributes every device of a request shares. */
static int put_common(struct nl_msg *msg, const struct op *op)
{
	uint32_t tmo = op->r.timeout_ms;

	if ((tmo && nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, tmo)) ||
	    (reader_ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, reader_ifindex)) ||
	    (op->r.kind == OP_CMD &&
	     nla_put(msg, AIOTSEC_A_PAYLOAD, (int)op->r.plen, op->r.payload)))
		return -1;
	return 0;
}

/* Device @idx of @op now has a transaction @cookie in the module. */
static void txn_add(struct op *op, size_t idx, uint64_t cookie, double t0)
{
	uint32_t tmo = op->r.timeout_ms;
	struct txn *t = calloc(1, sizeof(*t));

	if (!t) {
		/* its result will be an unknown cookie: reported lost */
		dev_done(op, idx, DR_TXERR, NULL, 0, 0);
		return;
	}
	t->cookie = cookie;
	t->op = op;
	t->idx = idx;
	t->t0 = t0;
	t->deadline = t0 + (tmo ? tmo : mod_timeout_ms) / 1000.0 + GRACE_S;
	t->slow = t0 + (tmo ? tmo : mod_timeout_ms) / 2000.0;
	t->seq = window_sent(&win);
	*txn_slot(cookie) = t;
	inflight++;
}

static uint8_t op_cmd(const struct op *op)
{
	return op->r.kind == OP_INV ? AIOTSEC_CMD_AUTH : AIOTSEC_CMD_COMMAND;
}

struct one_reply {
	struct op *op;
	size_t idx;
	double t0;
	bool added;
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
		txn_add(r->op, r->idx, cookie, r->t0);
		r->added = true;
	}
	return 0;
}

/* One request for one device (AIOTSEC_A_DEV_ID). */
static void send_one(struct op *op, size_t idx)
{
	struct one_reply r = { .op = op, .idx = idx, .t0 = mono() };
	struct nl_msg *msg;
	int ret;

	queued--;
	msg = anl_msg(&nl, op_cmd(op), 0, op->r.plen + 128);
	if (!msg || nla_put(msg, AIOTSEC_A_DEV_ID, AIOTD_ID_LEN, op->r.ids[idx]) ||
	    put_common(msg, op)) {
		if (msg)
			nlmsg_free(msg);
		dev_done(op, idx, DR_TXERR, NULL, 0, 0);
		return;
	}
	ret = anl_request(&nl, msg, cookie_cb, &r);
	if (r.added) {
		/* sent: its result (or the module's timeout) still comes */
		if (ret)
			logm("%s: device %s: after the reply: %s", op->tid,
			     op->r.dev_str[idx], strerror(-ret));
		return;
	}
	if (ret == -ENOENT) {
		dev_done(op, idx, DR_UNKNOWN, NULL, 0, 0);
		return;
	}
	logm("%s: device %s: %s%s%s", op->tid, op->r.dev_str[idx],
	     strerror(ret < 0 ? -ret : EBADMSG),
	     nl.last.msg[0] ? ": " : "", nl.last.msg);
	dev_done(op, idx, DR_TXERR, NULL, 0, 0);
}

#ifdef AIOTSEC_BATCH_MAX	/* the batch API (AIOTSEC_A_DEV_IDS is an enum) */
/*
 * The batch API (uapi: AIOTSEC_A_DEV_IDS): many devices per message,
 * the reply's AIOTSEC_A_RESULTS in request order. Used once the kernel
 * has accepted one; a kernel without it refuses the attribute, and then
 * aiotd sends one device per message for good.
 */
static int batch_state;		/* 0: untried, 1: works, -1: not there */

struct batch_reply {
	struct op *op;
	size_t first, n, got;
	double t0;
};

static int results_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *res, *rt[AIOTSEC_RES_A_MAX + 1];
	struct batch_reply *br = arg;
	size_t idx;
	uint32_t err;
	int rem;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_RESULTS])
		return 0;
	nla_for_each_nested(res, tb[AIOTSEC_A_RESULTS], rem) {
		if (br->got == br->n ||
		    nla_parse_nested(rt, AIOTSEC_RES_A_MAX, res, NULL))
			break;
		idx = br->first + br->got++;
		err = rt[AIOTSEC_RES_A_ERROR] ? nla_get_u32(rt[AIOTSEC_RES_A_ERROR]) : 0;
		if (!err && rt[AIOTSEC_RES_A_COOKIE] &&
		    nla_get_u64(rt[AIOTSEC_RES_A_COOKIE])) {
			txn_add(br->op, idx, nla_get_u64(rt[AIOTSEC_RES_A_COOKIE]),
				br->t0);
		} else {
			dev_done(br->op, idx, err == ENOENT ? DR_UNKNOWN : DR_TXERR,
				 NULL, 0, 0);
		}
	}
	return 0;
}

/*
 * Send up to @n devices of @op in one message. Returns how many were
 * handled, or 0 when the caller should send them one by one (no batch
 * API, or the message failed as a whole: an unknown device in it).
 */
static size_t send_batch(struct op *op, size_t n)
{
	struct batch_reply br = { .op = op, .first = op->next_send, .n = n,
				  .t0 = mono() };
	struct nlattr *nest;
	struct nl_msg *msg;
	size_t i;
	int ret;

	if (batch_state < 0 || n < 2)
		return 0;
	msg = anl_msg(&nl, op_cmd(op), 0, op->r.plen + 128 + n * 20);
	if (!msg)
		return 0;
	nest = nla_nest_start(msg, AIOTSEC_A_DEV_IDS);
	for (i = 0; nest && i < n; i++)
		if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTD_ID_LEN,
			    op->r.ids[br.first + i]))
			nest = NULL;
	/* closed before the shared attributes, which are not entries */
	if (!nest || nla_nest_end(msg, nest) < 0 || put_common(msg, op)) {
		nlmsg_free(msg);
		return 0;
	}
	ret = anl_request(&nl, msg, results_cb, &br);
	if (ret && br.got) {
		/* the reply came: its transactions exist, whatever the ack */
		logm("%s: batch of %zu: after the reply: %s", op->tid, n,
		     strerror(-ret));
	} else if (ret == -EAGAIN) {
		/*
		 * No reply in time (SO_RCVTIMEO): the module may have sent
		 * them. Never again, device by device: failed, and a result
		 * that still comes is unmatched.
		 */
		logm("%s: batch of %zu: no reply from the module in time: reported as tx_error",
		     op->tid, n);
	} else if (ret) {
		if (!batch_state && ret == -EINVAL) {
			batch_state = -1;
			logm("module: no batch API (%s): one device per request",
			     nl.last.msg[0] ? nl.last.msg : "EINVAL");
		}
		return 0;	/* nothing started: all or nothing */
	}
	if (br.got && !batch_state) {
		logm("module: batch API: up to %d devices per request",
		     AIOTSEC_BATCH_MAX);
		batch_state = 1;
	}
	/* entries the reply did not carry (or no reply): tx_error */
	for (i = br.got; i < n; i++)
		dev_done(op, br.first + i, DR_TXERR, NULL, 0, 0);
	op->next_send += n;
	queued -= n;
	return n;
}
#endif

static void send_pending(void)
{
	size_t budget = SEND_BUDGET, n;
	struct op *op;

	for (op = ops; op && budget; op = op->next) {
		while (op->next_send < op->r.ndev && budget &&
		       inflight < win.cur && nl_up()) {
			n = op->r.ndev - op->next_send;
			if (n > budget)
				n = budget;
			if (n > win.cur - inflight)
				n = win.cur - inflight;
#ifdef AIOTSEC_BATCH_MAX	/* the batch API (AIOTSEC_A_DEV_IDS is an enum) */
			if (n > AIOTSEC_BATCH_MAX)
				n = AIOTSEC_BATCH_MAX;
			n = send_batch(op, n);
			if (n) {
				budget -= n;
				continue;
			}
#endif
			send_one(op, op->next_send++);
			budget--;
		}
	}
}

/* Reports held too long go out; finished operations go away. */
static void housekeeping(void)
{
	double now = mono(), due;
	struct op **p = &ops, *op;
	struct txn **s, *t;
	size_t b;

	for (b = 0; b < TXN_BUCKETS; b++) {
		for (s = &txns[b]; (t = *s);) {
			if (t->deadline < now) {
				results_lost++;
				logm("%s: device %s: no result from the module (lost): reported as timed out",
				     t->op->tid, t->op->r.dev_str[t->idx]);
				txn_end(t, DR_TIMEOUT, NULL, 0);
				continue;	/* *s is now the next */
			}
			s = &t->hnext;
		}
	}
	next_flush = 0;		/* recomputed from what stays held */
	while ((op = *p)) {
		if (op->done == op->r.ndev) {
			*p = op->next;
			if (!*p)
				ops_tail = p;
			op_free(op);
			continue;
		}
		if (json_array_size(op->pending)) {
			due = op->pend_since + cf.report_delay_ms / 1000.0;
			if (due <= now)
				flush_reports(op, false);
			else if (!next_flush || due < next_flush)
				next_flush = due;
		}
		p = &op->next;
	}
}

/* ---- HTTP --------------------------------------------------------------- */

static void count_req(int ep, int status)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (codes[i] == status)
			req_count[ep][i]++;
}

static void problem_resp(struct h2_resp *resp, const struct problem *p)
{
	resp->status = p->status;
	resp->ctype = "application/problem+json";
	resp->body = problem_json(p);
	resp->len = resp->body ? strlen(resp->body) : 0;
}

static void new_tid(char *tid)
{
	static uint64_t ctr;
	uint8_t r[16];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
		uint64_t x = (uint64_t)time(NULL) ^ (++ctr << 20) ^ (uint64_t)getpid();

		memcpy(r, &x, 8);
		memcpy(r + 8, &ctr, 8);
	}
	for (i = 0; i < 16; i++) {
		tid[2 * i] = "0123456789abcdef"[r[i] >> 4];
		tid[2 * i + 1] = "0123456789abcdef"[r[i] & 15];
	}
	tid[32] = 0;
}

static void handle_op(enum op_kind kind, const struct h2_req *req,
		      struct h2_resp *resp)
{
	struct req_limits lim = { .max_devices = cf.max_devices };
	struct problem p;
	struct op *op;
	json_t *o;

	if (strncasecmp(req->ctype, "application/json", 16) ||
	    (req->ctype[16] && req->ctype[16] != ';' && req->ctype[16] != ' ')) {
		problem_set(&p, 415, "Unsupported Media Type", NULL,
			    "the body must be application/json (got '%s')",
			    req->ctype);
		problem_param(&p, "header Content-Type", "must be application/json");
		problem_resp(resp, &p);
		return;
	}
	op = calloc(1, sizeof(*op));
	if (!op || !(op->pending = json_array())) {
		free(op);
		problem_set(&p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "out of memory");
		problem_resp(resp, &p);
		return;
	}
	if (req_parse(kind, req->body, req->len, &lim, &op->r, &p)) {
		op_free(op);
		problem_resp(resp, &p);
		return;
	}
	if (!nl_up()) {
		op_free(op);
		problem_set(&p, 503, "Service Unavailable", "SYSTEM_FAILURE",
			    "the aiotsec module is not loaded");
		snprintf(resp->retry_after, sizeof(resp->retry_after), "5");
		problem_resp(resp, &p);
		return;
	}
	if (inflight + queued + op->r.ndev > cf.max_queue) {
		op_free(op);
		problem_set(&p, 503, "Service Unavailable", "NF_CONGESTION",
			    "%zu device transactions in flight or queued: at most %zu",
			    inflight + queued, cf.max_queue);
		snprintf(resp->retry_after, sizeof(resp->retry_after), "%u",
			 cf.retry_after_s);
		problem_resp(resp, &p);
		return;
	}
	new_tid(op->tid);
	state_add(op->tid, op->r.notif_uri);
	queued += op->r.ndev;
	*ops_tail = op;
	ops_tail = &op->next;
	o = json_pack("{s:s}", "transId", op->tid);
	resp->status = 200;
	resp->ctype = "application/json";
	resp->body = json_dumps(o, JSON_COMPACT);
	resp->len = resp->body ? strlen(resp->body) : 0;
	json_decref(o);
}

static void put_metric(FILE *f, const char *name, const char *type,
		       const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric of one value: its HELP, TYPE and sample. */
static void put_value(FILE *f, const char *name, const char *type,
		      const char *help, unsigned long long v)
{
	put_metric(f, name, type, help);
	fprintf(f, "%s %llu\n", name, v);
}

static void module_metrics(FILE *f)
{
	char *argv[] = { "stats", NULL }, *out = NULL;
	const char *k;
	json_t *root, *v, *dv;
	const char *dk;

	if (run_aiotctl(1, argv, true, &out) || !out) {
		free(out);
		return;
	}
	root = json_loads(out, 0, NULL);
	free(out);
	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	put_metric(f, "aiotsec_module_events_total", "counter",
		   "aiotsec.ko namespace counters (GET_STATS), by name");
	json_object_foreach(root, k, v) {
		if (json_is_integer(v))
			fprintf(f, "aiotsec_module_events_total{counter=\"%s\"} %" JSON_INTEGER_FORMAT "\n",
				k, json_integer_value(v));
	}
	dv = json_object_get(root, "drops");
	if (json_is_object(dv)) {
		put_metric(f, "aiotsec_module_drops_total", "counter",
			   "frames aiotsec.ko dropped, by reason");
		json_object_foreach(dv, dk, v)
			if (json_is_integer(v))
				fprintf(f, "aiotsec_module_drops_total{reason=\"%s\"} %" JSON_INTEGER_FORMAT "\n",
					dk, json_integer_value(v));
	}
	json_decref(root);
}

static struct h2srv *http;	/* its clients' counters in /metrics */

static void handle_metrics(struct h2_resp *resp)
{
	size_t len = 0, i, e, k;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		resp->status = 500;
		return;
	}
	put_metric(f, "aiotd_requests_total", "counter",
		   "HTTP requests by endpoint and status");
	for (e = 0; e < EP_NUM; e++)
		for (i = 0; i < NCODES; i++)
			fprintf(f, "aiotd_requests_total{endpoint=\"%s\",code=\"%d\"} %llu\n",
				ep_names[e], codes[i], req_count[e][i]);
	put_metric(f, "aiotd_device_results_total", "counter",
		   "per-device outcomes by operation and result");
	for (k = 0; k <= OP_CMD; k++)
		for (i = 0; i < DR_NUM; i++)
			fprintf(f, "aiotd_device_results_total{op=\"%s\",result=\"%s\"} %llu\n",
				k == OP_INV ? "inventory" : "command",
				dev_result_names[i], dev_count[k][i]);
	put_metric(f, "aiotd_device_latency_seconds", "histogram",
		   "from the request to the module until the device's result");
	for (i = 0; i < NLAT; i++)
		fprintf(f, "aiotd_device_latency_seconds_bucket{le=\"%g\"} %llu\n",
			lat_b[i], lat_bucket[i]);
	fprintf(f, "aiotd_device_latency_seconds_bucket{le=\"+Inf\"} %llu\n", lat_n);
	fprintf(f, "aiotd_device_latency_seconds_sum %.6f\n", lat_sum);
	fprintf(f, "aiotd_device_latency_seconds_count %llu\n", lat_n);
	put_value(f, "aiotd_callbacks_sent_total", "counter", "notifications delivered (2xx)",
		  atomic_load(&cb_stats.sent));
	put_value(f, "aiotd_callbacks_failed_total", "counter", "notification attempts that failed",
		  atomic_load(&cb_stats.failed));
	put_value(f, "aiotd_callbacks_retried_total", "counter", "notification attempts retried",
		  atomic_load(&cb_stats.retried));
	put_value(f, "aiotd_callbacks_dropped_total", "counter", "notifications given up",
		  atomic_load(&cb_stats.dropped));
	put_value(f, "aiotd_callback_connections_total", "counter",
		  "connections opened to AFs (kept and multiplexed)",
		  atomic_load(&cb_stats.conns));
	put_value(f, "aiotd_callback_connections_open", "gauge", "connections to AFs open now",
		  atomic_load(&cb_stats.conns_open));
	put_value(f, "aiotd_callbacks_queued", "gauge", "notifications waiting or in flight",
		  atomic_load(&cb_stats.queued));
	put_value(f, "aiotd_transactions_inflight", "gauge", "device transactions in the module",
		  inflight);
	put_value(f, "aiotd_transactions_queued", "gauge", "device transactions not yet sent",
		  queued);
	put_value(f, "aiotd_window", "gauge",
		  "device transactions allowed in the module now (adaptive, up to max_inflight)",
		  win.cur);
	put_value(f, "aiotd_results_lost_total", "counter",
		  "transactions whose result never came (reported as timed out)",
		  results_lost);
	put_value(f, "aiotd_results_unmatched_total", "counter",
		  "results of no transaction (one already reported as lost)",
		  unmatched);
	put_value(f, "aiotd_keystore_syncs_total", "counter",
		  "key store syncs (on connecting to the module, SIGHUP)",
		  syncs);
	put_value(f, "aiotd_keystore_sync_failures_total", "counter", "key store syncs that failed",
		  sync_fail);
	if (http)
		h2srv_metrics(http, f);
	if (nl_ok)
		module_metrics(f);
	fclose(f);
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4";
	resp->body = buf;
	resp->len = len;
}

static void handler(const struct h2_req *req, struct h2_resp *resp, void *arg)
{
	const char *path = req->path;
	size_t rl = strlen(cf.api_prefix);
	struct problem p;
	int ep = EP_OTHER;

	(void)arg;
	if (req->too_big) {
		problem_set(&p, 413, "Payload Too Large", NULL,
			    "the request body exceeds max_body (%zu bytes)",
			    cf.max_body);
		problem_resp(resp, &p);
		count_req(!strcmp(path, "/metrics") ? EP_METRICS :
			  strstr(path, "/request-inv") ? EP_INV :
			  strstr(path, "/request-cmd") ? EP_CMD : EP_OTHER, 413);
		return;
	}
	if (!strcmp(path, "/metrics")) {
		ep = EP_METRICS;
		if (strcmp(req->method, "GET")) {
			problem_set(&p, 405, "Method Not Allowed", NULL, "GET only");
			problem_resp(resp, &p);
			snprintf(resp->allow, sizeof(resp->allow), "GET");
		} else {
			handle_metrics(resp);
		}
		count_req(ep, resp->status);
		return;
	}
	if (!strncmp(path, cf.api_prefix, rl) && !strncmp(path + rl, API, strlen(API))) {
		path += rl + strlen(API);
		if (!strcmp(path, "/request-inv"))
			ep = EP_INV;
		else if (!strcmp(path, "/request-cmd"))
			ep = EP_CMD;
	}
	if (ep == EP_OTHER) {
		problem_set(&p, 404, "Not Found", "RESOURCE_URI_STRUCTURE_NOT_FOUND",
			    "no such resource: %s (this AIOTF serves %s%s/request-inv and /request-cmd)",
			    req->path, cf.api_prefix, API);
		problem_resp(resp, &p);
	} else if (strcmp(req->method, "POST")) {
		problem_set(&p, 405, "Method Not Allowed", NULL,
			    "%s: POST only", req->path);
		problem_resp(resp, &p);
		snprintf(resp->allow, sizeof(resp->allow), "POST");
	} else {
		handle_op(ep == EP_INV ? OP_INV : OP_CMD, req, resp);
	}
	count_req(ep, resp->status);
}

/* ---- start, loop -------------------------------------------------------- */

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		sig_hup = 1;
	else
		sig_term = 1;
}

static void report_restart(void)
{
	struct state_op *so;
	size_t n, i;
	char *body;

	if (state_open(cf.state_file, &so, &n))
		exit(1);
	for (i = 0; i < n; i++) {
		logm("%s: accepted by an earlier run and not finished: telling %s",
		     so[i].trans_id, so[i].uri);
		body = notif_json(so[i].trans_id, NULL, true, "AIOTF_RESTARTED");
		cb_post(so[i].uri, so[i].trans_id, body, true);
	}
	state_ops_free(so, n);
}

int main(int argc, char **argv)
{
	const char *path = AIOTD_CONF_DEFAULT;
	struct cb_conf cbc;
	struct h2_tls tls;
	struct h2srv_limits lim;
	struct pollfd pfd[512];
	struct sigaction sa = { .sa_handler = on_signal };
	struct h2srv *srv;
	bool check = false, explicit = false, nl_polled;
	double last_hk = 0;
	size_t n;
	int opt, ms;

	prog = "aiotd";
	while ((opt = getopt(argc, argv, "c:th")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			explicit = true;
			break;
		case 't':
			check = true;
			break;
		default:
			fprintf(opt == 'h' ? stdout : stderr,
				"usage: aiotd [-c CONFIG] [-t]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (conf_load(&cf, path, explicit) || conf_credentials(&cf))
		return 2;
	window_init(&win, (uint32_t)cf.max_inflight, false);
	if (check) {
		printf("aiotd: %s: ok\n", path);
		return 0;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (cf.reader) {
		reader_ifindex = if_nametoindex(cf.reader);
		if (!reader_ifindex) {
			logm("reader %s: no such interface", cf.reader);
			return 1;
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	tls = (struct h2_tls){ cf.tls_cert, cf.tls_key, cf.tls_client_ca };
	srv = h2srv_new(cf.listen, cf.port, &tls, cf.max_body, handler, NULL);
	if (!srv)
		return 1;
	conf_http_limits(&cf, &lim);
	h2srv_set_limits(srv, &lim);
	http = srv;
	cbc = (struct cb_conf){
		.retries = cf.cb_retries, .backoff_ms = cf.cb_backoff_ms,
		.backoff_max_ms = cf.cb_backoff_max_ms,
		.timeout_ms = cf.cb_timeout_ms, .max_active = 64,
		.ca = cf.cb_ca, .cert = cf.cb_cert, .key = cf.cb_key,
	};
	if (cb_start(&cbc)) {
		logm("notifications: cannot start (callback_ca, callback_cert?)");
		return 1;
	}
	report_restart();
	/* connects and syncs the key store, or later when the module comes */
	if (!nl_up())
		logm("module: not loaded yet; requests get 503 until it is");
	logm("listening on %s port %u (%s)", cf.listen, h2srv_port(srv),
	     cf.tls_cert ? (cf.tls_client_ca ? "TLS, client certificates required" : "TLS") :
	     "h2c, prior knowledge");
	sd_notify_msg("READY=1\nSTATUS=serving");
	while (!sig_term) {
		if (sig_hup) {
			sig_hup = 0;
			sd_notify_msg("RELOADING=1");
			if (nl_ok)
				sync_keystore();
			else
				nl_up();	/* syncs if it connects */
			sd_notify_msg("READY=1");
		}
		n = h2srv_pollfds(srv, pfd, 510);
		nl_polled = nl_ok;
		if (nl_polled)
			pfd[n++] = (struct pollfd){ .fd = nl.fd, .events = POLLIN };
		/* at once when there is room to send; else when reports are due */
		ms = 1000;
		if ((queued && inflight < win.cur) || h2srv_more(srv))
			ms = 0;
		else if (next_flush)
			ms = next_flush <= mono() ? 0 : (int)((next_flush - mono()) * 1000) + 1;
		if (poll(pfd, n, ms) < 0 && errno != EINTR)
			break;
		if (nl_polled) {
			n--;
		}
		if (nl_polled && pfd[n].revents) {
			int k;

			for (k = 0; k < 4096 && anl_poll(&nl, 0) > 0; k++)
				;
			if (nl.overrun) {
				nl.overrun = false;
				logm("module: results lost (receive buffer overrun); their devices will be reported as timed out");
			}
		}
		h2srv_service(srv, pfd, n);
		send_pending();
		/* held reports when due; lost results and finished operations each second */
		if ((next_flush && mono() >= next_flush) || mono() - last_hk >= 1.0) {
			housekeeping();
			last_hk = mono();
		}
	}
	sd_notify_msg("STOPPING=1");
	logm("stopping: %zu device transactions unfinished", inflight + queued);
	h2srv_free(srv);
	cb_stop(2000);
	state_close();
	if (nl_ok)
		anl_close(&nl);
	conf_free(&cf);
	return 0;
}
