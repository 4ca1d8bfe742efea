/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's /metrics: its own counters (requests by endpoint and status,
 * device outcomes and latencies, notifications, the engine's window) and
 * the module's, from the library's stats structure under its names.
 */
#ifndef _AIOTD_METRICS_H
#define _AIOTD_METRICS_H

#include "h2srv.h"

enum { EP_INV, EP_CMD, EP_METRICS, EP_OTHER, EP_NUM };

/* Count a request to endpoint @ep answered with @status. */
void metrics_count(int ep, int status);
/* The HTTP server whose clients' counters /metrics shows. */
void metrics_set_server(struct h2srv *srv);
/* The Prometheus text of everything, into @resp. */
void metrics_resp(struct h2_resp *resp);

#endif /* _AIOTD_METRICS_H */
