// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The measured cases. case_prepare() builds, with the network role and
 * outside the measurement, a pool of requests (each with its own NN), runs
 * one step and checks its outcome (a response must verify at the network
 * role). Every case is prepared before any is measured, and selecting
 * one runs no cryptography, so that the calls in a case's callgrind dump
 * are those of its loop alone (dev_cost.c).
 */
#include <openssl/evp.h>

#include "bench.h"

#define NPOOL		8
#define BULK_BLOCKS	64	/* AES and SHA calibration blocks per step */

#define CASE(n, k, p, l, pr, it) \
	{ .name = n, .kind = k, .policy = p, .plen = l, .pre = pr, .iters = it }
#define N	200

/* Calibrations use the first three slots (report.c). */
const struct bench_case bench_cases[] = {
	CASE("loop", BK_LOOP, 0, 0, false, N),
	CASE("cal_sha256", BK_CAL_SHA, 0, 0, false, 50),
	CASE("cal_aes128ctr", BK_CAL_AES, 0, 0, false, 50),
	CASE("dev_parse_paging", BK_PARSE, 0x01, 0, false, N),
	CASE("dev_reject_enc_naive", BK_REJECT, 0x01, 0, false, N),
	CASE("dev_reject_enc_pre", BK_REJECT, 0x01, 0, true, N),
	CASE("dev_reject_tid_naive", BK_REJECT, 0x02, 0, false, N),
	CASE("dev_reject_tid_pre", BK_REJECT, 0x02, 0, true, N),
	CASE("dev_paging_p01_naive", BK_PAGING, 0x01, 0, false, N),
	CASE("dev_paging_p01_pre", BK_PAGING, 0x01, 0, true, N),
	CASE("dev_paging_p42_naive", BK_PAGING, 0x42, 0, false, N),
	CASE("dev_paging_p42_pre", BK_PAGING, 0x42, 0, true, N),
	CASE("dev_command_p09_plen16_naive", BK_COMMAND, 0x09, 16, false, N),
	CASE("dev_command_p09_plen16_pre", BK_COMMAND, 0x09, 16, true, N),
	CASE("dev_command_p09_plen100_naive", BK_COMMAND, 0x09, 100, false, N),
	CASE("dev_command_p09_plen100_pre", BK_COMMAND, 0x09, 100, true, N),
	CASE("dev_command_p56_plen16_naive", BK_COMMAND, 0x56, 16, false, N),
	CASE("dev_command_p56_plen16_pre", BK_COMMAND, 0x56, 16, true, N),
	CASE("dev_command_p56_plen100_naive", BK_COMMAND, 0x56, 100, false, N),
	CASE("dev_command_p56_plen100_pre", BK_COMMAND, 0x56, 100, true, N),
	CASE("dev_inv_filter_miss", BK_INV_MISS, 0x40, 0, false, N),
	CASE("dev_inv_repeat", BK_INV_REPEAT, 0x40, 0, false, N),
	CASE("dev_inv_answer_naive", BK_INV_ANSWER, 0x40, 0, false, N),
	CASE("dev_inv_answer_pre", BK_INV_ANSWER, 0x40, 0, true, N),
};

const unsigned int bench_ncases = ARRAY_SIZE(bench_cases);

struct dev {
	u8 key[AIOTSEC_KEY_LEN_128];
	u8 id[AIOTSEC_ID_LEN];
	u8 group[AIOTSEC_GROUP_LEN];
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

/* A case's requests, parsed; msg[] points into frame[]. */
struct pool {
	u8 frame[NPOOL][AIOT_MSG_MAX];
	int len[NPOOL];
	struct aiot_msg msg[NPOOL];
};

static struct dev target, other;
static struct pool pools[ARRAY_SIZE(bench_cases)];
static const struct bench_case *cur;
static struct pool *pool;
static u8 dn[NPOOL][AIOT_NONCE_LEN];
static u8 payload[AIOTSEC_PLEN_MAX], got[AIOTSEC_PLEN_MAX];
static u8 out[AIOT_MSG_MAX];
static int out_len;
static u8 bulk[BULK_BLOCKS * 64], bulk_out[BULK_BLOCKS * 16];
/*
 * The target's NN memory (the last AIOTDEV_REPLAY_WINDOW inventories it
 * answered), full: for BK_INV_REPEAT the pool's NNs are its newest
 * entries, the last a scan reaches; for BK_INV_ANSWER none of them are
 * in it, and the answer is noted in a copy (the same work), so that every
 * step finds its NN new.
 */
static struct aiotdev_replay nn_seen, nn_repeat, nn_noted;
static EVP_MD_CTX *sha_ctx;
static EVP_CIPHER_CTX *aes_ctx;

/* Deterministic filler: the same bytes on every run. */
static void fill(u8 *p, size_t len, u32 seed)
{
	u32 x = seed * 2654435761u + 1;

	while (len--) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*p++ = (u8)x;
	}
}

