/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The parts of aiotctl's batch auth/command that need no socket, for the
 * host tests: the list of device IDs (arguments, or one per line of a
 * file), the adaptive window, and which ID a kernel error points at.
 */
#ifndef _AIOTCTL_BATCH_H
#define _AIOTCTL_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../uapi/linux/aiotsec.h"

#define BATCH_ERR_MAX	256

struct idlist {
	uint8_t (*id)[AIOTSEC_ID_LEN];
	size_t n, cap;
};

/* Append one ID in hex; -1 with the reason in @err. */
int idlist_add(struct idlist *l, const char *s, size_t len, char *err,
	       size_t errlen);

/*
 * One ID per line of @f: blanks around it and blank lines are skipped,
 * '#' starts a comment. -1 with "line N: reason" in @err.
 */
int idlist_read(struct idlist *l, FILE *f, char *err, size_t errlen);
void idlist_free(struct idlist *l);

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

void window_init(struct window *w, uint32_t max, bool fixed);
/* A request goes out; returns its sequence number for window_timeout(). */
uint64_t window_sent(struct window *w);
void window_result(struct window *w);
void window_timeout(struct window *w, uint64_t seq);

/*
 * The index of the AIOTSEC_A_DEV_IDS entry at @off (an extack
 * NLMSGERR_ATTR_OFFS) in a request whose first attribute is that nest,
 * of @n entries; -1 if it points elsewhere.
 */
int batch_entry_at(uint32_t off, size_t n);

#endif /* _AIOTCTL_BATCH_H */
