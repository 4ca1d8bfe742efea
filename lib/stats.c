// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The namespace's counters and their names (see stats.h). */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "stats.h"

const char *const aiot_stat_names[AIOTSEC_STAT_MAX + 1] = {
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

const char *const aiot_drop_names[AIOTSEC_DROP_MAX + 1] = {
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
	struct nlattr *dr[AIOTSEC_DROPS_A_MAX + 1];
	struct aiot_stats *s = arg;
	int i;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_STATS] ||
	    nla_parse_nested(st, AIOTSEC_STAT_MAX, tb[AIOTSEC_A_STATS], NULL))
		return -EBADMSG;
	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (aiot_stat_names[i] && st[i])
			s->ctr[i] = nla_get_u64(st[i]);
	if (st[AIOTSEC_STAT_DROPS] &&
	    !nla_parse_nested(dr, AIOTSEC_DROPS_A_MAX, st[AIOTSEC_STAT_DROPS],
			      NULL)) {
		s->has_drops = true;
		for (i = 1; i <= AIOTSEC_DROP_MAX; i++)
			if (dr[AIOTSEC_DROPS_A_REASON(i)])
				s->drops[i] = nla_get_u64(dr[AIOTSEC_DROPS_A_REASON(i)]);
	}
	return 0;
}

int stats_get(struct anl *a, struct aiot_stats *s)
{
	struct nl_msg *msg;

	memset(s, 0, sizeof(*s));
	msg = anl_msg(a, AIOTSEC_CMD_GET_STATS, 0, 0);
	return msg ? anl_request(a, msg, stats_cb, s) : -ENOMEM;
}
