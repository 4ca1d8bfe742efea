/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Host benchmarks of the device role (README.md): the cases measured under
 * callgrind, the analytic operation counts and the energy model.
 */
#ifndef _AIOT_BENCH_H
#define _AIOT_BENCH_H

#include <stdio.h>

#include "proto.h"

/*
 * prim_pre.c: prepare HMAC states for @hk (a keyed context, up to two
 * keys); select: from now on aiot_hmac() under @hk starts from them, by
 * EVP_MAC_CTX_dup, instead of keying HMAC from the raw key (NULL: the raw
 * key for every key); release: free them all.
 */
int bench_hmac_prepare(const struct aiot_hkey *hk);
void bench_hmac_select(const struct aiot_hkey *hk);
void bench_hmac_release(void);

/* Primitive operations a message costs, by the formulas of model.c. */
struct bench_ops {
	unsigned int sha;	/* SHA-256 compressions */
	unsigned int aes;	/* AES-128 block encryptions */
	unsigned int kexp;	/* AES-128 key expansions */
};

enum bench_kind {
	BK_LOOP,	/* the empty loop: subtracted from every case */
	BK_CAL_SHA,	/* calibration: SHA-256 of 64 blocks */
	BK_CAL_AES,	/* calibration: AES-128-CTR of 64 blocks */
	BK_PARSE,	/* aiot_parse() of a PAGING */
	BK_REJECT,	/* non-target device: aiotdev_paging_match() */
	BK_PAGING,	/* target: match + aiotdev_auth_resp() */
	BK_COMMAND,	/* target: aiotdev_command_open() + aiotdev_cmd_resp() */
	BK_INV_MISS,	/* INVENTORY, group outside the filter: silent */
	BK_INV_REPEAT,	/* INVENTORY already answered (NN memory): silent */
	BK_INV_ANSWER,	/* INVENTORY matched, NN new: aiotdev_inv_resp() */
};

struct bench_case {
	const char *name;	/* TSV stem, unique */
	enum bench_kind kind;
	u8 policy;		/* of the request */
	u16 plen;		/* COMMAND payload, and that of the CMD_RESP */
	bool pre;		/* HMAC states precomputed */
	unsigned int iters;
};

extern const struct bench_case bench_cases[];
extern const unsigned int bench_ncases;

/*
 * cases.c: cases_init() once; case_prepare() builds a case's messages and
 * checks one step; case_select() makes it current without running any
 * cryptography; case_step() is the code under test.
 */
int cases_init(void);
void cases_exit(void);
int case_prepare(const struct bench_case *c);
void case_select(const struct bench_case *c);
int case_step(unsigned int i);

/* model.c */
void case_ops(const struct bench_case *c, struct bench_ops *o);
unsigned int hmac_sha_blocks(size_t n, bool pre);

/* An energy (and time) model of one implementation. */
struct bench_energy {
	const char *tag;	/* TSV suffix */
	const char *what;
	double nj_sha;		/* per SHA-256 compression */
	double nj_aes;		/* per AES-128 block */
	double nj_kexp;		/* per AES-128 key expansion */
	double cyc_sha, cyc_aes, cyc_kexp;	/* clock cycles, likewise */
};

extern const struct bench_energy bench_energy[];
extern const unsigned int bench_nenergy;

double ops_nj(const struct bench_energy *e, const struct bench_ops *o);
double ops_cycles(const struct bench_energy *e, const struct bench_ops *o);

/* report.c: table on stdout, TSV on @tsv. */
void tsv_line(FILE *tsv, const char *name, const char *fmt, double v);
int report(FILE *tsv, const char *host, const char *scalar);

#endif /* _AIOT_BENCH_H */
