// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The device role of profile v1.1: what a tag does with a PAGING, a
 * COMMAND or an INVENTORY. Not part of aiotsec.ko: the KUnit suite and the user-space
 * simulator link it, so that every verifier is exercised by an independent
 * builder.
 */
#include "proto.h"

enum aiotsec_drop aiotdev_paging_match(const struct aiot_cred *dev,
				       const struct aiot_msg *m)
{
	u8 pid[AIOT_PID_LEN];
	enum aiotsec_drop err = AIOTSEC_DROP_NONE;
	struct aiot_keys k;
	int ret = 0;

	if (m->type != AIOT_MSG_PAGING)
		return AIOTSEC_DROP_TYPE;
	if (!aiot_idp_is_tid(m->policy))
		ret = aiot_derive_dl(dev->hk, m->nn, &k);
	if (ret || aiot_pid_dl(dev, m->nn, m->policy, &k, pid) ||
	    crypto_memneq(pid, m->pid, AIOT_PID_LEN))
		err = AIOTSEC_DROP_ID;
	memzero_explicit(&k, sizeof(k));
	return err;
}

/*
 * HDR || CT || DN, the start of both answers; returns where the rest goes.
 * @nn and @dn must not lie in @out.
 */
static u8 *put_answer_head(u8 *out, u8 type, u8 policy, const u8 *nn,
			   const u8 *dn)
{
	u8 *p = out + AIOT_HDR_LEN;

	aiot_put_hdr(out, type, policy);
	memcpy(p, nn, AIOT_CT_LEN);
	p += AIOT_CT_LEN;
	memcpy(p, dn, AIOT_NONCE_LEN);
	return p + AIOT_NONCE_LEN;
}

/*
 * CAPLEN || CAP || MAC at @p, the end of both AUTH_RESP and INV_RESP: the
 * MAC over everything from @out; returns the answer's length.
 */
static int put_answer_tail(u8 *out, u8 *p, u8 policy, const u8 *cap,
			   u8 caplen, const struct aiot_keys *k)
{
	u8 mac[AIOT_MAC_MAX];
	int ret;

	*p++ = caplen;
	if (caplen)
		memcpy(p, cap, caplen);
	p += caplen;
	ret = aiot_nia2(k->integ, 0, AIOT_BEARER_MSG, AIOT_DIR_UP, out,
			p - out, NULL, 0, mac);
	if (ret)
		return ret;
	memcpy(p, mac, aiot_mac_len(policy));
	return p + aiot_mac_len(policy) - out;
}

int aiotdev_auth_resp(const struct aiot_cred *dev, const u8 *nn,
		      const u8 *dn, u8 policy, const u8 *cap, u8 caplen,
		      u8 *out)
{
	struct aiot_keys k;
	int ret;
	u8 *p;

	if (aiot_policy_check(policy, AIOT_MSG_AUTH_RESP) ||
	    caplen > AIOTSEC_CAPLEN_MAX)
		return -EINVAL;
	p = put_answer_head(out, AIOT_MSG_AUTH_RESP, policy, nn, dn);
	ret = aiot_derive_ul(dev->hk, nn, dn, &k);
	if (!ret)
		ret = aiot_pid_ul(dev, nn, dn, policy, &k, p);
	if (!ret)
		ret = put_answer_tail(out, p + AIOT_PID_LEN, policy, cap,
				      caplen, &k);
	memzero_explicit(&k, sizeof(k));
	return ret;
}

enum aiotsec_drop aiotdev_command_open(const struct aiot_cred *dev,
				       const struct aiot_msg *m, u8 *payload)
{
	u8 pid[AIOT_PID_LEN];
	enum aiotsec_drop err;
	struct aiot_keys k;

	if (m->type != AIOT_MSG_COMMAND)
		return AIOTSEC_DROP_TYPE;
	if (aiot_derive_dl(dev->hk, m->nn, &k) ||
	    aiot_pid_dl(dev, m->nn, m->policy, &k, pid) ||
	    crypto_memneq(pid, m->pid, AIOT_PID_LEN))
		err = AIOTSEC_DROP_ID;
	else
		err = aiot_open_payload(&k, AIOT_DIR_DOWN, m, payload);
	memzero_explicit(&k, sizeof(k));
	return err;
}

int aiotdev_cmd_resp(const struct aiot_cred *dev, const u8 *nn,
		     const u8 *dn, u8 policy, const u8 *payload, u16 plen,
		     u8 *out)
{
	struct aiot_keys k;
	int ret;
	u8 *p;

	if (aiot_policy_check(policy, AIOT_MSG_CMD_RESP) ||
	    plen > AIOTSEC_PLEN_MAX)
		return -EINVAL;
	p = put_answer_head(out, AIOT_MSG_CMD_RESP, policy, nn, dn);
	ret = aiot_derive_ul(dev->hk, nn, dn, &k);
	if (!ret)
		ret = aiot_put_payload(&k, AIOT_DIR_UP, policy, out, p,
				       payload, plen);
	memzero_explicit(&k, sizeof(k));
	return ret;
}

enum aiotsec_drop aiotdev_inventory_match(const u8 group[AIOTSEC_GROUP_LEN],
					  const struct aiot_msg *m)
{
	if (m->type != AIOT_MSG_INVENTORY)
		return AIOTSEC_DROP_TYPE;
	return aiot_group_match(group, m->fbits, m->filter) ?
	       AIOTSEC_DROP_NONE : AIOTSEC_DROP_ID;
}

int aiotdev_inv_resp(const struct aiot_cred *dev, const u8 *nn,
		     const u8 *dn, u8 policy, const u8 *cap, u8 caplen,
		     u8 *out)
{
	struct aiot_keys k;
	int ret;
	u8 *p;

	if (aiot_policy_check(policy, AIOT_MSG_INV_RESP) ||
	    caplen > AIOTSEC_CAPLEN_MAX)
		return -EINVAL;
	p = put_answer_head(out, AIOT_MSG_INV_RESP, policy, nn, dn);
	ret = aiot_rid(dev, nn, p);
	if (!ret)
		ret = aiot_derive_ul(dev->hk, nn, dn, &k);
	if (!ret)
		ret = put_answer_tail(out, p + AIOT_RID_LEN, policy, cap,
				      caplen, &k);
	memzero_explicit(&k, sizeof(k));
	return ret;
}

bool aiotdev_replay_seen(const struct aiotdev_replay *w, const u8 *nn)
{
	unsigned int i;

	for (i = 0; i < w->used && i < AIOTDEV_REPLAY_WINDOW; i++)
		if (!memcmp(w->nn[i], nn, AIOT_NONCE_LEN))
			return true;
	return false;
}

void aiotdev_replay_note(struct aiotdev_replay *w, const u8 *nn)
{
	unsigned int slot = w->next % AIOTDEV_REPLAY_WINDOW;

	memcpy(w->nn[slot], nn, AIOT_NONCE_LEN);
	w->next = (slot + 1) % AIOTDEV_REPLAY_WINDOW;
	if (w->used < AIOTDEV_REPLAY_WINDOW)
		w->used++;
}
