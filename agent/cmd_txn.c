// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl auth | command: start transactions and wait for their results.
 * The module sends each result to the socket that asked for it (unicast,
 * after the reply that carries its cookie), so the socket joins no group.
 * One device: one request, one result, as before. Many (arguments, a
 * file or standard input): a window of transactions outstanding on one
 * socket, requests packed into AIOTSEC_A_DEV_IDS messages, a line per
 * device as it completes; the window adapts (batch.h), as ip -batch
 * feeds one socket.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
#include "batch.h"
#include "devices.h"
#include "events.h"
#include "lib/hex.h"
#include "lib/policy.h"
#include "nl.h"
#include "out.h"
#include "show.h"

#define GRACE_MS	3000	/* after the timeout, for the timeout event */
#define EARLY_MAX	64	/* events kept before the cookie is known */

struct txn {
	uint8_t type;			/* AIOTSEC_CMD_AUTH or _COMMAND */
	uint8_t id[AIOTSEC_ID_LEN];
	uint32_t ifindex;
	int policy;			/* -1: the device's */
	uint32_t timeout_ms;		/* 0: the namespace's */
	long plen;
	uint8_t payload[AIOTSEC_PLEN_MAX];
	bool has_dest;
	uint8_t dest[6];
	/* Waiting. */
	bool have_cookie;
	uint64_t cookie;
	bool done;
	struct event result;
	struct event *early;
	size_t nearly;
};

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	struct txn *t = arg;
	struct event *ev;

	if (t->done)
		return;
	if (t->have_cookie) {
		if (!event_parse(nlh, &t->result) &&
		    t->result.cookie == t->cookie)
			t->done = true;
		return;
	}
	if (t->nearly == EARLY_MAX)
		return;
	ev = &t->early[t->nearly];
	if (!event_parse(nlh, ev))
		t->nearly++;
}

static int cookie_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct txn *t = arg;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE])
		return 0;
	t->cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	t->have_cookie = true;
	return 0;
}

static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];

	if (!anl_parse(nlh, tb, AIOTSEC_A_MAX) && tb[AIOTSEC_A_TIMEOUT_MS])
		*(uint32_t *)arg = nla_get_u32(tb[AIOTSEC_A_TIMEOUT_MS]);
	return 0;
}

/* How long the kernel will wait: ours, or the namespace's default. */
static uint32_t effective_timeout(struct anl *a, const struct txn *t)
{
	uint32_t ms = AIOTSEC_TIMEOUT_DEFAULT_MS;
	struct nl_msg *msg;

	if (t->timeout_ms)
		return t->timeout_ms;
	msg = anl_msg(a, AIOTSEC_CMD_GET_CONFIG, 0, 0);
	if (msg)
		anl_request(a, msg, config_cb, &ms);
	return ms;
}

/*
 * The attributes a request shares among its devices: one device's
 * message and a batch's carry the same ones.
 */
static int put_shared(struct nl_msg *msg, const struct txn *t)
{
	return (t->ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, t->ifindex)) ||
	       (t->policy >= 0 &&
	        nla_put_u8(msg, AIOTSEC_A_POLICY, (uint8_t)t->policy)) ||
	       (t->timeout_ms &&
	        nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, t->timeout_ms)) ||
	       (t->type == AIOTSEC_CMD_COMMAND &&
	        nla_put(msg, AIOTSEC_A_PAYLOAD, (int)t->plen, t->payload)) ||
	       (t->has_dest && nla_put(msg, AIOTSEC_A_DEST_MAC, 6, t->dest));
}

static struct nl_msg *build(struct anl *a, const struct txn *t)
{
	struct nl_msg *msg = anl_msg(a, t->type, 0, AIOTSEC_PLEN_MAX + 128);

