/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The module's counters (struct aiot_stats, lib/stats.h) as Prometheus
 * series: one metric per meaning, under names that stay when aiotctl's
 * words change (aiotsec_authentications_total{result="ok"} for auth_ok).
 * Every counter the library names has its series (tests/aiotd/test_metrics.c).
 */
#ifndef _AIOTD_MSERIES_H
#define _AIOTD_MSERIES_H

#include <stdio.h>

#include "stats.h"

struct mseries {
	const char *name;		/* metric; NULL: not a counter */
	const char *label;		/* 'result="ok"' or NULL */
	const char *help;		/* the metric's, on its first counter */
};

/* By AIOTSEC_STAT_* */
extern const struct mseries mseries[AIOTSEC_STAT_MAX + 1];
/* The drops' metric, labelled reason="..." (lib's aiot_drop_names). */
#define MSERIES_DROPS "aiotsec_rx_frames_dropped_total"

/* @s as Prometheus text, HELP and TYPE before each metric's samples. */
void mseries_put(FILE *f, const struct aiot_stats *s);

#endif /* _AIOTD_MSERIES_H */
