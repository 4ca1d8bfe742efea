// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Part A report: instruction counts of each case from the callgrind dumps
 * (one "name iterations Ir" line per case, from dev-run.sh), less the
 * empty loop, beside the analytic operation counts and the energy model.
 */
#include <math.h>
#include <stdlib.h>

#include "bench.h"

#define MAXCASES	64

/* Per step: instructions, and calls of and instructions in the cores. */
struct count {
	double ir;
	double sha, sha_ir, aes, aes_ir, kexp, kexp_ir;
};

struct counts {
	const char *cfg;
	struct count c[MAXCASES];
};

static int case_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < bench_ncases; i++)
		if (!strcmp(bench_cases[i].name, name))
			return i;
	return -1;
}

static int load(const char *path, struct counts *cs)
{
	unsigned long long v[7];
	unsigned int i, it;
	struct count *c;
	char name[80];
	FILE *f;
	int k;

	for (i = 0; i < bench_ncases; i++)
		cs->c[i].ir = NAN;
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	while (fscanf(f, "%79s %u %llu %llu %llu %llu %llu %llu %llu", name,
		      &it, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		      &v[6]) == 9) {
		k = case_index(name);
		if (k < 0 || !it)
			continue;
		c = &cs->c[k];
		c->ir = (double)v[0] / it;
		c->sha = (double)v[1] / it;
		c->sha_ir = (double)v[2] / it;
		c->aes = (double)v[3] / it;
		c->aes_ir = (double)v[4] / it;
		c->kexp = (double)v[5] / it;
		c->kexp_ir = (double)v[6] / it;
	}
	fclose(f);
	for (i = 0; i < bench_ncases; i++) {
		if (isnan(cs->c[i].ir)) {
			fprintf(stderr, "%s: no count for %s\n", path,
				bench_cases[i].name);
			return -1;
		}
	}
	return 0;
}

void tsv_line(FILE *tsv, const char *name, const char *fmt, double v)
{
	fprintf(tsv, "%s\t", name);
	fprintf(tsv, fmt, v);
	fprintf(tsv, "\t-\tmet\n");
}

static void tsv2(FILE *tsv, const char *a, const char *b, const char *fmt,
		 double v)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_%s", a, b);
	tsv_line(tsv, name, fmt, v);
}

/*
 * An analytic operation count, with the count callgrind measured (calls
 * per message in the scalar run) as its target: met when they agree.
 */
static bool tsv_ops(FILE *tsv, const char *a, const char *b, unsigned int v,
		    double measured)
{
	bool met = fabs(v - measured) < 0.001;

	fprintf(tsv, "%s_%s\t%u\t=%g\t%s\n", a, b, v, measured,
		met ? "met" : "missed");
	return met;
}

/* Instructions of case @i less those of the empty loop. */
static double net(const struct counts *cs, unsigned int i)
{
	return cs->c[i].ir - cs->c[0].ir;
}

/* The first three cases are the loop and the two calibrations. */
static void calibration(FILE *tsv, const struct counts *cs)
{
	const char *sfx = strcmp(cs->cfg, "host") ? "_scalar" : "";
	const struct count *sha = &cs->c[1], *aes = &cs->c[2];
	char name[64];

	printf("  %-7s loop %.1f instr/step (subtracted); SHA-256 %.0f "
	       "instr/compression, AES-128-CTR %.1f instr/block in bulk\n",
	       cs->cfg, cs->c[0].ir, net(cs, 1) / 64, net(cs, 2) / 64);
	snprintf(name, sizeof(name), "loop_instr%s", sfx);
	tsv_line(tsv, name, "%.1f", cs->c[0].ir);
	snprintf(name, sizeof(name), "cal_sha256_instr_per_block%s", sfx);
	tsv_line(tsv, name, "%.1f", net(cs, 1) / 64);
	snprintf(name, sizeof(name), "cal_aes128ctr_instr_per_block%s", sfx);
	tsv_line(tsv, name, "%.1f", net(cs, 2) / 64);
	printf("  %-7s of which in the core functions: %.0f per compression, "
	       "%.1f per block\n", "", sha->sha_ir / 64, aes->aes_ir / 64);
}

