/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The kernel's device table: the dump (retried when it
 * raced a change), single lookups, and batches of adds or deletes packed
 * into as few messages as the attribute format allows.
 */
#ifndef _AIOTSEC_DEV_H
#define _AIOTSEC_DEV_H

#include "keystore.h"
#include "nl.h"

enum { DS_AUTH_OK, DS_AUTH_FAIL, DS_CMD_OK, DS_CMD_FAIL, DS_TIMEOUTS, DS_NUM };

struct dev_info {
	uint8_t id[AIOTSEC_ID_LEN];
	uint64_t fp;
	uint64_t stats[DS_NUM];
	uint8_t key_len;
	uint8_t policy;
	uint8_t min_policy;
	uint8_t group[AIOTSEC_GROUP_LEN];	/* all zero if not said */
};

struct dev_list {
	struct dev_info *v;
	size_t n;
	size_t cap;
};

/* The name of per-device counter @i (DS_*): the namespace's (stats.h). */
const char *dev_stat_name(int i);

#define DEV_DUMP_TRIES	5

/*
 * The whole table, sorted by ID. 0; -ENOMEM; the request's failure
 * (a->last says why); or -EAGAIN with a->last cleared when the table
 * changed under each of DEV_DUMP_TRIES walks.
 */
int dev_dump(struct anl *a, struct dev_list *l);
/* Free the list's entries (the list itself is the caller's). */
void dev_list_free(struct dev_list *l);

/* One device; -ENOENT if there is none (nothing printed then). */
int dev_get(struct anl *a, const uint8_t *id, struct dev_info *d);

/* Each message carries AIOTSEC_A_DEVICES, one nest of at most 64 KiB. */
#define BATCH_NEST_ROOM	(0xffff - NLA_HDRLEN)

struct batch {
	struct anl *a;
	uint8_t cmd;			/* ADD_DEVICES or DEL_DEVICES */
	uint32_t flags;			/* AIOTSEC_F_* */
	size_t max_devs;		/* per message; 0: as many as fit */
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t used;			/* bytes in the nest */
	size_t n;			/* devices in the message */
	size_t cap;
	uint32_t *offs;			/* offset of each device's nest */
	size_t *idx;			/* and the caller's index for it */
	/* Totals. */
	size_t msgs;
	size_t done;			/* devices in acknowledged messages */
	double secs;			/* waiting for the kernel */
	/* After a failure: the device at fault, if the kernel said. */
	bool has_err_idx;
	size_t err_idx;
	void (*progress)(size_t done, void *arg);
	void *progress_arg;
};

/*
 * A batch of @cmd (ADD_DEVICES or DEL_DEVICES) with @flags, at most
 * @max_devs devices per message (0: as many as fit).
 */
void batch_init(struct batch *b, struct anl *a, uint8_t cmd, uint32_t flags,
		size_t max_devs);
/*
 * Queue a device (its group only when not all zero: the kernel's default,
 * also on replace); sends the message when it is full. 0 or -errno.
 */
int batch_add(struct batch *b, const struct ks_entry *e, size_t idx);
int batch_del(struct batch *b, const uint8_t *id, size_t idx);
/* Send what is queued. 0 or -errno (b->a->last says why). */
int batch_flush(struct batch *b);
/* Free it; a message not flushed is dropped (its keys wiped). */
void batch_free(struct batch *b);

/* Seconds of a monotonic clock. */
double now_secs(void);

#endif /* _AIOTSEC_DEV_H */
