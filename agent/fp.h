/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Key fingerprints as the kernel computes them: the first 8 bytes of
 * HMAC-SHA-256(K, "aiotsec key fingerprint"), big-endian.
 */
#ifndef _AIOTCTL_FP_H
#define _AIOTCTL_FP_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *@fp, or -1 if OpenSSL failed. */
int key_fp(const uint8_t *key, size_t len, uint64_t *fp);
/* Release what key_fp() keeps between calls. */
void key_fp_done(void);

#endif /* _AIOTCTL_FP_H */
