// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl stats [device ID]: the namespace's or one device's counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "devices.h"
#include "args.h"
#include "nl.h"
#include "out.h"
#include "show.h"

static const char *const ctr_names[AIOTSEC_STAT_MAX + 1] = {
	[AIOTSEC_STAT_RX_FRAMES] = "rx_frames",
	[AIOTSEC_STAT_TX_FRAMES] = "tx_frames",
	[AIOTSEC_STAT_AUTH_OK] = "auth_ok",
	[AIOTSEC_STAT_AUTH_FAIL] = "auth_fail",
	[AIOTSEC_STAT_CMD_OK] = "cmd_ok",
	[AIOTSEC_STAT_CMD_FAIL] = "cmd_fail",
	[AIOTSEC_STAT_TIMEOUTS] = "timeouts",
	[AIOTSEC_STAT_EVENTS_LOST] = "events_lost",
	[AIOTSEC_STAT_RESULTS_LOST] = "results_lost",
	[AIOTSEC_STAT_RESULTS_ORPHANED] = "results_orphaned",
	[AIOTSEC_STAT_INV_ROUNDS] = "inv_rounds",
	[AIOTSEC_STAT_INV_FOUND] = "inv_found",
	[AIOTSEC_STAT_INV_FAIL] = "inv_fail",
};

static const char *const drop_names[AIOTSEC_DROP_MAX + 1] = {
	[AIOTSEC_DROP_SHORT] = "short",
	[AIOTSEC_DROP_VERSION] = "version",
	[AIOTSEC_DROP_SUITE] = "suite",
	[AIOTSEC_DROP_TYPE] = "type",
	[AIOTSEC_DROP_POLICY] = "policy",
	[AIOTSEC_DROP_PLEN] = "plen",
	[AIOTSEC_DROP_CAPLEN] = "caplen",
	[AIOTSEC_DROP_TRAILING] = "trailing",
	[AIOTSEC_DROP_UNKNOWN_CT] = "unknown_ct",
	[AIOTSEC_DROP_MAC] = "mac",
	[AIOTSEC_DROP_ID] = "id",
	[AIOTSEC_DROP_DOWNGRADE] = "downgrade",
	[AIOTSEC_DROP_NO_READER] = "no_reader",
	[AIOTSEC_DROP_NO_DEVICE] = "no_device",
	[AIOTSEC_DROP_NOT_RESPONSE] = "not_response",
	[AIOTSEC_DROP_OTHERHOST] = "otherhost",
	[AIOTSEC_DROP_FILTER] = "filter",
	[AIOTSEC_DROP_UNKNOWN_RID] = "unknown_rid",
	[AIOTSEC_DROP_REPLAY] = "replay",
};

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *st[AIOTSEC_STAT_MAX + 1];
	struct nlattr *dr[AIOTSEC_DROP_MAX + 1];
	int i;

	(void)arg;
	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_STATS] ||
	    nla_parse_nested(st, AIOTSEC_STAT_MAX, tb[AIOTSEC_A_STATS], NULL))
		return -EBADMSG;
	open_obj(PRINT_JSON, NULL, NULL);
	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (ctr_names[i])
			print_u64_line(PRINT_ANY, "", 14, ctr_names[i],
				       st[i] ? nla_get_u64(st[i]) : 0);
	if (st[AIOTSEC_STAT_DROPS] &&
	    !nla_parse_nested(dr, AIOTSEC_DROP_MAX, st[AIOTSEC_STAT_DROPS],
			      NULL)) {
		open_obj(PRINT_ANY, "drops", "drops:\n");
		for (i = 1; i <= AIOTSEC_DROP_MAX; i++)
			print_u64_line(PRINT_ANY, "  ", 14,
				       drop_names[i] ? drop_names[i] : "?",
				       dr[i] ? nla_get_u64(dr[i]) : 0);
		close_obj(PRINT_JSON);
	}
	close_obj(PRINT_JSON);
	return 0;
}

static int device_stats(struct anl *a, const uint8_t *id)
{
	struct dev_info d;
	int ret, i;

	ret = dev_get(a, id, &d);
	if (ret == -ENOENT) {
		err_msg("no such device ID %s", show_id(id));
		return EXIT_ERR;
	}
	if (ret) {
		anl_perror(a, "stats", ret);
		return EXIT_ERR;
	}
	open_obj(PRINT_JSON, NULL, NULL);
	print_hex(PRINT_ANY, "id", "device %s\n", d.id, AIOTSEC_ID_LEN);
	for (i = 0; i < DS_NUM; i++)
		print_u64_line(PRINT_ANY, "  ", 14, dev_stat_names[i],
			       d.stats[i]);
	close_obj(PRINT_JSON);
	return EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	struct kw kws[] = { KW("device", KW_ARG), KW_END };
	uint8_t id[AIOTSEC_ID_LEN];
	struct nl_msg *msg;
	struct anl a;
	int ret;

	if (cmd_kw(kws, "keyword", argc, argv, &ret))
		return ret;
	if (kws[0].seen && cmd_id(kws[0].val, id))
		return EXIT_USAGE;
	if (anl_open(&a, false))
		return EXIT_ERR;
	if (kws[0].seen) {
		ret = device_stats(&a, id);
		anl_close(&a);
		return ret;
	}
	msg = anl_msg(&a, AIOTSEC_CMD_GET_STATS, 0, 0);
	ret = msg ? anl_request(&a, msg, stats_cb, NULL) : -ENOMEM;
	if (ret)
		anl_perror(&a, "stats", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
