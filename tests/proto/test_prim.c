// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The OpenSSL primitives (proto/prim_ossl.c) beyond the known answers
 * of primitives.rsp (vectool check runs those): CMAC over any split of its
 * input, CTR in place, in pieces and across the 64-bit counter boundary,
 * the KDF, NEA2 and NIA2 framing of proto/kdf.c, key limits, wiping, and
 * first use from several threads at once.
 */
#include <pthread.h>
#include <stdlib.h>

#include "thelp.h"

static const u8 key[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

/* RFC 4493 example 1: CMAC of the empty message. */
static const u8 cmac_empty[16] = {
	0xbb, 0x1d, 0x69, 0x29, 0xe9, 0x59, 0x37, 0x28,
	0x7f, 0xa3, 0x7d, 0x12, 0x9b, 0x75, 0x67, 0x46,
};

#define NTHREADS 8

static u8 thread_out[NTHREADS][48], thread_zero[48];

static void *thread_main(void *arg)
{
	u8 *out = arg;
	struct aiot_seg seg = { key, 16 };
	struct aiot_hkey hk;

	aiot_hkey_init(&hk, key, 16);
	if (aiot_hmac(&hk, key, 16, out) || aiot_cmac(key, &seg, 1, out + 32))
		memset(out, 0, 48);
	aiot_hkey_wipe(&hk);
	return NULL;
}

/* First: nothing in this process has used a MAC yet. */
static void test_threads(void)
{
	pthread_t th[NTHREADS];
	bool pass = true;
	int i;

	for (i = 0; i < NTHREADS; i++)
		pass &= !pthread_create(&th[i], NULL, thread_main,
					thread_out[i]);
	for (i = 0; i < NTHREADS; i++)
		pass &= !pthread_join(th[i], NULL);
	for (i = 1; i < NTHREADS; i++)
		pass &= !memcmp(thread_out[i], thread_out[0], 48);
	pass &= memcmp(thread_out[0], thread_zero, 48) != 0;
	tap_ok(pass, "%d threads using HMAC and CMAC first get one answer",
	       NTHREADS);
}

static void test_cmac_split(void)
{
	u8 msg[64], want[16], got[16];
	struct aiot_seg seg[3];
	size_t i, j, len, n = 0;
	bool pass = true;

	th_random(msg, sizeof(msg));
	for (len = 0; len <= sizeof(msg); len++) {
		seg[0].p = msg;
		seg[0].len = len;
		aiot_cmac(key, seg, 1, want);
		for (i = 0; i <= len; i++) {
			for (j = i; j <= len; j++, n++) {
				seg[0].len = i;
				seg[1].p = msg + i;
				seg[1].len = j - i;
				seg[2].p = msg + j;
				seg[2].len = len - j;
				if (aiot_cmac(key, seg, 3, got) ||
				    memcmp(got, want, 16))
					pass = false;
			}
		}
	}
	tap_ok(pass, "CMAC: %zu splits of 0..64-byte messages into 3 pieces "
	       "agree", n);
	pass = !aiot_cmac(key, NULL, 0, got) && !memcmp(got, cmac_empty, 16);
	seg[0].p = NULL;
	seg[0].len = 0;
	seg[1] = seg[0];
	pass &= !aiot_cmac(key, seg, 2, got) && !memcmp(got, cmac_empty, 16);
	tap_ok(pass, "CMAC of no segments and of empty ones (RFC 4493 ex. 1)");
}

/* Add 1 to a 16-byte big-endian integer, written here independently. */
static void inc128(u8 c[16])
{
	int i = 15;

	while (i >= 0 && ++c[i] == 0)
		i--;
}

static void test_ctr(void)
{
	static const u8 ivs[3][16] = {
		{ 0 },
		{ 0, 0, 0, 0, 0, 0, 0, 0,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe },
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	u8 zero[64] = { 0 }, ks[64], blk[16], iv[16], msg[200], a[200];
	u8 b[200];
	bool pass = true;
	size_t i, len;

	/* Each keystream block is the one of its own counter value. */
	for (i = 0; i < 3; i++) {
		size_t k;

		aiot_ctr(key, ivs[i], zero, ks, sizeof(ks));
		memcpy(iv, ivs[i], 16);
		for (k = 0; k < 4; k++) {
			aiot_ctr(key, iv, zero, blk, 16);
			pass &= !memcmp(blk, ks + 16 * k, 16);
			inc128(iv);
		}
	}
	tap_ok(pass, "CTR: 128-bit big-endian counter, carry past 64 bits "
	       "and wrap at 2^128");

	pass = true;
	th_random(msg, sizeof(msg));
	for (len = 0; len <= sizeof(msg); len++) {
		aiot_ctr(key, ivs[1], msg, a, len);
		memcpy(b, msg, len);
		pass &= !aiot_ctr(key, ivs[1], b, b, len);
		pass &= !memcmp(a, b, len);
		pass &= !aiot_ctr(key, ivs[1], b, b, len);
		pass &= !memcmp(b, msg, len);
	}
	tap_ok(pass, "CTR: 0..200 bytes, in place equals out of place, twice "
	       "gives the input back");
	tap_ok(!aiot_ctr(key, ivs[0], NULL, NULL, 0),
	       "CTR of nothing succeeds");
}

static void test_hmac_kdf(void)
{
	u8 k64[64], s[1 + 3 * 18], want[32], got[32], p[3][16];
	struct aiot_hkey hk, hk2;
	size_t n, i;
	bool pass;

	th_random(k64, sizeof(k64));
	th_random(p, sizeof(p));
	pass = !aiot_hkey_init(&hk, k64, 1) && !aiot_hkey_init(&hk, k64, 64);
	pass &= aiot_hkey_init(&hk2, k64, 0) == -EINVAL &&
		aiot_hkey_init(&hk2, k64, 65) == -EINVAL;
	tap_ok(pass, "HMAC keys of 1 and 64 bytes taken, 0 and 65 refused");

	/* KDF(K, FC, P0, P1, P2) = HMAC(K, FC || P0 || L0 || ... ). */
	pass = true;
	for (i = 0; i <= 3; i++) {
		size_t j;

		n = 0;
		s[n++] = 0xA0 + (u8)i;
		for (j = 0; j < i; j++) {
			memcpy(s + n, p[j], 16 - j);
			n += 16 - j;
			s[n++] = 0;
			s[n++] = (u8)(16 - j);
		}
		aiot_hmac(&hk, s, n, want);
		pass &= !aiot_kdf(&hk, 0xA0 + (u8)i,
				  i > 0 ? p[0] : NULL, 16,
				  i > 1 ? p[1] : NULL, 15,
				  i > 2 ? p[2] : NULL, 14, got);
		pass &= !memcmp(got, want, 32);
	}
	tap_ok(pass, "KDF is HMAC over FC || Pi || [len Pi]_2 (TS 33.220 B.2)");
	tap_ok(aiot_kdf(&hk, 0xA1, k64, 17, NULL, 0, NULL, 0, got) == -EINVAL,
	       "KDF refuses a parameter over 16 bytes");

	aiot_hkey_wipe(&hk);
	pass = true;
	for (i = 0; i < sizeof(hk); i++)
		pass &= ((u8 *)&hk)[i] == 0;
	tap_ok(pass, "aiot_hkey_wipe leaves only zeros");
}

/*
 * A prepared key (aiot_hkey_prepare, what the simulator uses) gives the
 * HMAC of the plain one, for every key length and many messages, and
 * stays usable: each message copies the keyed context.
 */
static void test_prepared(void)
{
	u8 k64[64], msg[200], want[32], got[32];
	struct aiot_hkey plain, prep;
	size_t klen, mlen;
	bool pass = true;

	th_random(k64, sizeof(k64));
	th_random(msg, sizeof(msg));
	for (klen = 1; klen <= 64; klen++) {
		pass &= !aiot_hkey_init(&plain, k64, klen) &&
			!aiot_hkey_init(&prep, k64, klen) &&
			!aiot_hkey_prepare(&prep) && prep.prep &&
			!aiot_hkey_prepare(&prep);
		for (mlen = 0; mlen <= sizeof(msg); mlen += 1 + mlen / 4) {
			pass &= !aiot_hmac(&plain, msg, mlen, want) &&
				!aiot_hmac(&prep, msg, mlen, got) &&
				!memcmp(want, got, 32);
			pass &= !aiot_kdf(&plain, 0xA1, msg, 16, NULL, 0, NULL,
					  0, want) &&
				!aiot_kdf(&prep, 0xA1, msg, 16, NULL, 0, NULL,
					  0, got) && !memcmp(want, got, 32);
		}
		pass &= aiot_key_fp(&plain) == aiot_key_fp(&prep);
		aiot_hkey_wipe(&prep);
		aiot_hkey_wipe(&plain);
		pass &= !prep.prep;
	}
	tap_ok(pass, "prepared HMAC keys of 1..64 bytes: the plain key's HMAC "
	       "and KDF, again and again; wiped, nothing kept");
}

static void test_nxa2(void)
{
	u8 iv[16] = { 0 }, msg[40], a[40], b[40], head[8], want[16], got[16];
	struct aiot_seg seg[3];
	bool pass = true;
	unsigned int bearer, dir;

	th_random(msg, sizeof(msg));
	for (bearer = 0; bearer < 32; bearer++) {
		for (dir = 0; dir < 2; dir++) {
			u32 w = bearer << 27 | dir << 26;

			memset(iv, 0, 16);
			put_unaligned_be32(0x01020304, iv);
			put_unaligned_be32(w, iv + 4);
			memcpy(head, iv, 8);
			aiot_ctr(key, iv, msg, a, sizeof(msg));
			aiot_nea2(key, 0x01020304, (u8)bearer, (u8)dir, msg, b,
				  sizeof(msg));
			pass &= !memcmp(a, b, sizeof(msg));

			seg[0].p = head;
			seg[0].len = 8;
			seg[1].p = msg;
			seg[1].len = sizeof(msg);
			aiot_cmac(key, seg, 2, want);
			aiot_nia2(key, 0x01020304, (u8)bearer, (u8)dir, msg,
				  13, msg + 13, sizeof(msg) - 13, got);
			pass &= !memcmp(got, want, 16);
		}
	}
	tap_ok(pass, "NEA2 and NIA2 prefix COUNT || BEARER << 27 | DIR << 26 "
	       "for every BEARER and DIR");
}

int main(void)
{
	test_threads();
	test_cmac_split();
	test_ctr();
	test_hmac_kdf();
	test_prepared();
	test_nxa2();
	return tap_done();
}