	if (!msg)
		return NULL;
	if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, t->id) ||
	    put_shared(msg, t)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int finish(const struct txn *t, uint32_t ms)
{
	const char *what = t->type == AIOTSEC_CMD_AUTH ? "auth" : "command";
	const struct event *ev = &t->result;

	if (ev->cmd != AIOTSEC_CMD_EVENT_TIMEOUT &&
	    ev->cmd != AIOTSEC_CMD_EVENT_REJECTED) {
		event_print(ev, PRINT_ANY);
		return EXIT_OK;
	}
	/* -j shows the failure event; the plain output only the message. */
	event_print(ev, PRINT_JSON);
	if (ev->cmd == AIOTSEC_CMD_EVENT_REJECTED) {
		err_msg("%s %s: ended after %u responses failed verification (max-rejects)",
			what, show_id(t->id), ev->rejects);
		return EXIT_VERIFY;
	}
	if (ev->rejects) {
		err_msg("%s %s: no valid response within %u ms: %u response%s failed verification",
			what, show_id(t->id), ms, ev->rejects,
			ev->rejects == 1 ? "" : "s");
		return EXIT_VERIFY;
	}
	err_msg("%s %s: no response within %u ms", what, show_id(t->id), ms);
	return EXIT_TIMEOUT;
}

static int run(struct txn *t)
{
	const char *what = t->type == AIOTSEC_CMD_AUTH ? "auth" : "command";
	struct event early[EARLY_MAX];
	struct nl_msg *msg;
	double deadline;
	uint32_t ms;
	struct anl a;
	size_t i;
	int ret, left;

	if (anl_open(&a, false))
		return EXIT_ERR;
	t->early = early;
	a.on_event = on_event;
	a.event_arg = t;
	ms = effective_timeout(&a, t);
	msg = build(&a, t);
	if (!msg) {
		err_msg("out of memory");
		anl_close(&a);
		return EXIT_ERR;
	}
	ret = anl_request(&a, msg, cookie_cb, t);
	if (ret == -ENOENT) {
		err_msg("%s: no such device ID %s", what, show_id(t->id));
		anl_close(&a);
		return EXIT_ERR;
	}
	if (ret || !t->have_cookie) {
		if (ret)
			anl_perror(&a, what, ret);
		else
			err_msg("%s: the reply had no cookie", what);
		anl_close(&a);
		return EXIT_ERR;
	}
	for (i = 0; i < t->nearly && !t->done; i++) {
		if (early[i].cookie == t->cookie) {
			t->result = early[i];
			t->done = true;
		}
	}
	deadline = now_secs() + (ms + GRACE_MS) / 1000.0;
	while (!t->done) {
		left = (int)((deadline - now_secs()) * 1000);
		if (left <= 0)
			break;
		ret = anl_poll(&a, left);
		if (ret < 0) {
			err_msg("%s: reading events: %s", what, strerror(-ret));
			break;
		}
	}
	anl_close(&a);
	if (!t->done) {
		err_msg("%s %s: no result event within %u ms%s", what,
			show_id(t->id), ms + GRACE_MS,
			a.overrun ? " (events were lost: receive buffer overrun)" :
			"");
		return EXIT_TIMEOUT;
	}
	return finish(t, ms);
}

/* ---- many devices ---------------------------------------------------------- */

#define PACK_MAX	256	/* IDs per message: a reply of about 11 KiB */

struct outstanding {
	uint64_t cookie;
	size_t idx;			/* in the ID list */
	uint64_t seq;			/* window_sent() */
	double deadline;
};

struct txn_batch {
	struct txn *t;			/* what applies to every device */
	struct idlist ids;
	bool *skip;			/* refused by the kernel: not resent */
	struct window w;
	struct outstanding *out;	/* w.max entries */
	size_t nout, next;
	size_t chunk[PACK_MAX], nchunk, replied;
	uint32_t ms;
	int worst;
	bool overrun_said;
};

static void worsen(struct txn_batch *b, int status)
{
	if (status > b->worst)
		b->worst = status;
}

