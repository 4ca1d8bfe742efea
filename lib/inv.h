/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Inventory rounds (AIOTSEC_CMD_INVENTORY, profile v1.1) on one socket:
 * which devices are here? A round is started on one reader with a filter
 * on the devices' groups, a MAC length, a window and a stop count; the
 * module replies with its cookie, then unicasts to the requesting socket
 * one AIOTSEC_CMD_EVENT_INV_FOUND per device found and one
 * AIOTSEC_CMD_EVENT_INV_DONE when the round ends. The set matches them by
 * cookie (or, when the reply was lost to a full receive buffer, by the
 * request's sequence number) and calls back once per device found and
 * once at the round's end. Several rounds may run at once on the socket.
 * Never prints.
 *
 * Sharing the socket with the transaction engine (txn.h): call inv_new()
 * after txn_new(). The set takes the socket's event hook and hands every
 * message that is not an inventory event to the hook it replaced.
 */
#ifndef _AIOTSEC_INV_H
#define _AIOTSEC_INV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"

/* What one round asks. */
struct inv_spec {
	uint32_t ifindex;		/* 0: the module's first reader */
	uint8_t ml;			/* MAC length code: 0 (4), 1 (8), 2 (16) */
	uint8_t fbits;			/* 0..64: leading bits of the group */
	uint8_t filter[AIOTSEC_GROUP_LEN];	/* ceil(fbits/8) bytes used */
	uint32_t window_ms;		/* 0: the namespace's timeout */
	uint32_t stop;			/* end at this many found; 0: never */
};

/* A device found (AIOTSEC_CMD_EVENT_INV_FOUND). */
struct inv_found {
	void *tag;			/* the round's, as given to inv_start() */
	uint64_t cookie;
	uint8_t id[AIOTSEC_ID_LEN];
	uint32_t ifindex;
	uint8_t policy;
	size_t caplen;
	uint8_t cap[AIOTSEC_CAPLEN_MAX];
	bool has_rejects;
	uint32_t rejects;		/* failed MACs against it this round */
};

enum inv_outcome {
	INV_SUMMARY,		/* AIOTSEC_CMD_EVENT_INV_DONE came */
	INV_LOST,		/* none within its window and the grace */
	INV_ABANDONED,		/* running when inv_abandon() was called */
};

/* A round's end. Counters are the summary's (INV_SUMMARY only). */
struct inv_done {
	void *tag;
	enum inv_outcome outcome;
	uint64_t cookie;
	uint32_t ifindex;
	uint32_t candidates, found, unknown_rids, failed_macs, replays;
	uint32_t end;			/* enum aiotsec_inv_end; 0: unknown */
	uint32_t devices;		/* INV_FOUND events seen for it */
	double secs;			/* from its start until now */
};

struct inv_conf {
	uint32_t grace_ms;		/* past the window: the summary is lost */
	void (*found)(const struct inv_found *f, void *arg);
	void (*done)(const struct inv_done *d, void *arg);
	void *arg;
};

/* What the reply said. */
struct inv_started {
	uint64_t cookie;		/* 0: the reply was lost (ENOBUFS) */
	uint32_t candidates;
	uint32_t window_ms;		/* the effective window */
};

struct inv_set;

/*
 * A set of rounds on the open socket @a; takes its event hook (see
 * above). Reads the namespace's timeout (AIOTSEC_CMD_GET_CONFIG). NULL
 * if out of memory.
 */
struct inv_set *inv_new(struct anl *a, const struct inv_conf *c);
/* Free it; running rounds are forgotten (no callback); the hook restored. */
void inv_free(struct inv_set *s);

/*
 * Start a round of @sp, tagged @tag in its callbacks. 0 and @out filled:
 * the INVENTORY is on the air and the round tracked. A lost reply
 * (-ENOBUFS with a->lost_seq: the module carried the request out) is
 * tracked by its sequence number and counts as started (0, cookie 0);
 * so does -EAGAIN, a socket receive timeout (SO_RCVTIMEO) that passed
 * while the module still computed the round's RIDs: the reply comes
 * later, handed to the event hook, and the events match by seq.
 * Else a negative errno, nothing sent, a->last has the kernel's words:
 * -EPERM (the filter matches fewer than MIN_GROUP devices), -ENOENT (no
 * candidate), -EBUSY (too many rounds in flight), -EINVAL (policy below
 * a candidate's minimum, bad filter), -ENODEV (no such reader), ...
 */
int inv_start(struct inv_set *s, const struct inv_spec *sp, void *tag,
	      struct inv_started *out);

/*
 * Track a round that was started otherwise: @cookie, or 0 and the
 * request's sequence number @seq (its events carry it). @window_ms 0:
 * the namespace's. 0 or -ENOMEM.
 */
int inv_track(struct inv_set *s, void *tag, uint64_t cookie, uint32_t seq,
	      uint32_t window_ms);

/*
 * Read events for up to @ms milliseconds (-1: until the earliest
 * deadline), then what else is queued (at most @max messages), then end
 * the rounds past their deadline (INV_LOST). The number of messages read,
 * or a negative errno.
 */
int inv_poll(struct inv_set *s, int ms, int max);
/* End every round past its deadline as INV_LOST. */
void inv_expire(struct inv_set *s);
/* Milliseconds until the earliest deadline (at least 1); -1: none. */
int inv_next_ms(const struct inv_set *s);
/* Rounds running. */
size_t inv_running(const struct inv_set *s);
/* End every running round as INV_ABANDONED. */
void inv_abandon(struct inv_set *s);
/* The namespace's timeout, the window of a round that names none. */
uint32_t inv_ns_timeout(const struct inv_set *s);

struct inv_counts {
	uint64_t unmatched;		/* inventory events of no round of ours */
	uint64_t lost;			/* rounds ended INV_LOST */
	uint64_t adopted;		/* started, reply lost: matched by seq */
};
const struct inv_counts *inv_counts(const struct inv_set *s);

/*
 * Filters. @n bytes of @bytes as the leading bits of the group: FBITS =
 * 8 * @n (0..8 bytes). 0, or -1 when @n is over AIOTSEC_GROUP_LEN.
 */
int inv_filter_bytes(struct inv_spec *sp, const uint8_t *bytes, size_t n);
/* Does @group match @sp's filter (its first fbits bits equal)? */
bool inv_filter_match(const struct inv_spec *sp,
		      const uint8_t group[AIOTSEC_GROUP_LEN]);

#endif /* _AIOTSEC_INV_H */
