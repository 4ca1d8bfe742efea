// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl load FILE: bulk provisioning from a key store, as few messages
 * as the attribute format allows (each all or nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "bulk.h"
#include "json.h"

static const char usage[] =
"usage: aiotctl [-j] load FILE|- [replace] [batch N]\n"
"Add every device of key-store FILE (aiotctl(8), KEY-STORE FORMAT).\n"
"replace: existing devices are replaced (AIOTSEC_F_REPLACE).\n"
"batch N: at most N devices per message (default: as many as fit).\n";

static void report(const char *file, const struct batch *b, size_t n,
		   double parse_secs)
{
	double rate = b->secs > 0 ? (double)n / b->secs : 0;
	struct json j;

	if (!opt_json) {
		printf("loaded %zu devices from %s in %zu messages: %.3f s in the kernel, %.0f devices/s (file read in %.3f s)\n",
		       n, file, b->msgs, b->secs, rate, parse_secs);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "file", file);
	json_u64(&j, "devices", n);
	json_u64(&j, "messages", b->msgs);
	json_f64(&j, "kernel_seconds", b->secs, 3);
	json_f64(&j, "devices_per_second", rate, 0);
	json_f64(&j, "read_seconds", parse_secs, 3);
	json_obj_end(&j);
	json_end(&j);
}

int cmd_load(int argc, char **argv)
{
	char err[512];
	struct progress p;
	struct keystore ks;
	size_t i, max = 0;
	bool replace = false;
	struct batch b;
	struct anl a;
	double t0;
	int ret = 0, k;

	if (wants_help(argc, argv))
		return help_out(usage);
	if (argc < 1)
		return usage_err(usage, "load: a FILE is required");
	for (k = 1; k < argc; k++) {
		if (is_help(argv[k]))
			return help_out(usage);
		if (!strcmp(argv[k], "replace")) {
			replace = true;
		} else if (!strcmp(argv[k], "batch") && k + 1 < argc) {
			if (parse_batch(argv[++k], &max))
				return EXIT_USAGE;
		} else {
			return usage_err(usage, "load: unexpected '%s'",
					 argv[k]);
		}
	}
	t0 = now_secs();
	if (ks_load(&ks, argv[0], stderr, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	t0 = now_secs() - t0;
	if (anl_open(&a, false)) {
		ks_free(&ks);
		return EXIT_ERR;
	}
	batch_init(&b, &a, AIOTSEC_CMD_ADD_DEVICES,
		   replace ? AIOTSEC_F_REPLACE : 0, max);
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
