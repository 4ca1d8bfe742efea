// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame codec of profile v1 (PROTOCOL.md "Messages" and "Security policy
 * byte"). Every length is computed from the message's own fields and
 * checked against the buffer before any byte past the header is read.
 */
#include "codec.h"

#define ML(p)	(((p) & AIOTSEC_POL_ML_MASK) >> AIOTSEC_POL_ML_SHIFT)

unsigned int aiot_mac_len(u8 policy)
{
	static const u8 len[4] = { 4, 8, 16, 0 };

	return len[ML(policy)];
}
EXPORT_SYMBOL_IF_KUNIT(aiot_mac_len);

/* Is @policy valid for a message of @type? */
enum aiotsec_drop aiot_policy_check(u8 policy, u8 type)
{
	u8 idp = policy & AIOTSEC_POL_IDP_MASK;
	u8 integ = policy & (AIOTSEC_POL_PI | AIOTSEC_POL_MI);

	if (policy & AIOTSEC_POL_RESERVED)
		return AIOTSEC_DROP_POLICY;
	if (idp != AIOTSEC_POL_IDP_ENC && idp != AIOTSEC_POL_IDP_TID)
		return AIOTSEC_DROP_POLICY;
	if (!aiot_mac_len(policy))
		return AIOTSEC_DROP_POLICY;

	switch (type) {
	case AIOT_MSG_PAGING:
	case AIOT_MSG_AUTH_RESP:
		if (policy & ~AIOTSEC_POL_AUTH_MASK)
			return AIOTSEC_DROP_POLICY;
		return AIOTSEC_DROP_NONE;
	case AIOT_MSG_COMMAND:
	case AIOT_MSG_CMD_RESP:
		if (integ != AIOTSEC_POL_PI && integ != AIOTSEC_POL_MI)
			return AIOTSEC_DROP_POLICY;
		return AIOTSEC_DROP_NONE;
	}
	return AIOTSEC_DROP_TYPE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_policy_check);

/*
 * Does a response's @policy meet the device's @minimum? PC and MI where the
 * minimum has them, a MAC no shorter. An AUTH_RESP carries neither PC nor
 * MI and is always MACed over the whole message, so only ML counts there.
 */
bool aiot_policy_meets(u8 policy, u8 minimum, u8 type)
{
	if (aiot_mac_len(policy) < aiot_mac_len(minimum))
		return false;
	if (type == AIOT_MSG_AUTH_RESP)
		return true;
	if ((minimum & AIOTSEC_POL_PC) && !(policy & AIOTSEC_POL_PC))
		return false;
	if ((minimum & AIOTSEC_POL_MI) && !(policy & AIOTSEC_POL_MI))
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_policy_meets);

size_t aiot_paging_len(void)
{
	return AIOT_HDR_LEN + AIOT_NONCE_LEN + AIOT_PID_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_paging_len);

size_t aiot_auth_resp_len(u8 policy, u8 caplen)
{
	return AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN +
	       AIOT_PID_LEN + 1 + caplen + aiot_mac_len(policy);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_auth_resp_len);

size_t aiot_command_len(u8 policy, u16 plen)
{
	return AIOT_HDR_LEN + AIOT_NONCE_LEN + AIOT_PID_LEN + 2 +
	       plen + aiot_mac_len(policy);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_command_len);

size_t aiot_cmd_resp_len(u8 policy, u16 plen)
{
	return AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + 2 +
	       plen + aiot_mac_len(policy);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_cmd_resp_len);

/*
 * Parse one message from the payload of a frame. Trailing bytes are
 * accepted only as Ethernet padding: the whole payload at most 46 bytes.
 */
enum aiotsec_drop aiot_parse(const u8 *buf, size_t len, struct aiot_msg *m)
{
	const u8 *p = buf + AIOT_HDR_LEN;
	enum aiotsec_drop err;
	size_t need;

	memset(m, 0, sizeof(*m));
	if (len < AIOT_HDR_LEN)
		return AIOTSEC_DROP_SHORT;
	if (buf[0] >> 4 != AIOT_VERSION)
		return AIOTSEC_DROP_VERSION;
	if (buf[1] != AIOT_SUITE_1)
		return AIOTSEC_DROP_SUITE;
	m->type = buf[0] & 0x0f;
	if (m->type < AIOT_MSG_PAGING || m->type > AIOT_MSG_CMD_RESP)
		return AIOTSEC_DROP_TYPE;
	m->policy = buf[2];
	m->hdr = buf;
	err = aiot_policy_check(m->policy, m->type);
	if (err)
		return err;
	m->maclen = aiot_mac_len(m->policy);

	switch (m->type) {
	case AIOT_MSG_PAGING:
		need = aiot_paging_len();
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->nn = p;
		m->pid = p + AIOT_NONCE_LEN;
		break;
	case AIOT_MSG_AUTH_RESP:
		need = aiot_auth_resp_len(m->policy, 0);
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->ct = p;
		m->dn = p + AIOT_CT_LEN;
		m->pid = m->dn + AIOT_NONCE_LEN;
		m->caplen = m->pid[AIOT_PID_LEN];
		if (m->caplen > AIOTSEC_CAPLEN_MAX)
			return AIOTSEC_DROP_CAPLEN;
		need += m->caplen;
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->cap = m->pid + AIOT_PID_LEN + 1;
		break;
	case AIOT_MSG_COMMAND:
	case AIOT_MSG_CMD_RESP:
		if (m->type == AIOT_MSG_COMMAND) {
			need = aiot_command_len(m->policy, 0);
			if (len < need)
				return AIOTSEC_DROP_SHORT;
			m->nn = p;
			m->pid = p + AIOT_NONCE_LEN;
			m->plen_p = m->pid + AIOT_PID_LEN;
		} else {
			need = aiot_cmd_resp_len(m->policy, 0);
			if (len < need)
				return AIOTSEC_DROP_SHORT;
			m->ct = p;
			m->dn = p + AIOT_CT_LEN;
			m->plen_p = m->dn + AIOT_NONCE_LEN;
		}
		m->plen = get_unaligned_be16(m->plen_p);
		if (m->plen > AIOTSEC_PLEN_MAX)
			return AIOTSEC_DROP_PLEN;
		need += m->plen;
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->sp = m->plen_p + 2;
		break;
	default:
		return AIOTSEC_DROP_TYPE;
	}

	if (len > need && len > AIOT_PAD_PAYLOAD_MAX)
		return AIOTSEC_DROP_TRAILING;
	m->len = need;
	if (m->type != AIOT_MSG_PAGING)
		m->mac = buf + need - m->maclen;
	return AIOTSEC_DROP_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_parse);
