/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's configuration file (default /etc/aiotsec/aiotd.conf; its
 * format and every key: aiotd/README.md, and aiotd.conf.example).
 */
#ifndef _AIOTD_CONF_H
#define _AIOTD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "area.h"

#define AIOTD_CONF_DEFAULT	"/etc/aiotsec/aiotd.conf"

struct aiotd_conf {
	char *listen;
	unsigned int port;
	char *metrics_listen;		/* ADDR:PORT of /metrics (HTTP/1.1); NULL: off */
	char *api_prefix;		/* path part of apiRoot, "" */
	char *tls_cert, *tls_key, *tls_client_ca;
	char *state_file;
	char *reader;
	size_t max_body;
	size_t max_devices;		/* per request */
	size_t max_inflight;		/* device transactions in the module */
	size_t max_queue;		/* in flight + waiting: then 503 */
	unsigned int retry_after_s;
	size_t report_batch;
	unsigned int report_delay_ms;
	unsigned int cb_retries, cb_backoff_ms, cb_backoff_max_ms, cb_timeout_ms;
	char *cb_ca, *cb_cert, *cb_key;
	char *notif_allow;		/* the notifUri policy (dest.h); NULL: none */
	/* what one client may hold (h2srv_limits) */
	size_t max_conns, max_per_peer, budget_conn, budget_total;
	unsigned int max_streams;
	unsigned int handshake_ms, idle_ms, header_ms, body_ms, send_ms;
	struct area_tab areas;		/* "area" lines (area.h) */
};

struct h2srv_limits;

/*
 * Defaults, then @path. A missing file is an error only if @must_exist.
 * Errors name the file, the line and the key. 0 or -1. Also installs
 * notif_allow as the notifUri destination policy (dest_set()).
 */
int conf_load(struct aiotd_conf *c, const char *path, bool must_exist);
/* The server's limits from @c. */
void conf_http_limits(const struct aiotd_conf *c, struct h2srv_limits *l);
void conf_free(struct aiotd_conf *c);

#endif /* _AIOTD_CONF_H */