/* A device that got no transaction, or no result: say why. */
static void device_failed(struct txn_batch *b, size_t idx, const char *why,
			  int status)
{
	const char *what = b->t->type == AIOTSEC_CMD_AUTH ? "auth" : "command";
	const uint8_t *id = b->ids.id[idx];

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "error");
	print_hex(PRINT_JSON, "id", NULL, id, AIOTSEC_ID_LEN);
	print_str(PRINT_JSON, "error", NULL, why);
	print_nl(PRINT_JSON);
	close_obj(PRINT_JSON);
	err_msg("%s %s: %s", what, show_id(id), why);
	worsen(b, status);
}

static void on_batch_event(const struct nlmsghdr *nlh, void *arg)
{
	struct txn_batch *b = arg;
	struct event ev;
	size_t i;

	if (event_parse(nlh, &ev))
		return;
	for (i = 0; i < b->nout; i++)
		if (b->out[i].cookie == ev.cookie)
			break;
	if (i == b->nout)
		return;		/* not ours any more: reported as lost */
	b->t->result = ev;
	memcpy(b->t->id, b->ids.id[b->out[i].idx], AIOTSEC_ID_LEN);
	worsen(b, finish(b->t, b->ms));
	fflush(stdout);
	if (ev.cmd == AIOTSEC_CMD_EVENT_TIMEOUT)
		window_timeout(&b->w, b->out[i].seq);
	else
		window_result(&b->w);
	b->out[i] = b->out[--b->nout];
}

/* The reply to a batch: each device's cookie, or why it has none. */
static int batch_reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *rt[AIOTSEC_RES_A_MAX + 1];
	struct txn_batch *b = arg;
	struct outstanding *o;
	struct nlattr *res;
	uint32_t err;
	size_t idx;
	int rem;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_RESULTS])
		return 0;
	nla_for_each_nested(res, tb[AIOTSEC_A_RESULTS], rem) {
		if (b->replied == b->nchunk)
			break;
		idx = b->chunk[b->replied++];
		if (nla_parse_nested(rt, AIOTSEC_RES_A_MAX, res, NULL) ||
		    !rt[AIOTSEC_RES_A_COOKIE] || !rt[AIOTSEC_RES_A_ERROR]) {
			device_failed(b, idx, "the reply has no result for it",
				      EXIT_ERR);
			continue;
		}
		err = nla_get_u32(rt[AIOTSEC_RES_A_ERROR]);
		if (err) {
			device_failed(b, idx, strerror((int)err), EXIT_ERR);
			continue;
		}
		o = &b->out[b->nout++];
		o->cookie = nla_get_u64(rt[AIOTSEC_RES_A_COOKIE]);
		o->idx = idx;
		o->seq = window_sent(&b->w);
		o->deadline = now_secs() + (b->ms + GRACE_MS) / 1000.0;
	}
	return 0;
}

static struct nl_msg *build_batch(struct anl *a, struct txn_batch *b)
{
	const struct txn *t = b->t;
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t i;

	msg = anl_msg(a, t->type, 0, b->nchunk * (NLA_HDRLEN + AIOTSEC_ID_LEN) +
		      AIOTSEC_PLEN_MAX + 128);
	if (!msg)
		return NULL;
	/* First, so that an extack offset names the entry (batch_entry_at()). */
	nest = nla_nest_start(msg, AIOTSEC_A_DEV_IDS);
	if (!nest)
		goto fail;
	for (i = 0; i < b->nchunk; i++)
		if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN,
			    b->ids.id[b->chunk[i]]))
			goto fail;
	nla_nest_end(msg, nest);
	if (put_shared(msg, t))
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static bool in_chunk(const struct txn_batch *b, const uint8_t *id)
{
	size_t i;

	for (i = 0; i < b->nchunk; i++)
		if (!memcmp(b->ids.id[b->chunk[i]], id, AIOTSEC_ID_LEN))
			return true;
	return false;
}

/*
 * Send the next devices, as many as the window has room for. 0, or -1
 * when no more can be sent at all (the rest is reported failed).
 */
