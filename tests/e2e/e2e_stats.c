// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Counters of the end-to-end suite (aiotsec_e2e.c): snapshots of every
 * counter of `aiotctl -j stats`, what changed between two of them, and
 * config values.
 */
#include <stdio.h>

#include "e2e.h"

const char *const stat_names[] = {
	"tx_frames", "rx_frames", "auth_ok", "auth_fail", "cmd_ok",
	"cmd_fail", "timeouts", "events_lost", "drops.short",
	"drops.version", "drops.suite", "drops.type", "drops.policy",
	"drops.plen", "drops.caplen", "drops.trailing", "drops.unknown_ct",
	"drops.mac", "drops.id", "drops.downgrade", "drops.not_response",
};

/* Every counter of `aiotctl -j stats` in @ns; false if one is missing. */
bool snap(const char *ns, struct snap *s)
{
	struct run r;
	uint64_t v;
	bool ok = true;
	int i;

	if (ctl(&r, ns, 0, "-j", "stats", NULL)) {
		fprintf(stderr, "# aiotctl -j stats: exit %d: %s\n", r.status,
			r.err);
		run_free(&r);
		return false;
	}
	for (i = 0; i < S_NUM; i++) {
		if (json_u64(r.out, stat_names[i], &v)) {
			s->v[i] = (int64_t)v;
		} else {
			fprintf(stderr, "# no %s in: %s\n", stat_names[i], r.out);
			ok = false;
		}
	}
	run_free(&r);
	return ok;
}

int64_t delta(const struct snap *a, const struct snap *b, int i)
{
	return b->v[i] - a->v[i];
}

/* Checks that every counter not in @allowed stayed as it was. */
bool only_changed(const struct snap *a, const struct snap *b,
		  const int *allowed, int n)
{
	int i, j;
	bool ok = true;

	for (i = 0; i < S_NUM; i++) {
		bool may = i == S_TX || i == S_RX;

		for (j = 0; j < n; j++)
			may = may || allowed[j] == i;
		if (!may && delta(a, b, i)) {
			fprintf(stderr, "# counter %s changed by %lld\n",
				stat_names[i], (long long)delta(a, b, i));
			ok = false;
		}
	}
	return ok;
}

/* Polls the counters until @idx has grown by @want (or @ms pass). */
bool wait_counter(const char *ns, const struct snap *base, int idx,
		  int64_t want, unsigned int ms, struct snap *now)
{
	uint64_t end = now_ms() + ms;

	do {
		if (snap(ns, now) && delta(base, now, idx) >= want)
			return true;
		sleep_ms(100);
	} while (now_ms() < end);
	return false;
}

/* A config value of `aiotctl -j config show` in @ns, or -1. */
int64_t config_of(const char *ns, const char *name)
{
	struct run r;
	uint64_t v;
	int64_t ret = -1;

	if (!ctl(&r, ns, 0, "-j", "config", "show", NULL) &&
	    json_u64(r.out, name, &v))
		ret = (int64_t)v;
	run_free(&r);
	return ret;
}
