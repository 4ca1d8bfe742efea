// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel side of the end-to-end suite (aiotsec_e2e.c): the kernel
 * log since a point, checked for trouble, and kmemleak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

bool kmemleak_present(void)
{
	return !access("/sys/kernel/debug/kmemleak", W_OK);
}

/* A kmemleak scan (twice: young objects are not reported). */
char *kmemleak_scan(void)
{
	FILE *f;

	sleep_ms(5500);
	for (int i = 0; i < 2; i++) {
		f = fopen("/sys/kernel/debug/kmemleak", "w");
		if (!f)
			return NULL;
		fputs("scan", f);
		fclose(f);
	}
	return slurp("/sys/kernel/debug/kmemleak", NULL);
}

/* Kernel log lines of trouble since @from (a byte offset). */
bool log_clean(size_t from)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "KASAN:", "UBSAN:", "Oops", "refcount_t:",
		"unreferenced object", "general protection",
	};
	char *log = kernel_log();
	bool clean = true;
	size_t i;

	if (!log)
		return false;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *hit = strlen(log) > from ? strstr(log + from, bad[i]) : NULL;

		if (hit) {
			fprintf(stderr, "# kernel log: %.200s\n", hit);
			clean = false;
		}
	}
	free(log);
	return clean;
}

size_t log_len(void)
{
	char *log = kernel_log();
	size_t n = log ? strlen(log) : 0;

	free(log);
	return n;
}
