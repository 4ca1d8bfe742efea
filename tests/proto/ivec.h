/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Records of profile-v1.1-inventory.rsp (PROTOCOL.md "Inventory of unknown
 * devices (v1.1)"): inputs K, ID, GROUP, NN, DN, POLICY, FBITS, FILTER, CAP
 * and the outputs INVENTORY, MATCH, RID, INV_RESP (RID and INV_RESP empty
 * when the device does not match). A record is an inventory record when it
 * has a GROUP.
 */
#ifndef _AIOT_IVEC_H
#define _AIOT_IVEC_H

#include "proto.h"
#include "rsp.h"

enum iv_out { IV_INVENTORY, IV_MATCH, IV_RID, IV_INV_RESP, IV_NOUT };

extern const char *const iv_out_name[IV_NOUT];

struct ivec {
	unsigned int lineno;
	const char *count;		/* COUNT as written */
	const u8 *k, *id, *group, *nn, *dn, *filter, *cap;
	size_t klen, flen, caplen;
	u8 policy, fbits;
	const u8 *out[IV_NOUT];		/* from the file; NULL if absent */
	size_t outlen[IV_NOUT];
};

/* Room for any output of a record. */
#define IV_OUT_MAX	AIOT_MSG_MAX

static inline bool ivec_is_record(const struct rsp_block *b)
{
	return rsp_find(b, "GROUP", 0);
}

bool ivec_is_output(const char *name);
/* Read and check record @b; -1 with the reason in f->err. */
int ivec_read(struct rsp_file *f, const struct rsp_block *b, struct ivec *v);
/* Compute the four outputs of @v with the shared core (both roles). */
int ivec_build(const struct ivec *v, u8 out[IV_NOUT][IV_OUT_MAX],
	       size_t len[IV_NOUT]);

#endif /* _AIOT_IVEC_H */
