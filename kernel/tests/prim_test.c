// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: suite 1 primitives against their published known answers, and
 * against the crypto API's hmac(sha256), cmac(aes) and ctr(aes) on inputs
 * of every length the profile uses.
 */
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/scatterlist.h>

#include "proto.h"
#include "test_util.h"
#include "vectors.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

AIOT_TABLE_PARAM(prim, aiot_prim_vecs, aiot_n_prim_vecs, "record");

static void prim_kat(struct kunit *test)
{
	const struct aiot_prim_vec *v = test->param_value;
	struct aiot_seg seg = { v->msg, v->msglen };
	struct aiot_hkey hk;
	u8 out[64];

	KUNIT_ASSERT_LE(test, v->outlen, sizeof(out));
	if (!strcmp(v->alg, "HMAC_SHA256")) {
		KUNIT_ASSERT_EQ(test, aiot_hkey_init(&hk, v->key, v->keylen), 0);
		KUNIT_ASSERT_EQ(test, aiot_hmac(&hk, v->msg, v->msglen, out), 0);
		aiot_hkey_wipe(&hk);
	} else if (!strcmp(v->alg, "AES128_CMAC")) {
		KUNIT_ASSERT_EQ(test, aiot_cmac(v->key, &seg, 1, out), 0);
	} else if (!strcmp(v->alg, "AES128_CTR")) {
		KUNIT_ASSERT_EQ(test, v->ivlen, 16);
		KUNIT_ASSERT_EQ(test, aiot_ctr(v->key, v->iv, v->msg, out,
					       v->msglen), 0);
	} else if (!strcmp(v->alg, "NIA2")) {
		KUNIT_ASSERT_EQ(test, aiot_nia2(v->key, v->count, v->bearer,
						v->dir, v->msg, v->msglen,
						NULL, 0, out), 0);
	} else {
		KUNIT_FAIL(test, "unknown ALG %s", v->alg);
		return;
	}
	AIOT_EXPECT_MEMEQ(test, out, v->out, v->outlen, "%s", v->alg);
}

/* An HMAC key is 1 to 64 bytes: the profile's are 16 or 32. */
static void prim_hkey_lengths(struct kunit *test)
{
	u8 key[65] = { 1 };
	struct aiot_hkey hk;

	KUNIT_EXPECT_EQ(test, aiot_hkey_init(&hk, key, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, aiot_hkey_init(&hk, key, 65), -EINVAL);
	KUNIT_EXPECT_EQ(test, aiot_hkey_init(&hk, key, 64), 0);
	KUNIT_EXPECT_EQ(test, aiot_hkey_init(&hk, key, 1), 0);
}

/* Deterministic pseudo-random bytes, so that a failure repeats. */
static void fill(u8 *p, size_t n, u32 seed)
{
	struct rnd_state s;

	prandom_seed_state(&s, seed);
	prandom_bytes_state(&s, p, n);
}

#define XMAX 160	/* every message length the KDF and NIA2 see, and more */

static void prim_hmac_vs_api(struct kunit *test)
{
	struct crypto_shash *tfm;
	u8 key[32], *msg, a[32], b[32];
	struct aiot_hkey hk;
	size_t len, klen;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		kunit_skip(test, "no hmac(sha256) in this kernel");
	msg = kunit_kmalloc(test, XMAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	for (klen = 16; klen <= 32; klen += 16) {
		for (len = 0; len <= XMAX; len++) {
			fill(key, klen, len * 2 + klen);
			fill(msg, len, len);
			KUNIT_ASSERT_EQ(test, crypto_shash_setkey(tfm, key, klen), 0);
			KUNIT_ASSERT_EQ(test, crypto_shash_tfm_digest(tfm, msg, len, a), 0);
			KUNIT_ASSERT_EQ(test, aiot_hkey_init(&hk, key, klen), 0);
			KUNIT_ASSERT_EQ(test, aiot_hmac(&hk, msg, len, b), 0);
			AIOT_ASSERT_MEMEQ(test, a, b, 32, "klen %zu len %zu", klen, len);
		}
	}
	crypto_free_shash(tfm);
}

static void prim_cmac_vs_api(struct kunit *test)
{
	struct crypto_shash *tfm;
	struct aiot_seg seg[3];
	u8 key[16], *msg, a[16], b[16];
	size_t len, cut;

	tfm = crypto_alloc_shash("cmac(aes)", 0, 0);
	if (IS_ERR(tfm))
		kunit_skip(test, "no cmac(aes) in this kernel");
	msg = kunit_kmalloc(test, XMAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	for (len = 0; len <= XMAX; len++) {
		fill(key, sizeof(key), len + 1000);
		fill(msg, len, len);
		KUNIT_ASSERT_EQ(test, crypto_shash_setkey(tfm, key, 16), 0);
		KUNIT_ASSERT_EQ(test, crypto_shash_tfm_digest(tfm, msg, len, a), 0);
		/* The same MAC however the message is cut into pieces. */
		for (cut = 0; cut <= len; cut += 7) {
			seg[0] = (struct aiot_seg){ msg, cut / 2 };
			seg[1] = (struct aiot_seg){ msg + cut / 2, cut - cut / 2 };
			seg[2] = (struct aiot_seg){ msg + cut, len - cut };
			KUNIT_ASSERT_EQ(test, aiot_cmac(key, seg, 3, b), 0);
			AIOT_ASSERT_MEMEQ(test, a, b, 16, "len %zu cut %zu", len, cut);
		}
	}
	crypto_free_shash(tfm);
}

static void prim_ctr_vs_api(struct kunit *test)
{
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct scatterlist sg;
	u8 key[16], iv[16], iv2[16], *a, *b;
	size_t len;

	tfm = crypto_alloc_skcipher("ctr(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		kunit_skip(test, "no ctr(aes) in this kernel");
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	a = kunit_kmalloc(test, AIOTSEC_PLEN_MAX, GFP_KERNEL);
	b = kunit_kmalloc(test, AIOTSEC_PLEN_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (len = 0; len <= AIOTSEC_PLEN_MAX; len += len < 64 ? 1 : 61) {
		fill(key, sizeof(key), len);
		fill(iv, sizeof(iv), len + 7);
		/* Start near a 64-bit wrap so the 128-bit carry is exercised. */
		memset(iv + 8, 0xff, 7);
		fill(a, len, len + 3);
		memcpy(b, a, len);
		memcpy(iv2, iv, sizeof(iv));
		KUNIT_ASSERT_EQ(test, crypto_skcipher_setkey(tfm, key, 16), 0);
		sg_init_one(&sg, a, len ? len : 1);
		skcipher_request_set_callback(req, 0, NULL, NULL);
		skcipher_request_set_crypt(req, &sg, &sg, len, iv2);
		KUNIT_ASSERT_EQ(test, crypto_skcipher_encrypt(req), 0);
		KUNIT_ASSERT_EQ(test, aiot_ctr(key, iv, b, b, len), 0);
		AIOT_ASSERT_MEMEQ(test, a, b, len, "len %zu", len);
	}
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
}

static struct kunit_case prim_cases[] = {
	KUNIT_CASE_PARAM(prim_kat, prim_gen),
	KUNIT_CASE(prim_hkey_lengths),
	KUNIT_CASE(prim_hmac_vs_api),
	KUNIT_CASE(prim_cmac_vs_api),
	KUNIT_CASE(prim_ctr_vs_api),
	{}
};

static struct kunit_suite prim_suite = {
	.name = "aiotsec_prim",
	.test_cases = prim_cases,
};

kunit_test_suite(prim_suite);
MODULE_LICENSE("GPL");
