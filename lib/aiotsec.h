/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libaiotsec: the user-space library under aiotctl and aiotd, and what a
 * third program would include. It returns data and error structures; it
 * never prints and never exits (callers word the errors). Each header
 * has a comment per function:
 *
 *   nl.h        the generic netlink socket: anl_open() (family, events
 *               group; struct anl_open_err on failure), anl_msg(),
 *               anl_request() (replies to a callback, the kernel's
 *               extended ack decoded into struct anl_err), anl_poll()
 *               (events to the socket's hook)
 *   dev.h       the device table: dev_dump(), dev_get(), batches of adds
 *               or deletes (batch_init/add/del/flush/free)
 *   txn.h       the transaction engine: AUTH or COMMAND for a set of IDs
 *               (txn_new, txn_submit, txn_poll, txn_expire, txn_abandon),
 *               the adaptive window (window.h) inside, results matched by
 *               cookie and handed to a callback per device
 *   inv.h       inventory rounds (profile v1.1): inv_new, inv_start (the
 *               kernel's refusals as errno and extack), inv_poll; a
 *               callback per device found and one per round's end
 *   event.h     result and timeout events: event_parse()
 *   idlist.h    lists of device IDs (words or a file), and which entry of
 *               a packed request an extended ack points at
 *   sync.h      the sync of the device table to a key store: the plan
 *               (sync_plan_make) and its application (sync_apply)
 *   stats.h     the namespace's counters: stats_get() into struct
 *               aiot_stats, and the one table of their names
 *   keystore.h  the key-store file: ks_load(), ks_parse(), ks_custody()
 *   policy.h    the policy syntax: policy_parse(), policy_format()
 *   hex.h       hex digits and device IDs
 *
 * Built as libaiotsec.a (mk/agent.mk) with the protocol core's codec and
 * key fingerprint (proto/); links with libnl-genl-3 and libcrypto.
 */
#ifndef _AIOTSEC_LIB_H
#define _AIOTSEC_LIB_H

#include "dev.h"
#include "event.h"
#include "hex.h"
#include "idlist.h"
#include "inv.h"
#include "keystore.h"
#include "nl.h"
#include "policy.h"
#include "stats.h"
#include "sync.h"
#include "txn.h"
#include "window.h"

#endif /* _AIOTSEC_LIB_H */
