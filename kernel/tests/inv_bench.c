// SPDX-License-Identifier: GPL-2.0
/*
 * aiotsec_inv_bench.ko: inventory rounds (profile v1.1) measured side by
 * side in one kernel and one run (make bench, part inventory; built into
 * the User-Mode Linux bench kernel too, tests/uml/). Each figure against
 * its goal (issue 22, "Measure"):
 *
 *  - resolution and verification of one genuine INV_RESP, frame to
 *    reported device (aiot_rx_frame()), at 1,000,000 candidates over the
 *    same at 1,000, each in units of the verification's own crypto
 *    (aiotf_inv_resp() on the same answer, rounds alternating): <= 1.2;
 *  - dropping an INV_RESP with an unknown RID over the genuine answer's
 *    path, at 1,000,000: <= 0.1;
 *  - a round's start at 1,000,000 candidates on one CPU (walk, table,
 *    RIDs, the frame), per candidate, over the floor of two SHA-256
 *    compressions from prepared states: <= 1.3; the fastest of three
 *    starts against the fastest floor (a start is one long measurement,
 *    which host load can only lengthen);
 *  - the same start on every CPU (two) over one CPU: <= 0.6;
 *  - memory per candidate, table included: the allocator's sizes here
 *    (aiot_round_bytes()), and built in (UML) the kernel's vmalloc page
 *    count around the start; as a module the guest reads VmallocUsed
 *    with the last round live and after rmmod (bench-inventory.sh);
 *  - the Rel-19-style trial, an expected response computed for every
 *    candidate per answer (prepared keys, the best case for it), at 1,000
 *    and 10,000 candidates, scaled to 1,000,000, over ours at 1,000,000.
 *
 * Rounds of each kind alternate and the median counts (bench.c). Results
 * go to the kernel log as "aiotsec_inv_bench: TSV name value target
 * met|missed|not-measured" lines. The last round (1,000,000 candidates)
 * stays live until rmmod, which unbinds its reader and so ends it.
 */
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "aiotsec.h"
#include "aiot_limits.h"
#include "bench_clock.h"
#include "bench_median.h"
#include "capdev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define IB_ROUNDS	9
#define IB_ITERS	32
#define IB_NANS		(IB_ROUNDS * IB_ITERS)	/* genuine answers a population */
#define IB_SMALL	1000
#define IB_BIG		1000000
#define IB_POLICY	0x40			/* the INVENTORY's: 16-byte MAC */
#define IB_FRAME	64
#define IB_STARTS	3			/* starts at 1M, each CPU count */

static const u8 ib_key[16] = { 0xa6, 0x19, 0x5e };

struct ib {
	struct aiot_net *an;
	struct net_device *dev;
	u8 ans[IB_NANS][IB_FRAME];	/* genuine answers of the current round */
	u8 unk[IB_ITERS][IB_FRAME];	/* the same with random RIDs */
	int len;
	struct aiot_hkey hk0;		/* the device of ans[0], for the floor */
	u8 id0[AIOTSEC_ID_LEN];
};

static void tsv_milli(const char *name, u64 milli, const char *target,
		      const char *verdict)
{
	pr_info("aiotsec_inv_bench: TSV %s\t%llu.%03llu\t%s\t%s\n", name,
		milli / 1000, milli % 1000, target, verdict);
}

/* @num / @den (x 1000) against @limit (x 1000): <= if @le, else >=. */
static void ratio(const char *name, u64 num, u64 den, u64 limit, bool le,
		  const char *target)
{
	u64 r = den ? div64_u64(num * 1000, den) : 0;
	bool met = den && (le ? r <= limit : r >= limit);

	tsv_milli(name, r, target, met ? "met" : "missed");
}

static void tsv_int(const char *name, u64 v, const char *target, bool met)
{
	pr_info("aiotsec_inv_bench: TSV %s\t%llu\t%s\t%s\n", name, v, target,
		met ? "met" : "missed");
}

