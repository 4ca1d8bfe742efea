// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl inventory: which devices are here? One inventory round
 * (AIOTSEC_CMD_INVENTORY, profile v1.1): a line per device as it is
 * found, then the round's summary. The module sends the round's events to
 * the socket that asked (after the reply that carries the cookie), so the
 * socket joins no group.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
#include "hex.h"
#include "nl.h"
#include "nlerr.h"
#include "out.h"

#define GRACE_MS	3000	/* after the window, for the summary */

struct inv {
	bool have_cookie, done;
	uint64_t cookie;
	uint32_t candidates;
	uint32_t sum[5];	/* candidates, found, unknown, failed, replays */
	uint8_t end;
	bool failed;		/* writing the output failed */
};

static const char *const end_names[] = {
	[AIOTSEC_INV_END_WINDOW] = "window",
	[AIOTSEC_INV_END_STOP] = "stop",
	[AIOTSEC_INV_END_ALL] = "all",
	[AIOTSEC_INV_END_CANCELLED] = "cancelled",
};

static int reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct inv *v = arg;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE])
		return -EBADMSG;
	v->cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	v->candidates = tb[AIOTSEC_A_CANDIDATES] ?
			nla_get_u32(tb[AIOTSEC_A_CANDIDATES]) : 0;
	v->have_cookie = true;
	return 0;
}

static void on_found(struct inv *v, struct nlattr **tb)
{
	struct nlattr *cap = tb[AIOTSEC_A_CAP];

	if (!tb[AIOTSEC_A_DEV_ID] || nla_len(tb[AIOTSEC_A_DEV_ID]) != AIOTSEC_ID_LEN)
		return;
	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "found");
	print_hex(PRINT_ANY, "id", "found %s", nla_data(tb[AIOTSEC_A_DEV_ID]),
		  AIOTSEC_ID_LEN);
	if (cap)
		print_hex(PRINT_ANY, "cap", " cap %s", nla_data(cap), nla_len(cap));
	if (tb[AIOTSEC_A_REJECTS])
		print_u64(PRINT_ANY, "rejects", " rejects %" PRIu64,
			  nla_get_u32(tb[AIOTSEC_A_REJECTS]));
	close_obj(PRINT_JSON);
	print_nl(PRINT_ANY);
	if (fflush(stdout))
		v->failed = true;
}

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	static const uint16_t attrs[5] = {
		AIOTSEC_A_CANDIDATES, AIOTSEC_A_FOUND, AIOTSEC_A_UNKNOWN_RIDS,
		AIOTSEC_A_FAILED_MACS, AIOTSEC_A_REPLAYS,
	};
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct inv *v = arg;
	size_t i;

	if (v->done || !v->have_cookie || anl_parse(nlh, tb, AIOTSEC_A_MAX) ||
	    !tb[AIOTSEC_A_COOKIE] ||
	    nla_get_u64(tb[AIOTSEC_A_COOKIE]) != v->cookie)
		return;
	if (gh->cmd == AIOTSEC_CMD_EVENT_INV_FOUND) {
		on_found(v, tb);
		return;
	}
	if (gh->cmd != AIOTSEC_CMD_EVENT_INV_DONE)
		return;
	for (i = 0; i < 5; i++)
		v->sum[i] = tb[attrs[i]] ? nla_get_u32(tb[attrs[i]]) : 0;
	v->end = tb[AIOTSEC_A_INV_END] ? nla_get_u32(tb[AIOTSEC_A_INV_END]) : 0;
	v->done = true;
}

static void print_summary(const struct inv *v)
{
	static const char *const names[5] = {
		"candidates", "found", "unknown_rids", "failed_macs", "replays",
	};
	char fmt[32];
	size_t i;

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "done");
	for (i = 0; i < 5; i++) {
		snprintf(fmt, sizeof(fmt), "%s%s %%" PRIu64, i ? " " : "", names[i]);
		print_u64(PRINT_ANY, names[i], fmt, v->sum[i]);
	}
	print_str(PRINT_ANY, "end", " end %s",
		  v->end < sizeof(end_names) / sizeof(end_names[0]) &&
		  end_names[v->end] ? end_names[v->end] : "?");
	close_obj(PRINT_JSON);
	print_nl(PRINT_ANY);
}

/* "HEX/BITS" or "HEX" (every bit of it) into @filter and @fbits. */
static int parse_filter(const struct kw *k, uint8_t *filter, uint8_t *fbits)
{
	const char *s = k->val, *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t bits;
	long n;

	n = hex_decode(s, hlen, filter, 8);
	if (n < 0)
		return cmd_invalid(k, hex_strerror(n));
	bits = (uint32_t)n * 8;
	if (slash) {
		char err[ARGS_ERR_MAX];

		if (parse_u32(slash + 1, 64, &bits, err, sizeof(err)))
			return cmd_invalid(k, err);
		if ((bits + 7) / 8 != (uint32_t)n)
			return cmd_invalid(k, "BITS needs ceil(BITS/8) bytes of HEX");
		if (bits % 8 && (filter[n - 1] & (0xff >> (bits % 8))))
			return cmd_invalid(k, "a bit set past BITS");
	}
	*fbits = (uint8_t)bits;
	return 0;
}

