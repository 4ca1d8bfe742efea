// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl stats [device ID]: the namespace's or one device's counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "devices.h"
#include "json.h"
#include "lib/hex.h"
#include "nl.h"
#include "show.h"

static const char usage[] =
"usage: aiotctl [-j] stats [device ID]\n"
"The namespace's counters (frames, results, drops by reason), or one\n"
"device's.\n";

static const char *const ctr_names[AIOTSEC_STAT_MAX + 1] = {
	[AIOTSEC_STAT_RX_FRAMES] = "rx_frames",
	[AIOTSEC_STAT_TX_FRAMES] = "tx_frames",
	[AIOTSEC_STAT_AUTH_OK] = "auth_ok",
	[AIOTSEC_STAT_AUTH_FAIL] = "auth_fail",
	[AIOTSEC_STAT_CMD_OK] = "cmd_ok",
	[AIOTSEC_STAT_CMD_FAIL] = "cmd_fail",
	[AIOTSEC_STAT_TIMEOUTS] = "timeouts",
	[AIOTSEC_STAT_EVENTS_LOST] = "events_lost",
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
};

static void line(struct json *j, const char *indent, const char *name,
		 uint64_t v)
{
	if (opt_json)
		json_u64(j, name, v);
	else
		printf("%s%-14s %" PRIu64 "\n", indent, name, v);
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *st[AIOTSEC_STAT_MAX + 1];
	struct nlattr *dr[AIOTSEC_DROP_MAX + 1];
	struct json *j = arg;
	char name[16];
	int i;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_STATS] ||
	    nla_parse_nested(st, AIOTSEC_STAT_MAX, tb[AIOTSEC_A_STATS], NULL))
		return -EBADMSG;
	if (opt_json)
		json_obj_begin(j, NULL);
	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (ctr_names[i])
			line(j, "", ctr_names[i],
			     st[i] ? nla_get_u64(st[i]) : 0);
	if (st[AIOTSEC_STAT_DROPS] &&
	    !nla_parse_nested(dr, AIOTSEC_DROP_MAX, st[AIOTSEC_STAT_DROPS],
			      NULL)) {
		if (opt_json)
			json_obj_begin(j, "drops");
		else
			printf("drops:\n");
		for (i = 1; i <= AIOTSEC_DROP_MAX; i++) {
			snprintf(name, sizeof(name), "%s",
				 drop_names[i] ? drop_names[i] : "?");
			line(j, "  ", name, dr[i] ? nla_get_u64(dr[i]) : 0);
		}
		if (opt_json)
			json_obj_end(j);
	}
	if (opt_json) {
		json_obj_end(j);
		json_end(j);
	}
	return 0;
}

static int device_stats(struct anl *a, const char *arg)
{
	uint8_t id[AIOTSEC_ID_LEN];
	char err[128];
	struct dev_info d;
	struct json j;
	int ret, i;

	if (hex_parse_id(arg, strlen(arg), id, err, sizeof(err)))
		return usage_err(usage, "'%s': %s", arg, err);
	ret = dev_get(a, id, &d);
	if (ret == -ENOENT) {
		err_msg("no such device ID %s", show_id(id));
		return EXIT_ERR;
	}
	if (ret) {
		anl_perror(a, "stats", ret);
		return EXIT_ERR;
	}
	json_init(&j, stdout);
	if (opt_json) {
		json_obj_begin(&j, NULL);
		json_hex(&j, "id", d.id, AIOTSEC_ID_LEN);
	} else {
		printf("device %s\n", show_id(d.id));
	}
	for (i = 0; i < DS_NUM; i++)
		line(&j, "  ", dev_stat_names[i], d.stats[i]);
	if (opt_json) {
		json_obj_end(&j);
		json_end(&j);
	}
	return EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	struct nl_msg *msg;
	struct json j;
	struct anl a;
	int ret;

	if (wants_help(argc, argv))
		return help_out(usage);
	if (argc && (argc != 2 || strcmp(argv[0], "device")))
		return usage_err(usage, "stats: want nothing or 'device ID'");
	if (anl_open(&a, false))
		return EXIT_ERR;
	if (argc) {
		ret = device_stats(&a, argv[1]);
		anl_close(&a);
		return ret;
	}
	json_init(&j, stdout);
	msg = anl_msg(&a, AIOTSEC_CMD_GET_STATS, 0, 0);
	ret = msg ? anl_request(&a, msg, stats_cb, &j) : -ENOMEM;
	if (ret)
		anl_perror(&a, "stats", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
