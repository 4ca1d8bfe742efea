/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Frame codec of profile v1: layout and validity rules, no cryptography.
 * Shared by the kernel module and the user-space reference.
 */
#ifndef _AIOT_CODEC_H
#define _AIOT_CODEC_H

#include "compat.h"

/* Largest message: COMMAND with PLEN 1024 and a 16-byte MAC. */
#define AIOT_MSG_MAX (AIOT_HDR_LEN + AIOT_NONCE_LEN + AIOT_PID_LEN + \
		      2 + AIOTSEC_PLEN_MAX + AIOT_MAC_MAX)

/* A parsed message: pointers into the caller's buffer, never copies. */
struct aiot_msg {
	u8 type;		/* enum aiot_msg_type */
	u8 policy;
	u8 maclen;		/* from the policy's ML field */
	u8 caplen;		/* AUTH_RESP, INV_RESP */
	u8 fbits;		/* INVENTORY: filter bits, 0..64 */
	u16 plen;		/* COMMAND, CMD_RESP */
	u16 len;		/* message length, MAC included */
	const u8 *hdr;		/* start of the message */
	const u8 *nn;		/* PAGING, COMMAND, INVENTORY */
	const u8 *ct;		/* AUTH_RESP, CMD_RESP, INV_RESP */
	const u8 *dn;		/* AUTH_RESP, CMD_RESP, INV_RESP */
	const u8 *pid;		/* PAGING, AUTH_RESP (PID*), COMMAND */
	const u8 *cap;		/* AUTH_RESP, INV_RESP */
	const u8 *filter;	/* INVENTORY: ceil(fbits / 8) bytes */
	const u8 *rid;		/* INV_RESP: AIOT_RID_LEN bytes */
	const u8 *plen_p;	/* COMMAND, CMD_RESP: PLEN then SP */
	const u8 *sp;		/* COMMAND, CMD_RESP */
	const u8 *mac;		/* all but PAGING and INVENTORY */
};

/*
 * The policy rules. @kind is a message type (enum aiot_msg_type) or
 * AIOT_POLICY_MINIMUM, a device's weakest acceptable answer, which ranks
 * only PC, MI and ML. aiot_policy_why() says in words why @policy is not
 * valid for @kind, or returns NULL.
 */
#define AIOT_POLICY_MINIMUM	0
unsigned int aiot_mac_len(u8 policy);
const char *aiot_policy_why(u8 policy, u8 kind);
enum aiotsec_drop aiot_policy_check(u8 policy, u8 type);
bool aiot_min_policy_valid(u8 minimum);
bool aiot_policy_meets(u8 policy, u8 minimum, u8 type);
enum aiotsec_drop aiot_parse(const u8 *buf, size_t len, struct aiot_msg *m);

/* Lengths of the messages this profile defines, for building them. */
size_t aiot_paging_len(void);
size_t aiot_auth_resp_len(u8 policy, u8 caplen);
size_t aiot_command_len(u8 policy, u16 plen);
size_t aiot_cmd_resp_len(u8 policy, u16 plen);
size_t aiot_inventory_len(u8 fbits);
size_t aiot_inv_resp_len(u8 policy, u8 caplen);

/*
 * Inventory (v1.1). A filter of @fbits bits (0..64) is ceil(fbits / 8)
 * bytes whose bits past @fbits are 0: aiot_filter_valid() says whether
 * @filter is one. A device matches when the first @fbits bits of its
 * GROUP equal the filter's; every device matches fbits 0. Both are public
 * values: plain comparisons.
 */
static inline size_t aiot_filter_len(u8 fbits)
{
	return (fbits + 7) / 8;
}

bool aiot_filter_valid(u8 fbits, const u8 *filter);
bool aiot_group_match(const u8 group[AIOTSEC_GROUP_LEN], u8 fbits,
		      const u8 *filter);

static inline void aiot_put_hdr(u8 *p, u8 type, u8 policy)
{
	p[0] = AIOT_VERSION << 4 | type;
	p[1] = AIOT_SUITE_1;
	p[2] = policy;
}

#endif /* _AIOT_CODEC_H */