/* Share of a step's instructions in the SHA-256 and AES cores. */
static double core_share(const struct counts *cs, unsigned int i)
{
	const struct count *c = &cs->c[i];

	return (c->sha_ir + c->aes_ir + c->kexp_ir) / net(cs, i);
}

static bool row(FILE *tsv, unsigned int i, const struct counts *host,
		const struct counts *scalar)
{
	const struct bench_energy *sw = &bench_energy[0];
	const struct bench_energy *hw = &bench_energy[1];
	const struct bench_case *bc = &bench_cases[i];
	const struct count *m = &scalar->c[i];
	struct bench_ops o;
	bool ok = true;

	case_ops(bc, &o);
	printf("%-29s %6.0f %6.0f %3.0f%% %2u/%-2g %2u/%-2g %u/%-2g "
	       "%6.0f %5.0f %6.0f %5.0f\n", bc->name, net(host, i),
	       net(scalar, i), 100 * core_share(scalar, i), o.sha, m->sha,
	       o.aes, m->aes, o.kexp, m->kexp, ops_cycles(sw, &o),
	       ops_nj(sw, &o), ops_cycles(hw, &o), ops_nj(hw, &o));
	tsv2(tsv, bc->name, "instr", "%.0f", net(host, i));
	tsv2(tsv, bc->name, "instr_scalar", "%.0f", net(scalar, i));
	if (bc->kind == BK_PARSE)
		return true;
	tsv2(tsv, bc->name, "core_share_scalar", "%.3f",
	     core_share(scalar, i));
	ok &= tsv_ops(tsv, bc->name, "sha256_compressions", o.sha, m->sha);
	ok &= tsv_ops(tsv, bc->name, "aes128_blocks", o.aes, m->aes);
	ok &= tsv_ops(tsv, bc->name, "aes128_key_expansions", o.kexp,
		      m->kexp);
	tsv2(tsv, bc->name, "cycles_sw", "%.0f", ops_cycles(sw, &o));
	tsv2(tsv, bc->name, "energy_sw_nJ", "%.1f", ops_nj(sw, &o));
	tsv2(tsv, bc->name, "cycles_hw", "%.0f", ops_cycles(hw, &o));
	tsv2(tsv, bc->name, "energy_hw_nJ", "%.1f", ops_nj(hw, &o));
	return ok;
}

/* What precomputed HMAC states save a non-target device. */
static void summary(FILE *tsv, const struct counts *host,
		    const struct counts *scalar)
{
	static const char * const idp[] = { "enc", "tid" };
	int naive, pre;
	unsigned int i;
	char name[64];
	double h, sc;

	printf("\nNon-target PAGING, precomputed HMAC states vs naive "
	       "(instructions MEASURED):\n");
	for (i = 0; i < ARRAY_SIZE(idp); i++) {
		snprintf(name, sizeof(name), "dev_reject_%s_naive", idp[i]);
		naive = case_index(name);
		snprintf(name, sizeof(name), "dev_reject_%s_pre", idp[i]);
		pre = case_index(name);
		h = 1 - net(host, pre) / net(host, naive);
		sc = 1 - net(scalar, pre) / net(scalar, naive);
		printf("  IDP %s: %.0f -> %.0f instr host (-%.0f%%), %.0f -> "
		       "%.0f scalar (-%.0f%%)\n", idp[i], net(host, naive),
		       net(host, pre), 100 * h, net(scalar, naive),
		       net(scalar, pre), 100 * sc);
		snprintf(name, sizeof(name), "dev_reject_%s_pre_saving_pct",
			 idp[i]);
		tsv_line(tsv, name, "%.1f", 100 * h);
	}
}

/*
 * The device side of an inventory (profile v1.1): a device outside the
 * filter, and one that already answered the NN, run no cryptographic
 * instruction (none inside the SHA-256 compression, the AES block
 * function or the AES key expansion, in either run); beside them the
 * answer and the non-target PAGING of v1.
 */