/* Device @i: its ID and its own key. */
static void dev_id(u32 i, u8 id[AIOTSEC_ID_LEN])
{
	memset(id, 0, AIOTSEC_ID_LEN);
	id[0] = 0xa6;
	put_unaligned_be32(i, id + 12);
}

static void dev_key(u32 i, u8 key[16])
{
	memcpy(key, ib_key, 16);
	put_unaligned_be32(i, key + 12);
}

/* Devices @from..@to-1, group zero, minimum policy 0x09. */
static int provision(struct ib *b, u32 from, u32 to)
{
	struct aiot_dev_err err = {};
	struct aiot_dev_spec *s;
	u32 i, k, batch = 16384;
	u8 (*keys)[16];
	int ret = 0;

	s = vmalloc(array_size(batch, sizeof(*s)));
	keys = vmalloc(array_size(batch, 16));
	if (!s || !keys) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = from; i < to && !ret; i += k) {
		for (k = 0; k < batch && i + k < to; k++) {
			memset(&s[k], 0, sizeof(s[k]));
			dev_id(i + k, s[k].id);
			dev_key(i + k, keys[k]);
			s[k].key = keys[k];
			s[k].key_len = 16;
			s[k].policy = 0x09;
			s[k].min_policy = 0x09;
		}
		ret = aiot_devtab_add(b->an, s, k, false, &err);
		cond_resched();
	}
out:
	if (keys)
		memzero_explicit(keys, array_size(batch, 16));
	vfree(keys);
	vfree(s);
	return ret;
}

