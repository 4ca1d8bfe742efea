/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's metrics, served at /metrics on a plain HTTP/1.1 listener of
 * their own (metrics_listen, h1srv.h), not on the API's HTTP/2 port: its
 * own counters (requests by endpoint and status, device outcomes and
 * latencies, notifications, the engine's window, both listeners' clients),
 * aiotd_build_info, aiotd_module_up and the module's counters (mseries.h).
 */
#ifndef _AIOTD_METRICS_H
#define _AIOTD_METRICS_H

#include "h1srv.h"
#include "h2srv.h"

enum { EP_INV, EP_CMD, EP_OTHER, EP_NUM };

/* Count a request to endpoint @ep answered with @status. */
void metrics_count(int ep, int status);
/* The servers whose clients' counters the metrics show (NULL: none). */
void metrics_set_servers(struct h2srv *srv, struct h1srv *h1);
/* The Prometheus text (format 0.0.4) of everything, malloc'ed; NULL: no memory. */
char *metrics_text(size_t *len);
/* metrics_listen's handler: GET/HEAD /metrics, 404 for any other path. */
void metrics_h1(const char *method, const char *path, struct h1_resp *resp,
		void *arg);

#endif /* _AIOTD_METRICS_H */
