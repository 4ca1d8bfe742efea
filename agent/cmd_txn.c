// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl auth | command: start a transaction and wait for its result.
 * The socket joins the events group before the request goes out, so a
 * quick answer cannot be missed; events that come before the cookie is
 * known are kept and matched afterwards.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
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

static struct nl_msg *build(struct anl *a, const struct txn *t)
{
	struct nl_msg *msg = anl_msg(a, t->type, 0, AIOTSEC_PLEN_MAX + 128);

	if (!msg)
		return NULL;
	if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, t->id) ||
	    (t->ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, t->ifindex)) ||
	    (t->policy >= 0 &&
	     nla_put_u8(msg, AIOTSEC_A_POLICY, (uint8_t)t->policy)) ||
	    (t->timeout_ms &&
	     nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, t->timeout_ms)) ||
	    (t->type == AIOTSEC_CMD_COMMAND &&
	     nla_put(msg, AIOTSEC_A_PAYLOAD, (int)t->plen, t->payload)) ||
	    (t->has_dest && nla_put(msg, AIOTSEC_A_DEST_MAC, 6, t->dest))) {
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

	if (anl_open(&a, true))
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

/* The keywords both commands take, and those of command only. */
enum { K_READER, K_POLICY, K_TIMEOUT, K_HEX, K_TEXT, K_DEST };

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

/* Parse @argc words after @npos positional ones, then run @t. */
static int txn_main(struct txn *t, int argc, char **argv, int npos)
{
	struct kw kws[] = {
		[K_READER] = KW("reader", KW_ARG),
		[K_POLICY] = KW("policy", KW_ARG),
		[K_TIMEOUT] = KW("timeout", KW_ARG),
		[K_HEX] = KW("hex", KW_FLAG),
		[K_TEXT] = KW("text", KW_FLAG),
		[K_DEST] = KW("dest", KW_ARG),
		KW_END
	};
	char err[ARGS_ERR_MAX];
	int ret;

	if (t->type == AIOTSEC_CMD_AUTH)
		kws[K_HEX] = (struct kw)KW_END;
	if (cmd_kw(kws, "keyword", argc - npos, argv + npos, &ret))
		return ret;
	t->policy = -1;
	if (cmd_id(argv[0], t->id))
		return EXIT_USAGE;
	if (t->type == AIOTSEC_CMD_COMMAND) {
		if (kws[K_HEX].seen && kws[K_TEXT].seen)
			return usage_err("command: hex and text exclude each other");
		t->plen = parse_payload(argv[1], kws[K_HEX].seen, t->payload,
					sizeof(t->payload), err, sizeof(err));
		if (t->plen < 0)
			return usage_err("command: %s", err);
	}
	ret = txn_values(t, kws);
	return ret ? ret : run(t);
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
	ret = txn_main(t, argc, argv, 1);
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
	ret = txn_main(t, argc, argv, 2);
	free(t);
	return ret;
}
