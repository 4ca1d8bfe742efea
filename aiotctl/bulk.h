/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What load and sync share: the progress bar and batch error reports. */
#ifndef _AIOTCTL_BULK_H
#define _AIOTCTL_BULK_H

#include "dev.h"
#include "keystore.h"

struct progress {
	const char *what;
	size_t total;
	size_t base;			/* done before this batch */
	double last;
	bool on;
};

/* A bar on stderr, only when stdout and stderr are terminals. */
void progress_init(struct progress *p, const char *what, size_t total);
void progress_attach(struct progress *p, struct batch *b);
void progress_end(struct progress *p);

/*
 * Report the failure @ret of batch @b of entries of @ks (@map: batch
 * index -> entry index, or NULL when they are the same), naming the file
 * line of the device at fault when the kernel pointed at one.
 */
void bulk_error(const struct batch *b, int ret, const struct keystore *ks,
		const char *file, const size_t *map);

/*
 * The N of "batch N" (devices per message) of load and sync; 0, or -1
 * after a usage error.
 */
struct kw;
int parse_batch(const struct kw *k, size_t *out);

#endif /* _AIOTCTL_BULK_H */
