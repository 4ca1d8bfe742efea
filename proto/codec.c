// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame codec of profile v1.1 (PROTOCOL.md "Messages" and "Security policy
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

/*
 * The policy rules (PROTOCOL.md "Security policy byte"), in words: each
 * returns why @p breaks them, or NULL. The kernel and user space share
 * these; aiotctl shows the words, the receive path counts the drop.
 */
static const char *why_bits(u8 p)	/* every policy byte */
{
	if (p & AIOTSEC_POL_RESERVED)
		return "bit 7 must be 0";
	if (!aiot_mac_len(p))
		return "MAC length field (bits 5-6) must be 0, 1 or 2";
	return NULL;
}

static const char *why_common(u8 p)	/* every message's */
{
	u8 idp = p & AIOTSEC_POL_IDP_MASK;
	const char *why = why_bits(p);

	if (!why && idp != AIOTSEC_POL_IDP_ENC && idp != AIOTSEC_POL_IDP_TID)
		why = "ID protection (bits 0-1) must be 1 (enc) or 2 (tid)";
	return why;
}

const char *aiot_policy_why(u8 policy, u8 kind)
{
	u8 integ = policy & (AIOTSEC_POL_PI | AIOTSEC_POL_MI);
	const char *why;

	if (kind == AIOT_POLICY_MINIMUM)
		return why_bits(policy);
	if (kind == AIOT_MSG_INVENTORY || kind == AIOT_MSG_INV_RESP) {
		why = why_bits(policy);
		if (!why && (policy & ~AIOTSEC_POL_ML_MASK))
			why = "an INVENTORY or INV_RESP carries only ML (bits 5-6)";
		return why;
	}
	why = why_common(policy);
	if (why)
		return why;
	switch (kind) {
	case AIOT_MSG_PAGING:
	case AIOT_MSG_AUTH_RESP:
		if (policy & ~AIOTSEC_POL_AUTH_MASK)
			return "pc, pi and mi (bits 2-4) must be 0 in a PAGING or AUTH_RESP";
		return NULL;
	case AIOT_MSG_COMMAND:
	case AIOT_MSG_CMD_RESP:
		if (integ != AIOTSEC_POL_PI && integ != AIOTSEC_POL_MI)
			return "exactly one of pi (bit 3) and mi (bit 4) is required";
		return NULL;
	}
	return "no such message type";
}
EXPORT_SYMBOL_IF_KUNIT(aiot_policy_why);

/* Is @policy valid for a message of @type? */
enum aiotsec_drop aiot_policy_check(u8 policy, u8 type)
{
	if (type < AIOT_MSG_PAGING || type > AIOT_MSG_TYPE_LAST)
		return why_common(policy) ? AIOTSEC_DROP_POLICY : AIOTSEC_DROP_TYPE;
	return aiot_policy_why(policy, type) ? AIOTSEC_DROP_POLICY :
					      AIOTSEC_DROP_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_policy_check);

/*
 * Is @minimum valid as a device's minimum policy? It ranks only PC, MI and
 * the MAC length, so IDP and the integrity choice may be left out; the
 * reserved bit and the invalid ML 3 may not.
 */
bool aiot_min_policy_valid(u8 minimum)
{
	return !aiot_policy_why(minimum, AIOT_POLICY_MINIMUM);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_min_policy_valid);

/*
 * Does a response's @policy meet the device's @minimum? PC and MI where the
 * minimum has them, a MAC no shorter. An AUTH_RESP or INV_RESP carries
 * neither PC nor MI and is always MACed over the whole message, so only ML
 * counts there (and in the INVENTORY that asks for INV_RESPs).
 */
bool aiot_policy_meets(u8 policy, u8 minimum, u8 type)
{
	if (aiot_mac_len(policy) < aiot_mac_len(minimum))
		return false;
	if (type == AIOT_MSG_AUTH_RESP || type == AIOT_MSG_INVENTORY ||
	    type == AIOT_MSG_INV_RESP)
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

size_t aiot_inventory_len(u8 fbits)
{
	return AIOT_HDR_LEN + AIOT_NONCE_LEN + 1 + aiot_filter_len(fbits);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_inventory_len);

size_t aiot_inv_resp_len(u8 policy, u8 caplen)
{
	return AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + AIOT_RID_LEN +
	       1 + caplen + aiot_mac_len(policy);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_inv_resp_len);

/* FBITS 0..64, and no filter bit set past FBITS. */
bool aiot_filter_valid(u8 fbits, const u8 *filter)
{
	if (fbits > AIOT_FBITS_MAX)
		return false;
	if (!(fbits % 8))
		return true;
	return !(filter[fbits / 8] & (0xff >> (fbits % 8)));
}
EXPORT_SYMBOL_IF_KUNIT(aiot_filter_valid);

bool aiot_group_match(const u8 group[AIOTSEC_GROUP_LEN], u8 fbits,
		      const u8 *filter)
{
	unsigned int whole = fbits / 8;
	u8 mask;

	if (fbits > AIOT_FBITS_MAX)
		return false;
	if (whole && memcmp(group, filter, whole))
		return false;
	if (!(fbits % 8))
		return true;
	mask = 0xff << (8 - fbits % 8);
	return !((group[whole] ^ filter[whole]) & mask);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_group_match);

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
	if (m->type < AIOT_MSG_PAGING || m->type > AIOT_MSG_TYPE_LAST)
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
	case AIOT_MSG_INVENTORY:
		need = aiot_inventory_len(0);
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->nn = p;
		m->fbits = p[AIOT_NONCE_LEN];
		if (m->fbits > AIOT_FBITS_MAX)
			return AIOTSEC_DROP_FILTER;
		need = aiot_inventory_len(m->fbits);
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->filter = p + AIOT_NONCE_LEN + 1;
		if (!aiot_filter_valid(m->fbits, m->filter))
			return AIOTSEC_DROP_FILTER;
		break;
	case AIOT_MSG_INV_RESP:
		need = aiot_inv_resp_len(m->policy, 0);
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->ct = p;
		m->dn = p + AIOT_CT_LEN;
		m->rid = m->dn + AIOT_NONCE_LEN;
		m->caplen = m->rid[AIOT_RID_LEN];
		if (m->caplen > AIOTSEC_CAPLEN_MAX)
			return AIOTSEC_DROP_CAPLEN;
		need += m->caplen;
		if (len < need)
			return AIOTSEC_DROP_SHORT;
		m->cap = m->rid + AIOT_RID_LEN + 1;
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
	if (m->type != AIOT_MSG_PAGING && m->type != AIOT_MSG_INVENTORY)
		m->mac = buf + need - m->maclen;
	return AIOTSEC_DROP_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_parse);
