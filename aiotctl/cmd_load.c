// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl load FILE: bulk provisioning from a key store, as few messages
 * as the attribute format allows (each all or nothing).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "bulk.h"
#include "nlerr.h"
#include "nlerr.h"
#include "out.h"

static void report(const char *file, const struct batch *b, size_t n,
		   double parse_secs)
{
	double rate = b->secs > 0 ? (double)n / b->secs : 0;

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "file", NULL, file);
	print_u64(PRINT_ANY, "devices", "loaded %" PRIu64 " devices", n);
	print_str(PRINT_FP, NULL, " from %s", file);
	print_u64(PRINT_ANY, "messages", " in %" PRIu64 " messages", b->msgs);
	print_f64(PRINT_ANY, "kernel_seconds", ": %.3f s in the kernel",
		  b->secs, 3);
	print_f64(PRINT_ANY, "devices_per_second", ", %.0f devices/s", rate, 0);
	print_f64(PRINT_ANY, "read_seconds", " (file read in %.3f s)",
		  parse_secs, 3);
	print_nl(PRINT_FP);
	close_obj(PRINT_JSON);
}

int cmd_load(int argc, char **argv)
{
	char err[512];
	struct kw kws[] = { KW("replace", KW_FLAG), KW("batch", KW_ARG),
			    KW("check", KW_FLAG), KW_END };
	struct progress p;
	struct keystore ks;
	size_t i, max = 0;
	struct batch b;
	struct anl a;
	double t0;
	int ret = 0;

	if (argc < 1)
		return usage_err("load: a FILE is required");
	if (cmd_kw(kws, "keyword", argc - 1, argv + 1, &ret))
		return ret;
	if (kws[1].seen && parse_batch(&kws[1], &max))
		return EXIT_USAGE;
	t0 = now_secs();
	if (ks_load(&ks, argv[0], stderr, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	t0 = now_secs() - t0;
	if (kws[2].seen) {
		/* Offline: the custody, syntax and duplicate checks passed. */
		open_obj(PRINT_JSON, NULL, NULL);
		print_str(PRINT_ANY, "file", "%s", argv[0]);
		print_u64(PRINT_ANY, "devices", ": %" PRIu64 " devices, valid", ks.n);
		print_nl(PRINT_FP);
		close_obj(PRINT_JSON);
		ks_free(&ks);
		return EXIT_OK;
	}
	if (ctl_open(&a, false)) {
		ks_free(&ks);
		return EXIT_ERR;
	}
	batch_init(&b, &a, AIOTSEC_CMD_ADD_DEVICES,
		   kws[0].seen ? AIOTSEC_F_REPLACE : 0, max);
	progress_init(&p, "load", ks.n);
	progress_attach(&p, &b);
	for (i = 0; i < ks.n && !ret; i++)
		ret = batch_add(&b, &ks.e[i], i);
	if (!ret)
		ret = batch_flush(&b);
	progress_end(&p);
	if (ret == -ENOMEM && !b.msgs)
		err_msg("out of memory");
	else if (ret)
		bulk_error(&b, ret, &ks, argv[0], NULL);
	else
		report(argv[0], &b, ks.n, t0);
	batch_free(&b);
	anl_close(&a);
	ks_free(&ks);
	return ret ? EXIT_ERR : EXIT_OK;
}
