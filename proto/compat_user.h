/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* User-space stand-ins for the kernel names the shared protocol core uses. */
#ifndef _AIOT_USER_COMPAT_H
#define _AIOT_USER_COMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define EXPORT_SYMBOL_IF_KUNIT(sym)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u64 get_unaligned_be64(const void *p)
{
	const u8 *b = p;
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* Constant-time comparison: nonzero when the buffers differ. */
static inline int crypto_memneq(const void *a, const void *b, size_t n)
{
	const volatile u8 *x = a, *y = b;
	u8 d = 0;

	while (n--)
		d |= *x++ ^ *y++;
	return d != 0;
}

static inline void memzero_explicit(void *p, size_t n)
{
	explicit_bzero(p, n);
}

#endif /* _AIOT_USER_COMPAT_H */
