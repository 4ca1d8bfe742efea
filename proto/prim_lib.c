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
 */
#include <crypto/aes.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>
#include <crypto/sha2.h>
#include <linux/bottom_half.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sort.h>
#include <linux/timex.h>

#include "prim.h"

MODULE_IMPORT_NS(CRYPTO_INTERNAL);

/*
 * The accelerated implementation. The "sha256" shash is unkeyed: one is
 * shared, each call has its descriptor on the stack. A single-block "aes"
 * transform holds a key: one per CPU, used with bottom halves off (the
 * receive path runs in softirq, requests in process context), keyed per
 * message and rekeyed with the all-zero key after it.
 */
static struct crypto_shash *accel_sha;
static struct crypto_cipher * __percpu *accel_aes;
static bool use_sha, use_aes, def_sha, def_aes;
static char accel_names[160];

static char *prim = "auto";
module_param(prim, charp, 0444);
MODULE_PARM_DESC(prim, "suite 1 primitives: auto (the faster, measured at load), lib, accel");

static void accel_free(void)
{
	int cpu;

	use_sha = false;
	use_aes = false;
	if (accel_aes) {
		for_each_possible_cpu(cpu) {
			struct crypto_cipher *c = *per_cpu_ptr(accel_aes, cpu);

			if (!IS_ERR_OR_NULL(c))
				crypto_free_cipher(c);
		}
		free_percpu(accel_aes);
		accel_aes = NULL;
	}
	if (!IS_ERR_OR_NULL(accel_sha))
		crypto_free_shash(accel_sha);
	accel_sha = NULL;
}

