/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Wire and crypto profile v1.1 (PROTOCOL.md), the constants only the protocol
 * core needs. What user space needs through the netlink API (ID and key
 * sizes, the policy byte, payload and capability limits, drop reasons)
 * stays in uapi/linux/aiotsec.h.
 *
 * Every message (all integers big-endian), HDR = [0x10 | TYPE] [SUITE] [POLICY]:
 *
 *   PAGING     AIoTF -> devices  HDR NN[16] PID[16]                      35 bytes
 *   AUTH_RESP  device -> AIoTF   HDR CT[4] DN[16] PID*[16] CAPLEN[1] CAP MAC
 *   COMMAND    AIoTF -> device   HDR NN[16] PID[16] PLEN[2] SP MAC
 *   CMD_RESP   device -> AIoTF   HDR CT[4] DN[16] PLEN[2] SP MAC
 *   INVENTORY  AIoTF -> devices  HDR NN[16] FBITS[1] FILTER      (v1.1) 20..28 bytes
 *   INV_RESP   device -> AIoTF   HDR CT[4] DN[16] RID[8] CAPLEN[1] CAP MAC (v1.1)
 *
 * CT is NN[0..3] of the request being answered. MAC length L comes from the
 * policy's ML field. One message per Ethernet frame, AIOTSEC_ETHERTYPE.
 */
#ifndef _AIOT_WIRE_H
#define _AIOT_WIRE_H

#define AIOT_VERSION		1	/* high nibble of HDR[0] */
#define AIOT_SUITE_1		1	/* HMAC-SHA-256 KDF, NEA2, NIA2 */

/* Message types, low nibble of HDR[0]. */
enum aiot_msg_type {
	AIOT_MSG_PAGING		= 1,
	AIOT_MSG_AUTH_RESP	= 2,
	AIOT_MSG_COMMAND	= 3,
	AIOT_MSG_CMD_RESP	= 4,
	AIOT_MSG_INVENTORY	= 5,	/* v1.1 */
	AIOT_MSG_INV_RESP	= 6,	/* v1.1 */
};

#define AIOT_MSG_TYPE_LAST	AIOT_MSG_INV_RESP

/* Field sizes, in bytes (the ID's is AIOTSEC_ID_LEN). */
#define AIOT_HDR_LEN		3
#define AIOT_NONCE_LEN		16	/* NN and DN */
#define AIOT_CT_LEN		4	/* correlation tag: NN[0..3] */
#define AIOT_PID_LEN		16	/* protected ID: ENC(ID) or TID */
#define AIOT_MAC_MAX		16
#define AIOT_RID_LEN		8	/* inventory response ID (v1.1) */
#define AIOT_FBITS_MAX		64	/* filter bits of an INVENTORY */
#define AIOT_FILTER_MAX		(AIOT_FBITS_MAX / 8)
/*
 * Ethernet pads frames to 60 bytes: a payload of at most this may carry
 * trailing padding after the message.
 */
#define AIOT_PAD_PAYLOAD_MAX	46

/*
 * KDF function codes (not allocated by 3GPP). 0xA1..0xA4 are the profile's;
 * 0xA5 is this implementation's own, for the key fingerprint that the
 * netlink API shows instead of a key: SHA-256((K ^ opad) || 0xA5), 65
 * bytes, never an HMAC's outer input (96 bytes), so it is separated from
 * every profile derivation.
 */
#define AIOT_FC_DL_KEYS		0xA1	/* Kenc || Kint   = KDF(K, FC, NN) */
#define AIOT_FC_UL_KEYS		0xA2	/* Kenc* || Kint* = KDF(K, FC, NN, DN) */
#define AIOT_FC_TID		0xA3	/* TID  = KDF(K, FC, NN, ID)[0..15] */
#define AIOT_FC_TID_UL		0xA4	/* TID* = KDF(K, FC, NN, DN, ID)[0..15] */
#define AIOT_FC_KEY_FP		0xA5	/* fp = SHA256((K^opad)||FC)[0..7] */
#define AIOT_FC_RID		0xA6	/* RID  = KDF(K, FC, NN, ID)[0..7] (v1.1) */

/* NEA2 / NIA2 BEARER and DIR values. COUNT is always 0. */
#define AIOT_BEARER_ID		0
#define AIOT_BEARER_PAYLOAD	1
#define AIOT_BEARER_MSG		2
#define AIOT_DIR_DOWN		0
#define AIOT_DIR_UP		1

#endif /* _AIOT_WIRE_H */
