// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The module's extack messages in aiotctl's words (see nlerr.h). */
#include <stdio.h>
#include <string.h>

#include "nlerr.h"

/*
 * The module's extack messages name uapi attributes; the operator typed
 * CLI words. Whole phrases first, then each AIOTSEC_ token on its own.
 */
static const struct {
	const char *from, *to;
} anl_phrases[] = {
	{ "aiotsec: ", "" },
	{ "AIOTSEC_A_IFINDEX: interface is not a reader", "interface not bound as a reader" },
	{ "AIOTSEC_A_IFINDEX: interface is already a reader", "interface already bound as a reader" },
	{ "AIOTSEC_A_IFINDEX/AIOTSEC_A_IFNAME: no such interface", "no such interface" },
	{ "AIOTSEC_A_IFINDEX: not an Ethernet interface", "not an Ethernet interface" },
	{ "(AIOTSEC_F_REPLACE replaces it)", "(use 'load FILE replace' or 'device replace')" },
}, anl_tokens[] = {
	{ "AIOTSEC_DEV_A_ID", "ID" },
	{ "AIOTSEC_A_DEV_ID", "ID" },
	{ "AIOTSEC_DEV_A_KEY", "key" },
	{ "AIOTSEC_DEV_A_POLICY", "policy" },
	{ "AIOTSEC_DEV_A_MIN_POLICY", "min" },
	{ "AIOTSEC_A_POLICY", "policy" },
	{ "AIOTSEC_A_PAYLOAD", "payload" },
	{ "AIOTSEC_A_DEST_MAC", "dest" },
	{ "AIOTSEC_A_DEVICES", "devices" },
	{ "AIOTSEC_A_IFINDEX", "reader" },
	{ "AIOTSEC_A_IFNAME", "interface" },
	{ "AIOTSEC_A_TIMEOUT_MS", "timeout" },
	{ "AIOTSEC_A_MAX_DEVICES", "max-devices" },
	{ "AIOTSEC_A_MAX_PENDING", "max-pending" },
	{ "AIOTSEC_A_MAX_REJECTS", "max-rejects" },
	{ "AIOTSEC_A_MIN_GROUP", "min-group" },
	{ "AIOTSEC_A_MAX_ROUNDS", "max-rounds" },
	{ "AIOTSEC_DEV_A_GROUP", "group" },
	{ "AIOTSEC_A_FILTER", "filter" },
	{ "AIOTSEC_MAX_DEVICES_DEFAULT", "its default" },
	{ "AIOTSEC_MAX_PENDING_DEFAULT", "its default" },
	{ "AIOTSEC_MAX_REJECTS_DEFAULT", "its default" },
	{ "AIOTSEC_MIN_GROUP_DEFAULT", "its default" },
	{ "AIOTSEC_MAX_ROUNDS_DEFAULT", "its default" },
	{ "AIOTSEC_LIM_A_BATCH", "the module's batch limit" },
};

void anl_words(char *msg, size_t size)
{
	char out[ANL_EXTACK_MAX];
	size_t i, o = 0, n, k, len;
	const char *p = msg;

	while (*p && o + 1 < sizeof(out)) {
		for (k = 0; k < sizeof(anl_phrases) / sizeof(anl_phrases[0]); k++) {
			n = strlen(anl_phrases[k].from);
			if (!strncmp(p, anl_phrases[k].from, n))
				break;
		}
		if (k < sizeof(anl_phrases) / sizeof(anl_phrases[0])) {
			len = strlen(anl_phrases[k].to);
			if (o + len >= sizeof(out))
				break;
			memcpy(out + o, anl_phrases[k].to, len);
			o += len;
			p += n;
			continue;
		}
		if (!strncmp(p, "AIOTSEC_", 8)) {
			for (n = 8; (p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_'; n++)
				;
			for (i = 0; i < sizeof(anl_tokens) / sizeof(anl_tokens[0]); i++)
				if (strlen(anl_tokens[i].from) == n &&
				    !strncmp(p, anl_tokens[i].from, n))
					break;
			if (i < sizeof(anl_tokens) / sizeof(anl_tokens[0])) {
				len = strlen(anl_tokens[i].to);
				if (o + len >= sizeof(out))
					break;
				memcpy(out + o, anl_tokens[i].to, len);
				o += len;
				p += n;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	snprintf(msg, size, "%s", out);
}
