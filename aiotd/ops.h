/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's operations: an accepted request-inv or request-cmd becomes an
 * operation whose devices go to the library's transaction engine (as
 * many as its window allows), whose results are held and sent to the
 * AF's notifUri in reports (report_batch, report_delay_ms), the last one
 * with lastRepInd.
 */
#ifndef _AIOTD_OPS_H
#define _AIOTD_OPS_H

#include <stddef.h>

#include "req.h"
#include "txn.h"

/* Start an operation of @r (taken), transaction @tid. 0 or -ENOMEM. */
int ops_add(struct op_req *r, const char *tid);
/* Device transactions in the module, and not yet sent. */
size_t ops_inflight(void);
size_t ops_queued(void);
/* Something to send, and room to send it? */
bool ops_can_send(void);
/* Send what the engine's window has room for. */
void ops_send(void);
/*
 * Lost results expired; held reports due sent; finished operations freed
 * (those of rounds.c too).
 */
void ops_housekeeping(void);
/* When held reports are due (monotonic seconds; 0: none held), rounds.c's too. */
double ops_next_flush(void);
/* The reader requests go through (0: any), without targetArea. */
void ops_set_reader(unsigned int ifindex);
unsigned int ops_reader(void);
/* The engine's callback: one device's result. */
void ops_result(const struct txn_result *r, void *arg);

/* Outcomes and latencies, for /metrics. */
#define OPS_NLAT	13
extern const double ops_lat_bounds[OPS_NLAT];
struct ops_stats {
	unsigned long long dev[OP_CMD + 1][DR_NUM];
	unsigned long long lat_bucket[OPS_NLAT], lat_n;
	double lat_sum;
	unsigned long long lost, unmatched;
};
extern struct ops_stats ops_stats;

#endif /* _AIOTD_OPS_H */