static void inventory(FILE *tsv, const struct counts *host,
		      const struct counts *scalar)
{
	static const char * const silent[] = { "dev_inv_filter_miss",
					       "dev_inv_repeat" };
	const struct count *h, *sc;
	unsigned int k;
	char name[64];
	double crypto;
	int i, rej = case_index("dev_reject_enc_pre");
	int ans = case_index("dev_inv_answer_pre");

	printf("\nInventory, device side (instructions MEASURED, host):\n");
	for (k = 0; k < ARRAY_SIZE(silent); k++) {
		i = case_index(silent[k]);
		if (i < 0)
			continue;
		h = &host->c[i];
		sc = &scalar->c[i];
		crypto = h->sha + h->aes + h->kexp + sc->sha + sc->aes +
			 sc->kexp + h->sha_ir + h->aes_ir + h->kexp_ir +
			 sc->sha_ir + sc->aes_ir + sc->kexp_ir;
		printf("  %-22s %6.0f instr, %g in SHA-256/AES\n", silent[k],
		       net(host, i), crypto);
		snprintf(name, sizeof(name), "%s_crypto_instr", silent[k]);
		fprintf(tsv, "%s\t%g\t0\t%s\n", name, crypto,
			crypto == 0 ? "met" : "missed");
	}
	if (ans >= 0 && rej >= 0)
		printf("  %-22s %6.0f instr; the non-target PAGING (IDP enc, "
		       "pre) %0.f\n", "dev_inv_answer_pre", net(host, ans),
		       net(host, rej));
}

static void legend(void)
{
	unsigned int i;

	printf("\nA. Device cost per message (bench_dev; README.md, "
	       "ENERGY.md)\n"
	       "  MEASURED here, callgrind, x86-64 instructions per message "
	       "(mean of N, empty\n"
	       "  loop subtracted), OpenSSL 3 through the project's "
	       "primitives:\n"
	       "    host    OpenSSL's default code paths on the CPU valgrind "
	       "presents\n"
	       "    scalar  OPENSSL_ia32cap without AES-NI, SSSE3, AVX, AVX2, "
	       "SHA-NI: integer-only\n"
	       "            SHA-256 and AES; core: its share inside the "
	       "SHA-256/AES functions\n"
	       "  ANALYTIC from the message lengths / MEASURED as calls in "
	       "the scalar run:\n"
	       "    SHA     SHA-256 compressions; AES: AES-128 blocks; KE: "
	       "AES-128 key expansions\n"
	       "  LITERATURE (ENERGY.md, not re-checked here): the analytic "
	       "counts times\n");
	for (i = 0; i < bench_nenergy; i++)
		printf("    %-7s %s\n", bench_energy[i].tag,
		       bench_energy[i].what);
	printf("  naive: HMAC keyed from the raw key per message "
	       "(proto/prim_ossl.c)\n"
	       "  pre:   HMAC from a context keyed once, EVP_MAC_CTX_dup "
	       "per message\n\n");
}

int report(FILE *tsv, const char *host_path, const char *scalar_path)
{
	static struct counts host = { .cfg = "host" };
	static struct counts scalar = { .cfg = "scalar" };
	unsigned int i;
	bool ok = true;

	if (bench_ncases > MAXCASES || load(host_path, &host) ||
	    load(scalar_path, &scalar))
		return -1;
	legend();
	printf("Calibration (MEASURED):\n");
	calibration(tsv, &host);
	calibration(tsv, &scalar);
	printf("\n%-29s %6s %6s %4s %5s %5s %4s %6s %5s %6s %5s\n", "case",
	       "instr", "instr", "core", "SHA", "AES", "KE", "sw", "sw", "hw",
	       "hw");
	printf("%-29s %6s %6s %4s %5s %5s %4s %6s %5s %6s %5s\n", "", "host",
	       "scalar", "", "an/me", "an/me", "an/me", "cycles", "nJ",
	       "cycles", "nJ");
	for (i = 0; i < bench_ncases; i++) {
		if (bench_cases[i].kind > BK_CAL_AES)
			ok &= row(tsv, i, &host, &scalar);
	}
	if (!ok)
		printf("\nAnalytic and measured operation counts DIFFER "
		       "(an/me above)\n");
	summary(tsv, &host, &scalar);
	inventory(tsv, &host, &scalar);
	return 0;
}
