/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The namespace's counters (AIOTSEC_CMD_GET_STATS) as a structure, and
 * the one table of their names: aiotctl prints them, aiotd exports them
 * as Prometheus series, both under these names.
 */
#ifndef _AIOTSEC_STATS_H
#define _AIOTSEC_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"

struct aiot_stats {
	uint64_t ctr[AIOTSEC_STAT_MAX + 1];	/* by AIOTSEC_STAT_* */
	bool has_drops;
	uint64_t drops[AIOTSEC_DROP_MAX + 1];	/* by AIOTSEC_DROP_* */
};

/* Counter names by AIOTSEC_STAT_* (NULL: not a counter, e.g. DROPS). */
extern const char *const aiot_stat_names[AIOTSEC_STAT_MAX + 1];
/* Drop reasons by AIOTSEC_DROP_* (NULL: unnamed). */
extern const char *const aiot_drop_names[AIOTSEC_DROP_MAX + 1];

/*
 * Read the namespace's counters into @s. 0, -ENOMEM, -EBADMSG for a reply
 * without them, or the request's failure (a->last says why).
 */
int stats_get(struct anl *a, struct aiot_stats *s);

#endif /* _AIOTSEC_STATS_H */
