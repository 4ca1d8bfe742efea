// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a case costs in primitive operations, from the message lengths
 * (codec.c) and the profile's derivations, and what that costs in energy
 * under published per-operation figures (ENERGY.md). Counts are per call
 * as the core makes them: every aiot_ctr() and aiot_cmac() call expands
 * its AES key again.
 */
#include "bench.h"

/* FC || P0 || [16]_2 || ...: the KDF input with @n parameters of 16 bytes. */
#define KDF_LEN(n)	(1 + (n) * (AIOT_NONCE_LEN + 2))
/* NIA2 MACs [COUNT]_4 || [BEARER, DIR]_4 || M. */
#define NIA2_HEAD	8

static unsigned int div_up(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/*
 * HMAC-SHA-256 over @n bytes with a key of at most 64 bytes: the inner hash
 * is the ipad block then ceil((n + 9) / 64) blocks (message, 0x80, 64-bit
 * length); the outer one the opad block then one block (32 + 9 < 64).
 * Prepared, the two key blocks are compressed once per key, not here.
 */
unsigned int hmac_sha_blocks(size_t n, bool pre)
{
	return div_up(n + 9, 64) + 1 + (pre ? 0 : 2);
}

static void kdf(struct bench_ops *o, unsigned int nparams, bool pre)
{
	o->sha += hmac_sha_blocks(KDF_LEN(nparams), pre);
}

/* NEA2 = AES-128-CTR: a key expansion and one block per 16 bytes. */
static void ctr(struct bench_ops *o, size_t len)
{
	if (!len)
		return;
	o->aes += div_up(len, AIOT_AES_BLOCK);
	o->kexp++;
}

/* NIA2 = AES-CMAC over @m bytes: the subkey block L = E(K, 0), then m/16. */
static void cmac(struct bench_ops *o, size_t m)
{
	o->aes += 1 + (m ? div_up(m, AIOT_AES_BLOCK) : 1);
	o->kexp++;
}

/* PID (downlink, KDF with NN, ID) or PID* (uplink, NN, DN, ID). */
static void pid(struct bench_ops *o, u8 policy, unsigned int nparams,
		bool pre)
{
	if (aiot_idp_is_tid(policy))
		kdf(o, nparams, pre);
	else
		ctr(o, AIOTSEC_ID_LEN);
}

/* What a MAC of a COMMAND (@down) or CMD_RESP covers, NIA2 head included. */
static size_t mac_input(u8 policy, u16 plen, bool down)
{
	size_t len = down ? aiot_command_len(policy, plen) :
			    aiot_cmd_resp_len(policy, plen);

	if (policy & AIOTSEC_POL_PI)
		return NIA2_HEAD + AIOT_HDR_LEN + 2 + plen;
	return NIA2_HEAD + len - aiot_mac_len(policy);
}

/* PAGING: Kenc || Kint only for an encrypted ID; then PID. */
static void paging_match(struct bench_ops *o, u8 policy, bool pre)
{
	if (!aiot_idp_is_tid(policy))
		kdf(o, 1, pre);
	pid(o, policy, 2, pre);
}

void case_ops(const struct bench_case *c, struct bench_ops *o)
{
	u8 p = c->policy;

	memset(o, 0, sizeof(*o));
	switch (c->kind) {
	case BK_CAL_SHA:
		o->sha = 64;
		break;
	case BK_CAL_AES:
		o->aes = 64;
		break;
	case BK_REJECT:
		paging_match(o, p, c->pre);
		break;
	case BK_PAGING:
		paging_match(o, p, c->pre);
		/* AUTH_RESP: Kenc* || Kint*, PID*, NIA2 over all but MAC. */
		kdf(o, 2, c->pre);
		pid(o, p, 3, c->pre);
		cmac(o, NIA2_HEAD + aiot_auth_resp_len(p, 0) -
			aiot_mac_len(p));
		break;
	case BK_COMMAND:
		kdf(o, 1, c->pre);
		pid(o, p, 2, c->pre);
		cmac(o, mac_input(p, c->plen, true));
		if (p & AIOTSEC_POL_PC)
			ctr(o, c->plen);
		/* CMD_RESP of the same length and policy. */
		kdf(o, 2, c->pre);
		if (p & AIOTSEC_POL_PC)
			ctr(o, c->plen);
		cmac(o, mac_input(p, c->plen, false));
		break;
	case BK_INV_ANSWER:
		/* RID = KDF(K, 0xA6, NN, ID), Kenc* || Kint*, NIA2. */
		kdf(o, 2, c->pre);
		kdf(o, 2, c->pre);
		cmac(o, NIA2_HEAD + aiot_inv_resp_len(p, 0) - aiot_mac_len(p));
		break;
	default:
		/* BK_INV_MISS, BK_INV_REPEAT: none at all. */
		break;
	}
}

/*
 * Per-operation figures (ENERGY.md gives the sources and the caveats):
 * sw: a Cortex-M3 class MCU at 0.1 nJ per cycle; SHA-256 3000 cycles per
 *     compression (estimate), AES-128 650 cycles per block (Schwabe and
 *     Stoffelen, SAC 2016), key expansion taken as one block;
 * hw: the 0.35 um RFID cores of Feldhofer et al. (CHES 2004: AES-128,
 *     1016 cycles, 8.15 uA at 100 kHz) and Feldhofer and Rechberger (OTM
 *     2006: SHA-256, 1128 cycles, 15.87 uA at 100 kHz), both at 1.5 V;
 *     round keys on the fly, so no separate key expansion.
 */
#define SW_NJ_PER_CYCLE	0.1
/* uA at 1.5 V and 100 kHz, for @cyc cycles: uA * 1.5 V * cyc * 10 us. */
#define HW_NJ(ua, cyc)	((ua) * 1.5 * (cyc) * 0.01)

const struct bench_energy bench_energy[] = {
	{ "sw", "software on a Cortex-M3 class MCU, 0.1 nJ/cycle",
	  3000 * SW_NJ_PER_CYCLE, 650 * SW_NJ_PER_CYCLE,
	  650 * SW_NJ_PER_CYCLE, 3000, 650, 650 },
	{ "hw", "RFID-class AES and SHA-256 cores, 0.35 um, 100 kHz",
	  HW_NJ(15.87, 1128), HW_NJ(8.15, 1016), 0, 1128, 1016, 0 },
};

const unsigned int bench_nenergy = ARRAY_SIZE(bench_energy);

double ops_nj(const struct bench_energy *e, const struct bench_ops *o)
{
	return o->sha * e->nj_sha + o->aes * e->nj_aes + o->kexp * e->nj_kexp;
}

double ops_cycles(const struct bench_energy *e, const struct bench_ops *o)
{
	return o->sha * e->cyc_sha + o->aes * e->cyc_aes +
	       o->kexp * e->cyc_kexp;
}
