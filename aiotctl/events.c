// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl's lines for result and timeout events (see events.h). */
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "aiotctl.h"
#include "args.h"
#include "event.h"
#include "events.h"
#include "policy.h"
#include "out.h"
#include "show.h"

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
