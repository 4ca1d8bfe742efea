/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Cryptographic primitives of suite 1, one implementation per world:
 * prim_lib.c (the kernel's crypto library) and prim_ossl.c (OpenSSL
 * libcrypto), side by side. The protocol core calls only these.
 */
#ifndef _AIOT_PRIM_H
#define _AIOT_PRIM_H

#include "compat.h"

#define AIOT_HMAC_LEN	32
#define AIOT_AES_BLOCK	16

/*
 * A Device Authentication Key, prepared for HMAC-SHA-256. In the kernel it
 * holds only the SHA-256 chaining values after the inner and outer padded
 * key blocks, so a KDF costs two compressions less than a plain HMAC and
 * the key itself is not kept. Wipe with aiot_hkey_wipe().
 */
struct aiot_hkey {
#ifdef __KERNEL__
	u32 istate[8];
	u32 ostate[8];
#else
	u8 key[64];
	u8 keylen;
	void *prep;	/* aiot_hkey_prepare(): a keyed EVP_MAC_CTX, or NULL */
#endif
};

/* Any key of 1 to 64 bytes (the profile uses 16 or 32). */
int aiot_hkey_init(struct aiot_hkey *hk, const u8 *key, size_t keylen);
void aiot_hkey_wipe(struct aiot_hkey *hk);

#ifndef __KERNEL__
/*
 * User space only: key an OpenSSL HMAC context once, after
 * aiot_hkey_init(); every aiot_hmac() then copies it
 * (EVP_MAC_CTX_dup) instead of fetching the digest and hashing the padded
 * key again. A prepared key must be wiped with aiot_hkey_wipe() (which
 * frees the context) before it is initialised again. 0 or -ENOMEM/-EIO;
 * on failure the key stays usable, unprepared.
 */
int aiot_hkey_prepare(struct aiot_hkey *hk);
#endif

/* HMAC-SHA-256 of @msg under a prepared key. */
int aiot_hmac(const struct aiot_hkey *hk, const u8 *msg, size_t len,
	      u8 out[AIOT_HMAC_LEN]);

/*
 * SHA-256((K ^ opad) || @b), K zero-padded to 64 bytes: a keyed hash that
 * resumes the prepared outer state, one compression (the key fingerprint).
 * Never equal to an HMAC's outer hash, whose input is 96 bytes long.
 */
int aiot_hkey_tag(const struct aiot_hkey *hk, u8 b, u8 out[AIOT_HMAC_LEN]);

/* A piece of a message that is MACed as the concatenation of its pieces. */
struct aiot_seg {
	const u8 *p;
	size_t len;
};

/* AES-128-CMAC over seg[0] || ... || seg[nseg - 1] (any may be empty). */
int aiot_cmac(const u8 key[16], const struct aiot_seg *seg, unsigned int nseg,
	      u8 out[AIOT_AES_BLOCK]);

/* AES-128-CTR, 128-bit big-endian counter from @iv; in place allowed. */
int aiot_ctr(const u8 key[16], const u8 iv[AIOT_AES_BLOCK],
	     const u8 *in, u8 *out, size_t len);

#ifdef __KERNEL__
/*
 * The kernel's implementation: lib/crypto's SHA-256 and AES, the same on
 * every CPU. aiot_prim_init() checks the module parameter prim= (only
 * "lib"; anything else fails the load).
 */
int aiot_prim_init(void);
void aiot_prim_exit(void);
const char *aiot_prim_drivers(void);
#endif

#endif /* _AIOT_PRIM_H */
