// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bench_overhead TSV: part B, the bytes each message type takes for every
 * valid policy, over its bare payload (CAP for AUTH_RESP, the command or
 * response payload for COMMAND and CMD_RESP, nothing for PAGING): the
 * message alone, and its Ethernet frame (14-byte header, padding to 60,
 * 4-byte FCS; preamble, SFD and inter-frame gap not counted). Lengths come
 * from codec.c, the same functions the builders use.
 */
#include <stdlib.h>
#include <stdio.h>

#include "codec.h"

#define ETH_HDR		14
#define ETH_MIN		60	/* header and payload, before the FCS */
#define ETH_FCS		4

static const u16 plens[] = { 0, 16, 100, 1024 };
static const u8 caplens[] = { 0, 16, 32 };
static FILE *tsv;

static size_t air(size_t msg)
{
	size_t f = ETH_HDR + msg;

	return (f < ETH_MIN ? ETH_MIN : f) + ETH_FCS;
}

static const char *fields(u8 p, bool payload)
{
	static char s[32];

	snprintf(s, sizeof(s), "%s%s%s ML%u",
		 (p & AIOTSEC_POL_IDP_MASK) == AIOTSEC_POL_IDP_TID ? "TID" :
								       "ENC",
		 !payload ? "" : p & AIOTSEC_POL_PC ? " PC" : "   ",
		 !payload ? "" : p & AIOTSEC_POL_PI ? " PI" : " MI",
		 aiot_mac_len(p));
	return s;
}

/* One cell and its two TSV lines: overhead on the air and in the message. */
static void cell(const char *stem, size_t msg, size_t payload)
{
	printf("  %4zu/%4zu", msg - payload, air(msg) - payload);
	fprintf(tsv, "overhead_%s\t%zu\t-\tmet\n", stem, air(msg) - payload);
	fprintf(tsv, "overhead_msg_%s\t%zu\t-\tmet\n", stem, msg - payload);
}

static void auth_types(void)
{
	unsigned int p, i;
	char stem[64];

	printf("\nPAGING (no payload) and AUTH_RESP (payload CAP): "
	       "overhead msg/air\n%-6s %-10s %10s", "policy", "fields",
	       "PAGING");
	for (i = 0; i < ARRAY_SIZE(caplens); i++)
		printf("  AR CAP=%-2u", caplens[i]);
	printf("\n");
	for (p = 0; p < 0x80; p++) {
		if (aiot_policy_check(p, AIOT_MSG_PAGING))
			continue;
		printf("p%02x    %-10s", p, fields(p, false));
		snprintf(stem, sizeof(stem), "PAGING_p%02x", p);
		cell(stem, aiot_paging_len(), 0);
		for (i = 0; i < ARRAY_SIZE(caplens); i++) {
			snprintf(stem, sizeof(stem), "AUTH_RESP_p%02x_cap%u",
				 p, caplens[i]);
			cell(stem, aiot_auth_resp_len(p, caplens[i]),
			     caplens[i]);
		}
		printf("\n");
	}
}

static void payload_type(u8 type, const char *tname)
{
	unsigned int p, i;
	char stem[64];
	size_t len;

	printf("\n%s: overhead msg/air over the payload\n%-6s %-16s", tname,
	       "policy", "fields");
	for (i = 0; i < ARRAY_SIZE(plens); i++)
		printf("  P=%-7u", plens[i]);
	printf("\n");
	for (p = 0; p < 0x80; p++) {
		if (aiot_policy_check(p, type))
			continue;
		printf("p%02x    %-16s", p, fields(p, true));
		for (i = 0; i < ARRAY_SIZE(plens); i++) {
			len = type == AIOT_MSG_COMMAND ?
			      aiot_command_len(p, plens[i]) :
			      aiot_cmd_resp_len(p, plens[i]);
			snprintf(stem, sizeof(stem), "%s_p%02x_plen%u", tname,
				 p, plens[i]);
			cell(stem, len, plens[i]);
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s TSV\n", argv[0]);
		return EXIT_FAILURE;
	}
	tsv = fopen(argv[1], "w");
	if (!tsv) {
		perror(argv[1]);
		return EXIT_FAILURE;
	}
	printf("\nB. Message overhead in bytes over the bare payload "
	       "(codec.c lengths)\n"
	       "  msg: the message alone; air: its Ethernet frame, "
	       "max(14 + msg, 60) + 4 FCS\n"
	       "  (preamble, SFD and inter-frame gap, 20 more, not counted). "
	       "Each cell: msg/air.\n"
	       "  PAGING and AUTH_RESP carry only the IDP and ML of a "
	       "policy: the 24 policies\n"
	       "  map to these 6. Overheads depend on the MAC length (ML) "
	       "only.\n");
	auth_types();
	payload_type(AIOT_MSG_COMMAND, "COMMAND");
	payload_type(AIOT_MSG_CMD_RESP, "CMD_RESP");
	return fclose(tsv) ? EXIT_FAILURE : EXIT_SUCCESS;
}
