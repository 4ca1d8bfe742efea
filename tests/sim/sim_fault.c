// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Fault modes: their names, the downgraded policy, and the malformed
 * variants of a response (one per reason the AIoTF must drop a frame
 * for, README.md "Fault modes").
 */
#include "sim.h"

static const struct {
	const char *name;
	unsigned int bit;
} faults[] = {
	{ "wrong-key", SIM_F_WRONG_KEY },
	{ "bad-mac", SIM_F_BAD_MAC },
	{ "wrong-id", SIM_F_WRONG_ID },
	{ "replay", SIM_F_REPLAY },
	{ "stale", SIM_F_STALE },
	{ "late", SIM_F_LATE },
	{ "downgrade", SIM_F_DOWNGRADE },
	{ "malformed", SIM_F_MALFORMED },
	{ "silent", SIM_F_SILENT },
	{ "forge", SIM_F_FORGE },
};

unsigned int sim_fault_parse(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		if (!strcmp(name, faults[i].name))
			return faults[i].bit;
	return 0;
}

const char *sim_fault_names(void)
{
	return "wrong-key, bad-mac, wrong-id, replay, stale, late, downgrade, malformed, silent, forge";
}

/*
 * The weakest policy of the same ID protection: a 4-byte MAC, and for a
 * CMD_RESP PI without PC. Where that is what was asked, an AUTH_RESP
 * switches its ID protection instead (the AIoTF must refuse that too); a
 * CMD_RESP has nothing weaker and stays as asked. An INV_RESP (ML only)
 * answers with a 4-byte MAC, or as asked if that was asked.
 */
u8 sim_downgrade(u8 policy, u8 type)
{
	u8 idp = policy & AIOTSEC_POL_IDP_MASK;
	u8 weak;

	if (type == AIOT_MSG_INV_RESP)
		return 0;
	if (type == AIOT_MSG_AUTH_RESP) {
		weak = idp;
		if (weak == policy)
			weak = idp == AIOTSEC_POL_IDP_TID ? AIOTSEC_POL_IDP_ENC :
							    AIOTSEC_POL_IDP_TID;
		return weak;
	}
	return idp | AIOTSEC_POL_PI;
}

/* One malformed copy of @r, changed by @how; see the table below. */
enum mal {
	MAL_VERSION, MAL_SUITE, MAL_TYPE, MAL_POLICY, MAL_SHORT,
	MAL_TRAILING, MAL_LENGTH, MAL_REQUEST, MAL_NUM
};

unsigned int sim_queue_malformed(struct sim *s, const u8 dst[6],
				 const u8 *r, size_t len, const u8 *nn)
{
	u8 f[SIM_FRAME_MAX];
	unsigned int n = 0, how;
	size_t flen;
	u8 type;

	if (len < AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + 2 ||
	    len + AIOT_PAD_PAYLOAD_MAX > sizeof(f))
		return 0;
	type = r[0] & 0x0f;
	for (how = 0; how < MAL_NUM; how++) {
		memcpy(f, r, len);
		flen = len;
		switch (how) {
		case MAL_VERSION:	/* AIOTSEC_DROP_VERSION */
			f[0] = (u8)((AIOT_VERSION + 1) << 4 | type);
			break;
		case MAL_SUITE:		/* AIOTSEC_DROP_SUITE */
			f[1] = AIOT_SUITE_1 + 1;
			break;
		case MAL_TYPE:		/* AIOTSEC_DROP_TYPE */
			f[0] = AIOT_VERSION << 4 | 0x0f;
			break;
		case MAL_POLICY:	/* AIOTSEC_DROP_POLICY */
			f[2] |= AIOTSEC_POL_RESERVED;
			break;
		case MAL_SHORT:		/* AIOTSEC_DROP_SHORT */
			flen = len - 1;
			break;
		case MAL_TRAILING:	/* AIOTSEC_DROP_TRAILING */
			flen = len < AIOT_PAD_PAYLOAD_MAX ?
			       AIOT_PAD_PAYLOAD_MAX + 1 : len + 1;
			memset(f + len, 0, flen - len);
			break;
		case MAL_LENGTH:	/* AIOTSEC_DROP_CAPLEN / _PLEN */
			if (type == AIOT_MSG_INV_RESP)
				f[AIOT_HDR_LEN + AIOT_CT_LEN +
				  AIOT_NONCE_LEN + AIOT_RID_LEN] =
					AIOTSEC_CAPLEN_MAX + 1;
			else if (type == AIOT_MSG_AUTH_RESP)
				f[AIOT_HDR_LEN + AIOT_CT_LEN +
				  AIOT_NONCE_LEN + AIOT_PID_LEN] =
					AIOTSEC_CAPLEN_MAX + 1;
			else
				put_unaligned_be16(AIOTSEC_PLEN_MAX + 1,
						   f + AIOT_HDR_LEN +
						   AIOT_CT_LEN +
						   AIOT_NONCE_LEN);
			break;
		default:		/* MAL_REQUEST: AIOTSEC_DROP_NOT_RESPONSE */
			aiot_put_hdr(f, AIOT_MSG_PAGING,
				     (r[2] & AIOTSEC_POL_ML_MASK) |
				     AIOTSEC_POL_IDP_TID);
			memcpy(f + AIOT_HDR_LEN, nn, AIOT_NONCE_LEN);
			memset(f + AIOT_HDR_LEN + AIOT_NONCE_LEN, 0,
			       AIOT_PID_LEN);
			flen = aiot_paging_len();
			break;
		}
		n += sim_queue(s, dst, f, flen, s->now_ms);
	}
	return n;
}

unsigned int sim_queue_forged(struct sim *s, const u8 dst[6], const u8 *r,
			      size_t len)
{
	size_t maclen = aiot_mac_len(r[2]), rid = AIOT_HDR_LEN + AIOT_CT_LEN +
						   AIOT_NONCE_LEN;
	u8 f[SIM_FRAME_MAX];
	unsigned int n = 0;

	if (len > sizeof(f) || len < rid + AIOT_RID_LEN + 1 + maclen)
		return 0;
	if ((r[0] & 0x0f) == AIOT_MSG_INV_RESP) {
		/* A RID no candidate has: dropped before any cryptography. */
		memcpy(f, r, len);
		if (s->random(f + rid, AIOT_RID_LEN))
			return 0;
		n += sim_queue(s, dst, f, len, s->now_ms);
	}
	/* The true RID (or no RID), a MAC without the key. */
	memcpy(f, r, len);
	if (s->random(f + len - maclen, maclen))
		return n;
	return n + sim_queue(s, dst, f, len, s->now_ms);
}
