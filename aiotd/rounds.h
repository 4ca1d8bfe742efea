/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's inventories by area and by filter: a request-inv with
 * targetArea and/or filteringInfo (and no device list) runs one inventory
 * round (lib/inv.h) on each reader of its areas, started while the
 * request is answered (so that the module's refusals are its HTTP
 * answer); each device found goes into the reports as it comes
 * (report_batch, report_delay_ms), once per operation however many
 * readers found it; the last report (lastRepInd) when every round has
 * ended or numDevices devices were found.
 */
#ifndef _AIOTD_ROUNDS_H
#define _AIOTD_ROUNDS_H

#include <stdbool.h>
#include <stdio.h>

#include "inv.h"
#include "req.h"

/*
 * Start the rounds of @r (TGT_ROUND; taken on success) as transaction
 * @tid. 0, or -1 and @p the answer (*@retry: with Retry-After).
 */
int rounds_start(struct op_req *r, const char *tid, struct problem *p,
		 bool *retry);
/* The inventory set's callbacks (module.c installs them). */
void rounds_found(const struct inv_found *f, void *arg);
void rounds_done(const struct inv_done *d, void *arg);
/* Held reports due sent, rounds past their deadline ended, operations freed. */
void rounds_housekeeping(void);
/* When held reports are due (monotonic seconds; 0: none). */
double rounds_next_flush(void);
/* Seconds until the earliest of our rounds ends (at least 1). */
unsigned int rounds_retry_after(void);
/* Per area: rounds by end, devices found, refusals; for /metrics. */
void rounds_metrics(FILE *f);

#endif /* _AIOTD_ROUNDS_H */
