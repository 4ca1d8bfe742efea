// SPDX-License-Identifier: GPL-2.0
/*
 * Suite 1 primitives on the kernel's crypto library (lib/crypto): SHA-256
 * and AES. The crypto API's hmac(sha256), cmac(aes) and ctr(aes) compute
 * the same functions (the KUnit suite checks them against each other), but
 * for messages of a few dozen bytes its per-call overhead (tfm lookup,
 * setkey of the long-term key, scatterlists) costs more than the crypto,
 * and a keyed tfm cannot be shared between CPUs without a lock. Here a
 * device key is prepared once into HMAC inner and outer states, and the
 * per-message keys are expanded on the stack.
 *
 * Only lib/crypto: the same code on every boot and every CPU, through
 * public interfaces. (An accelerated variant would have to go through
 * per-CPU cmac(aes) and ctr(aes) transforms and HMAC states exported by
 * the accelerated transform itself; under QEMU/TCG, where this project
 * measures, emulated SIMD is slower than this C.)
 */
#include <crypto/aes.h>
#include <crypto/sha2.h>
#include <crypto/algapi.h>
#include <linux/module.h>
#include <linux/string.h>

#include "prim.h"

/*
 * Kept for configurations that name it: "lib" is the one implementation;
 * any other value fails the load, so that a stale "accel" or "auto" does
 * not go unnoticed.
 */
static char *prim = "lib";
module_param(prim, charp, 0444);
MODULE_PARM_DESC(prim, "suite 1 primitives: lib (lib/crypto; the only one)");

int aiot_prim_init(void)
{
	if (strcmp(prim, "lib")) {
		pr_err("aiotsec: prim=%s: unknown (the one implementation is lib)\n",
		       prim);
		return -EINVAL;
	}
	return 0;
}

void aiot_prim_exit(void)
{
}

const char *aiot_prim_drivers(void)
{
	return "lib/crypto sha256, aes";
}
EXPORT_SYMBOL_IF_KUNIT(aiot_prim_drivers);

/* One AES block. */
static inline void aes_blk(const struct crypto_aes_ctx *ctx, u8 *out,
			   const u8 *in)
{
	aes_encrypt(ctx, out, in);
}

int aiot_hkey_init(struct aiot_hkey *hk, const u8 *key, size_t keylen)
{
	u8 pad[SHA256_BLOCK_SIZE];
	struct sha256_state st;
	int i;

	if (!keylen || keylen > SHA256_BLOCK_SIZE)
		return -EINVAL;

	memset(pad, 0, sizeof(pad));
	memcpy(pad, key, keylen);
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] ^= 0x36;
	sha256_init(&st);
	sha256_update(&st, pad, sizeof(pad));
	memcpy(hk->istate, st.state, sizeof(hk->istate));

	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	sha256_init(&st);
	sha256_update(&st, pad, sizeof(pad));
	memcpy(hk->ostate, st.state, sizeof(hk->ostate));

	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(&st, sizeof(st));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_hkey_init);

void aiot_hkey_wipe(struct aiot_hkey *hk)
{
	memzero_explicit(hk, sizeof(*hk));
}
EXPORT_SYMBOL_IF_KUNIT(aiot_hkey_wipe);

/* A SHA-256 state that has consumed exactly one (padded key) block. */
static void resume(struct sha256_state *st, const u32 state[8])
{
	memcpy(st->state, state, sizeof(st->state));
	st->count = SHA256_BLOCK_SIZE;
}

int aiot_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
	      u8 out[AIOT_HMAC_LEN])
{
	struct sha256_state st;

	if (len > UINT_MAX - SHA256_BLOCK_SIZE)
		return -EINVAL;
	resume(&st, hk->istate);
	sha256_update(&st, msg, len);
	sha256_final(&st, out);
	resume(&st, hk->ostate);
	sha256_update(&st, out, SHA256_DIGEST_SIZE);
	sha256_final(&st, out);
	memzero_explicit(&st, sizeof(st));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_hmac);

int aiot_hkey_tag(const struct aiot_hkey *hk, u8 b, u8 out[AIOT_HMAC_LEN])
{
	struct sha256_state st;

	resume(&st, hk->ostate);
	sha256_update(&st, &b, 1);
	sha256_final(&st, out);
	memzero_explicit(&st, sizeof(st));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_hkey_tag);

/* Multiply by x in GF(2^128), for the CMAC subkeys (SP 800-38B 6.1). */
static void gf128_dbl(u8 b[AES_BLOCK_SIZE])
{
	u8 carry = b[0] >> 7;
	int i;

	for (i = 0; i < AES_BLOCK_SIZE - 1; i++)
		b[i] = b[i] << 1 | b[i + 1] >> 7;
	b[AES_BLOCK_SIZE - 1] = b[AES_BLOCK_SIZE - 1] << 1 ^ (carry * 0x87);
}

int aiot_cmac(const u8 key[16], const struct aiot_seg *seg, unsigned int nseg,
	      u8 out[AIOT_AES_BLOCK])
{
	u8 x[AES_BLOCK_SIZE] = { 0 }, sub[AES_BLOCK_SIZE] = { 0 };
	struct crypto_aes_ctx ctx;
	unsigned int i, fill = 0;	/* bytes XORed into x, not yet encrypted */
	const u8 *p;
	size_t len, n;

	aes_expandkey(&ctx, key, AES_KEYSIZE_128);
	for (i = 0; i < nseg; i++) {
		p = seg[i].p;
		len = seg[i].len;
		while (len) {
			/* Keep the last block back for the subkey. */
			if (fill == AES_BLOCK_SIZE) {
				aes_blk(&ctx, x, x);
				fill = 0;
			}
			/* Whole blocks straight from the piece, but never the last. */
			while (!fill && len > AES_BLOCK_SIZE) {
				crypto_xor(x, p, AES_BLOCK_SIZE);
				aes_blk(&ctx, x, x);
				p += AES_BLOCK_SIZE;
				len -= AES_BLOCK_SIZE;
			}
			n = min_t(size_t, len, AES_BLOCK_SIZE - fill);
			crypto_xor(x + fill, p, n);
			fill += n;
			p += n;
			len -= n;
		}
	}

	aes_blk(&ctx, sub, sub);		/* L = AES(K, 0) */
	gf128_dbl(sub);				/* K1 */
	if (fill < AES_BLOCK_SIZE) {
		x[fill] ^= 0x80;
		gf128_dbl(sub);			/* K2 */
	}
	crypto_xor(x, sub, AES_BLOCK_SIZE);
	aes_blk(&ctx, out, x);

	memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(x, sizeof(x));
	memzero_explicit(sub, sizeof(sub));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_cmac);

int aiot_ctr(const u8 key[16], const u8 iv[AIOT_AES_BLOCK],
	     const u8 *in, u8 *out, size_t len)
{
	u8 ctr[AES_BLOCK_SIZE], ks[AES_BLOCK_SIZE];
	struct crypto_aes_ctx ctx;
	size_t n;

	aes_expandkey(&ctx, key, AES_KEYSIZE_128);
	memcpy(ctr, iv, AES_BLOCK_SIZE);
	while (len) {
		aes_blk(&ctx, ks, ctr);
		n = min_t(size_t, len, AES_BLOCK_SIZE);
		crypto_xor_cpy(out, in, ks, n);
		crypto_inc(ctr, AES_BLOCK_SIZE);
		in += n;
		out += n;
		len -= n;
	}
	memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(ks, sizeof(ks));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_ctr);
