// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Result and timeout events: parsing (see event.h). */
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "event.h"
#include "nl.h"

int event_parse(const struct nlmsghdr *nlh, struct event *ev)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *data;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -1;
	if (g->cmd != AIOTSEC_CMD_EVENT_AUTH &&
	    g->cmd != AIOTSEC_CMD_EVENT_COMMAND &&
	    g->cmd != AIOTSEC_CMD_EVENT_TIMEOUT &&
	    g->cmd != AIOTSEC_CMD_EVENT_REJECTED)
		return -1;
	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_COOKIE])
		return -1;
	memset(ev, 0, offsetof(struct event, data));
	ev->cmd = g->cmd;
	ev->cookie = nla_get_u64(tb[AIOTSEC_A_COOKIE]);
	if (tb[AIOTSEC_A_DEV_ID] &&
	    nla_len(tb[AIOTSEC_A_DEV_ID]) == AIOTSEC_ID_LEN)
		memcpy(ev->id, nla_data(tb[AIOTSEC_A_DEV_ID]), AIOTSEC_ID_LEN);
	if (tb[AIOTSEC_A_IFINDEX]) {
		ev->ifindex = nla_get_u32(tb[AIOTSEC_A_IFINDEX]);
		ev->has_ifindex = true;
	}
	if (tb[AIOTSEC_A_POLICY]) {
		ev->policy = nla_get_u8(tb[AIOTSEC_A_POLICY]);
		ev->has_policy = true;
	}
	if (tb[AIOTSEC_A_TXN_TYPE])
		ev->txn_type = nla_get_u8(tb[AIOTSEC_A_TXN_TYPE]);
	if (tb[AIOTSEC_A_REJECTS])
		ev->rejects = nla_get_u32(tb[AIOTSEC_A_REJECTS]);
	if (tb[AIOTSEC_A_SEQ]) {
		ev->seq = nla_get_u32(tb[AIOTSEC_A_SEQ]);
		ev->has_seq = true;
	}
	data = tb[AIOTSEC_A_PAYLOAD] ?: tb[AIOTSEC_A_CAP];
	if (data) {
		ev->len = (size_t)nla_len(data);
		if (ev->len > sizeof(ev->data))
			ev->len = sizeof(ev->data);
		memcpy(ev->data, nla_data(data), ev->len);
	}
	return 0;
}
