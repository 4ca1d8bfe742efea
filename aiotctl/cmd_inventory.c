// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl inventory: which devices are here? One inventory round
 * (AIOTSEC_CMD_INVENTORY, profile v1.1) through the library's lib/inv.h:
 * a line per device as it is found, then the round's summary. The module
 * sends the round's events to the socket that asked (after the reply that
 * carries the cookie), so the socket joins no group.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "hex.h"
#include "inv.h"
#include "nl.h"
#include "nlerr.h"
#include "out.h"

#define GRACE_MS	3000	/* after the window, for the summary */

struct inv {
	struct inv_done sum;
	bool done;
	bool failed;		/* writing the output failed */
};

static const char *const end_names[] = {
	[AIOTSEC_INV_END_WINDOW] = "window",
	[AIOTSEC_INV_END_STOP] = "stop",
	[AIOTSEC_INV_END_ALL] = "all",
	[AIOTSEC_INV_END_CANCELLED] = "cancelled",
};

static void on_found(const struct inv_found *f, void *arg)
{
	struct inv *v = arg;

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "found");
	print_hex(PRINT_ANY, "id", "found %s", f->id, AIOTSEC_ID_LEN);
	if (f->caplen)
		print_hex(PRINT_ANY, "cap", " cap %s", f->cap, f->caplen);
	if (f->has_rejects)
		print_u64(PRINT_ANY, "rejects", " rejects %" PRIu64, f->rejects);
	close_obj(PRINT_JSON);
	print_nl(PRINT_ANY);
	if (fflush(stdout))
		v->failed = true;
}

static void on_done(const struct inv_done *d, void *arg)
{
	struct inv *v = arg;

	v->sum = *d;
	v->done = true;
}

static void print_summary(const struct inv_done *d)
{
	static const char *const names[5] = {
		"candidates", "found", "unknown_rids", "failed_macs", "replays",
	};
	const uint32_t sum[5] = { d->candidates, d->found, d->unknown_rids,
				  d->failed_macs, d->replays };
	char fmt[32];
	size_t i;

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "done");
	for (i = 0; i < 5; i++) {
		snprintf(fmt, sizeof(fmt), "%s%s %%" PRIu64, i ? " " : "", names[i]);
		print_u64(PRINT_ANY, names[i], fmt, sum[i]);
	}
	print_str(PRINT_ANY, "end", " end %s",
		  d->end < sizeof(end_names) / sizeof(end_names[0]) &&
		  end_names[d->end] ? end_names[d->end] : "?");
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
	uint32_t mac = 16, window = 5000;
	struct inv_spec sp = { 0 };
	struct inv_started st;
	struct inv v = { 0 };
	struct inv_conf c = { .grace_ms = GRACE_MS, .found = on_found,
			      .done = on_done, .arg = &v };
	struct inv_set *set;
	bool overrun;
	struct anl_limits lim;
	struct anl a;
	int ret;

	if (cmd_kw(kws, "keyword", argc, argv, &ret))
		return ret;
	if (kws[K_READER].seen) {
		sp.ifindex = if_nametoindex(kws[K_READER].val);
		if (!sp.ifindex)
			return cmd_invalid(&kws[K_READER], "no such interface");
	}
	if (kws[K_FILTER].seen &&
	    parse_filter(&kws[K_FILTER], sp.filter, &sp.fbits))
		return EXIT_USAGE;
	if ((kws[K_MAC].seen && cmd_u32(&kws[K_MAC], 16, &mac)) ||
	    (kws[K_WINDOW].seen && cmd_u32(&kws[K_WINDOW], UINT32_MAX, &window)) ||
	    (kws[K_STOP].seen && cmd_u32(&kws[K_STOP], UINT32_MAX, &sp.stop)))
		return EXIT_USAGE;
	if (mac != 4 && mac != 8 && mac != 16)
		return cmd_invalid(&kws[K_MAC], "4, 8 or 16");
	if (!window)
		return cmd_invalid(&kws[K_WINDOW], "at least 1 ms");
	sp.ml = mac == 4 ? 0 : mac == 8 ? 1 : 2;
	sp.window_ms = window;

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
	set = inv_new(&a, &c);
	if (!set) {
		err_msg("out of memory");
		anl_close(&a);
		return EXIT_ERR;
	}
	ret = inv_start(set, &sp, NULL, &st);
	if (ret) {
		if (ret == -EBADMSG && !a.last.err)
			err_msg("inventory: the reply had no cookie");
		else
			anl_perror(&a, "inventory", ret);
		inv_free(set);
		anl_close(&a);
		return EXIT_ERR;
	}
	/* the library ends the round as lost past its window and the grace */
	while (!v.done && !v.failed) {
		ret = inv_poll(set, -1, 64);
		if (ret < 0) {
			err_msg("inventory: reading events: %s", strerror(-ret));
			break;
		}
	}
	overrun = a.overrun;
	inv_free(set);
	anl_close(&a);
	if (v.failed) {
		err_msg("inventory: writing the output failed");
		return EXIT_ERR;
	}
	if (!v.done || v.sum.outcome != INV_SUMMARY) {
		err_msg("inventory: no summary within %u ms%s", window + GRACE_MS,
			overrun ? " (events were lost: receive buffer overrun)" : "");
		return EXIT_TIMEOUT;
	}
	print_summary(&v.sum);
	return fflush(stdout) ? EXIT_ERR : EXIT_OK;
}
