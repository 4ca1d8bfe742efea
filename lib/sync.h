/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Make the kernel's device table equal to a key store, touching only what
 * differs (as wg syncconf does): the plan compares the file's entries with
 * the dump (keys by fingerprint, as the kernel computes it); applying it
 * deletes the extra devices, adds the missing ones, replaces the changed
 * (key, key length, policy, minimum or group).
 */
#ifndef _AIOTSEC_SYNC_H
#define _AIOTSEC_SYNC_H

#include <stddef.h>

#include "dev.h"
#include "keystore.h"

struct sync_plan {
	size_t *add, nadd;		/* key-store indices, in file order */
	size_t *rep, nrep;		/* key-store indices, in file order */
	size_t *del, ndel;		/* dump indices */
	size_t same;			/* entries already as in the file */
};

/* What differs between an entry of the file and the kernel's device. */
enum {
	SYNC_D_KEY = 1,			/* key or key length (fingerprint) */
	SYNC_D_POLICY = 2,
	SYNC_D_MIN = 4,
	SYNC_D_GROUP = 8,
};

/* The SYNC_D_* bits of what differs; 0: the device is as in the file. */
unsigned int sync_differs(const struct ks_entry *e, const struct dev_info *d);

/* The plan for @ks over the sorted dump @l. 0 or -ENOMEM. */
int sync_plan_make(const struct keystore *ks, const struct dev_list *l,
		   struct sync_plan *p);
void sync_plan_free(struct sync_plan *p);

/* How a plan is applied, and what applying it did. */
struct sync_run {
	size_t max;			/* devices per message; 0: as many as fit */
	/* A batch starts (a progress hook may be attached to it). */
	void (*attach)(struct batch *b, void *arg);
	/* It ended, acknowledged or not: b->done devices are in. */
	void (*ended)(const struct batch *b, void *arg);
	/* It failed with @ret; @map: batch index -> plan's index. */
	void (*failed)(const struct batch *b, int ret, const size_t *map,
		       void *arg);
	void *arg;
	/* Totals. */
	size_t msgs;
	double secs;			/* waiting for the kernel */
	size_t done;			/* devices changed */
};

/*
 * Apply @p: deletions, additions, replacements, each stopping at its
 * first failure (the devices of acknowledged messages stay). 0 or the
 * failure (a->last says why; r->failed was told which batch).
 */
int sync_apply(struct anl *a, const struct sync_plan *p,
	       const struct keystore *ks, const struct dev_list *l,
	       struct sync_run *r);

#endif /* _AIOTSEC_SYNC_H */
