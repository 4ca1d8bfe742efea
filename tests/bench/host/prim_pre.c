// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiot_hmac() for the benchmarks, in two modes. By default it is exactly
 * the project's OpenSSL one (proto/prim_ossl.c, built for the bench
 * with its aiot_hmac renamed bench_ossl_hmac): HMAC keyed from the raw
 * key for every message, two SHA-256 compressions of padded key blocks
 * included. After bench_hmac_select(hk) of a key bench_hmac_prepare()d, a
 * message under @hk starts from a context keyed once, duplicated per
 * message (EVP_MAC_CTX_dup): the inner and outer key blocks are compressed
 * once and for all, as the kernel's proto/prim_lib.c does with its saved SHA-256
 * states. Selecting runs no cryptography.
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "bench.h"

int bench_ossl_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
		    u8 out[AIOT_HMAC_LEN]);

#define NPRE	2

/* Keys prepared so far, and the one aiot_hmac() starts from (if any). */
static struct {
	const struct aiot_hkey *hk;
	EVP_MAC_CTX *ctx;
} pre[NPRE];
static const struct aiot_hkey *pre_hk;
static EVP_MAC_CTX *pre_ctx;

int bench_hmac_prepare(const struct aiot_hkey *hk)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_END
	};
	EVP_MAC_CTX *ctx = NULL;
	unsigned int i;
	EVP_MAC *mac;

	for (i = 0; i < NPRE && pre[i].hk; i++)
		;
	if (i == NPRE)
		return -ENOSPC;
	mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (!ctx)
		return -ENOMEM;
	if (!EVP_MAC_init(ctx, hk->key, hk->keylen, params)) {
		EVP_MAC_CTX_free(ctx);
		return -EIO;
	}
	pre[i].hk = hk;
	pre[i].ctx = ctx;
	return 0;
}

void bench_hmac_select(const struct aiot_hkey *hk)
{
	unsigned int i;

	pre_hk = NULL;
	pre_ctx = NULL;
	for (i = 0; hk && i < NPRE; i++) {
		if (pre[i].hk == hk) {
			pre_hk = hk;
			pre_ctx = pre[i].ctx;
		}
	}
}

void bench_hmac_release(void)
{
	unsigned int i;

	bench_hmac_select(NULL);
	for (i = 0; i < NPRE; i++) {
		EVP_MAC_CTX_free(pre[i].ctx);
		pre[i].ctx = NULL;
		pre[i].hk = NULL;
	}
}

int aiot_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
	      u8 out[AIOT_HMAC_LEN])
{
	EVP_MAC_CTX *ctx;
	size_t got = 0;
	int ret = -EIO;

	if (hk != pre_hk)
		return bench_ossl_hmac(hk, msg, len, out);
	ctx = EVP_MAC_CTX_dup(pre_ctx);
	if (!ctx)
		return -ENOMEM;
	if (EVP_MAC_update(ctx, msg, len) &&
	    EVP_MAC_final(ctx, out, &got, AIOT_HMAC_LEN) &&
	    got == AIOT_HMAC_LEN)
		ret = 0;
	EVP_MAC_CTX_free(ctx);
	if (ret)
		OPENSSL_cleanse(out, AIOT_HMAC_LEN);
	return ret;
}
