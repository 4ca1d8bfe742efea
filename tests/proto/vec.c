// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Profile v1 records: reading, checking and building (see vec.h). */
#include <stdlib.h>

#include "vec.h"

const char *const pv_msg_name[PV_NMSG] = {
	"PAGING", "AUTH_RESP", "COMMAND", "CMD_RESP",
};

struct field {
	const char *name;
	size_t min, max;
	size_t off_p;			/* where the pointer goes */
	size_t off_len;			/* where the length goes, or NO_LEN */
};

#define NO_LEN	((size_t)-1)
/* A field of variable length, and one of a fixed length. */
#define FV(n, lo, hi, p, l) \
	{ n, lo, hi, offsetof(struct pvec, p), offsetof(struct pvec, l) }
#define FX(n, len, p)	{ n, len, len, offsetof(struct pvec, p), NO_LEN }

static const struct field inputs[] = {
	FV("K", AIOTSEC_KEY_LEN_128, AIOTSEC_KEY_LEN_256, k, klen),
	FX("ID", AIOTSEC_ID_LEN, id),
	FX("NN", AIOT_NONCE_LEN, nn),
	FX("DN", AIOT_NONCE_LEN, dn),
	FX("NN2", AIOT_NONCE_LEN, nn2),
	FX("DN2", AIOT_NONCE_LEN, dn2),
	FV("PAYLOAD", 0, AIOTSEC_PLEN_MAX, payload, plen),
	FV("RESP_PAYLOAD", 0, AIOTSEC_PLEN_MAX, resp, rlen),
	FV("CAP", 0, AIOTSEC_CAPLEN_MAX, cap, caplen),
};

static int read_inputs(struct rsp_file *f, const struct rsp_block *b,
		       struct pvec *v)
{
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		const struct field *fd = &inputs[i];
		const u8 *p = rsp_bytes(f, b, fd->name, 0, fd->min, fd->max,
					&len);

		if (!p)
			return -1;
		*(const u8 **)((char *)v + fd->off_p) = p;
		if (fd->off_len != NO_LEN)
			*(size_t *)((char *)v + fd->off_len) = len;
	}
	return 0;
}

bool pvec_is_output(const char *name)
{
	int i;

	for (i = 0; i < PV_NMSG; i++) {
		if (!strcmp(name, pv_msg_name[i]))
			return true;
	}
	return false;
}

static bool is_known(const char *name)
{
	size_t i;

	if (!strcmp(name, "POLICY") ||
	    pvec_is_output(name))
		return true;
	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		if (!strcmp(name, inputs[i].name))
			return true;
	}
	return false;
}

int pvec_read(struct rsp_file *f, const struct rsp_block *b, struct pvec *v)
{
	const u8 *pol;
	size_t len;
	int t;

	memset(v, 0, sizeof(*v));
	v->lineno = b->lineno;
	if (rsp_fields(f, b, is_known, "a profile record", &v->count))
		return -1;
	if (read_inputs(f, b, v))
		return -1;
	if (v->klen != AIOTSEC_KEY_LEN_128 && v->klen != AIOTSEC_KEY_LEN_256)
		return rsp_error(f, rsp_find(b, "K", 0)->lineno,
				 "K has %zu bytes, not 16 or 32", v->klen);
	pol = rsp_bytes(f, b, "POLICY", 0, 1, 1, &len);
	if (!pol)
		return -1;
	v->policy = *pol;
	if (aiot_policy_check(v->policy, AIOT_MSG_COMMAND))
		return rsp_error(f, rsp_find(b, "POLICY", 0)->lineno,
				 "POLICY %02x is not valid for a COMMAND",
				 v->policy);
	for (t = 0; t < PV_NMSG; t++) {
		if (!rsp_find(b, pv_msg_name[t], 0))
			continue;
		v->msg[t] = rsp_bytes(f, b, pv_msg_name[t], 0, 0, AIOT_MSG_MAX,
				      &v->msglen[t]);
		if (!v->msg[t])
			return -1;
	}
	return 0;
}

int pvec_dev_init(struct pvec_dev *d, const struct pvec *v)
{
	d->cred.id = v->id;
	d->cred.hk = &d->hk;
	return aiot_hkey_init(&d->hk, v->k, v->klen);
}

void pvec_dev_wipe(struct pvec_dev *d)
{
	aiot_hkey_wipe(&d->hk);
}

int pvec_build(const struct pvec *v, u8 out[PV_NMSG][AIOT_MSG_MAX],
	       size_t len[PV_NMSG])
{
	const struct aiot_cred *c;
	struct pvec_dev d;
	u8 ap = pvec_auth_policy(v);
	int ret[PV_NMSG], t;

	ret[0] = pvec_dev_init(&d, v);
	if (ret[0])
		return ret[0];
	c = &d.cred;
	ret[PV_PAGING] = aiotf_paging(c, v->nn, ap, out[PV_PAGING]);
	ret[PV_AUTH_RESP] = aiotdev_auth_resp(c, v->nn, v->dn, ap, v->cap,
					      (u8)v->caplen,
					      out[PV_AUTH_RESP]);
	ret[PV_COMMAND] = aiotf_command(c, v->nn2, v->policy, v->payload,
					(u16)v->plen, out[PV_COMMAND]);
	ret[PV_CMD_RESP] = aiotdev_cmd_resp(c, v->nn2, v->dn2, v->policy,
					    v->resp, (u16)v->rlen,
					    out[PV_CMD_RESP]);
	pvec_dev_wipe(&d);
	for (t = 0; t < PV_NMSG; t++) {
		if (ret[t] < 0)
			return ret[t];
		if (ret[t] == 0 || ret[t] > AIOT_MSG_MAX)
			return -ERANGE;
		len[t] = (size_t)ret[t];
	}
	return 0;
}

int pvec_load_file(const char *path, struct rsp_file *f, struct pvec **v,
		   size_t *n)
{
	size_t i;
	int t;

	*v = NULL;
	*n = 0;
	if (rsp_load(f, path))
		return -1;
	*v = calloc(f->nblk ? f->nblk : 1, sizeof(**v));
	if (!*v)
		return rsp_error(f, 0, "out of memory");
	for (i = 0; i < f->nblk; i++) {
		struct pvec *p = &(*v)[*n];

		if (!f->blk[i].nfield)
			continue;
		if (pvec_read(f, &f->blk[i], p))
			return -1;
		for (t = 0; t < PV_NMSG; t++) {
			if (!p->msg[t])
				return rsp_error(f, p->lineno,
						 "record has no %s",
						 pv_msg_name[t]);
		}
		(*n)++;
	}
	if (!*n)
		return rsp_error(f, 0, "no records");
	return 0;
}
