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
#include "json.h"
#include "lib/hex.h"
#include "lib/policy.h"
#include "nl.h"
#include "show.h"

int event_parse(const struct nlmsghdr *nlh, struct event *ev)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[AIOTSEC_A_MAX + 1], *data;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -1;
	if (g->cmd != AIOTSEC_CMD_EVENT_AUTH &&
	    g->cmd != AIOTSEC_CMD_EVENT_COMMAND &&
	    g->cmd != AIOTSEC_CMD_EVENT_TIMEOUT)
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
	default:
		return "timeout";
	}
}

static void print_json(const struct event *ev)
{
	char pol[POLICY_BUF_LEN], ifn[IF_NAMESIZE + 1];
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "event", event_name(ev->cmd));
	json_u64(&j, "cookie", ev->cookie);
	json_hex(&j, "id", ev->id, AIOTSEC_ID_LEN);
	if (ev->has_ifindex) {
		json_u64(&j, "ifindex", ev->ifindex);
		json_str(&j, "reader", show_ifname(ev->ifindex, ifn));
	}
	if (ev->has_policy) {
		policy_format(ev->policy, pol, sizeof(pol));
		json_str(&j, "policy", pol);
	}
	switch (ev->cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		json_hex(&j, "cap", ev->data, ev->len);
		break;
	case AIOTSEC_CMD_EVENT_COMMAND:
		json_hex(&j, "payload", ev->data, ev->len);
		if (is_printable(ev->data, ev->len))
			json_strn(&j, "text", (const char *)ev->data, ev->len);
		break;
	default:
		json_str(&j, "txn", ev->txn_type == AIOTSEC_CMD_AUTH ?
			 "auth" : "command");
		json_u64(&j, "rejects", ev->rejects);
	}
	json_obj_end(&j);
	json_end(&j);
}

static void print_hex(const uint8_t *p, size_t len)
{
	char buf[2 * 64 + 1];
	size_t n;

	if (!len)
		fputs("-", stdout);
	while (len) {
		n = len < 64 ? len : 64;
		hex_encode(p, n, buf);
		fputs(buf, stdout);
		p += n;
		len -= n;
	}
}

void event_print(const struct event *ev)
{
	char pol[POLICY_BUF_LEN], ifn[IF_NAMESIZE + 1];

	if (opt_json) {
		print_json(ev);
		return;
	}
	printf("%s cookie %" PRIu64 " id %s", event_name(ev->cmd), ev->cookie,
	       show_id(ev->id));
	if (ev->has_ifindex)
		printf(" reader %s", show_ifname(ev->ifindex, ifn));
	if (ev->has_policy) {
		policy_format(ev->policy, pol, sizeof(pol));
		printf(" policy %s", pol);
	}
	switch (ev->cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		fputs(" cap ", stdout);
		print_hex(ev->data, ev->len);
		break;
	case AIOTSEC_CMD_EVENT_COMMAND:
		fputs(" payload ", stdout);
		print_hex(ev->data, ev->len);
		if (is_printable(ev->data, ev->len))
			printf(" text \"%.*s\"", (int)ev->len, ev->data);
		break;
	default:
		printf(" txn %s rejects %u",
		       ev->txn_type == AIOTSEC_CMD_AUTH ? "auth" : "command",
		       ev->rejects);
	}
	putchar('\n');
}