static int send_chunk(struct anl *a, struct txn_batch *b)
{
	const char *what = b->t->type == AIOTSEC_CMD_AUTH ? "auth" : "command";
	size_t room = b->w.cur - b->nout, i, last = b->next;
	struct nl_msg *msg;
	int ret, e;

	b->nchunk = 0;
	for (i = b->next; i < b->ids.n && b->nchunk < room &&
	     b->nchunk < PACK_MAX; i++) {
		/* The kernel refuses an ID twice in a message: the next one. */
		if (in_chunk(b, b->ids.id[i]))
			break;
		if (!b->skip[i])
			b->chunk[b->nchunk++] = i;
		last = i + 1;
	}
	if (!b->nchunk) {
		b->next = last;
		return 0;
	}
	msg = build_batch(a, b);
	if (!msg) {
		err_msg("out of memory");
		return -1;
	}
	b->replied = 0;
	ret = anl_request(a, msg, batch_reply_cb, b);
	if (!ret) {
		b->next = last;
		return 0;
	}
	/* Nothing of the message was sent: all or nothing. */
	e = a->last.has_off ? batch_entry_at(a->last.off, b->nchunk) : -1;
	if (e >= 0) {
		b->skip[b->chunk[e]] = true;
		device_failed(b, b->chunk[e], a->last.msg[0] ? a->last.msg :
			      strerror(-ret), EXIT_ERR);
		return 0;
	}
	if (ret == -EBUSY && b->nout) {
		/* The pending table is full: fewer at once, after a result. */
		window_timeout(&b->w, b->w.sent);
		return 0;
	}
	anl_perror(a, what, ret);
	return -1;
}

/* Outstanding past their deadline: no result came (lost, or too late). */
static void expire(struct txn_batch *b)
{
	double now = now_secs();
	char why[128];
	size_t i = 0;

	while (i < b->nout) {
		if (b->out[i].deadline > now) {
			i++;
			continue;
		}
		snprintf(why, sizeof(why), "no result event within %u ms%s",
			 b->ms + GRACE_MS, b->overrun_said ?
			 " (results were lost: receive buffer overrun)" : "");
		device_failed(b, b->out[i].idx, why, EXIT_TIMEOUT);
		window_timeout(&b->w, b->out[i].seq);
		b->out[i] = b->out[--b->nout];
	}
}

/* Milliseconds until the earliest deadline (at least 1). */
static int next_wait(const struct txn_batch *b)
{
	double first = 0, now = now_secs();
	size_t i;
	int ms;

	for (i = 0; i < b->nout; i++)
		if (!i || b->out[i].deadline < first)
			first = b->out[i].deadline;
	ms = (int)((first - now) * 1000) + 1;
	return ms > 0 ? ms : 1;
}

static int run_batch(struct txn_batch *b)
{
	bool stop = false;
	struct anl a;
	size_t i;
	int ret;

	b->out = calloc(b->w.max, sizeof(*b->out));
	b->skip = calloc(b->ids.n, sizeof(*b->skip));
	if (!b->out || !b->skip) {
		err_msg("out of memory");
		return EXIT_ERR;
	}
	if (anl_open(&a, false))
		return EXIT_ERR;
	a.on_event = on_batch_event;
	a.event_arg = b;
	b->ms = effective_timeout(&a, b->t);
	while ((!stop && b->next < b->ids.n) || b->nout) {
		if (!stop && b->next < b->ids.n && b->nout < b->w.cur) {
			if (send_chunk(&a, b))
				stop = true;
			continue;
		}
		ret = anl_poll(&a, next_wait(b));
		if (ret < 0) {
			err_msg("reading results: %s", strerror(-ret));
			break;
		}
		if (a.overrun && !b->overrun_said) {
			b->overrun_said = true;
			/* Fewer at once: results are lost when they pile up. */
			window_timeout(&b->w, b->w.sent);
		}
		expire(b);
	}
	/* What was never sent, or whose result never came. */
	for (i = 0; i < b->nout; i++)
		device_failed(b, b->out[i].idx, "no result (reading failed)",
			      EXIT_ERR);
	for (i = b->next; i < b->ids.n; i++)
		if (!b->skip[i])
			device_failed(b, i, "not sent", EXIT_ERR);
	anl_close(&a);
	return b->worst;
}

