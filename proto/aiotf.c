// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The network (AIoTF) role of profile v1.1: build PAGING, COMMAND and
 * INVENTORY, verify AUTH_RESP, CMD_RESP and INV_RESP. A verifier checks the
 * cheap things first (type, correlation tag, policy minimum), then the MAC,
 * then the protected ID (an INV_RESP: its RID before the MAC).
 */
#include "proto.h"

int aiotf_paging(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		 u8 *out)
{
	struct aiot_keys k;
	int ret = 0;

	if (aiot_policy_check(policy, AIOT_MSG_PAGING))
		return -EINVAL;
	aiot_put_hdr(out, AIOT_MSG_PAGING, policy);
	memcpy(out + AIOT_HDR_LEN, nn, AIOT_NONCE_LEN);
	/* A temporary ID needs no Kenc: one KDF instead of two. */
	if (!aiot_idp_is_tid(policy))
		ret = aiot_derive_dl(dev->hk, nn, &k);
	if (!ret)
		ret = aiot_pid_dl(dev, nn, policy, &k,
				  out + AIOT_HDR_LEN + AIOT_NONCE_LEN);
	memzero_explicit(&k, sizeof(k));
	return ret ? ret : (int)aiot_paging_len();
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_paging);

enum aiotsec_drop aiotf_auth_resp(const struct aiot_cred *dev,
				  const u8 *nn, u8 paging_policy,
				  u8 min_policy, const struct aiot_msg *m)
{
	u8 mac[AIOT_MAC_MAX], pid[AIOT_PID_LEN];
	enum aiotsec_drop err = AIOTSEC_DROP_NONE;
	struct aiot_keys k;

	if (m->type != AIOT_MSG_AUTH_RESP)
		return AIOTSEC_DROP_TYPE;
	if (!aiot_ct_matches(m, nn))
		return AIOTSEC_DROP_UNKNOWN_CT;
	if ((m->policy & AIOTSEC_POL_IDP_MASK) !=
	    (paging_policy & AIOTSEC_POL_IDP_MASK) ||
	    !aiot_policy_meets(m->policy, min_policy, m->type))
		return AIOTSEC_DROP_DOWNGRADE;

	if (aiot_derive_ul(dev->hk, nn, m->dn, &k) ||
	    aiot_nia2(k.integ, 0, AIOT_BEARER_MSG, AIOT_DIR_UP, m->hdr,
		      m->len - m->maclen, NULL, 0, mac) ||
	    crypto_memneq(mac, m->mac, m->maclen))
		err = AIOTSEC_DROP_MAC;
	else if (aiot_pid_ul(dev, nn, m->dn, m->policy, &k, pid) ||
		 crypto_memneq(pid, m->pid, AIOT_PID_LEN))
		err = AIOTSEC_DROP_ID;
	memzero_explicit(&k, sizeof(k));
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_auth_resp);

int aiotf_inventory(const u8 *nn, u8 policy, u8 fbits, const u8 *filter,
		    u8 *out)
{
	size_t flen = aiot_filter_len(fbits);

	if (aiot_policy_check(policy, AIOT_MSG_INVENTORY) ||
	    !aiot_filter_valid(fbits, filter))
		return -EINVAL;
	aiot_put_hdr(out, AIOT_MSG_INVENTORY, policy);
	memcpy(out + AIOT_HDR_LEN, nn, AIOT_NONCE_LEN);
	out[AIOT_HDR_LEN + AIOT_NONCE_LEN] = fbits;
	if (flen)
		memcpy(out + AIOT_HDR_LEN + AIOT_NONCE_LEN + 1, filter, flen);
	return aiot_inventory_len(fbits);
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_inventory);

enum aiotsec_drop aiotf_inv_resp(const struct aiot_cred *dev, const u8 *nn,
				 u8 inv_policy, u8 min_policy, const u8 *rid,
				 const struct aiot_msg *m)
{
	enum aiotsec_drop err = AIOTSEC_DROP_NONE;
	u8 mac[AIOT_MAC_MAX];
	struct aiot_keys k;

	if (m->type != AIOT_MSG_INV_RESP)
		return AIOTSEC_DROP_TYPE;
	if (!aiot_ct_matches(m, nn))
		return AIOTSEC_DROP_UNKNOWN_CT;
	if (m->policy != inv_policy ||
	    !aiot_policy_meets(m->policy, min_policy, m->type))
		return AIOTSEC_DROP_DOWNGRADE;
	if (crypto_memneq(rid, m->rid, AIOT_RID_LEN))
		return AIOTSEC_DROP_ID;
	if (aiot_derive_ul(dev->hk, nn, m->dn, &k) ||
	    aiot_nia2(k.integ, 0, AIOT_BEARER_MSG, AIOT_DIR_UP, m->hdr,
		      m->len - m->maclen, NULL, 0, mac) ||
	    crypto_memneq(mac, m->mac, m->maclen))
		err = AIOTSEC_DROP_MAC;
	memzero_explicit(&k, sizeof(k));
	memzero_explicit(mac, sizeof(mac));
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_inv_resp);

int aiotf_command(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		  const u8 *payload, u16 plen, u8 *out)
{
	u8 *p = out + AIOT_HDR_LEN + AIOT_NONCE_LEN;
	struct aiot_keys k;
	int ret;

	if (aiot_policy_check(policy, AIOT_MSG_COMMAND) ||
	    plen > AIOTSEC_PLEN_MAX)
		return -EINVAL;
	aiot_put_hdr(out, AIOT_MSG_COMMAND, policy);
	memcpy(out + AIOT_HDR_LEN, nn, AIOT_NONCE_LEN);
	ret = aiot_derive_dl(dev->hk, nn, &k);
	if (!ret)
		ret = aiot_pid_dl(dev, nn, policy, &k, p);
	if (!ret)
		ret = aiot_put_payload(&k, AIOT_DIR_DOWN, policy, out,
				       p + AIOT_PID_LEN, payload, plen);
	memzero_explicit(&k, sizeof(k));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_command);

enum aiotsec_drop aiotf_cmd_resp(const struct aiot_cred *dev,
				 const u8 *nn, u8 min_policy,
				 const struct aiot_msg *m, u8 *payload)
{
	enum aiotsec_drop err;
	struct aiot_keys k;

	if (m->type != AIOT_MSG_CMD_RESP)
		return AIOTSEC_DROP_TYPE;
	if (!aiot_ct_matches(m, nn))
		return AIOTSEC_DROP_UNKNOWN_CT;
	if (!aiot_policy_meets(m->policy, min_policy, m->type))
		return AIOTSEC_DROP_DOWNGRADE;
	if (aiot_derive_ul(dev->hk, nn, m->dn, &k))
		err = AIOTSEC_DROP_MAC;
	else
		err = aiot_open_payload(&k, AIOT_DIR_UP, m, payload);
	memzero_explicit(&k, sizeof(k));
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(aiotf_cmd_resp);
