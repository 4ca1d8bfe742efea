// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Inventory records (v1.1): reading, checking and building (see ivec.h). */
#include <stdlib.h>

#include "ivec.h"

const char *const iv_out_name[IV_NOUT] = {
	"INVENTORY", "MATCH", "RID", "INV_RESP",
};

static const char *const iv_in_name[] = {
	"K", "ID", "GROUP", "NN", "DN", "POLICY", "FBITS", "FILTER", "CAP",
};

bool ivec_is_output(const char *name)
{
	int i;

	for (i = 0; i < IV_NOUT; i++) {
		if (!strcmp(name, iv_out_name[i]))
			return true;
	}
	return false;
}

static bool is_known(const char *name)
{
	size_t i;

	if (ivec_is_output(name))
		return true;
	for (i = 0; i < ARRAY_SIZE(iv_in_name); i++) {
		if (!strcmp(name, iv_in_name[i]))
			return true;
	}
	return false;
}

static unsigned int line_of(const struct rsp_block *b, const char *name)
{
	const struct rsp_line *l = rsp_find(b, name, 0);

	return l ? l->lineno : b->lineno;
}

int ivec_read(struct rsp_file *f, const struct rsp_block *b, struct ivec *v)
{
	const u8 *pol, *fbits;
	size_t len;
	int t;

	memset(v, 0, sizeof(*v));
	v->lineno = b->lineno;
	if (rsp_fields(f, b, is_known, "an inventory record", &v->count))
		return -1;
	v->k = rsp_bytes(f, b, "K", 0, AIOTSEC_KEY_LEN_128,
			 AIOTSEC_KEY_LEN_256, &v->klen);
	if (!v->k)
		return -1;
	if (v->klen != AIOTSEC_KEY_LEN_128 && v->klen != AIOTSEC_KEY_LEN_256)
		return rsp_error(f, line_of(b, "K"),
				 "K has %zu bytes, not 16 or 32", v->klen);
	v->id = rsp_bytes(f, b, "ID", 0, AIOTSEC_ID_LEN, AIOTSEC_ID_LEN, &len);
	v->group = v->id ? rsp_bytes(f, b, "GROUP", 0, AIOTSEC_GROUP_LEN,
				     AIOTSEC_GROUP_LEN, &len) : NULL;
	v->nn = v->group ? rsp_bytes(f, b, "NN", 0, AIOT_NONCE_LEN,
				     AIOT_NONCE_LEN, &len) : NULL;
	v->dn = v->nn ? rsp_bytes(f, b, "DN", 0, AIOT_NONCE_LEN,
				  AIOT_NONCE_LEN, &len) : NULL;
	pol = v->dn ? rsp_bytes(f, b, "POLICY", 0, 1, 1, &len) : NULL;
	fbits = pol ? rsp_bytes(f, b, "FBITS", 0, 1, 1, &len) : NULL;
	v->filter = fbits ? rsp_bytes(f, b, "FILTER", 0, 0, AIOT_FILTER_MAX,
				      &v->flen) : NULL;
	v->cap = v->filter ? rsp_bytes(f, b, "CAP", 0, 0, AIOTSEC_CAPLEN_MAX,
				       &v->caplen) : NULL;
	if (!v->cap)
		return -1;
	v->policy = *pol;
	v->fbits = *fbits;
	if (aiot_policy_check(v->policy, AIOT_MSG_INVENTORY))
		return rsp_error(f, line_of(b, "POLICY"),
				 "POLICY %02x is not valid for an INVENTORY",
				 v->policy);
	if (v->fbits > AIOT_FBITS_MAX)
		return rsp_error(f, line_of(b, "FBITS"),
				 "FBITS %u is over %u", v->fbits,
				 AIOT_FBITS_MAX);
	if (v->flen != aiot_filter_len(v->fbits) ||
	    !aiot_filter_valid(v->fbits, v->filter))
		return rsp_error(f, line_of(b, "FILTER"),
				 "FILTER is not ceil(FBITS/8) bytes with the bits past FBITS 0");
	for (t = 0; t < IV_NOUT; t++) {
		if (!rsp_find(b, iv_out_name[t], 0))
			continue;
		v->out[t] = rsp_bytes(f, b, iv_out_name[t], 0, 0, IV_OUT_MAX,
				      &v->outlen[t]);
		if (!v->out[t])
			return -1;
	}
	return 0;
}

/*
 * The AIoTF builds the INVENTORY; the device parses it and matches its
 * GROUP, and only on a match derives RID and answers.
 */
int ivec_build(const struct ivec *v, u8 out[IV_NOUT][IV_OUT_MAX],
	       size_t len[IV_NOUT])
{
	struct aiot_cred cred;
	struct aiot_hkey hk;
	struct aiot_msg m;
	int ret;

	memset(len, 0, IV_NOUT * sizeof(*len));
	ret = aiotf_inventory(v->nn, v->policy, v->fbits, v->filter,
			      out[IV_INVENTORY]);
	if (ret < 0)
		return ret;
	len[IV_INVENTORY] = (size_t)ret;
	if (aiot_parse(out[IV_INVENTORY], len[IV_INVENTORY], &m) ||
	    m.type != AIOT_MSG_INVENTORY)
		return -EPROTO;
	len[IV_MATCH] = 1;
	out[IV_MATCH][0] = !aiotdev_inventory_match(v->group, &m);
	if (!out[IV_MATCH][0])
		return 0;
	ret = aiot_hkey_init(&hk, v->k, v->klen);
	if (ret)
		return ret;
	cred.id = v->id;
	cred.hk = &hk;
	ret = aiot_rid(&cred, m.nn, out[IV_RID]);
	if (!ret)
		ret = aiotdev_inv_resp(&cred, m.nn, v->dn, m.policy, v->cap,
				       (u8)v->caplen, out[IV_INV_RESP]);
	aiot_hkey_wipe(&hk);
	if (ret < 0)
		return ret;
	if (ret == 0 || ret > IV_OUT_MAX)
		return -ERANGE;
	len[IV_RID] = AIOT_RID_LEN;
	len[IV_INV_RESP] = (size_t)ret;
	return 0;
}
