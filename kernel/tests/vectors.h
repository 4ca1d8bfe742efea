/* SPDX-License-Identifier: GPL-2.0 */
/* Known answers, generated from ../shared/vectors by scripts/rsp2c.py. */
#ifndef _AIOT_TEST_VECTORS_H
#define _AIOT_TEST_VECTORS_H

#include <linux/types.h>

struct aiot_prim_vec {
	const char *alg;	/* HMAC_SHA256, AES128_CMAC, AES128_CTR, NIA2 */
	const u8 *key;
	size_t keylen;
	const u8 *msg;
	size_t msglen;
	const u8 *iv;
	size_t ivlen;
	const u8 *out;
	size_t outlen;
	u32 count;		/* NIA2 only */
	u8 bearer;
	u8 dir;
};

struct aiot_profile_vec {
	const u8 *k;
	size_t klen;
	const u8 *id;
	size_t idlen;
	const u8 *nn;
	size_t nnlen;
	const u8 *dn;
	size_t dnlen;
	const u8 *nn2;
	size_t nn2len;
	const u8 *dn2;
	size_t dn2len;
	u8 policy;
	const u8 *payload;
	size_t payloadlen;
	const u8 *resp_payload;
	size_t resp_payloadlen;
	const u8 *cap;
	size_t caplen;
	const u8 *paging;
	size_t paginglen;
	const u8 *auth_resp;
	size_t auth_resplen;
	const u8 *command;
	size_t commandlen;
	const u8 *cmd_resp;
	size_t cmd_resplen;
};

/* profile-v1.1-inventory.rsp: RID and INV_RESP are empty without MATCH. */
struct aiot_inv_vec {
	const u8 *k;
	size_t klen;
	const u8 *id;
	size_t idlen;
	const u8 *group;
	size_t grouplen;
	const u8 *nn;
	size_t nnlen;
	const u8 *dn;
	size_t dnlen;
	u8 policy;
	u8 fbits;
	const u8 *filter;
	size_t filterlen;
	const u8 *cap;
	size_t caplen;
	const u8 *inventory;
	size_t inventorylen;
	u8 match;
	const u8 *rid;
	size_t ridlen;
	const u8 *inv_resp;
	size_t inv_resplen;
};

extern const struct aiot_prim_vec aiot_prim_vecs[];
extern const size_t aiot_n_prim_vecs;
extern const struct aiot_profile_vec aiot_profile_vecs[];
extern const size_t aiot_n_profile_vecs;
extern const struct aiot_inv_vec aiot_inv_vecs[];
extern const size_t aiot_n_inv_vecs;

#endif /* _AIOT_TEST_VECTORS_H */