static void dev_init(struct dev *d, u32 seed)
{
	fill(d->key, sizeof(d->key), seed);
	fill(d->id, sizeof(d->id), seed + 1);
	fill(d->group, sizeof(d->group), seed + 2);
	aiot_hkey_init(&d->hk, d->key, sizeof(d->key));
	d->cred.id = d->id;
	d->cred.hk = &d->hk;
}

int cases_init(void)
{
	static const u8 key[16], iv[16];
	unsigned int i;

	dev_init(&target, 1);
	dev_init(&other, 2);
	fill(payload, sizeof(payload), 7);
	fill(bulk, sizeof(bulk), 3);
	for (i = 0; i < NPOOL; i++)
		fill(dn[i], sizeof(dn[i]), 200 + i);
	/* NN memories, full: 64 other NNs; the repeat's ends with the pool's. */
	for (i = 0; i < AIOTDEV_REPLAY_WINDOW; i++) {
		u8 nn[AIOT_NONCE_LEN];

		fill(nn, sizeof(nn), 5000 + i);
		aiotdev_replay_note(&nn_seen, nn);
		if (i >= AIOTDEV_REPLAY_WINDOW - NPOOL)
			fill(nn, sizeof(nn), 100 + i - (AIOTDEV_REPLAY_WINDOW - NPOOL));
		aiotdev_replay_note(&nn_repeat, nn);
	}
	nn_noted = nn_seen;
	sha_ctx = EVP_MD_CTX_new();
	aes_ctx = EVP_CIPHER_CTX_new();
	if (!sha_ctx || !aes_ctx)
		return -ENOMEM;
	if (!EVP_DigestInit_ex2(sha_ctx, EVP_sha256(), NULL) ||
	    !EVP_EncryptInit_ex2(aes_ctx, EVP_aes_128_ctr(), key, iv, NULL))
		return -EIO;
	if (bench_hmac_prepare(target.cred.hk) ||
	    bench_hmac_prepare(other.cred.hk))
		return -EIO;
	return 0;
}

void cases_exit(void)
{
	bench_hmac_release();
	EVP_MD_CTX_free(sha_ctx);
	EVP_CIPHER_CTX_free(aes_ctx);
}

/* The requests of the case, to the target, each with its own NN. */
static int build_pool(const struct bench_case *c, struct pool *pl)
{
	u8 nn[AIOT_NONCE_LEN];
	unsigned int i;

	for (i = 0; i < NPOOL; i++) {
		fill(nn, sizeof(nn), 100 + i);
		if (c->kind >= BK_INV_MISS)
			/* FBITS 16: the target's group, not the other's. */
			pl->len[i] = aiotf_inventory(nn, c->policy, 16,
						     target.group, pl->frame[i]);
		else if (c->kind == BK_COMMAND)
			pl->len[i] = aiotf_command(&target.cred, nn,
						   c->policy, payload,
						   c->plen, pl->frame[i]);
		else
			pl->len[i] = aiotf_paging(&target.cred, nn,
						  c->policy, pl->frame[i]);
		if (pl->len[i] < 0 ||
		    aiot_parse(pl->frame[i], pl->len[i], &pl->msg[i]))
			return -EINVAL;
	}
	return 0;
}