/* The prepared key and ID of device @i. */
static int dev_cred(u32 i, struct aiot_hkey *hk, u8 id[AIOTSEC_ID_LEN])
{
	u8 key[16];
	int ret;

	dev_id(i, id);
	dev_key(i, key);
	ret = aiot_hkey_init(hk, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	return ret;
}

static unsigned long vmalloc_pages_now(void)
{
#ifdef MODULE
	return 0;		/* not exported: the guest reads VmallocUsed */
#else
	return vmalloc_nr_pages();
#endif
}

/*
 * Wait for every round of the namespace to end and be freed (a vfree in
 * softirq context is deferred to a work item: until the page count rests).
 */
static void rounds_drain(struct ib *b)
{
	unsigned long before;
	int i;

	while (atomic_read(&b->an->nrounds))
		msleep(20);
	rcu_barrier();
	for (i = 0; i < 100; i++) {
		before = vmalloc_pages_now();
		msleep(20);
		if (vmalloc_pages_now() == before)
			break;
	}
}

/*
 * A round over every device on @cpus CPUs (0: all), window @ms. Its
 * start's wall time into *@wall. Returns 0 with a reference in *@r.
 */
static int round_start(struct ib *b, unsigned int cpus, u32 ms,
		       struct aiot_round **r, u64 *wall)
{
	u8 filter[AIOT_FILTER_MAX] = { 0 }, nn[AIOT_NONCE_LEN];
	struct aiot_inv_req req = {
		.ifindex = b->dev->ifindex, .policy = IB_POLICY,
		.filter = filter, .window_ms = ms,
	};
	struct netlink_ext_ack ext = {};
	u64 t;
	int ret;

	*r = NULL;
	get_random_bytes(nn, sizeof(nn));
	aiot_inv_cpus = cpus;
	t = bench_now();
	ret = aiot_inv_start_nn(b->an, &req, nn, r, &ext);
	*wall = bench_now() - t;
	aiot_inv_cpus = 0;
	if (ret) {
		pr_err("aiotsec_inv_bench: round start: %d (%s)\n", ret,
		       ext._msg ?: "");
		return ret;
	}
	/* Every device provisioned is a candidate, with its RID. */
	if ((*r)->ncand != atomic_read(&b->an->ndevices) ||
	    (*r)->nlive != (*r)->ncand) {
		pr_err("aiotsec_inv_bench: %u candidates, %u with a RID, of %d devices\n",
		       (*r)->ncand, (*r)->nlive, atomic_read(&b->an->ndevices));
		aiot_round_put(*r);
		*r = NULL;
		return -EIO;
	}
	return 0;
}

/*
 * The answers of round @r with @n candidates: IB_NANS genuine ones from
 * devices spread over the population (device role, aiotdev_inv_resp()),
 * IB_ITERS with a random RID.
 */
static int build_answers(struct ib *b, struct aiot_round *r, u32 n)
{
	u8 dn[AIOT_NONCE_LEN], id[AIOTSEC_ID_LEN];
	struct aiot_hkey hk;
	struct aiot_cred cred = { .id = id, .hk = &hk };
	int k, len;

	for (k = 0; k < IB_NANS; k++) {
		u32 i = (u32)div_u64((u64)k * n, IB_NANS);

		if (dev_cred(i, &hk, id))
			return -EINVAL;
		get_random_bytes(dn, sizeof(dn));
		len = aiotdev_inv_resp(&cred, r->nn, dn, IB_POLICY, NULL, 0,
				       b->ans[k]);
		if (!k) {
			memcpy(&b->hk0, &hk, sizeof(hk));
			memcpy(b->id0, id, sizeof(id));
		}
		aiot_hkey_wipe(&hk);
		if (len <= 0 || len > IB_FRAME || (k && len != b->len))
			return -EINVAL;
		b->len = len;
	}
	for (k = 0; k < IB_ITERS; k++) {
		memcpy(b->unk[k], b->ans[k], b->len);
		get_random_bytes(b->unk[k] + 23, AIOT_RID_LEN);
	}
	return 0;
}

/* Ticks through the receive path of @n frames from @f. */
static u64 rx_frames(struct ib *b, u8 (*f)[IB_FRAME], int n)
{
	u64 t, total = 0;
	int k;

	for (k = 0; k < n; k++) {
		rcu_read_lock();
		local_bh_disable();
		t = bench_now();
		aiot_rx_frame(b->an, b->dev->ifindex, f[k], b->len);
		total += bench_now() - t;
		local_bh_enable();
		rcu_read_unlock();
	}
	return total;
}

/* Ticks of IB_ITERS verifications of ans[0] alone (its crypto). */
static u64 verify_floor(struct ib *b, struct aiot_round *r, int *bad)
{
	struct aiot_cred cred = { .id = b->id0, .hk = &b->hk0 };
	u8 rid[AIOT_RID_LEN];
	struct aiot_msg m;
	u64 t, total = 0;
	int k;

	if (aiot_parse(b->ans[0], b->len, &m))
		return 0;
	memcpy(rid, m.rid, sizeof(rid));
	for (k = 0; k < IB_ITERS; k++) {
		t = bench_now();
		*bad += aiotf_inv_resp(&cred, r->nn, IB_POLICY, 0x09, rid, &m) !=
			AIOTSEC_DROP_NONE;
		total += bench_now() - t;
	}
	return total;
}

struct answers {
	u64 path, floor, unknown;	/* per answer, medians */
};

/* Genuine answers, the floor, unknown RIDs: rounds alternating. */
static int measure_answers(struct ib *b, struct aiot_round *r,
			   struct answers *a)
{
	u64 p[IB_ROUNDS], f[IB_ROUNDS], u[IB_ROUNDS];
	int j, bad = 0, found = atomic_read(&r->found);
	int unknown = atomic_read(&r->unknown);

	for (j = 0; j < IB_ROUNDS; j++) {
		p[j] = rx_frames(b, &b->ans[j * IB_ITERS], IB_ITERS);
		f[j] = verify_floor(b, r, &bad);
		u[j] = rx_frames(b, b->unk, IB_ITERS);
		cond_resched();
	}
	a->path = median(p, IB_ROUNDS) / IB_ITERS;
	a->floor = median(f, IB_ROUNDS) / IB_ITERS;
	a->unknown = median(u, IB_ROUNDS) / IB_ITERS;
	found = atomic_read(&r->found) - found;
	unknown = atomic_read(&r->unknown) - unknown;
	if (bad || found != IB_NANS || unknown != IB_NANS) {
		pr_err("aiotsec_inv_bench: %d found, %d unknown RIDs (of %d each), %d floors failed\n",
		       found, unknown, IB_NANS, bad);
		return -EIO;
	}
	return 0;
}

/*
 * The Rel-19-style trial: for one answer, the expected response of every
 * one of @n candidates (keys prepared: derivation and CMAC each), as an
 * ADM that is handed the device nonce and the filter does. Median ticks
 * per answer; exactly one candidate must match.
 */
static int trial(struct ib *b, u32 n, int answers, u64 *per_answer)
{
	u8 id[AIOTSEC_ID_LEN], nn[AIOT_NONCE_LEN], dn[AIOT_NONCE_LEN];
	u8 mac[AIOT_MAC_MAX], frame[IB_FRAME];
	u64 t[IB_ROUNDS];
	struct aiot_hkey *hks;
	struct aiot_keys k;
	struct aiot_msg m;
	int j, hits, ret = -EIO;
	u32 c;

	if (answers > IB_ROUNDS)
		return -EINVAL;
	hks = vmalloc(array_size(n, sizeof(*hks)));
	if (!hks)
		return -ENOMEM;
	for (c = 0; c < n; c++)
		if (dev_cred(c, &hks[c], id))
			goto out;
	get_random_bytes(nn, sizeof(nn));
	for (j = 0; j < answers; j++) {
		struct aiot_cred cred = { .id = id, .hk = &hks[n - 1 - j] };
		u64 t0;

		dev_id(n - 1 - j, id);
		get_random_bytes(dn, sizeof(dn));
		if (aiotdev_inv_resp(&cred, nn, dn, IB_POLICY, NULL, 0, frame) <= 0 ||
		    aiot_parse(frame, aiot_inv_resp_len(IB_POLICY, 0), &m))
			goto out;
		hits = 0;
		t0 = bench_now();
		for (c = 0; c < n; c++) {
			if (aiot_derive_ul(&hks[c], nn, m.dn, &k) ||
			    aiot_nia2(k.integ, 0, AIOT_BEARER_MSG, AIOT_DIR_UP,
				      m.hdr, m.len - m.maclen, NULL, 0, mac))
				goto out;
			hits += !crypto_memneq(mac, m.mac, m.maclen);
			if (!(c % 1024))
				cond_resched();
		}
		t[j] = bench_now() - t0;
		if (hits != 1) {
			pr_err("aiotsec_inv_bench: the Rel-19-style check over %u: %d matches\n",
			       n, hits);
			goto out;
		}
	}
	*per_answer = median(t, answers);
	ret = 0;
out:
	memzero_explicit(&k, sizeof(k));
	for (c = 0; c < n; c++)
		aiot_hkey_wipe(&hks[c]);
	vfree(hks);
	return ret;
}

/* Ticks of two SHA-256 compressions from prepared states (median). */
static u64 two_compressions(void)
{
	static const u8 block[SHA256_BLOCK_SIZE] = { 0xa6 };
	struct sha256_state st, in = { .count = SHA256_BLOCK_SIZE };
	u64 t[IB_ROUNDS], t0;
	int j, k;

	sha256_init(&st);
	sha256_update(&st, block, sizeof(block));
	memcpy(in.state, st.state, sizeof(in.state));
	for (j = 0; j < IB_ROUNDS; j++) {
		t0 = bench_now();
		for (k = 0; k < 1000; k++) {
			st = in;
			sha256_update(&st, block, sizeof(block));
			st = in;
			sha256_update(&st, block, sizeof(block));
		}
		t[j] = bench_now() - t0;
		barrier_data(&st);
	}
	memzero_explicit(&st, sizeof(st));
	return median(t, IB_ROUNDS) / 1000;
}

/*
 * The fastest of IB_STARTS starts of a round over every device on @cpus
 * CPUs (0: all), each ended at once (a window of 1 ms) and drained; the
 * floor of two compressions, measured between them, the lowest too.
 */
static int starts(struct ib *b, unsigned int cpus, u64 *wall, u64 *floor2)
{
	struct aiot_round *r;
	u64 w;
	int j, ret;

	*wall = U64_MAX;
	for (j = 0; j < IB_STARTS; j++) {
		*floor2 = min(*floor2, two_compressions());
		ret = round_start(b, cpus, 1, &r, &w);
		if (ret)
			return ret;
		aiot_round_put(r);
		rounds_drain(b);
		*wall = min(*wall, w);
	}
	return 0;
}

static struct ib *the_ib;
static struct aiot_round *the_round;	/* the last, live until rmmod */

static int ib_run(struct ib *b)
{
	struct answers small, big;
	struct aiot_round *r = NULL;
	u64 wall, wall1, wall2, floor2 = U64_MAX, t1k, t10k;
	unsigned long vm0;
	size_t bytes;
	int ret;

	pr_info("aiotsec_inv_bench: clock in %s, %u CPUs online\n",
		bench_clock_unit(), num_online_cpus());
	aiot_devtab_flush(b->an);
	ret = provision(b, 0, IB_SMALL);
	if (ret)
		return ret;

	/* 1,000 candidates. */
	ret = round_start(b, 0, AIOT_TIMEOUT_MAX_MS, &r, &wall) ?:
	      build_answers(b, r, IB_SMALL) ?: measure_answers(b, r, &small);
	if (ret)
		goto put;
	pr_info("aiotsec_inv_bench: 1000 candidates: start %llu, answer %llu, floor %llu, unknown RID %llu\n",
		wall, small.path, small.floor, small.unknown);
	capdev_free(b->dev);		/* ends the round: its reader goes */
	b->dev = NULL;
	aiot_round_put(r);
	r = NULL;
	rounds_drain(b);

	/* The Rel-19-style trial at 1,000 and 10,000 candidates. */
	ret = trial(b, 1000, IB_ROUNDS, &t1k) ?: trial(b, 10000, 3, &t10k);
	if (ret)
		return ret;
	pr_info("aiotsec_inv_bench: trial per answer: %llu over 1000, %llu over 10000 candidates\n",
		t1k, t10k);
	tsv_int("inv_trial_per_answer_1k", t1k, "-", true);
	tsv_int("inv_trial_per_answer_10k", t10k, "-", true);
	ratio("inv_trial_10k_over_1k", t10k, t1k, 9000, false, ">=9");

	/* 1,000,000 candidates: the start on one CPU, then on all. */
	b->dev = capdev_new();
	if (!b->dev)
		return -ENOMEM;
	capdev_discard(b->dev, true);
	rtnl_lock();
	ret = aiot_reader_add(b->an, b->dev, NULL);
	rtnl_unlock();
	if (ret)
		return ret;
	ret = provision(b, IB_SMALL, IB_BIG);
	if (ret)
		return ret;
	/*
	 * Starts on one CPU, then on all, the fastest of IB_STARTS each (a
	 * start is one long measurement: the least disturbed counts); the
	 * last is the round that stays.
	 */
	ret = starts(b, 1, &wall1, &floor2) ?: starts(b, 0, &wall2, &floor2);
	if (ret)
		return ret;
	vm0 = vmalloc_pages_now();
	ret = round_start(b, 0, AIOT_TIMEOUT_MAX_MS, &r, &wall);
	if (ret)
		return ret;
	wall2 = min(wall2, wall);
	pr_info("aiotsec_inv_bench: 1000000 candidates: start %llu on 1 CPU, %llu on %u; 2 SHA-256 compressions %llu\n",
		wall1, wall2, num_online_cpus(), floor2);
	ratio("inv_precompute_per_candidate_over_2_compressions",
	      div_u64(wall1, r->ncand), floor2, 1300, true, "<=1.3");
	if (num_online_cpus() >= 2)
		ratio("inv_precompute_wall_2cpu_over_1cpu_1M", wall2, wall1, 600,
		      true, "<=0.6");
	else
		tsv_milli("inv_precompute_wall_2cpu_over_1cpu_1M", 0, "<=0.6",
			  "not-measured");

	bytes = aiot_round_bytes(r);
	pr_info("aiotsec_inv_bench: round of %u candidates: %zu bytes allocated (%zu.%02zu a candidate), %u table slots\n",
		r->ncand, bytes, bytes / r->ncand,
		bytes % r->ncand * 100 / r->ncand, r->nslot);
	tsv_milli("inv_alloc_bytes_per_candidate_1M",
		  div_u64((u64)bytes * 1000, r->ncand), "<=32",
		  bytes <= 32UL * r->ncand ? "met" : "missed");
	if (vm0) {
		u64 vm = (u64)(vmalloc_pages_now() - vm0) * PAGE_SIZE + ksize(r);

		tsv_milli("inv_memory_bytes_per_candidate_1M",
			  div_u64(vm * 1000, r->ncand), "<=32",
			  vm <= 32UL * r->ncand ? "met" : "missed");
	}

	ret = build_answers(b, r, IB_BIG) ?: measure_answers(b, r, &big);
	if (ret)
		goto put;
	pr_info("aiotsec_inv_bench: 1000000 candidates: answer %llu, floor %llu, unknown RID %llu\n",
		big.path, big.floor, big.unknown);
	tsv_int("inv_answer_ticks_1k", small.path, "-", true);
	tsv_int("inv_answer_ticks_1M", big.path, "-", true);
	tsv_int("inv_unknown_rid_ticks_1M", big.unknown, "-", true);
	/* Each over its own floor: what the table changed, not the host. */
	ratio("inv_answer_1M_over_1k",
	      div64_u64(big.path * 1000000, big.floor),
	      div64_u64(small.path * 1000000, small.floor), 1200, true, "<=1.2");
	ratio("inv_unknown_rid_over_genuine_1M", big.unknown, big.path, 100,
	      true, "<=0.1");
	ratio("inv_unknown_rid_over_genuine_1k", small.unknown, small.path,
	      100, true, "<=0.1");
	/* The trial scales with the candidates: 10,000 times 100. */
	ratio("inv_trial_scaled_1M_over_ours_1M", t10k * 100, big.path,
	      10000 * 1000, false, ">=10000");
	pr_info("aiotsec_inv_bench: done, round of %u candidates live until rmmod\n",
		r->ncand);
	the_round = r;
	return 0;
put:
	if (r)
		aiot_round_put(r);
	return ret;
}

static void ib_teardown(struct ib *b)
{
	if (!b)
		return;
	if (b->dev)
		capdev_free(b->dev);	/* unbinds the reader: its rounds end */
	if (the_round)
		aiot_round_put(the_round);
	the_round = NULL;
	aiot_hkey_wipe(&b->hk0);
	kfree(b);
}

static int __init aiotsec_inv_bench_init(void)
{
	struct ib *b = kzalloc(sizeof(*b), GFP_KERNEL);
	int ret;

	if (!b)
		return -ENOMEM;
	b->an = aiot_net(&init_net);
	b->dev = capdev_new();
	if (!b->dev) {
		kfree(b);
		return -ENOMEM;
	}
	capdev_discard(b->dev, true);
	rtnl_lock();
	ret = aiot_reader_add(b->an, b->dev, NULL);
	rtnl_unlock();
	if (!ret)
		ret = ib_run(b);
	if (ret) {
		pr_err("aiotsec_inv_bench: failed: %d\n", ret);
		ib_teardown(b);
		return ret;
	}
	the_ib = b;
	return 0;
}

static void __exit aiotsec_inv_bench_exit(void)
{
	ib_teardown(the_ib);
}

module_init(aiotsec_inv_bench_init);
module_exit(aiotsec_inv_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("aiotsec benchmarks: inventory rounds (profile v1.1)");
