/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's link to aiotsec.ko: the netlink socket with the library's
 * transaction engine on it, connected when the module is there (and
 * again when it comes back), the module's counters for /metrics. aiotd
 * never changes the device table: aiotsec.service owns it (aiotsec.conf).
 */
#ifndef _AIOTD_MODULE_H
#define _AIOTD_MODULE_H

#include <stdbool.h>

#include "inv.h"
#include "stats.h"
#include "txn.h"

/*
 * Connected, or connect now: at most one attempt
 * a second while the module is absent, its absence logged once.
 */
bool module_up(void);
/* Connected already? */
bool module_connected(void);
/* The engine; NULL when not connected. */
struct txn_engine *module_engine(void);
/* The inventory rounds on the same socket (lib/inv.h); NULL when not connected. */
struct inv_set *module_invset(void);
/* The kernel's message about the socket's last failed request, or "". */
const char *module_last_msg(void);
/* The socket's descriptor to poll (connected only). */
int module_fd(void);
/* Read what arrived: results go to the engine's callback. */
void module_read(void);
/* The namespace's counters; 0 or a negative errno. */
int module_stats(struct aiot_stats *s);
void module_close(void);

#endif /* _AIOTD_MODULE_H */
