/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Records of profile-v1.rsp (PROTOCOL.md "Vector file format"): inputs,
 * the four messages they give, and the device credential they describe.
 */
#ifndef _AIOT_VEC_H
#define _AIOT_VEC_H

#include "proto.h"
#include "rsp.h"

enum pv_msg { PV_PAGING, PV_AUTH_RESP, PV_COMMAND, PV_CMD_RESP, PV_NMSG };

extern const char *const pv_msg_name[PV_NMSG];

struct pvec {
	unsigned int lineno;
	const char *count;		/* COUNT as written */
	const u8 *k, *id, *nn, *dn, *nn2, *dn2, *payload, *resp, *cap;
	size_t klen, plen, rlen, caplen;
	u8 policy;			/* COMMAND / CMD_RESP policy */
	const u8 *msg[PV_NMSG];		/* from the file; NULL if absent */
	size_t msglen[PV_NMSG];
};

/* A device as both roles hold it: prepared key and ID. */
struct pvec_dev {
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

/* The policy of PAGING and AUTH_RESP: POLICY's IDP and ML fields. */
static inline u8 pvec_auth_policy(const struct pvec *v)
{
	return v->policy & AIOTSEC_POL_AUTH_MASK;
}

bool pvec_is_output(const char *name);
/* Read and check record @b; -1 with the reason in f->err. */
int pvec_read(struct rsp_file *f, const struct rsp_block *b, struct pvec *v);
int pvec_dev_init(struct pvec_dev *d, const struct pvec *v);
void pvec_dev_wipe(struct pvec_dev *d);
/* Compute the four messages of @v with the shared builders. */
int pvec_build(const struct pvec *v, u8 out[PV_NMSG][AIOT_MSG_MAX],
	       size_t len[PV_NMSG]);
/*
 * Load every record of @path, each with all four messages. Free *v and
 * then @f (rsp_free) when done, also after a failure (-1, f->err).
 */
int pvec_load_file(const char *path, struct rsp_file *f, struct pvec **v,
		   size_t *n);

#endif /* _AIOT_VEC_H */
