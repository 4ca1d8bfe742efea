// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of the key fingerprint as aiotctl computes it: aiot_key_fp()
 * of the protocol core (proto/kdf.c, the function the kernel calls) on the
 * OpenSSL primitives, SHA-256((K ^ opad) || 0xA5)[0..7] with K zero-padded
 * to 64 bytes, big-endian. Expected values computed independently
 * (openssl dgst -sha256 over the 65 bytes, and Python's hashlib).
 */
#include <inttypes.h>

#include "proto.h"
#include "tap.h"

static uint64_t fp_of(const uint8_t *k, size_t len)
{
	struct aiot_hkey hk;
	uint64_t fp;

	if (aiot_hkey_init(&hk, k, len))
		return 0;
	fp = aiot_key_fp(&hk);
	aiot_hkey_wipe(&hk);
	return fp;
}

int main(void)
{
	uint8_t k[32];
	uint64_t fp;
	int i;

	for (i = 0; i < 32; i++)
		k[i] = (uint8_t)i;
	fp = fp_of(k, 16);
	tap_ok(fp == 0xf8d991e3e7e59fdaull, "16-byte key 00..0f: %016" PRIx64, fp);
	fp = fp_of(k, 32);
	tap_ok(fp == 0x07af3d2941676409ull, "32-byte key 00..1f: %016" PRIx64, fp);
	fp = fp_of(k, 16);
	tap_ok(fp == 0xf8d991e3e7e59fdaull, "the same key again: %016" PRIx64, fp);
	return tap_done();
}
