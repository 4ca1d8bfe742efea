/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The window of the transaction engine (txn.h), on its own for the tests. */
#ifndef _AIOTSEC_WINDOW_H
#define _AIOTSEC_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The window of outstanding transactions, AIMD as TCP's congestion
 * window: it starts at WINDOW_START (or the maximum, if smaller), grows
 * by one per result (doubling per round) up to the threshold, then by
 * one per window's worth of results; a timeout halves it (and sets the
 * threshold there), once per round: a timeout of a request sent before
 * the last halving does not halve it again. Fixed: always the maximum.
 */
#define WINDOW_START	4
#define WINDOW_DEFAULT	64

struct window {
	uint32_t cur, max, ssthresh;
	bool fixed;
	uint32_t credit;		/* results towards the next +1 */
	uint64_t sent;			/* requests sent so far */
	uint64_t halved_at;		/* @sent when it last halved */
};

/* A window of at most @max (at least 1); @fixed: always @max. */
void window_init(struct window *w, uint32_t max, bool fixed);
/* A request goes out; returns its sequence number for window_timeout(). */
uint64_t window_sent(struct window *w);
/* A result came in time: the window grows. */
void window_result(struct window *w);
/* Request @seq timed out: the window halves, once per round. */
void window_timeout(struct window *w, uint64_t seq);

#endif /* _AIOTSEC_WINDOW_H */
