// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * bench_dev: what the device role costs per message.
 *
 *   bench_dev run                  every case; under valgrind
 *                                  --tool=callgrind --collect-atstart=no,
 *                                  one dump per case named "case N", and
 *                                  "setup 1" before them
 *   bench_dev report TSV HOST SCALAR
 *                                  the table (stdout) and TSV lines from
 *                                  the counts dev-run.sh extracted
 *
 * Only the loop over the code under test is collected: set-up, message
 * building and checks run before, with collection off.
 */
#include <stdlib.h>

#include <valgrind/callgrind.h>

#include "bench.h"

static int measure(const struct bench_case *c)
{
	unsigned int i;
	char tag[96];
	int bad = 0;

	case_select(c);
	CALLGRIND_ZERO_STATS;
	CALLGRIND_TOGGLE_COLLECT;
	for (i = 0; i < c->iters; i++)
		bad |= case_step(i);
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(tag, sizeof(tag), "%s %u", c->name, c->iters);
	CALLGRIND_DUMP_STATS_AT(tag);
	if (bad)
		fprintf(stderr, "bench_dev: %s: unexpected outcome\n",
			c->name);
	return bad;
}

static int run(void)
{
	unsigned int i;
	int bad = 0;

	if (!RUNNING_ON_VALGRIND)
		fprintf(stderr, "bench_dev: not under callgrind: "
			"functional check only\n");
	/*
	 * The set-up is collected into a dump of its own: callgrind counts
	 * calls even while it does not collect, and a call arc without cost
	 * is neither dumped nor zeroed, so its count would go to the next
	 * dump that has cost on it.
	 */
	CALLGRIND_TOGGLE_COLLECT;
	if (cases_init()) {
		fprintf(stderr, "bench_dev: set-up failed\n");
		bad = 1;
	}
	for (i = 0; !bad && i < bench_ncases; i++) {
		if (case_prepare(&bench_cases[i])) {
			fprintf(stderr, "bench_dev: %s: set-up or check "
				"failed\n", bench_cases[i].name);
			bad = 1;
		}
	}
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("setup 1");
	for (i = 0; !bad && i < bench_ncases; i++)
		bad |= measure(&bench_cases[i]);
	cases_exit();
	return bad;
}

int main(int argc, char **argv)
{
	FILE *tsv;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "run"))
		return run() ? EXIT_FAILURE : EXIT_SUCCESS;
	if (argc != 5 || strcmp(argv[1], "report")) {
		fprintf(stderr, "usage: %s run | report TSV HOST SCALAR\n",
			argv[0]);
		return EXIT_FAILURE;
	}
	tsv = fopen(argv[2], "w");
	if (!tsv) {
		perror(argv[2]);
		return EXIT_FAILURE;
	}
	ret = report(tsv, argv[3], argv[4]);
	if (fclose(tsv))
		ret = -1;
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