/* The keywords both commands take, and those of command only. */
enum { K_READER, K_POLICY, K_TIMEOUT, K_WINDOW, K_FIXED, K_FILE, K_HEX,
       K_TEXT, K_DEST, K_PAYLOAD };

/* Check the keywords' values into @t; 0 or the exit status. */
static int txn_values(struct txn *t, const struct kw *k)
{
	char why[ARGS_ERR_MAX];
	uint8_t p;

	if (k[K_TIMEOUT].seen) {
		if (cmd_u32(&k[K_TIMEOUT], UINT32_MAX, &t->timeout_ms))
			return EXIT_USAGE;
		if (!t->timeout_ms)
			return cmd_invalid(&k[K_TIMEOUT], "at least 1 ms");
	}
	if (k[K_POLICY].seen) {
		if (policy_parse(k[K_POLICY].val, t->type == AIOTSEC_CMD_AUTH ?
				 POLICY_MINIMUM : POLICY_REQUEST, &p, why,
				 sizeof(why)))
			return cmd_invalid(&k[K_POLICY], why);
		if (t->type == AIOTSEC_CMD_AUTH &&
		    (!(p & AIOTSEC_POL_IDP_MASK) || p & ~AIOTSEC_POL_AUTH_MASK))
			return cmd_invalid(&k[K_POLICY],
					   "a PAGING takes enc or tid, and mac= only");
		t->policy = p;
	}
	if (t->type == AIOTSEC_CMD_COMMAND && k[K_DEST].seen) {
		if (parse_mac(k[K_DEST].val, t->dest, why, sizeof(why)))
			return cmd_invalid(&k[K_DEST], why);
		t->has_dest = true;
	}
	if (k[K_READER].seen) {
		t->ifindex = if_nametoindex(k[K_READER].val);
		if (!t->ifindex) {
			err_msg("reader %s: no such interface",
				k[K_READER].val);
			return EXIT_ERR;
		}
	}
	return 0;
}

/*
 * Is @w a device ID (or, first, '-')? The IDs end at the first word that
 * is not: no keyword is hex, and a stray word is an unknown keyword.
 */
static bool is_id_word(const char *w, bool first)
{
	uint8_t id[AIOTSEC_ID_LEN];
	char err[ARGS_ERR_MAX];

	if (first && !strcmp(w, "-"))
		return true;
	return !hex_parse_id(w, strlen(w), id, err, sizeof(err));
}

/* The IDs of a batch: the words @ids, "-" (standard input) or a file. */
static int batch_ids(struct txn_batch *b, int nids, char **ids, const struct kw *file)
{
	char err[BATCH_ERR_MAX];
	const char *name = NULL;
	FILE *f = NULL;
	int i, ret;

	if (file->seen && nids)
		return usage_err("%s: IDs and file exclude each other", cmd_what());
	if (nids == 1 && !strcmp(ids[0], "-"))
		name = "-";
	else if (file->seen)
		name = file->val;
	if (!name) {
		if (!nids)
			return usage_err("%s: an ID, '-' or file FILE is required",
					 cmd_what());
		for (i = 0; i < nids; i++)
			if (idlist_add(&b->ids, ids[i], strlen(ids[i]), err,
				       sizeof(err)))
				return usage_err("'%s': %s", ids[i], err);
		return 0;
	}
	f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f) {
		err_msg("%s: %s", name, strerror(errno));
		return EXIT_ERR;
	}
	ret = idlist_read(&b->ids, f, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (ret) {
		err_msg("%s: %s", strcmp(name, "-") ? name : "standard input", err);
		return EXIT_ERR;
	}
	if (!b->ids.n) {
		err_msg("%s: no device IDs in it",
			strcmp(name, "-") ? name : "standard input");
		return EXIT_ERR;
	}
	return 0;
}

/*
 * auth ID... | command ID... payload P, or one ID from '-' or file FILE:
 * the words before the first keyword are IDs. command ID PAYLOAD (no
 * payload keyword) is one device, as before.
 */
