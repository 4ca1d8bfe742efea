/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the stress tools (nlfuzz, frfuzz): a small PRNG, and the
 * deterministic device population both sides derive from one seed, so
 * that the frame fuzzer can answer as the devices the netlink fuzzer
 * provisioned, and the netlink fuzzer knows every key byte it must never
 * see again.
 */
#ifndef _AIOT_STRESS_H
#define _AIOT_STRESS_H

#include <stdint.h>
#include <string.h>

struct rng {
	uint64_t s;
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rnd(struct rng *r)
{
	return splitmix64(&r->s);
}

/* Uniform enough in [0, n) for a fuzzer; n > 0. */
static inline uint32_t rndn(struct rng *r, uint32_t n)
{
	return (uint32_t)((rnd(r) >> 32) * n >> 32);
}

static inline void rndbuf(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;

	while (n >= 8) {
		uint64_t v = rnd(r);

		memcpy(b, &v, 8);
		b += 8;
		n -= 8;
	}
	if (n) {
		uint64_t v = rnd(r);

		memcpy(b, &v, n);
	}
}

/* Keys: KEY_POOL keys per seed; key i is 16 or 32 bytes. */
#define KEY_POOL 64

static inline unsigned int pool_key(uint64_t seed, unsigned int i, uint8_t *key)
{
	uint64_t x = seed * 0x100000001b3ULL + i * 0x9e37ULL + 0x6b6579;
	unsigned int len = (i & 1) ? 32 : 16;
	unsigned int j;

	for (j = 0; j < len; j += 8) {
		uint64_t v = splitmix64(&x);

		memcpy(key + j, &v, 8);
	}
	return len;
}

/* Device ID: A5 <space> 00.. <index, 4 bytes BE>. */
static inline void dev_id(uint8_t space, unsigned int i, uint8_t id[16])
{
	memset(id, 0, 16);
	id[0] = 0xa5;
	id[1] = space;
	id[12] = i >> 24;
	id[13] = i >> 16;
	id[14] = i >> 8;
	id[15] = i;
}

/* The valid device policies the campaign provisions (request = minimum). */
static const uint8_t dev_policies[] = {
	0x11, 0x12, 0x15, 0x09, 0x2d, 0x56, 0x31, 0x4a,
};

static inline uint8_t dev_policy(unsigned int i)
{
	return dev_policies[i % (sizeof(dev_policies) / sizeof(dev_policies[0]))];
}

/* Device i of a space uses pool key i % KEY_POOL. */
static inline unsigned int dev_key(uint64_t seed, unsigned int i, uint8_t *key)
{
	return pool_key(seed, i % KEY_POOL, key);
}

#endif /* _AIOT_STRESS_H */
