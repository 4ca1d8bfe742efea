/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where notifications may go: the notifUri destination policy. Checked
 * when a request names a notifUri (uri_parse(), so req.c answers 400
 * naming /notifUri) and again on every address the host resolves to when
 * h2cli connects (a name may resolve elsewhere later).
 *
 * Without notif_allow: every destination but the internal-only ranges
 * (link-local 169.254.0.0/16 and fe80::/10, "this network" 0.0.0.0/8,
 * unspecified ::, multicast 224.0.0.0/4 and ff00::/8, reserved and
 * broadcast 240.0.0.0/4; IPv4-mapped IPv6 as its IPv4). With notif_allow
 * (networks "10.0.0.0/8", "2001:db8::/32", addresses, host names
 * "af.example.com", domains "*.example.com"): only what it lists; an
 * internal-only range only through a network or address entry naming it.
 */
#ifndef _AIOTD_DEST_H
#define _AIOTD_DEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * Install @spec (entries separated by blanks or commas; NULL: none).
 * 0, or -1 with the offending entry in @err. The policy is process-wide,
 * set before the notification thread starts, read-only after.
 */
int dest_set(const char *spec, char *err, size_t errlen);
/*
 * May a notifUri name @host (no brackets; an address literal or a name)?
 * NULL if so, else why not (static). A name is decided at connect time
 * when the policy has networks (it must resolve into one).
 */
const char *dest_host(const char *host);
/* May h2cli connect to @sa, resolved from @host? NULL, else why not. */
const char *dest_addr(const struct sockaddr *sa, const char *host);

#endif /* _AIOTD_DEST_H */
