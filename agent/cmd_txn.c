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
#include "show.h"

#define GRACE_MS	3000	/* after the timeout, for the timeout event */
#define EARLY_MAX	64	/* events kept before the cookie is known */

static const char usage_auth[] =
"usage: aiotctl [-j] auth ID [reader DEV] [policy P] [timeout MS]\n"
"Page device ID and wait for its authentication; prints its capability.\n"
"policy: only ID protection (enc|tid) and mac= apply to a PAGING.\n"
"Exit status 3: no response in time; 4: responses failed verification.\n";

static const char usage_command[] =
"usage: aiotctl [-j] command ID PAYLOAD [hex|text] [policy P] [reader DEV]\n"
"                           [timeout MS] [dest MAC]\n"
"Send PAYLOAD (text by default, or hex) to device ID and print its\n"
"verified response. dest: unicast to MAC instead of broadcast.\n"
"Exit status 3: no response in time; 4: responses failed verification.\n";

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

	if (ev->cmd != AIOTSEC_CMD_EVENT_TIMEOUT) {
		event_print(ev);
		return EXIT_OK;
	}
	if (opt_json)
		event_print(ev);
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

/* The keywords both commands take. Returns 1 if @argv[*i] was one. */
static int common_kw(struct txn *t, int argc, char **argv, int *i,
		     const char *usage, int *ret)
{
	const char *kw = argv[*i], *val;
	char err[ARGS_ERR_MAX];
	uint8_t p;

	if (strcmp(kw, "reader") && strcmp(kw, "policy") &&
	    strcmp(kw, "timeout"))
		return 0;
	if (*i + 1 >= argc) {
		*ret = usage_err(usage, "%s needs a value", kw);
		return 1;
	}
	val = argv[++*i];
	if (!strcmp(kw, "reader")) {
		t->ifindex = if_nametoindex(val);
		if (!t->ifindex) {
			err_msg("reader %s: no such interface", val);
			*ret = EXIT_ERR;
		}
	} else if (!strcmp(kw, "timeout")) {
		if (parse_u32(val, UINT32_MAX, &t->timeout_ms, err,
			      sizeof(err)))
			*ret = usage_err(usage, "timeout: %s", err);
		else if (!t->timeout_ms)
			*ret = usage_err(usage, "timeout: at least 1 ms");
	} else if (t->type == AIOTSEC_CMD_AUTH) {
		if (policy_parse(val, POLICY_MINIMUM, &p, err, sizeof(err))) {
			*ret = usage_err(usage, "policy '%s': %s", val, err);
		} else if (!(p & AIOTSEC_POL_IDP_MASK) ||
			   p & ~AIOTSEC_POL_AUTH_MASK) {
			*ret = usage_err(usage,
					 "policy '%s': a PAGING takes enc or tid, and mac= only",
					 val);
		}
		t->policy = p;
	} else {
		if (policy_parse(val, POLICY_REQUEST, &p, err, sizeof(err)))
			*ret = usage_err(usage, "policy '%s': %s", val, err);
		t->policy = p;
	}
	return 1;
}

static int parse_id(const char *s, uint8_t *id, const char *usage)
{
	char err[ARGS_ERR_MAX];

	if (hex_parse_id(s, strlen(s), id, err, sizeof(err)))
		return usage_err(usage, "'%s': %s", s, err);
	return 0;
}

int cmd_auth(int argc, char **argv)
{
	struct txn *t;
	int i, ret = 0;

	if (wants_help(argc, argv))
		return help_out(usage_auth);
	if (!argc)
		return usage_err(usage_auth, "auth: an ID is required");
	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_ERR;
	t->type = AIOTSEC_CMD_AUTH;
	t->policy = -1;
	ret = parse_id(argv[0], t->id, usage_auth);
	for (i = 1; i < argc && !ret; i++) {
		if (is_help(argv[i])) {
			ret = help_out(usage_auth);
			break;
		}
		if (!common_kw(t, argc, argv, &i, usage_auth, &ret))
			ret = usage_err(usage_auth, "auth: unexpected '%s'",
					argv[i]);
	}
	if (!ret && i == argc)
		ret = run(t);
	free(t);
	return ret;
}

int cmd_command(int argc, char **argv)
{
	char err[ARGS_ERR_MAX];
	int i, ret = 0, hex = 0;
	struct txn *t;

	if (wants_help(argc, argv))
		return help_out(usage_command);
	if (argc < 2)
		return usage_err(usage_command,
				 "command: an ID and a PAYLOAD are required");
	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_ERR;
	t->type = AIOTSEC_CMD_COMMAND;
	t->policy = -1;
	ret = parse_id(argv[0], t->id, usage_command);
	i = 2;
	if (i < argc && (!strcmp(argv[i], "hex") || !strcmp(argv[i], "text")))
		hex = !strcmp(argv[i++], "hex");
	if (!ret) {
		t->plen = parse_payload(argv[1], hex, t->payload,
					sizeof(t->payload), err, sizeof(err));
		if (t->plen < 0)
			ret = usage_err(usage_command, "%s", err);
	}
	for (; i < argc && !ret; i++) {
		if (is_help(argv[i])) {
			ret = help_out(usage_command);
			break;
		}
		if (common_kw(t, argc, argv, &i, usage_command, &ret))
			continue;
		if (!strcmp(argv[i], "dest") && i + 1 < argc) {
			if (parse_mac(argv[++i], t->dest, err, sizeof(err)))
				ret = usage_err(usage_command, "dest %s", err);
			t->has_dest = true;
			continue;
		}
		ret = usage_err(usage_command, "command: unexpected '%s'",
				argv[i]);
	}
	if (!ret && i == argc)
		ret = run(t);
	free(t);
	return ret;
}
