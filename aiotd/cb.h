/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Notifications to the AFs (AIoTNotif POSTed to notifUri) over HTTP/2
 * (h2cli.h: connections kept and multiplexed), in a thread of their own.
 * Per transId they go one at a time and in order; a failure (no connection, timeout, 429,
 * 5xx) is retried with doubling back-off up to a bound, then dropped and
 * counted. The last one of a transId being delivered marks it done in the
 * state file.
 */
#ifndef _AIOTD_CB_H
#define _AIOTD_CB_H

#include <stdatomic.h>
#include <stdbool.h>

struct cb_conf {
	unsigned int retries;		/* attempts after the first */
	unsigned int backoff_ms;	/* first wait; doubles */
	unsigned int backoff_max_ms;
	unsigned int timeout_ms;	/* per attempt */
	unsigned int max_active;	/* POSTs in flight */
	const char *ca;			/* https: CA file, NULL: system's */
	const char *cert, *key;		/* https: client certificate */
};

struct cb_stats {
	atomic_ullong sent;		/* delivered (2xx) */
	atomic_ullong failed;		/* attempts that failed */
	atomic_ullong retried;
	atomic_ullong dropped;		/* given up after the retries */
	atomic_ullong queued;		/* now waiting or in flight */
	atomic_ullong conns;		/* connections opened */
	atomic_ullong conns_open;	/* open now */
};
extern struct cb_stats cb_stats;

int cb_start(const struct cb_conf *conf);
/* Queue @body (taken) for @uri; @last: the last of @trans_id. */
void cb_post(const char *uri, const char *trans_id, char *body, bool last);
/* Wait up to @ms for the queue to empty, then stop the thread. */
void cb_stop(unsigned int ms);

#endif /* _AIOTD_CB_H */
