// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of the key fingerprint (agent/fp.c): HMAC-SHA-256(K,
 * "aiotsec key fingerprint")[0..7], big-endian, as the kernel's devtab.c
 * computes it. Expected values computed independently (Python hmac).
 */
#include <inttypes.h>

#include "fp.h"
#include "tap.h"

int main(void)
{
	uint8_t k[32];
	uint64_t fp = 0;
	int i;

	for (i = 0; i < 32; i++)
		k[i] = (uint8_t)i;
	tap_ok(!key_fp(k, 16, &fp) && fp == 0xf9f713d579936a69ull,
	       "16-byte key 00..0f: %016" PRIx64, fp);
	tap_ok(!key_fp(k, 32, &fp) && fp == 0xf19c6fd997de54c5ull,
	       "32-byte key 00..1f: %016" PRIx64, fp);
	tap_ok(!key_fp(k, 16, &fp) && fp == 0xf9f713d579936a69ull,
	       "the context is reused correctly");
	key_fp_done();
	return tap_done();
}
