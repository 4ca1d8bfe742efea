// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotsim: simulated AIoT devices behind one interface (README.md).
 *
 *   aiotsim -i IFNAME -k KEYSTORE [--groups FILE] [--present N/M|FILE]
 *           [--fault MODE[:ID]]... [--delay-ms N]
 *           [--ready FILE] [--pidfile FILE] [--stats FILE]
 *           [--once | --answers N] [--threads N] [--no-replay-defence]
 *
 * Exit status: 0 after SIGTERM/SIGINT (or the answers asked for), 1 on an
 * error, 2 on a usage error. The counters are printed as one line on
 * standard output at exit, and written to --stats FILE at exit and on
 * every SIGUSR1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim_io.h"

struct opts {
	const char *ifname;
	const char *keys;
	const char *ready;
	const char *pidfile;
	const char *stats;
	const char *groups;
	const char *present;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: aiotsim -i IFNAME -k KEYSTORE [--groups FILE]\n"
		"               [--present N/M|FILE] [--fault MODE[:ID]]...\n"
		"               [--delay-ms N] [--ready FILE] [--pidfile FILE]\n"
		"               [--stats FILE] [--once | --answers N] [--threads N]\n"
		"               [--no-replay-defence]\n"
		"fault modes: %s\n", sim_fault_names());
}

/* Write @text to @path through a temporary file and rename(). */
static int write_atomic(const char *path, void (*fill)(FILE *f, void *arg),
			void *arg)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fill(f, arg);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void fill_stats(FILE *f, void *s)
{
	sim_print_stats(s, f);
}

static void fill_pid(FILE *f, void *arg)
{
	(void)arg;
	fprintf(f, "%ld\n", (long)getpid());
}

static void fill_ready(FILE *f, void *s)
{
	fprintf(f, "ready devices=%zu present=%zu\n", ((struct sim *)s)->ndev,
		sim_npresent(s));
}

static void dump_stats(struct sim *s, void *ctx)
{
	const struct opts *o = ctx;

	if (o->stats && write_atomic(o->stats, fill_stats, s))
		fprintf(stderr, "aiotsim: %s: cannot write\n", o->stats);
}

/* --fault MODE[:ID] */
static int add_fault(struct sim *s, char *arg)
{
	char *id = strchr(arg, ':');
	unsigned int bit;
	char err[256];

	if (id)
		*id++ = '\0';
	bit = sim_fault_parse(arg);
	if (!bit) {
		fprintf(stderr, "aiotsim: unknown fault mode '%s' (one of: %s)\n",
			arg, sim_fault_names());
		return 2;
	}
	if (sim_set_fault(s, bit, id, err, sizeof(err))) {
		fprintf(stderr, "aiotsim: --fault %s: %s\n", arg, err);
		return 1;
	}
	return 0;
}

static bool parse_u64(const char *s, u64 *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && *s && !*end && *s != '-';
}

enum { O_FAULT = 256, O_DELAY, O_READY, O_PIDFILE, O_STATS, O_ONCE,
	O_ANSWERS, O_THREADS, O_NO_REPLAY, O_GROUPS, O_PRESENT };

#define THREADS_MAX	16

static const struct option longopts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "keys", required_argument, NULL, 'k' },
	{ "fault", required_argument, NULL, O_FAULT },
	{ "delay-ms", required_argument, NULL, O_DELAY },
	{ "ready", required_argument, NULL, O_READY },
	{ "pidfile", required_argument, NULL, O_PIDFILE },
	{ "stats", required_argument, NULL, O_STATS },
	{ "once", no_argument, NULL, O_ONCE },
	{ "answers", required_argument, NULL, O_ANSWERS },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "no-replay-defence", no_argument, NULL, O_NO_REPLAY },
	{ "groups", required_argument, NULL, O_GROUPS },
	{ "present", required_argument, NULL, O_PRESENT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sim_io io = { .fd = -1 };
	char **faults, err[512];
	int c, nfaults = 0, i, ret = 1;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	u64 answers = 0, v;
	struct sim s;

	faults = calloc((size_t)argc, sizeof(*faults));
	if (!faults || sim_init(&s)) {
		fprintf(stderr, "aiotsim: out of memory\n");
		return 1;
	}
	while ((c = getopt_long(argc, argv, "i:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.ifname = optarg;
			break;
		case 'k':
			o.keys = optarg;
			break;
		case O_FAULT:
			faults[nfaults++] = optarg;
			break;
		case O_READY:
			o.ready = optarg;
			break;
		case O_PIDFILE:
			o.pidfile = optarg;
			break;
		case O_STATS:
			o.stats = optarg;
			break;
		case O_ONCE:
			answers = 1;
			break;
		case O_DELAY:
			if (!parse_u64(optarg, &v) || v > 600000)
				goto usage;
			s.delay_ms = (u32)v;
			break;
		case O_ANSWERS:
			if (!parse_u64(optarg, &answers))
				goto usage;
			break;
		case O_THREADS:
			if (!parse_u64(optarg, &v) || !v || v > THREADS_MAX)
				goto usage;
			threads = (long)v;
			break;
		case O_NO_REPLAY:
			s.no_replay_defence = true;
			break;
		case O_GROUPS:
			o.groups = optarg;
			break;
		case O_PRESENT:
			o.present = optarg;
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto out;
		default:
			goto usage;
		}
	}
	if (optind != argc || !o.ifname || !o.keys)
		goto usage;

	if (sim_load(&s, o.keys, err, sizeof(err)) ||
	    (o.groups && sim_groups_load(&s, o.groups, err, sizeof(err))) ||
	    (o.present && sim_present(&s, o.present, err, sizeof(err)))) {
		fprintf(stderr, "aiotsim: %s\n", err);
		goto out;
	}
	for (i = 0; i < nfaults; i++) {
		ret = add_fault(&s, faults[i]);
		if (ret)
			goto out;
	}
	ret = 1;
	if (threads > THREADS_MAX)
		threads = THREADS_MAX;
	if (threads > 1 && sim_par_start(&s, (unsigned int)threads)) {
		fprintf(stderr, "aiotsim: cannot start %ld threads\n", threads);
		goto out;
	}
	if (sim_io_open(&io, o.ifname, err, sizeof(err))) {
		fprintf(stderr, "aiotsim: %s\n", err);
		goto out;
	}
	io.max_answers = answers;
	if (o.pidfile && write_atomic(o.pidfile, fill_pid, NULL)) {
		fprintf(stderr, "aiotsim: %s: cannot write\n", o.pidfile);
		goto out;
	}
	/* The socket is bound: from now on no request is missed. */
	if (o.ready && write_atomic(o.ready, fill_ready, &s)) {
		fprintf(stderr, "aiotsim: %s: cannot write\n", o.ready);
		goto out;
	}
	if (!sim_io_run(&s, &io, dump_stats, &o))
		ret = 0;
	printf("aiotsim: ");
	sim_print_stats(&s, stdout);
	fflush(stdout);
	dump_stats(&s, &o);
	goto out;
usage:
	usage(stderr);
	ret = 2;
out:
	sim_io_close(&io);
	sim_free(&s);
	free(faults);
	return ret;
}
