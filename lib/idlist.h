/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Lists of device IDs (words, or one per line of a file) and which entry
 * of a packed AIOTSEC_A_DEV_IDS request a kernel error points at.
 */
#ifndef _AIOTSEC_IDLIST_H
#define _AIOTSEC_IDLIST_H

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
/* Free the IDs; @l is empty again. */
void idlist_free(struct idlist *l);

/*
 * The index of the AIOTSEC_A_DEV_IDS entry at @off (an extack
 * NLMSGERR_ATTR_OFFS) in a request whose first attribute is that nest,
 * of @n entries; -1 if it points elsewhere.
 */
int batch_entry_at(uint32_t off, size_t n);

#endif /* _AIOTSEC_IDLIST_H */