static int txn_main(struct txn *t, int argc, char **argv)
{
	struct kw kws[] = {
		[K_READER] = KW("reader", KW_ARG),
		[K_POLICY] = KW("policy", KW_ARG),
		[K_TIMEOUT] = KW("timeout", KW_ARG),
		[K_WINDOW] = KW("window", KW_ARG),
		[K_FIXED] = KW("fixed", KW_FLAG),
		[K_FILE] = KW("file", KW_ARG),
		[K_HEX] = KW("hex", KW_FLAG),
		[K_TEXT] = KW("text", KW_FLAG),
		[K_DEST] = KW("dest", KW_ARG),
		[K_PAYLOAD] = KW("payload", KW_ARG),
		KW_END
	};
	char err[ARGS_ERR_MAX];
	struct txn_batch b = { .t = t };
	const char *payload = NULL;
	uint32_t wmax = WINDOW_DEFAULT;
	int i, npos = 0, ret;
	bool batch;

	if (t->type == AIOTSEC_CMD_AUTH)
		kws[K_HEX] = (struct kw)KW_END;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "payload"))
			break;
	batch = t->type == AIOTSEC_CMD_AUTH || i < argc;
	if (batch) {
		while (npos < argc && is_id_word(argv[npos], !npos) &&
		       strcmp(argv[0], "-"))
			npos++;
		if (!npos && argc && !strcmp(argv[0], "-"))
			npos = 1;
	} else {
		if (argc < 2)
			return usage_err("command: an ID and a PAYLOAD are required");
		npos = 2;
		payload = argv[1];
	}
	if (cmd_kw(kws, "keyword", argc - npos, argv + npos, &ret))
		return ret;
	if (kws[K_PAYLOAD].seen)
		payload = kws[K_PAYLOAD].val;
	t->policy = -1;
	if (t->type == AIOTSEC_CMD_COMMAND) {
		if (kws[K_HEX].seen && kws[K_TEXT].seen)
			return usage_err("command: hex and text exclude each other");
		t->plen = parse_payload(payload, kws[K_HEX].seen, t->payload,
					sizeof(t->payload), err, sizeof(err));
		if (t->plen < 0)
			return usage_err("command: %s", err);
	}
	if (kws[K_FIXED].seen && !kws[K_WINDOW].seen)
		return usage_err("%s: fixed goes with window N", cmd_what());
	if (kws[K_WINDOW].seen) {
		if (cmd_u32(&kws[K_WINDOW], 65536, &wmax))
			return EXIT_USAGE;
		if (!wmax)
			return cmd_invalid(&kws[K_WINDOW], "at least 1");
	}
	ret = txn_values(t, kws);
	if (ret)
		return ret;
	/* One device named on the command line: one request, as always. */
	if (!batch || (npos == 1 && strcmp(argv[0], "-") &&
		       !kws[K_FILE].seen && !kws[K_WINDOW].seen)) {
		if (npos < 1)
			return usage_err("%s: an ID is required", cmd_what());
		if (cmd_id(argv[0], t->id))
			return EXIT_USAGE;
		return run(t);
	}
	ret = batch_ids(&b, npos, argv, &kws[K_FILE]);
	if (!ret) {
		window_init(&b.w, wmax, kws[K_FIXED].seen);
		ret = run_batch(&b);
	}
	idlist_free(&b.ids);
	free(b.out);
	free(b.skip);
	return ret;
}

int cmd_auth(int argc, char **argv)
{
	struct txn *t;
	int ret;

	if (argc < 1)
		return usage_err("auth: an ID is required");
	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_ERR;
	t->type = AIOTSEC_CMD_AUTH;
	ret = txn_main(t, argc, argv);
	free(t);
	return ret;
}

int cmd_command(int argc, char **argv)
{
	struct txn *t;
	int ret;

	if (argc < 2)
		return usage_err("command: an ID and a PAYLOAD are required");
	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_ERR;
	t->type = AIOTSEC_CMD_COMMAND;
	ret = txn_main(t, argc, argv);
	free(t);
	return ret;
}
