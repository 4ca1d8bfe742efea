/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * aiotsec: 3GPP TR 33.713 Solution #9 (AIoT device authentication and data
 * communication security), wire and crypto profile v1.
 *
 * This header is the profile as seen by user space: the wire constants
 * every implementation shares, and (below) the generic netlink API of the
 * aiotsec module.
 *
 * Wire format (all integers big-endian), HDR = [0x10 | TYPE] [SUITE] [POLICY]:
 *
 *   PAGING     AIoTF -> devices  HDR NN[16] PID[16]                      35 bytes
 *   AUTH_RESP  device -> AIoTF   HDR CT[4] DN[16] PID*[16] CAPLEN[1] CAP MAC
 *   COMMAND    AIoTF -> device   HDR NN[16] PID[16] PLEN[2] SP MAC
 *   CMD_RESP   device -> AIoTF   HDR CT[4] DN[16] PLEN[2] SP MAC
 *
 * CT is NN[0..3] of the request being answered. MAC length L comes from the
 * policy's ML field. One message per Ethernet frame, EtherType 0x88B5.
 */
#ifndef _UAPI_LINUX_AIOTSEC_H
#define _UAPI_LINUX_AIOTSEC_H

#define AIOTSEC_ETHERTYPE	0x88B5

#define AIOTSEC_VERSION		1	/* high nibble of HDR[0] */
#define AIOTSEC_SUITE_1		1	/* HMAC-SHA-256 KDF, NEA2, NIA2 */

/* Message types, low nibble of HDR[0]. */
enum aiotsec_msg_type {
	AIOTSEC_MSG_PAGING	= 1,
	AIOTSEC_MSG_AUTH_RESP	= 2,
	AIOTSEC_MSG_COMMAND	= 3,
	AIOTSEC_MSG_CMD_RESP	= 4,
};

/* Field sizes, in bytes. */
#define AIOTSEC_HDR_LEN		3
#define AIOTSEC_ID_LEN		16	/* AIoT Device ID, left-padded with zeros */
#define AIOTSEC_NONCE_LEN	16	/* NN and DN */
#define AIOTSEC_CT_LEN		4	/* correlation tag: NN[0..3] */
#define AIOTSEC_PID_LEN		16	/* protected ID: ENC(ID) or TID */
#define AIOTSEC_KEY_LEN_128	16	/* Device Authentication Key sizes */
#define AIOTSEC_KEY_LEN_256	32
#define AIOTSEC_MAC_MAX		16
#define AIOTSEC_PLEN_MAX	1024	/* payload of COMMAND / CMD_RESP */
#define AIOTSEC_CAPLEN_MAX	32	/* capability of AUTH_RESP */
/* Ethernet pads frames to 60 bytes: a payload of at most this may carry
 * trailing padding after the message.
 */
#define AIOTSEC_PAD_PAYLOAD_MAX	46

/*
 * Security policy byte.
 *   bits 0-1  IDP  ID protection: 1 encrypted ID, 2 temporary ID
 *   bit  2    PC   payload confidentiality (NEA2, BEARER 1)
 *   bit  3    PI   payload integrity: MAC over HDR || PLEN || SP, BEARER 1
 *   bit  4    MI   whole-message integrity: MAC over all before it, BEARER 2
 *   bits 5-6  ML   MAC length: 0 -> 4, 1 -> 8, 2 -> 16 bytes
 *   bit  7    must be 0
 * COMMAND/CMD_RESP: exactly one of PI, MI. PAGING/AUTH_RESP: PC=PI=MI=0.
 */
#define AIOTSEC_POL_IDP_MASK	0x03
#define AIOTSEC_POL_IDP_ENC	0x01
#define AIOTSEC_POL_IDP_TID	0x02
#define AIOTSEC_POL_PC		0x04
#define AIOTSEC_POL_PI		0x08
#define AIOTSEC_POL_MI		0x10
#define AIOTSEC_POL_ML_SHIFT	5
#define AIOTSEC_POL_ML_MASK	0x60
#define AIOTSEC_POL_RESERVED	0x80
/* Fields a PAGING / AUTH_RESP carries (IDP and ML). */
#define AIOTSEC_POL_AUTH_MASK	(AIOTSEC_POL_IDP_MASK | AIOTSEC_POL_ML_MASK)

/* KDF function codes of this profile (not allocated by 3GPP). */
#define AIOTSEC_FC_DL_KEYS	0xA1	/* Kenc || Kint   = KDF(K, FC, NN) */
#define AIOTSEC_FC_UL_KEYS	0xA2	/* Kenc* || Kint* = KDF(K, FC, NN, DN) */
#define AIOTSEC_FC_TID		0xA3	/* TID  = KDF(K, FC, NN, ID)[0..15] */
#define AIOTSEC_FC_TID_UL	0xA4	/* TID* = KDF(K, FC, NN, DN, ID)[0..15] */

/* NEA2 / NIA2 BEARER and DIR values. COUNT is always 0. */
#define AIOTSEC_BEARER_ID	0
#define AIOTSEC_BEARER_PAYLOAD	1
#define AIOTSEC_BEARER_MSG	2
#define AIOTSEC_DIR_DOWN	0
#define AIOTSEC_DIR_UP		1

/*
 * Why a frame or response was rejected. Used as the codec's error codes
 * and as counter indices (AIOTSEC_A_STATS_DROP_*).
 */
enum aiotsec_drop {
	AIOTSEC_DROP_NONE = 0,
	AIOTSEC_DROP_SHORT,		/* shorter than its own fields say */
	AIOTSEC_DROP_VERSION,		/* HDR version is not 1 */
	AIOTSEC_DROP_SUITE,		/* HDR suite is not 1 */
	AIOTSEC_DROP_TYPE,		/* type unknown or wrong direction */
	AIOTSEC_DROP_POLICY,		/* policy byte invalid for the type */
	AIOTSEC_DROP_PLEN,		/* PLEN over 1024 */
	AIOTSEC_DROP_CAPLEN,		/* CAPLEN over 32 */
	AIOTSEC_DROP_TRAILING,		/* bytes after the message, not padding */
	AIOTSEC_DROP_UNKNOWN_CT,	/* no pending transaction has this CT */
	AIOTSEC_DROP_MAC,		/* MAC verification failed */
	AIOTSEC_DROP_ID,		/* PID* does not match the device */
	AIOTSEC_DROP_DOWNGRADE,		/* policy below the device's minimum */
	AIOTSEC_DROP_NO_READER,		/* interface not bound as a reader */
	__AIOTSEC_DROP_MAX
};

#define AIOTSEC_DROP_MAX (__AIOTSEC_DROP_MAX - 1)

#endif /* _UAPI_LINUX_AIOTSEC_H */