/* Does the response of the step just run verify at the network role? */
static int check_response(const struct bench_case *c)
{
	const u8 *nn = pool->msg[0].nn;
	struct aiot_msg m;

	if (aiot_parse(out, out_len, &m))
		return -EINVAL;
	if (c->kind == BK_PAGING)
		return aiotf_auth_resp(&target.cred, nn, c->policy,
				       c->policy, &m) ? -EINVAL : 0;
	if (c->kind == BK_INV_ANSWER) {
		u8 rid[AIOT_RID_LEN];

		return aiot_rid(&target.cred, nn, rid) ||
		       aiotf_inv_resp(&target.cred, nn, c->policy, 0x09, rid,
				      &m) ? -EINVAL : 0;
	}
	if (aiotf_cmd_resp(&target.cred, nn, c->policy, &m, got) ||
	    m.plen != c->plen || memcmp(got, payload, c->plen))
		return -EINVAL;
	return 0;
}

void case_select(const struct bench_case *c)
{
	const struct dev *d = c->kind == BK_REJECT ? &other : &target;

	cur = c;
	pool = &pools[c - bench_cases];
	bench_hmac_select(c->pre ? d->cred.hk : NULL);
}

int case_prepare(const struct bench_case *c)
{
	int ret = 0;

	bench_hmac_select(NULL);
	if (c->kind >= BK_PARSE)
		ret = build_pool(c, &pools[c - bench_cases]);
	if (ret)
		return ret;
	/* One step, which also warms up OpenSSL's lazy initialisation. */
	case_select(c);
	if (case_step(0))
		return -EINVAL;
	if (c->kind == BK_PAGING || c->kind == BK_COMMAND ||
	    c->kind == BK_INV_ANSWER)
		return check_response(c);
	return 0;
}

static int step_paging(const struct aiot_msg *m, unsigned int i)
{
	if (aiotdev_paging_match(&target.cred, m))
		return 1;
	out_len = aiotdev_auth_resp(&target.cred, m->nn, dn[i], m->policy,
				    NULL, 0, out);
	return out_len <= 0;
}

static int step_command(const struct aiot_msg *m, unsigned int i)
{
	if (aiotdev_command_open(&target.cred, m, got))
		return 1;
	out_len = aiotdev_cmd_resp(&target.cred, m->nn, dn[i], m->policy,
				   got, m->plen, out);
	return out_len <= 0;
}

/* The target hears an INVENTORY: filter, NN memory, then its answer. */
static int step_inventory(const struct aiot_msg *m, unsigned int i,
			  const struct aiotdev_replay *seen, int answers)
{
	if (aiotdev_inventory_match(target.group, m))
		return 1;
	if (aiotdev_replay_seen(seen, m->nn))
		return answers;		/* silent */
	out_len = aiotdev_inv_resp(&target.cred, m->nn, dn[i], m->policy,
				   NULL, 0, out);
	aiotdev_replay_note(&nn_noted, m->nn);
	return !answers || out_len <= 0;
}

/* One message (or calibration unit); 0 when it had the expected outcome. */
int case_step(unsigned int i)
{
	struct aiot_msg m;
	int n;

	i %= NPOOL;
	switch (cur->kind) {
	case BK_LOOP:
		return 0;
	case BK_CAL_SHA:
		return !EVP_DigestUpdate(sha_ctx, bulk, sizeof(bulk));
	case BK_CAL_AES:
		return !EVP_EncryptUpdate(aes_ctx, bulk_out, &n, bulk,
					  sizeof(bulk_out)) ||
		       n != sizeof(bulk_out);
	case BK_PARSE:
		return aiot_parse(pool->frame[i], pool->len[i], &m) !=
		       AIOTSEC_DROP_NONE;
	case BK_REJECT:
		return aiotdev_paging_match(&other.cred, &pool->msg[i]) !=
		       AIOTSEC_DROP_ID;
	case BK_PAGING:
		return step_paging(&pool->msg[i], i);
	case BK_COMMAND:
		return step_command(&pool->msg[i], i);
	case BK_INV_MISS:
		return aiotdev_inventory_match(other.group, &pool->msg[i]) !=
		       AIOTSEC_DROP_ID;
	case BK_INV_REPEAT:
		return step_inventory(&pool->msg[i], i, &nn_repeat, 0);
	case BK_INV_ANSWER:
		return step_inventory(&pool->msg[i], i, &nn_seen, 1);
	}
	return 1;
}
