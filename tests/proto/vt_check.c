// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vectool check: a profile record's four messages are rebuilt from its
 * inputs and compared with the file, then the file's own messages are
 * verified by the receiving role (the network opens AUTH_RESP and
 * CMD_RESP, the device matches PAGING and opens COMMAND). A primitive
 * record (ALG) is recomputed, and CTR is also run back.
 */
#include <stdlib.h>

#include "ivec.h"
#include "tap.h"
#include "vec.h"
#include "vectool.h"

static bool same(const char *what, const u8 *want, size_t wlen,
		 const u8 *got, size_t glen)
{
	if (wlen == glen && !memcmp(want, got, wlen))
		return true;
	tap_diag("%s differs", what);
	tap_hex("expected", want, wlen);
	tap_hex("computed", got, glen);
	return false;
}

/* ---- Profile records --------------------------------------------------- */

/* Verify the parsed message @m of type @t the way its receiver does. */
static enum aiotsec_drop receive(int t, const struct pvec *v,
				 const struct aiot_cred *c,
				 const struct aiot_msg *m, u8 *payload)
{
	u8 ap = pvec_auth_policy(v);

	switch (t) {
	case PV_PAGING:
		return aiotdev_paging_match(c, m);
	case PV_AUTH_RESP:
		return aiotf_auth_resp(c, v->nn, ap, ap, m);
	case PV_COMMAND:
		return aiotdev_command_open(c, m, payload);
	default:
		return aiotf_cmd_resp(c, v->nn2, v->policy, m, payload);
	}
}

static bool verify(int t, const struct pvec *v, const struct aiot_cred *c)
{
	static const u8 type[PV_NMSG] = {
		AIOT_MSG_PAGING, AIOT_MSG_AUTH_RESP,
		AIOT_MSG_COMMAND, AIOT_MSG_CMD_RESP,
	};
	u8 payload[AIOTSEC_PLEN_MAX];
	size_t len = v->msglen[t];
	enum aiotsec_drop err;
	struct aiot_msg m;
	bool pass = false;
	u8 *buf;

	/* An exact-size copy: a sanitizer sees any read past the end. */
	buf = malloc(len ? len : 1);
	if (!buf) {
		tap_diag("out of memory");
		return false;
	}
	memcpy(buf, v->msg[t], len);
	err = aiot_parse(buf, len, &m);
	if (err || m.type != type[t] || m.len != len) {
		tap_diag("%s: parsing gives drop reason %d, type %u, length %u",
			 pv_msg_name[t], err, m.type, m.len);
		goto out;
	}
	err = receive(t, v, c, &m, payload);
	if (err) {
		tap_diag("%s: receiver drops it, reason %d", pv_msg_name[t],
			 err);
		goto out;
	}
	if (t == PV_COMMAND)
		pass = same("COMMAND payload", v->payload, v->plen, payload,
			    m.plen);
	else if (t == PV_CMD_RESP)
		pass = same("CMD_RESP payload", v->resp, v->rlen, payload,
			    m.plen);
	else
		pass = true;
out:
	free(buf);
	return pass;
}

bool check_profile(struct rsp_file *f, const struct rsp_block *b)
{
	static u8 msg[PV_NMSG][AIOT_MSG_MAX];
	size_t len[PV_NMSG];
	struct pvec_dev d;
	struct pvec v;
	bool pass = true;
	int t, ret;

	if (pvec_read(f, b, &v))
		return false;
	for (t = 0; t < PV_NMSG; t++) {
		if (!v.msg[t]) {
			rsp_error(f, b->lineno, "record has no %s",
				  pv_msg_name[t]);
			return false;
		}
	}
	ret = pvec_build(&v, msg, len);
	if (ret) {
		rsp_error(f, b->lineno, "building failed (%d)", ret);
		return false;
	}
	for (t = 0; t < PV_NMSG; t++)
		pass &= same(pv_msg_name[t], v.msg[t], v.msglen[t], msg[t],
			     len[t]);
	if (pvec_dev_init(&d, &v)) {
		rsp_error(f, b->lineno, "K refused");
		return false;
	}
	for (t = 0; t < PV_NMSG; t++)
		pass &= verify(t, &v, &d.cred);
	pvec_dev_wipe(&d);
	return pass;
}

/* ---- Inventory records (v1.1) ----------------------------------------- */

/*
 * The file's own INVENTORY as the device receives it (parse, match), and
 * its INV_RESP as the AIoTF does: the RID of the file, then the MAC.
 */
