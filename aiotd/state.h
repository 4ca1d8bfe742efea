/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The state file (default /var/lib/aiotsec/aiotd.state): one line per
 * accepted operation, "A TRANSID NOTIFURI", and "D TRANSID" once its last
 * notification has been delivered. At start, the operations without their
 * "D" are those a previous run accepted and did not finish: aiotd tells
 * their AFs (aiotd/README.md, Restarts) and rewrites the file.
 */
#ifndef _AIOTD_STATE_H
#define _AIOTD_STATE_H

#include <stddef.h>

struct state_op {
	char *trans_id;
	char *uri;
};

/*
 * Open @path (NULL: no state kept), returning the unfinished operations
 * of the previous run in *@ops (free with state_ops_free()). 0 or -1.
 */
int state_open(const char *path, struct state_op **ops, size_t *n);
void state_ops_free(struct state_op *ops, size_t n);
void state_add(const char *trans_id, const char *uri);
void state_done(const char *trans_id);
void state_close(void);

#endif /* _AIOTD_STATE_H */
