/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Result and timeout events, of the events group or unicast: parsed. */
#ifndef _AIOTSEC_EVENT_H
#define _AIOTSEC_EVENT_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../uapi/linux/aiotsec.h"

struct event {
	uint8_t cmd;			/* AIOTSEC_CMD_EVENT_* */
	uint64_t cookie;
	uint8_t id[AIOTSEC_ID_LEN];
	uint32_t ifindex;
	uint8_t policy;
	uint8_t txn_type;		/* of a timeout */
	uint32_t rejects;
	uint32_t seq;			/* the request's nlmsg_seq (has_seq) */
	bool has_seq;
	bool has_ifindex;
	bool has_policy;
	size_t len;			/* of data: PAYLOAD or CAP */
	uint8_t data[AIOTSEC_PLEN_MAX];
};

/* 0 if @nlh is an event of the family (parsed into @ev), else -1. */
int event_parse(const struct nlmsghdr *nlh, struct event *ev);

#endif /* _AIOTSEC_EVENT_H */
