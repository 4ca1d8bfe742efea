// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Profile v1 procedures for both roles. Every derived key lives on the
 * stack for one message and is wiped before returning; every comparison of
 * a MAC or a protected ID is constant-time.
 */
#include "proto.h"

#define KDF_S_MAX	(1 + 3 * (AIOT_NONCE_LEN + 2))

bool aiot_idp_is_tid(u8 policy)
{
	return (policy & AIOTSEC_POL_IDP_MASK) == AIOTSEC_POL_IDP_TID;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_idp_is_tid);

/* KDF(K, FC, P0, ..., Pn) of TS 33.220 B.2; parameters of 16 bytes at most. */
int aiot_kdf(const struct aiot_hkey *hk, u8 fc, const u8 *p0, size_t l0,
	     const u8 *p1, size_t l1, const u8 *p2, size_t l2,
	     u8 out[AIOT_HMAC_LEN])
{
	const u8 *p[3] = { p0, p1, p2 };
	size_t l[3] = { l0, l1, l2 };
	u8 s[KDF_S_MAX];
	size_t n = 0;
	int i, ret;

	s[n++] = fc;
	for (i = 0; i < 3 && p[i]; i++) {
		if (l[i] > AIOT_NONCE_LEN)
			return -EINVAL;
		memcpy(s + n, p[i], l[i]);
		n += l[i];
		put_unaligned_be16(l[i], s + n);
		n += 2;
	}
	ret = aiot_hmac(hk, s, n, out);
	memzero_explicit(s, sizeof(s));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_kdf);

/*
 * The key's fingerprint, safe to show where the key never is: the first 8
 * bytes of SHA-256((K ^ opad) || AIOT_FC_KEY_FP), big-endian (a keyed
 * hash, aiot_hkey_tag()). One compression from the prepared key, where a
 * KDF would take two: provisioning costs three compressions a device.
 */
u64 aiot_key_fp(const struct aiot_hkey *hk)
{
	u8 o[AIOT_HMAC_LEN];
	u64 fp = 0;

	if (!aiot_hkey_tag(hk, AIOT_FC_KEY_FP, o))
		fp = get_unaligned_be64(o);
	memzero_explicit(o, sizeof(o));
	return fp;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_key_fp);

static int split(int ret, u8 *o, struct aiot_keys *k)
{
	if (!ret) {
		memcpy(k->enc, o, 16);
		memcpy(k->integ, o + 16, 16);
	}
	memzero_explicit(o, AIOT_HMAC_LEN);
	return ret;
}

int aiot_derive_dl(const struct aiot_hkey *hk, const u8 *nn,
		   struct aiot_keys *k)
{
	u8 o[AIOT_HMAC_LEN];

	return split(aiot_kdf(hk, AIOT_FC_DL_KEYS, nn, AIOT_NONCE_LEN,
			      NULL, 0, NULL, 0, o), o, k);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_derive_dl);

int aiot_derive_ul(const struct aiot_hkey *hk, const u8 *nn, const u8 *dn,
		   struct aiot_keys *k)
{
	u8 o[AIOT_HMAC_LEN];

	return split(aiot_kdf(hk, AIOT_FC_UL_KEYS, nn, AIOT_NONCE_LEN,
			      dn, AIOT_NONCE_LEN, NULL, 0, o), o, k);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_derive_ul);

/* COUNT || BEARER << 27 | DIR << 26, the first 8 bytes of NEA2/NIA2 input. */
static void nxa2_head(u8 head[8], u32 count, u8 bearer, u8 dir)
{
	put_unaligned_be32(count, head);
	put_unaligned_be32((u32)bearer << 27 | (u32)dir << 26, head + 4);
}

int aiot_nea2(const u8 key[16], u32 count, u8 bearer, u8 dir,
	      const u8 *in, u8 *out, size_t len)
{
	u8 iv[AIOT_AES_BLOCK] = { 0 };

	nxa2_head(iv, count, bearer, dir);
	return aiot_ctr(key, iv, in, out, len);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nea2);

int aiot_nia2(const u8 key[16], u32 count, u8 bearer, u8 dir,
	      const u8 *a, size_t alen, const u8 *b, size_t blen,
	      u8 mac[AIOT_MAC_MAX])
{
	u8 head[8];
	struct aiot_seg seg[3] = {
		{ head, sizeof(head) }, { a, alen }, { b, blen },
	};

	nxa2_head(head, count, bearer, dir);
	return aiot_cmac(key, seg, 3, mac);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nia2);

/* PID of a downlink message: ENC(Kenc, 0, 0, ID) or TID. */
int aiot_pid_dl(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		const struct aiot_keys *k, u8 pid[AIOT_PID_LEN])
{
	u8 o[AIOT_HMAC_LEN];
	int ret;

	if (!aiot_idp_is_tid(policy))
		return aiot_nea2(k->enc, 0, AIOT_BEARER_ID, AIOT_DIR_DOWN,
				 dev->id, pid, AIOTSEC_ID_LEN);
	ret = aiot_kdf(dev->hk, AIOT_FC_TID, nn, AIOT_NONCE_LEN,
		       dev->id, AIOTSEC_ID_LEN, NULL, 0, o);
	memcpy(pid, o, AIOT_PID_LEN);
	memzero_explicit(o, sizeof(o));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pid_dl);