int cmd_inventory(int argc, char **argv)
{
	enum { K_READER, K_FILTER, K_MAC, K_WINDOW, K_STOP };
	struct kw kws[] = { KW("reader", KW_ARG), KW("filter", KW_ARG),
			    KW("mac", KW_ARG), KW("window", KW_ARG),
			    KW("stop", KW_ARG), KW_END };
	uint32_t ifindex = 0, mac = 16, window = 5000, stop = 0, ms;
	uint8_t filter[8] = { 0 }, fbits = 0, ml;
	struct inv v = { 0 };
	struct nl_msg *msg;
	struct anl_limits lim;
	double deadline;
	struct anl a;
	int ret, left;

	if (cmd_kw(kws, "keyword", argc, argv, &ret))
		return ret;
	if (kws[K_READER].seen) {
		ifindex = if_nametoindex(kws[K_READER].val);
		if (!ifindex)
			return cmd_invalid(&kws[K_READER], "no such interface");
	}
	if (kws[K_FILTER].seen && parse_filter(&kws[K_FILTER], filter, &fbits))
		return EXIT_USAGE;
	if ((kws[K_MAC].seen && cmd_u32(&kws[K_MAC], 16, &mac)) ||
	    (kws[K_WINDOW].seen && cmd_u32(&kws[K_WINDOW], UINT32_MAX, &window)) ||
	    (kws[K_STOP].seen && cmd_u32(&kws[K_STOP], UINT32_MAX, &stop)))
		return EXIT_USAGE;
	if (mac != 4 && mac != 8 && mac != 16)
		return cmd_invalid(&kws[K_MAC], "4, 8 or 16");
	if (!window)
		return cmd_invalid(&kws[K_WINDOW], "at least 1 ms");
	ml = mac == 4 ? 0 : mac == 8 ? 1 : 2;

	if (ctl_open(&a, false))
		return EXIT_ERR;
	/* The longest window is the module's (AIOTSEC_LIM_A_TIMEOUT_MS). */
	ret = anl_limits(&a, &lim);
	if (ret) {
		anl_perror(&a, "inventory: reading the module's limits", ret);
		anl_close(&a);
		return EXIT_ERR;
	}
	if (lim.v[AIOTSEC_LIM_A_TIMEOUT_MS] &&
	    window > lim.v[AIOTSEC_LIM_A_TIMEOUT_MS]) {
		char why[64];

		anl_close(&a);
		snprintf(why, sizeof(why), "1 to %u ms, the module's limit",
			 (unsigned int)lim.v[AIOTSEC_LIM_A_TIMEOUT_MS]);
		return cmd_invalid(&kws[K_WINDOW], why);
	}
	a.on_event = on_event;
	a.event_arg = &v;
	msg = anl_msg(&a, AIOTSEC_CMD_INVENTORY, 0, 128);
	if (!msg ||
	    nla_put_u8(msg, AIOTSEC_A_POLICY, ml << AIOTSEC_POL_ML_SHIFT) ||
	    (ifindex && nla_put_u32(msg, AIOTSEC_A_IFINDEX, ifindex)) ||
	    (fbits && (nla_put_u32(msg, AIOTSEC_A_FBITS, fbits) ||
		       nla_put(msg, AIOTSEC_A_FILTER, (fbits + 7) / 8, filter))) ||
	    nla_put_u32(msg, AIOTSEC_A_TIMEOUT_MS, window) ||
	    (stop && nla_put_u32(msg, AIOTSEC_A_STOP_COUNT, stop))) {
		if (msg)
			nlmsg_free(msg);
		err_msg("out of memory");
		anl_close(&a);
		return EXIT_ERR;
	}
	ret = anl_request(&a, msg, reply_cb, &v);
	if (ret || !v.have_cookie) {
		if (ret)
			anl_perror(&a, "inventory", ret);
		else
			err_msg("inventory: the reply had no cookie");
		anl_close(&a);
		return EXIT_ERR;
	}
	ms = window;
	deadline = now_secs() + (ms + GRACE_MS) / 1000.0;
	while (!v.done && !v.failed) {
		left = (int)((deadline - now_secs()) * 1000);
		if (left <= 0)
			break;
		ret = anl_poll(&a, left);
		if (ret < 0) {
			err_msg("inventory: reading events: %s", strerror(-ret));
			break;
		}
	}
	anl_close(&a);
	if (v.failed) {
		err_msg("inventory: writing the output failed");
		return EXIT_ERR;
	}
	if (!v.done) {
		err_msg("inventory: no summary within %u ms%s", ms + GRACE_MS,
			a.overrun ? " (events were lost: receive buffer overrun)" : "");
		return EXIT_TIMEOUT;
	}
	print_summary(&v);
	return fflush(stdout) ? EXIT_ERR : EXIT_OK;
}
