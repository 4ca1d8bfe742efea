// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Suite 1 primitives (prim.h) for user space, on OpenSSL 3
 * libcrypto: HMAC-SHA-256 and AES-128-CMAC through EVP_MAC, AES-128-CTR
 * through EVP_CIPHER. The algorithms are fetched once and kept for the
 * life of the process, and so is an AES-128-CMAC context set up with its
 * cipher that every CMAC copies (EVP_MAC_CTX_dup) and rekeys; a prepared
 * Device Authentication Key (aiot_hkey_prepare) holds its keyed HMAC
 * context, copied for every message. Every per-call context is freed
 * (and so cleansed) before returning.
 */
#include <limits.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "prim.h"

static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MAC *mac_hmac;
static EVP_MAC *mac_cmac;
static EVP_CIPHER *cipher_ctr;
/*
 * CMAC with its cipher set and keyed with zeros: OpenSSL copies only an
 * initialised CMAC context. Read-only once made (copies only read it).
 */
static EVP_MAC_CTX *cmac_tmpl;

static void fetch_algs(void)
{
	static const u8 zero[16];
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
		OSSL_PARAM_END
	};

	mac_hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	mac_cmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_CMAC, NULL);
	cipher_ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	if (mac_cmac)
		cmac_tmpl = EVP_MAC_CTX_new(mac_cmac);
	if (cmac_tmpl && !EVP_MAC_init(cmac_tmpl, zero, sizeof(zero), params)) {
		EVP_MAC_CTX_free(cmac_tmpl);
		cmac_tmpl = NULL;
	}
}

/* Fetched (each one may still be NULL if it is not available)? */
static bool fetched(void)
{
	return CRYPTO_THREAD_run_once(&fetch_once, fetch_algs);
}

static const OSSL_PARAM *hmac_params(void)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_END
	};

	return params;
}

int aiot_hkey_init(struct aiot_hkey *hk, const u8 *key, size_t keylen)
{
	if (!keylen || keylen > sizeof(hk->key))
		return -EINVAL;
	OPENSSL_cleanse(hk, sizeof(*hk));
	memcpy(hk->key, key, keylen);
	hk->keylen = (u8)keylen;
	hk->prep = NULL;
	return 0;
}

int aiot_hkey_prepare(struct aiot_hkey *hk)
{
	EVP_MAC *mac = fetched() ? mac_hmac : NULL;
	EVP_MAC_CTX *ctx;

	if (hk->prep)
		return 0;
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	if (!ctx)
		return -ENOMEM;
	if (!EVP_MAC_init(ctx, hk->key, hk->keylen, hmac_params())) {
		EVP_MAC_CTX_free(ctx);
		return -EIO;
	}
	hk->prep = ctx;
	return 0;
}

void aiot_hkey_wipe(struct aiot_hkey *hk)
{
	EVP_MAC_CTX_free(hk->prep);	/* cleansed as it is freed */
	OPENSSL_cleanse(hk, sizeof(*hk));
}

int aiot_hkey_tag(const struct aiot_hkey *hk, u8 b, u8 out[AIOT_HMAC_LEN])
{
	u8 blk[65] = { 0 };
	unsigned int n = 0;
	int i, ok;

	memcpy(blk, hk->key, hk->keylen);
	for (i = 0; i < 64; i++)
		blk[i] ^= 0x5c;
	blk[64] = b;
	ok = EVP_Digest(blk, sizeof(blk), out, &n, EVP_sha256(), NULL);
	OPENSSL_cleanse(blk, sizeof(blk));
	return ok && n == AIOT_HMAC_LEN ? 0 : -EIO;
}

/*
 * Feed @seg to @ctx (keyed already), @outlen bytes into @out; frees @ctx.
 * On failure @out is wiped.
 */
static int mac_finish(EVP_MAC_CTX *ctx, const struct aiot_seg *seg,
		      unsigned int nseg, u8 *out, size_t outlen)
{
	size_t got = 0;
	unsigned int i;
	int ret = -EIO;

	for (i = 0; i < nseg; i++) {
		if (seg[i].len && !EVP_MAC_update(ctx, seg[i].p, seg[i].len))
			break;
	}
	if (i == nseg && EVP_MAC_final(ctx, out, &got, outlen) &&
	    got == outlen)
		ret = 0;
	EVP_MAC_CTX_free(ctx);
	if (ret)
		OPENSSL_cleanse(out, outlen);
	return ret;
}

/*
 * A context of @mac keyed with @key under @params (copied from @tmpl
 * when there is one, which then needs no @params), or NULL.
 */
static EVP_MAC_CTX *mac_keyed(EVP_MAC *mac, const EVP_MAC_CTX *tmpl,
			      const OSSL_PARAM *params, const u8 *key,
			      size_t keylen)
{
	EVP_MAC_CTX *ctx = NULL;

	if (tmpl)
		ctx = EVP_MAC_CTX_dup(tmpl);
	else if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	if (ctx && !EVP_MAC_init(ctx, key, keylen, tmpl ? NULL : params)) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

int aiot_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
	      u8 out[AIOT_HMAC_LEN])
{
	struct aiot_seg seg = { msg, len };
	EVP_MAC_CTX *ctx;

	/* A copy of the keyed context is ready for data: no init. */
	if (hk->prep)
		ctx = EVP_MAC_CTX_dup(hk->prep);
	else
		ctx = mac_keyed(fetched() ? mac_hmac : NULL, NULL, hmac_params(),
				hk->key, hk->keylen);
	if (!ctx) {
		OPENSSL_cleanse(out, AIOT_HMAC_LEN);
		return -EIO;
	}
	return mac_finish(ctx, &seg, 1, out, AIOT_HMAC_LEN);
}

int aiot_cmac(const u8 key[16], const struct aiot_seg *seg, unsigned int nseg,
	      u8 out[AIOT_AES_BLOCK])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
		OSSL_PARAM_END
	};
	EVP_MAC_CTX *ctx;

	if (!fetched())
		ctx = NULL;
	else
		ctx = mac_keyed(mac_cmac, cmac_tmpl, params, key, 16);
	if (!ctx) {
		OPENSSL_cleanse(out, AIOT_AES_BLOCK);
		return -EIO;
	}
	return mac_finish(ctx, seg, nseg, out, AIOT_AES_BLOCK);
}

/*
 * OpenSSL's CTR mode increments the whole 16-byte counter block as one
 * big-endian integer, which is what NEA2 and prim.h ask for. On failure
 * @out is wiped.
 */
int aiot_ctr(const u8 key[16], const u8 iv[AIOT_AES_BLOCK],
	     const u8 *in, u8 *out, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	size_t done = 0, chunk;
	int n, ret = -EIO;

	if (!len)
		return 0;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx) {
		ret = -ENOMEM;
		goto out;
	}
	/* The fetched cipher: EVP_aes_128_ctr() would be fetched each time. */
	if (!fetched() || !cipher_ctr ||
	    !EVP_EncryptInit_ex2(ctx, cipher_ctr, key, iv, NULL))
		goto out;
	while (done < len) {
		/* EVP takes int lengths; CTR keeps its state between calls. */
		chunk = len - done;
		if (chunk > INT_MAX - AIOT_AES_BLOCK)
			chunk = INT_MAX - AIOT_AES_BLOCK;
		if (!EVP_EncryptUpdate(ctx, out + done, &n, in + done,
				       (int)chunk) || (size_t)n != chunk)
			goto out;
		done += chunk;
	}
	if (EVP_EncryptFinal_ex(ctx, out + done, &n) && n == 0)
		ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (ret)
		OPENSSL_cleanse(out, len);
	return ret;
}
