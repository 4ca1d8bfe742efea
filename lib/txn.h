/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The transaction engine: AUTH or COMMAND for a set of device IDs on one
 * socket. Requests go out packed into AIOTSEC_A_DEV_IDS messages (or one
 * AIOTSEC_A_DEV_ID per message), as many as the adaptive window allows;
 * the module answers each with a cookie and later unicasts the device's
 * result event to this socket (it joins no group). Results are matched by
 * cookie and handed to the caller's callback, one call per device: the
 * result event, a refusal (the module started nothing for it), or its
 * loss (no result within its timeout and a grace). The engine never
 * prints: the callback words what happened.
 */
#ifndef _AIOTSEC_TXN_H
#define _AIOTSEC_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "nl.h"
#include "window.h"

/* What every device of one submission shares. */
struct txn_spec {
	uint8_t type;			/* AIOTSEC_CMD_AUTH or _COMMAND */
	uint32_t ifindex;		/* 0: any reader */
	int policy;			/* -1: the device's own */
	uint32_t timeout_ms;		/* 0: the namespace's */
	size_t plen;			/* COMMAND: the payload */
	uint8_t payload[AIOTSEC_PLEN_MAX];
	bool has_dest;			/* COMMAND: a unicast destination */
	uint8_t dest[6];
};

enum txn_outcome {
	TXN_EVENT,		/* the module's result: ->ev */
	TXN_REFUSED,		/* no transaction started: ->err, ->msg */
	TXN_LOST,		/* no result within its timeout and the grace */
	TXN_ABANDONED,		/* outstanding when txn_abandon() was called */
};

struct txn_result {
	enum txn_outcome outcome;
	void *tag;			/* as given to txn_submit() */
	size_t idx;			/* its first + the ID's position */
	const struct event *ev;		/* TXN_EVENT */
	int err;			/* TXN_REFUSED: positive errno */
	const char *msg;		/* TXN_REFUSED: the kernel's, or "" */
	uint32_t timeout_ms;		/* the transaction's effective timeout */
	double secs;			/* from its request until now */
};

typedef void (*txn_result_fn)(const struct txn_result *r, void *arg);

/*
 * The most IDs the engine packs in one message, whatever the module
 * takes (its duplicate check sizes a table on the stack by it).
 */
#define TXN_PACK_MAX	1024

struct txn_conf {
	uint32_t window;		/* most transactions outstanding */
	bool fixed;			/* the window never adapts */
	uint32_t grace_ms;		/* past the timeout: the result is lost */
	/*
	 * IDs per message; 1: AIOTSEC_A_DEV_ID. At most the module's
	 * AIOTSEC_LIM_A_BATCH (read by txn_new()) and TXN_PACK_MAX.
	 */
	size_t pack;
	/*
	 * A message refused as a whole, at no entry in particular: send its
	 * devices one per message (and, for EINVAL on the first try, for
	 * good: a module without the batch API). Else txn_submit() fails.
	 */
	bool fallback;
	/*
	 * A result that took more than half its timeout counts as a timeout
	 * for the window (the reader's queue is near the timeout).
	 */
	bool slow_halves;
	txn_result_fn cb;
	void *arg;
};

struct txn_engine;

/*
 * An engine on the open socket @a (its event hook becomes the engine's).
 * Reads the namespace's timeout (AIOTSEC_CMD_GET_CONFIG). NULL if out of
 * memory.
 */
struct txn_engine *txn_new(struct anl *a, const struct txn_conf *c);
/* Free it; outstanding transactions are forgotten (no callback). */
void txn_free(struct txn_engine *e);

/* The namespace's transaction timeout, as read by txn_new(). */
uint32_t txn_ns_timeout(const struct txn_engine *e);
/* IDs per message: the configured pack within the module's limit. */
size_t txn_pack(const struct txn_engine *e);
/* The timeout a transaction of @s gets: its own or the namespace's. */
uint32_t txn_timeout(const struct txn_engine *e, const struct txn_spec *s);

/* How many more may go out now (window minus outstanding); 0: none. */
size_t txn_room(const struct txn_engine *e);
/* Transactions outstanding. */
size_t txn_outstanding(const struct txn_engine *e);
/* The window now. */
uint32_t txn_window(const struct txn_engine *e);

/*
 * A request whose reply is lost to a full receive buffer (lib/nl.h:
 * -ENOBUFS with a->lost_seq) was carried out all the same: its devices
 * stay outstanding and are matched by the request's sequence number and
 * their ID (every result carries both), never sent again.
 *
 * Start the transactions of up to @n IDs @ids with @s; device i is
 * tagged (@tag, @first + i) in its callback. Sends as many as the room
 * and one message allow: each of them ends up outstanding or refused
 * (callback at once). Returns how many of @ids were taken (0: no room,
 * or the pending table was full: try again after a result), or a
 * negative errno when a message failed as a whole and nothing was taken
 * (the socket's last error says why).
 */
ssize_t txn_submit(struct txn_engine *e, const struct txn_spec *s, void *tag,
		   size_t first, const uint8_t (*ids)[AIOTSEC_ID_LEN], size_t n);

/*
 * Read results for up to @ms milliseconds (-1: until the earliest
 * deadline), then what else is queued (at most @max messages), then
 * expire what is past its deadline (TXN_LOST). Returns the number of
 * messages read, or a negative errno.
 */
int txn_poll(struct txn_engine *e, int ms, int max);

/* Report every transaction past its deadline as TXN_LOST. */
void txn_expire(struct txn_engine *e);

/* Milliseconds until the earliest deadline (at least 1); -1: none. */
int txn_next_ms(const struct txn_engine *e);

/* Report every outstanding transaction as TXN_ABANDONED, forget them. */
void txn_abandon(struct txn_engine *e);

/* What happened so far. */
struct txn_counts {
	uint64_t lost;			/* reported TXN_LOST */
	uint64_t unmatched;		/* results of no transaction of ours */
	uint64_t overruns;		/* receive buffer overruns (events lost) */
	uint64_t adopted;		/* sent, reply lost: matched by seq and ID */
	int batch_api;			/* 0: untried, 1: works, -1: absent */
};
const struct txn_counts *txn_counts(const struct txn_engine *e);

#endif /* _AIOTSEC_TXN_H */
