// SPDX-License-Identifier: GPL-2.0
/*
 * The RID table of an inventory round (inventory.c): at most 32 bytes per
 * candidate, table included, in one allocation charged to the requester.
 *
 *  - the candidates, by index: ID (16 bytes), RID[0..3] (4 bytes), and a
 *    16-bit state lane (answered, closed, rejects), two to an atomic_t;
 *  - the table: open addressing with linear probing over N + N / 6 + 1
 *    slots of 8 bytes (load at most 6/7), each RID[4..7] << 32 | index + 1
 *    (0: empty). A RID's first slot is RID[0..3] scaled to the table size
 *    (the RID is a keyed hash already).
 *
 * 16 + 4 + 2 + 8 * 7 / 6 = 31.3 bytes per candidate. A lookup compares
 * the 32-bit tags of a run of adjacent slots and reads a candidate only
 * where its tag matches: an unknown RID costs the probe sequence (about
 * 25 slots, 200 contiguous bytes, at the full load) and no candidate
 * access but with chance 2^-32 a slot; a RID is found only where all 8 of
 * its bytes match. The table is filled lock-free (cmpxchg) by the work
 * items that compute the RIDs and is read-only once the round is live.
 */
#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/prefetch.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "aiotsec.h"

static u32 invtab_first(const struct aiot_round *r, const u8 *rid)
{
	return ((u64)get_unaligned_le32(rid) * r->nslot) >> 32;
}

static u32 invtab_next(const struct aiot_round *r, u32 h)
{
	return ++h == r->nslot ? 0 : h;
}

int aiot_invtab_alloc(struct aiot_round *r, u32 n)
{
	size_t ids, los, meta, slots;
	u8 *p;

	r->nslot = n + n / 6 + 1;
	ids = array_size(n, AIOTSEC_ID_LEN);
	los = array_size(n, sizeof(u32));
	meta = array_size(DIV_ROUND_UP(n, 2), sizeof(atomic_t));
	slots = array_size(r->nslot, sizeof(u64));
	/* Slots first: 8-byte aligned. */
	r->mem_len = slots + ids + los + meta;
	/*
	 * Whole pages past one (kvzalloc() would try kmalloc first, which
	 * rounds to a power of two: up to twice the bytes).
	 */
	if (r->mem_len <= PAGE_SIZE)
		p = kzalloc(r->mem_len, GFP_KERNEL_ACCOUNT);
	else
		p = __vmalloc(r->mem_len, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!p)
		return -ENOMEM;
	r->slot = (u64 *)p;
	r->rid_lo = (u32 *)(p + slots);
	r->meta = (atomic_t *)(p + slots + los);
	r->id = (u8 (*)[AIOTSEC_ID_LEN])(p + slots + los + meta);
	return 0;
}

void aiot_invtab_free(struct aiot_round *r)
{
	kvfree(r->slot);		/* vfree defers in softirq context */
}

/* Bytes the allocation holds: what the allocator handed out. */
size_t aiot_invtab_bytes(const struct aiot_round *r)
{
	if (!r->slot)
		return 0;
	return is_vmalloc_addr(r->slot) ? PAGE_ALIGN(r->mem_len) : ksize(r->slot);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_invtab_bytes);

/* Candidate @i with @rid into the table (concurrently with other inserts). */
void aiot_invtab_insert(struct aiot_round *r, u32 i, const u8 *rid)
{
	u64 v = (u64)get_unaligned_le32(rid + 4) << 32 | (i + 1);
	u32 h = invtab_first(r, rid);

	WRITE_ONCE(r->rid_lo[i], get_unaligned_le32(rid));
	while (cmpxchg(&r->slot[h], 0, v))
		h = invtab_next(r, h);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_invtab_insert);

/*
 * The candidates whose RID is @rid, one per call: start with *@pos =
 * AIOT_INVTAB_START; returns a candidate index, or -1 when there are no
 * more. The table must be complete (the round live).
 */
s64 aiot_invtab_find(const struct aiot_round *r, const u8 *rid, u32 *pos)
{
	u32 tag = get_unaligned_le32(rid + 4), lo = get_unaligned_le32(rid);
	u32 h = *pos == AIOT_INVTAB_START ? invtab_first(r, rid) :
					    invtab_next(r, *pos);
	u64 s;

	for (; (s = READ_ONCE(r->slot[h])); h = invtab_next(r, h)) {
		u32 i = (u32)s - 1;

		if ((u32)(s >> 32) != tag)
			continue;
		/* What a found candidate reads next, fetched side by side. */
		prefetch(&r->meta[i / 2]);
		prefetch(r->id[i]);
		if (READ_ONCE(r->rid_lo[i]) == lo) {
			*pos = h;
			return i;
		}
	}
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_invtab_find);

/* ---- a candidate's 16-bit state lane ------------------------------------ */

static atomic_t *lane(const struct aiot_round *r, u32 i, unsigned int *shift)
{
	*shift = (i & 1) * 16;
	return &r->meta[i / 2];
}

u16 aiot_cand_state(const struct aiot_round *r, u32 i)
{
	unsigned int sh;

	return (u32)atomic_read(lane(r, i, &sh)) >> sh;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_cand_state);

/* Sets @bits (CAND_*) in candidate @i's lane; returns the lane before. */
u16 aiot_cand_set(struct aiot_round *r, u32 i, u16 bits)
{
	unsigned int sh;
	atomic_t *w = lane(r, i, &sh);

	return (u32)atomic_fetch_or((u32)bits << sh, w) >> sh;
}

/* One more failed MAC for candidate @i (saturating); returns the count. */
u32 aiot_cand_reject(struct aiot_round *r, u32 i)
{
	unsigned int sh;
	atomic_t *w = lane(r, i, &sh);
	int old = atomic_read(w);
	u32 n;

	do {
		n = ((u32)old >> sh) & AIOT_CAND_REJECTS;
		if (n == AIOT_CAND_REJECTS)
			return n;
	} while (!atomic_try_cmpxchg(w, &old, (int)((u32)old + (1U << sh))));
	return n + 1;
}
