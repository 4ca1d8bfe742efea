// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Key fingerprints with OpenSSL's HMAC (see fp.h). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "fp.h"

#define FP_LABEL "aiotsec key fingerprint"

static EVP_MAC *mac;
static EVP_MAC_CTX *ctx;

/* The HMAC-SHA-256 context, digest set once: per key only the key. */
static int setup(void)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};

	if (ctx)
		return 0;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -1;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || !EVP_MAC_CTX_set_params(ctx, params)) {
		key_fp_done();
		return -1;
	}
	return 0;
}

int key_fp(const uint8_t *key, size_t len, uint64_t *fp)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	size_t outlen = 0;
	uint64_t v = 0;
	int i, ok;

	if (setup())
		return -1;
	ok = EVP_MAC_init(ctx, key, len, NULL) &&
	     EVP_MAC_update(ctx, (const unsigned char *)FP_LABEL,
			    strlen(FP_LABEL)) &&
	     EVP_MAC_final(ctx, out, &outlen, sizeof(out)) && outlen >= 8;
	if (ok)
		for (i = 0; i < 8; i++)
			v = v << 8 | out[i];
	OPENSSL_cleanse(out, sizeof(out));
	*fp = v;
	return ok ? 0 : -1;
}

void key_fp_done(void)
{
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	ctx = NULL;
	mac = NULL;
}
