// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host micro-benchmark of the simulator core, no network: PAGINGs built
 * with the AIoTF role (beforehand, untimed) for the devices in turn go through sim_rx_batch()
 * in batches as the socket loop reads them, and every answer is checked
 * to be there. Prints one line per population:
 *
 *   sim-bench [-t THREADS] [-b BATCH] [-p PAGINGS] N...
 *   devices=N threads=T pagings=P checks=C seconds=S checks_per_s=R
 *
 * For instructions per PAGING run it under valgrind --tool=callgrind
 * (the totals divided by P; see README.md "Cost").
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

static u64 answers;

static int count_tx(void *ctx, const u8 dst[6], const u8 *buf, size_t len)
{
	(void)ctx;
	(void)dst;
	(void)buf;
	(void)len;
	answers++;
	return 0;
}

static u32 rnd = 12345;

static int fake_random(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--) {
		rnd = rnd * 1103515245u + 12345u;
		*p++ = (u8)(rnd >> 16);
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(size_t ndev, unsigned int threads, unsigned int batch,
	       unsigned int pagings)
{
	static const u8 src[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct sim_frame *fr;
	u8 (*buf)[AIOT_MSG_MAX];
	char *store, err[256];
	struct aiot_hkey *hk;
	u8 (*id)[AIOTSEC_ID_LEN];
	size_t n = 0, i, j;
	unsigned int k, sent;
	double t0, t1;
	struct sim s;
	int ret = -1;

	store = malloc(ndev * 100 + 1);
	hk = calloc(ndev, sizeof(*hk));
	id = calloc(ndev, sizeof(*id));
	fr = calloc(pagings, sizeof(*fr));
	buf = calloc(pagings, sizeof(*buf));
	if (!store || !hk || !id || !fr || !buf || sim_init(&s))
		goto out;
	for (i = 0; i < ndev; i++) {
		u8 key[16];

		id[i][0] = 0xbe;
		id[i][14] = (u8)(i >> 8);
		id[i][15] = (u8)i;
		id[i][13] = (u8)(i >> 16);
		fake_random(key, sizeof(key));
		n += (size_t)sprintf(store + n, "be%026zx%04zx ", i >> 16,
				     i & 0xffff);
		for (j = 0; j < sizeof(key); j++)
			n += (size_t)sprintf(store + n, "%02x", key[j]);
		n += (size_t)sprintf(store + n, " %s\n",
				     i % 2 ? "tid,pi,mac=8" : "enc,pi,mac=8");
		aiot_hkey_init(&hk[i], key, sizeof(key));
	}
	if (sim_load_buf(&s, "bench", store, n, err, sizeof(err))) {
		fprintf(stderr, "sim-bench: %s\n", err);
		goto out;
	}
	s.random = fake_random;
	if (threads > 1 && sim_par_start(&s, threads))
		goto out;
	/* The requests first: only the simulator is timed. */
	for (k = 0; k < pagings; k++) {
		size_t d = k % ndev;
		struct aiot_cred c = { .id = id[d], .hk = &hk[d] };
		u8 nn[AIOT_NONCE_LEN];
		int len;

		fake_random(nn, sizeof(nn));
		len = aiotf_paging(&c, nn, d % 2 ? 0x22 : 0x21, buf[k]);
		if (len < 0)
			goto out;
		memcpy(fr[k].src, src, 6);
		fr[k].buf = buf[k];
		fr[k].len = (size_t)len;
	}
	answers = 0;
	t0 = now_s();
	for (sent = 0; sent < pagings; sent += k) {
		k = pagings - sent < batch ? pagings - sent : batch;
		sim_rx_batch(&s, fr + sent, k);
		sim_flush(&s, s.now_ms, count_tx, NULL);
	}
	t1 = now_s();
	printf("devices=%zu threads=%u pagings=%u checks=%llu answers=%llu "
	       "seconds=%.3f checks_per_s=%.0f pagings_per_s=%.0f\n",
	       ndev, s.par ? threads : 1, pagings,
	       (unsigned long long)s.st.checks, (unsigned long long)answers,
	       t1 - t0, s.st.checks / (t1 - t0), pagings / (t1 - t0));
	if (answers != pagings || s.st.checks != (u64)pagings * ndev) {
		fprintf(stderr, "sim-bench: %llu answers, %llu checks: wrong\n",
			(unsigned long long)answers,
			(unsigned long long)s.st.checks);
		goto out;
	}
	ret = 0;
out:
	sim_free(&s);
	for (i = 0; hk && i < ndev; i++)
		aiot_hkey_wipe(&hk[i]);
	free(store);
	free(hk);
	free(id);
	free(fr);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned int threads = 1, batch = 64, pagings = 0;
	int c, ret = 0;

	while ((c = getopt(argc, argv, "t:b:p:")) != -1) {
		switch (c) {
		case 't':
			threads = (unsigned int)atoi(optarg);
			break;
		case 'b':
			batch = (unsigned int)atoi(optarg);
			break;
		case 'p':
			pagings = (unsigned int)atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc || !batch || batch > 4096 || threads > 16)
		goto usage;
	for (; optind < argc; optind++) {
		size_t n = (size_t)atol(argv[optind]);

		if (!n || n > 1000000)
			goto usage;
		/* About the same number of checks for every population. */
		if (run(n, threads, batch, pagings ? pagings :
			(unsigned int)(n > 20000 ? 10 : 200000 / n)))
			ret = 1;
	}
	return ret;
usage:
	fprintf(stderr, "usage: sim-bench [-t THREADS] [-b BATCH] [-p PAGINGS] N...\n");
	return 2;
}