static bool verify_inventory(const struct ivec *v)
{
	const u8 *want = v->out[IV_MATCH];
	enum aiotsec_drop err;
	struct aiot_cred cred;
	struct aiot_hkey hk;
	struct aiot_msg m;
	bool pass = true;
	u8 *buf;

	buf = malloc(IV_OUT_MAX);
	if (!buf)
		return false;
	memcpy(buf, v->out[IV_INVENTORY], v->outlen[IV_INVENTORY]);
	err = aiot_parse(buf, v->outlen[IV_INVENTORY], &m);
	if (err || m.type != AIOT_MSG_INVENTORY ||
	    m.len != v->outlen[IV_INVENTORY]) {
		tap_diag("INVENTORY: parsing gives drop reason %d, type %u",
			 err, m.type);
		free(buf);
		return false;
	}
	if (!aiotdev_inventory_match(v->group, &m) != (want[0] == 1)) {
		tap_diag("the device's match differs from MATCH");
		pass = false;
	}
	if (!want[0]) {
		free(buf);
		return pass;
	}
	memcpy(buf, v->out[IV_INV_RESP], v->outlen[IV_INV_RESP]);
	err = aiot_parse(buf, v->outlen[IV_INV_RESP], &m);
	if (err || m.type != AIOT_MSG_INV_RESP ||
	    m.len != v->outlen[IV_INV_RESP]) {
		tap_diag("INV_RESP: parsing gives drop reason %d, type %u",
			 err, m.type);
		free(buf);
		return false;
	}
	if (aiot_hkey_init(&hk, v->k, v->klen)) {
		free(buf);
		return false;
	}
	cred.id = v->id;
	cred.hk = &hk;
	err = aiotf_inv_resp(&cred, v->nn, v->policy, v->policy,
			     v->out[IV_RID], &m);
	aiot_hkey_wipe(&hk);
	if (err) {
		tap_diag("INV_RESP: the AIoTF drops it, reason %d", err);
		pass = false;
	}
	free(buf);
	return pass;
}

bool check_inventory(struct rsp_file *f, const struct rsp_block *b)
{
	static u8 out[IV_NOUT][IV_OUT_MAX];
	size_t len[IV_NOUT];
	bool pass = true;
	struct ivec v;
	int t, ret;

	if (ivec_read(f, b, &v))
		return false;
	for (t = 0; t < IV_NOUT; t++) {
		if (!v.out[t]) {
			rsp_error(f, b->lineno, "record has no %s",
				  iv_out_name[t]);
			return false;
		}
	}
	if (v.outlen[IV_MATCH] != 1 || v.out[IV_MATCH][0] > 1) {
		rsp_error(f, b->lineno, "MATCH is one byte, 00 or 01");
		return false;
	}
	ret = ivec_build(&v, out, len);
	if (ret) {
		rsp_error(f, b->lineno, "building failed (%d)", ret);
		return false;
	}
	for (t = 0; t < IV_NOUT; t++)
		pass &= same(iv_out_name[t], v.out[t], v.outlen[t], out[t],
			     len[t]);
	return pass && verify_inventory(&v);
}

/* ---- Primitive records ------------------------------------------------- */

static bool run_hmac(struct rsp_file *f, const struct rsp_block *b)
{
	const u8 *key, *msg, *out;
	size_t klen, mlen, olen;
	struct aiot_hkey hk;
	u8 mac[AIOT_HMAC_LEN];
	int ret;

	key = rsp_bytes(f, b, "KEY", 0, 1, 64, &klen);
	msg = key ? rsp_bytes(f, b, "MSG", 0, 0, SIZE_MAX, &mlen) : NULL;
	out = msg ? rsp_bytes(f, b, "OUT", 0, 1, AIOT_HMAC_LEN, &olen) :
		    NULL;
	if (!out)
		return false;
	ret = aiot_hkey_init(&hk, key, klen);
	if (!ret)
		ret = aiot_hmac(&hk, msg, mlen, mac);
	aiot_hkey_wipe(&hk);
	if (ret)
		tap_diag("HMAC failed (%d)", ret);
	return !ret && same("OUT", out, olen, mac, olen);
}

static bool run_cmac(struct rsp_file *f, const struct rsp_block *b)
{
	const u8 *key, *msg, *out;
	size_t klen, mlen, olen;
	struct aiot_seg seg;
	u8 mac[AIOT_AES_BLOCK];
	int ret;

	key = rsp_bytes(f, b, "KEY", 0, 16, 16, &klen);
	msg = key ? rsp_bytes(f, b, "MSG", 0, 0, SIZE_MAX, &mlen) : NULL;
	out = msg ? rsp_bytes(f, b, "OUT", 0, 1, AIOT_AES_BLOCK, &olen) :
		    NULL;
	if (!out)
		return false;
	seg.p = msg;
	seg.len = mlen;
	ret = aiot_cmac(key, &seg, 1, mac);
	if (ret)
		tap_diag("CMAC failed (%d)", ret);
	return !ret && same("OUT", out, olen, mac, olen);
}