/* PID* of an uplink message: ENC(Kenc*, 0, 1, ID) or TID*. */
int aiot_pid_ul(const struct aiot_cred *dev, const u8 *nn, const u8 *dn,
		u8 policy, const struct aiot_keys *k, u8 pid[AIOT_PID_LEN])
{
	u8 o[AIOT_HMAC_LEN];
	int ret;

	if (!aiot_idp_is_tid(policy))
		return aiot_nea2(k->enc, 0, AIOT_BEARER_ID, AIOT_DIR_UP,
				 dev->id, pid, AIOTSEC_ID_LEN);
	ret = aiot_kdf(dev->hk, AIOT_FC_TID_UL, nn, AIOT_NONCE_LEN,
		       dn, AIOT_NONCE_LEN, dev->id, AIOTSEC_ID_LEN, o);
	memcpy(pid, o, AIOT_PID_LEN);
	memzero_explicit(o, sizeof(o));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_pid_ul);

/*
 * MAC of a COMMAND or CMD_RESP: PI covers HDR || PLEN || SP (BEARER 1), MI
 * every byte before the MAC (BEARER 2). @plen_p points at PLEN.
 */
static int payload_msg_mac(const u8 *kint, u8 dir, u8 policy, const u8 *hdr,
			   const u8 *plen_p, u16 plen, u8 mac[AIOT_MAC_MAX])
{
	if (policy & AIOTSEC_POL_PI)
		return aiot_nia2(kint, 0, AIOT_BEARER_PAYLOAD, dir,
				 hdr, AIOT_HDR_LEN, plen_p, 2 + plen, mac);
	return aiot_nia2(kint, 0, AIOT_BEARER_MSG, dir,
			 hdr, plen_p + 2 + plen - hdr, NULL, 0, mac);
}

/* Write PLEN, SP and MAC at @p, inside the message that starts at @hdr. */
int aiot_put_payload(const struct aiot_keys *k, u8 dir, u8 policy, u8 *hdr,
		     u8 *p, const u8 *payload, u16 plen)
{
	u8 mac[AIOT_MAC_MAX];
	int ret = 0;

	put_unaligned_be16(plen, p);
	if (policy & AIOTSEC_POL_PC)
		ret = aiot_nea2(k->enc, 0, AIOT_BEARER_PAYLOAD, dir,
				payload, p + 2, plen);
	else if (plen)
		memcpy(p + 2, payload, plen);
	if (!ret)
		ret = payload_msg_mac(k->integ, dir, policy, hdr, p, plen, mac);
	if (ret)
		return ret;
	memcpy(p + 2 + plen, mac, aiot_mac_len(policy));
	return p + 2 + plen + aiot_mac_len(policy) - hdr;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_put_payload);

/* Check the MAC of a parsed COMMAND / CMD_RESP and recover its payload. */
enum aiotsec_drop aiot_open_payload(const struct aiot_keys *k, u8 dir,
				    const struct aiot_msg *m, u8 *payload)
{
	u8 mac[AIOT_MAC_MAX];
	int ret;

	ret = payload_msg_mac(k->integ, dir, m->policy, m->hdr, m->plen_p,
			      m->plen, mac);
	if (ret || crypto_memneq(mac, m->mac, m->maclen))
		return AIOTSEC_DROP_MAC;
	if (!(m->policy & AIOTSEC_POL_PC)) {
		if (m->plen)
			memcpy(payload, m->sp, m->plen);
		return AIOTSEC_DROP_NONE;
	}
	if (aiot_nea2(k->enc, 0, AIOT_BEARER_PAYLOAD, dir, m->sp, payload,
		      m->plen))
		return AIOTSEC_DROP_MAC;
	return AIOTSEC_DROP_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_open_payload);

/* RID = KDF(K, 0xA6, NN, ID)[0..7], an inventory answer's ID (v1.1). */
int aiot_rid(const struct aiot_cred *dev, const u8 *nn, u8 rid[AIOT_RID_LEN])
{
	u8 o[AIOT_HMAC_LEN];
	int ret;

	ret = aiot_kdf(dev->hk, AIOT_FC_RID, nn, AIOT_NONCE_LEN,
		       dev->id, AIOTSEC_ID_LEN, NULL, 0, o);
	memcpy(rid, o, AIOT_RID_LEN);
	memzero_explicit(o, sizeof(o));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_rid);

bool aiot_ct_matches(const struct aiot_msg *m, const u8 *nn)
{
	return !memcmp(m->ct, nn, AIOT_CT_LEN);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_ct_matches);
