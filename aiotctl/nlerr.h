/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotctl's words for the library's netlink failures: the socket that
 * would not open, a request the kernel refused (its extended ack, with
 * the uapi names the module uses turned into the words aiotctl takes).
 */
#ifndef _AIOTCTL_NLERR_H
#define _AIOTCTL_NLERR_H

#include <stddef.h>

#include "dev.h"
#include "nl.h"

/* The module's message @msg with CLI words for uapi names, in place. */
void anl_words(char *msg, size_t size);

/* a->last.msg in CLI words (a static buffer: one call at a time). */
const char *ctl_msg(const struct anl *a);

/* anl_open(), saying why on failure. 0 or -1. */
int ctl_open(struct anl *a, bool events);

/* dev_dump(), saying why on failure. 0 or a negative errno. */
int ctl_dump(struct anl *a, struct dev_list *l);

/* Print "aiotctl: WHAT: reason" for the failure @ret of a request. */
void anl_perror(const struct anl *a, const char *what, int ret);

/*
 * Send @msg (NULL: out of memory) on @a, replies to @cb; on failure say
 * why, as WHAT. 0 or a negative errno.
 */
int ctl_request(struct anl *a, struct nl_msg *msg, anl_reply_fn cb,
		void *arg, const char *what);

/*
 * The one-shot request: open a socket, send @cmd (@flags, no attribute),
 * replies to @cb, say why on failure (as WHAT), close. EXIT_OK or
 * EXIT_ERR.
 */
int ctl_once(uint8_t cmd, int flags, anl_reply_fn cb, void *arg,
	     const char *what);

#endif /* _AIOTCTL_NLERR_H */