static bool run_ctr(struct rsp_file *f, const struct rsp_block *b)
{
	const u8 *key, *iv, *msg, *out;
	size_t klen, ivlen, mlen, olen;
	bool pass = false;
	u8 *buf;

	key = rsp_bytes(f, b, "KEY", 0, 16, 16, &klen);
	iv = key ? rsp_bytes(f, b, "IV", 0, 16, 16, &ivlen) : NULL;
	msg = iv ? rsp_bytes(f, b, "MSG", 0, 0, SIZE_MAX, &mlen) : NULL;
	out = msg ? rsp_bytes(f, b, "OUT", 0, mlen, mlen, &olen) : NULL;
	if (!out)
		return false;
	buf = malloc(mlen ? mlen : 1);
	if (!buf)
		return false;
	if (aiot_ctr(key, iv, msg, buf, mlen)) {
		tap_diag("CTR failed");
	} else if (same("OUT", out, olen, buf, mlen)) {
		/* And back, in place. */
		if (aiot_ctr(key, iv, buf, buf, mlen))
			tap_diag("CTR failed");
		else
			pass = same("MSG (decrypted)", msg, mlen, buf, mlen);
	}
	free(buf);
	return pass;
}

/* NIA2's COUNT is the record's second COUNT; the first numbers it. */
static bool run_nia2(struct rsp_file *f, const struct rsp_block *b)
{
	const u8 *key, *count, *bearer, *dir, *msg, *out;
	size_t len, mlen, olen;
	u8 mac[AIOT_MAC_MAX];
	u32 c;
	int ret;

	key = rsp_bytes(f, b, "KEY", 0, 16, 16, &len);
	count = key ? rsp_bytes(f, b, "COUNT", 1, 4, 4, &len) : NULL;
	bearer = count ? rsp_bytes(f, b, "BEARER", 0, 1, 1, &len) : NULL;
	dir = bearer ? rsp_bytes(f, b, "DIR", 0, 1, 1, &len) : NULL;
	msg = dir ? rsp_bytes(f, b, "MSG", 0, 0, SIZE_MAX, &mlen) : NULL;
	out = msg ? rsp_bytes(f, b, "OUT", 0, 1, AIOT_MAC_MAX, &olen) :
		    NULL;
	if (!out)
		return false;
	if (*bearer > 31 || *dir > 1) {
		rsp_error(f, b->lineno, "BEARER over 31 or DIR over 1");
		return false;
	}
	c = (u32)count[0] << 24 | (u32)count[1] << 16 | (u32)count[2] << 8 |
	    count[3];
	ret = aiot_nia2(key, c, *bearer, *dir, msg, mlen, NULL, 0, mac);
	if (ret)
		tap_diag("NIA2 failed (%d)", ret);
	return !ret && same("OUT", out, olen, mac, olen);
}

struct alg {
	const char *name;
	bool (*run)(struct rsp_file *f, const struct rsp_block *b);
	unsigned int ncount;		/* COUNT lines */
	const char *fields[6];		/* besides COUNT and ALG */
};

static const struct alg algs[] = {
	{ "HMAC_SHA256", run_hmac, 1, { "KEY", "MSG", "OUT" } },
	{ "AES128_CMAC", run_cmac, 1, { "KEY", "MSG", "OUT" } },
	{ "AES128_CTR", run_ctr, 1, { "KEY", "IV", "MSG", "OUT" } },
	{ "NIA2", run_nia2, 2, { "KEY", "MSG", "OUT", "BEARER", "DIR" } },
};

static bool allowed(const struct alg *a, const char *name)
{
	size_t i;

	if (!strcmp(name, "ALG"))
		return true;
	for (i = 0; i < ARRAY_SIZE(a->fields); i++) {
		if (a->fields[i] && !strcmp(name, a->fields[i]))
			return true;
	}
	return false;
}

bool check_prim(struct rsp_file *f, const struct rsp_block *b,
		const char *name)
{
	const struct alg *a = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		if (!strcmp(name, algs[i].name))
			a = &algs[i];
	}
	if (!a) {
		rsp_error(f, rsp_find(b, "ALG", 0)->lineno,
			  "unknown ALG %s", name);
		return false;
	}
	if (rsp_count(b, "COUNT") != a->ncount) {
		rsp_error(f, b->lineno, "%s records have %u COUNT lines",
			  a->name, a->ncount);
		return false;
	}
	for (i = 0; i < b->nline; i++) {
		const struct rsp_line *l = &b->line[i];

		if (!l->name || !strcmp(l->name, "COUNT"))
			continue;
		if (!allowed(a, l->name)) {
			rsp_error(f, l->lineno, "unknown field %s for %s",
				  l->name, a->name);
			return false;
		}
		if (rsp_count(b, l->name) != 1) {
			rsp_error(f, l->lineno, "%s given twice", l->name);
			return false;
		}
	}
	return a->run(f, b);
}
