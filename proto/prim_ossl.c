// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Suite 1 primitives (prim.h) for user space, on OpenSSL 3
 * libcrypto: HMAC-SHA-256 and AES-128-CMAC through EVP_MAC, AES-128-CTR
 * through EVP_CIPHER. The MAC algorithms are fetched once and kept for the
 * life of the process; every per-call context is freed (and so cleansed)
 * before returning.
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

static void fetch_macs(void)
{
	mac_hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	mac_cmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_CMAC, NULL);
}

/* The cached algorithm, or NULL if it is not available. */
static EVP_MAC *get_mac(EVP_MAC **which)
{
	if (!CRYPTO_THREAD_run_once(&fetch_once, fetch_macs))
		return NULL;
	return *which;
}

int aiot_hkey_init(struct aiot_hkey *hk, const u8 *key, size_t keylen)
{
	if (!keylen || keylen > sizeof(hk->key))
		return -EINVAL;
	OPENSSL_cleanse(hk, sizeof(*hk));
	memcpy(hk->key, key, keylen);
	hk->keylen = (u8)keylen;
	return 0;
}

void aiot_hkey_wipe(struct aiot_hkey *hk)
{
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
 * One MAC computation: @mac keyed with @key under @params, over the
 * concatenation of @seg, @outlen bytes into @out (wiped on failure).
 */
static int mac_segs(EVP_MAC *mac, const OSSL_PARAM *params,
		    const u8 *key, size_t keylen,
		    const struct aiot_seg *seg, unsigned int nseg,
		    u8 *out, size_t outlen)
{
	EVP_MAC_CTX *ctx = NULL;
	size_t got = 0;
	unsigned int i;
	int ret = -EIO;

	if (mac) {
		ctx = EVP_MAC_CTX_new(mac);
		if (!ctx)
			ret = -ENOMEM;
	}
	if (ctx && EVP_MAC_init(ctx, key, keylen, params)) {
		for (i = 0; i < nseg; i++) {
			if (seg[i].len &&
			    !EVP_MAC_update(ctx, seg[i].p, seg[i].len))
				break;
		}
		if (i == nseg && EVP_MAC_final(ctx, out, &got, outlen) &&
		    got == outlen)
			ret = 0;
	}
	EVP_MAC_CTX_free(ctx);
	if (ret)
		OPENSSL_cleanse(out, outlen);
	return ret;
}

int aiot_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
	      u8 out[AIOT_HMAC_LEN])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_END
	};
	struct aiot_seg seg = { msg, len };

	return mac_segs(get_mac(&mac_hmac), params, hk->key, hk->keylen,
			&seg, 1, out, AIOT_HMAC_LEN);
}

int aiot_cmac(const u8 key[16], const struct aiot_seg *seg, unsigned int nseg,
	      u8 out[AIOT_AES_BLOCK])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
		OSSL_PARAM_END
	};

	return mac_segs(get_mac(&mac_cmac), params, key, 16, seg, nseg,
			out, AIOT_AES_BLOCK);
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
	if (!EVP_EncryptInit_ex2(ctx, EVP_aes_128_ctr(), key, iv, NULL))
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