/* Not the generic C (which is what lib/crypto runs anyway)? */
static bool accelerated(struct crypto_tfm *tfm, const char *generic)
{
	return strcmp(crypto_tfm_alg_driver_name(tfm), generic) &&
	       !strstr(crypto_tfm_alg_driver_name(tfm), "-generic");
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* TSC ticks of 8 responses' worth of primitives (KDF, CMAC, CTR). */
static u64 calib_round(const struct aiot_hkey *hk)
{
	u8 msg[64] = { 0x5a }, out[AIOT_HMAC_LEN], iv[AES_BLOCK_SIZE] = { 0 };
	struct aiot_seg seg = { msg, 48 };
	u64 t = get_cycles();
	int i;

	for (i = 0; i < 8; i++) {
		aiot_hmac(hk, msg, 55, out);	/* the longest KDF input */
		aiot_cmac(out + 16, &seg, 1, msg);
		aiot_ctr(out, iv, msg, msg, 16);
	}
	memzero_explicit(out, sizeof(out));
	return get_cycles() - t;
}

/*
 * prim=auto: keep the accelerated implementation only where it measures
 * faster than lib/crypto, in alternating rounds. Under QEMU/TCG the
 * emulated AES-NI and AVX2, and the FPU sections around them, can cost
 * more than the generic C.
 */
static void calibrate(void)
{
	static const u8 key[32] = { 0xca, 0x1b };
	static const char * const what[] = { "lib", "sha", "aes", "sha+aes" };
	u64 t[4][9], best = U64_MAX;
	struct aiot_hkey hk;
	size_t n = strlen(accel_names);
	int r, v, pick = 0;

	use_sha = false;
	use_aes = false;
	if (!accel_sha && !accel_aes)
		return;
	if (!strcmp(prim, "accel")) {
		use_sha = !!accel_sha;
		use_aes = !!accel_aes;
		def_sha = use_sha;
		def_aes = use_aes;
		return;
	}
	if (strcmp(prim, "auto") || aiot_hkey_init(&hk, key, sizeof(key)))
		return;
	/* Each combination present, in alternating rounds. */
	for (r = 0; r < ARRAY_SIZE(t[0]); r++) {
		for (v = 0; v < ARRAY_SIZE(t); v++) {
			t[v][r] = U64_MAX;
			if (((v & 1) && !accel_sha) || ((v & 2) && !accel_aes))
				continue;
			use_sha = v & 1;
			use_aes = v & 2;
			t[v][r] = calib_round(&hk);
		}
	}
	aiot_hkey_wipe(&hk);
	for (v = 0; v < ARRAY_SIZE(t); v++) {
		sort(t[v], ARRAY_SIZE(t[v]), sizeof(t[v][0]), cmp_u64, NULL);
		if (t[v][4] < best) {
			best = t[v][4];
			pick = v;
		}
		n += scnprintf(accel_names + n, sizeof(accel_names) - n,
			       " %s %llu", what[v], t[v][4]);
	}
	use_sha = pick & 1;
	use_aes = pick & 2;
	def_sha = use_sha;
	def_aes = use_aes;
	scnprintf(accel_names + n, sizeof(accel_names) - n,
		  " ticks: %s", what[pick]);
}

int aiot_prim_init(void)
{
	struct crypto_cipher *c = NULL;
	int cpu;

	accel_sha = crypto_alloc_shash("sha256", 0, 0);
	if (!IS_ERR(accel_sha) &&
	    crypto_shash_statesize(accel_sha) == sizeof(struct sha256_state) &&
	    accelerated(crypto_shash_tfm(accel_sha), "sha256-generic"))
		use_sha = true;
	accel_aes = alloc_percpu(struct crypto_cipher *);
	if (!accel_aes)
		goto done;
	for_each_possible_cpu(cpu) {
		c = crypto_alloc_cipher("aes", 0, 0);
		*per_cpu_ptr(accel_aes, cpu) = c;
		if (IS_ERR(c) ||
		    !accelerated(crypto_cipher_tfm(c), "aes-generic") ||
		    !strcmp(crypto_tfm_alg_driver_name(crypto_cipher_tfm(c)),
			    "aes-fixed-time"))
			goto done;
	}
	use_aes = true;
done:
	snprintf(accel_names, sizeof(accel_names), "%s, %s,",
		 use_sha ? crypto_shash_driver_name(accel_sha) : "lib sha256",
		 use_aes ? crypto_tfm_alg_driver_name(crypto_cipher_tfm(c)) :
			   "lib aes");
	if (!use_aes && accel_aes) {
		for_each_possible_cpu(cpu) {
			c = *per_cpu_ptr(accel_aes, cpu);
			if (!IS_ERR_OR_NULL(c))
				crypto_free_cipher(c);
		}
		free_percpu(accel_aes);
		accel_aes = NULL;
	}
	if (!use_sha && !IS_ERR_OR_NULL(accel_sha))
		crypto_free_shash(accel_sha);
	if (!use_sha)
		accel_sha = NULL;
	calibrate();
	return 0;
}

void aiot_prim_exit(void)
{
	accel_free();
}

int aiot_prim_select(enum aiot_prim_impl impl)
{
	if (impl == AIOT_PRIM_LIB || impl == AIOT_PRIM_DEFAULT) {
		WRITE_ONCE(use_sha, impl == AIOT_PRIM_DEFAULT && def_sha);
		WRITE_ONCE(use_aes, impl == AIOT_PRIM_DEFAULT && def_aes);
		return 0;
	}
	if (!accel_sha && !accel_aes)
		return -ENOENT;
	WRITE_ONCE(use_sha, !!accel_sha);
	WRITE_ONCE(use_aes, !!accel_aes);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_prim_select);

const char *aiot_prim_drivers(void)
{
	return accel_names;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_prim_drivers);

/* This CPU's AES transform keyed with @key, bottom halves off; or NULL. */
static struct crypto_cipher *aes_get(const u8 key[16])
{
	struct crypto_cipher *c;

	if (!READ_ONCE(use_aes))
		return NULL;
	local_bh_disable();
	c = *this_cpu_ptr(accel_aes);
	if (crypto_cipher_setkey(c, key, AES_KEYSIZE_128)) {
		local_bh_enable();
		return NULL;
	}
	return c;
}

/* Overwrite the message key's schedule with the all-zero key's. */
static void aes_put(struct crypto_cipher *c)
{
	static const u8 zero[AES_KEYSIZE_128];

	crypto_cipher_setkey(c, zero, sizeof(zero));
	local_bh_enable();
}

/* One AES block, on the CPU's transform if there is one. */
static inline void aes_blk(struct crypto_cipher *c,
			   const struct crypto_aes_ctx *ctx, u8 *out,
			   const u8 *in)
{
	if (c)
		crypto_cipher_encrypt_one(c, out, in);
	else
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
	if (READ_ONCE(use_sha)) {
		SHASH_DESC_ON_STACK(desc, accel_sha);
		int err;

		desc->tfm = accel_sha;
		memset(&st, 0, sizeof(st));
		resume(&st, hk->istate);
		err = crypto_shash_import(desc, &st) ?:
		      crypto_shash_finup(desc, msg, len, out);
		resume(&st, hk->ostate);
		err = err ?: crypto_shash_import(desc, &st) ?:
		      crypto_shash_finup(desc, out, SHA256_DIGEST_SIZE, out);
		shash_desc_zero(desc);
		memzero_explicit(&st, sizeof(st));
		return err;
	}
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
	struct crypto_cipher *c = aes_get(key);
	const u8 *p;
	size_t len, n;

	if (!c)
		aes_expandkey(&ctx, key, AES_KEYSIZE_128);
	for (i = 0; i < nseg; i++) {
		p = seg[i].p;
		len = seg[i].len;
		while (len) {
			/* Keep the last block back for the subkey. */
			if (fill == AES_BLOCK_SIZE) {
				aes_blk(c, &ctx, x, x);
				fill = 0;
			}
			/* Whole blocks straight from the piece, but never the last. */
			while (!fill && len > AES_BLOCK_SIZE) {
				crypto_xor(x, p, AES_BLOCK_SIZE);
				aes_blk(c, &ctx, x, x);
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

	aes_blk(c, &ctx, sub, sub);		/* L = AES(K, 0) */
	gf128_dbl(sub);				/* K1 */
	if (fill < AES_BLOCK_SIZE) {
		x[fill] ^= 0x80;
		gf128_dbl(sub);			/* K2 */
	}
	crypto_xor(x, sub, AES_BLOCK_SIZE);
	aes_blk(c, &ctx, out, x);

	if (c)
		aes_put(c);
	else
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
	struct crypto_cipher *c = aes_get(key);
	struct crypto_aes_ctx ctx;
	size_t n;

	if (!c)
		aes_expandkey(&ctx, key, AES_KEYSIZE_128);
	memcpy(ctr, iv, AES_BLOCK_SIZE);
	while (len) {
		aes_blk(c, &ctx, ks, ctr);
		n = min_t(size_t, len, AES_BLOCK_SIZE);
		crypto_xor_cpy(out, in, ks, n);
		crypto_inc(ctr, AES_BLOCK_SIZE);
		in += n;
		out += n;
		len -= n;
	}
	if (c)
		aes_put(c);
	else
		memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(ks, sizeof(ks));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_ctr);
