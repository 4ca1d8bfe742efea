// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Result and timeout events (see events.h). */
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "aiotctl.h"
#include "args.h"
#include "events.h"
#include "lib/policy.h"
#include "nl.h"
#include "out.h"
#include "show.h"

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
	data = tb[AIOTSEC_A_PAYLOAD] ?: tb[AIOTSEC_A_CAP];
	if (data) {
		ev->len = (size_t)nla_len(data);
		if (ev->len > sizeof(ev->data))
			ev->len = sizeof(ev->data);
		memcpy(ev->data, nla_data(data), ev->len);
	}
	return 0;
}

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		return "auth";
	case AIOTSEC_CMD_EVENT_COMMAND:
		return "command";
	case AIOTSEC_CMD_EVENT_REJECTED:
		return "rejected";
	default:
		return "timeout";
	}
}

void event_print(const struct event *ev, int type)
{
	char pol[POLICY_BUF_LEN], ifn[IF_NAMESIZE + 1];
	char text[AIOTSEC_PLEN_MAX + 1];

	open_obj(type & PRINT_JSON, NULL, NULL);
	print_str(type, "event", "%s", event_name(ev->cmd));
	print_u64(type, "cookie", " cookie %" PRIu64, ev->cookie);
	print_hex(type, "id", " id %s", ev->id, AIOTSEC_ID_LEN);
	if (ev->has_ifindex) {
		print_u64(type & PRINT_JSON, "ifindex", NULL, ev->ifindex);
		print_str(type, "reader", " reader %s",
			  show_ifname(ev->ifindex, ifn));
	}
	if (ev->has_policy) {
		policy_format(ev->policy, pol, sizeof(pol));
		print_str(type, "policy", " policy %s", pol);
	}
	switch (ev->cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		print_hex(type, "cap", " cap %s", ev->data, ev->len);
		break;
	case AIOTSEC_CMD_EVENT_COMMAND:
		print_hex(type, "payload", " payload %s", ev->data, ev->len);
		if (is_printable(ev->data, ev->len)) {
			memcpy(text, ev->data, ev->len);
			text[ev->len] = '\0';
			print_str(type, "text", " text \"%s\"", text);
		}
		break;
	default:
		print_str(type, "txn", " txn %s",
			  ev->txn_type == AIOTSEC_CMD_AUTH ? "auth" : "command");
		print_u64(type, "rejects", " rejects %" PRIu64, ev->rejects);
	}
	print_nl(type);
	close_obj(type & PRINT_JSON);
}
