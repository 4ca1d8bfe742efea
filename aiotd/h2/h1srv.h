/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small plain HTTP/1.1 server for scrapers (aiotd's metrics_listen):
 * one GET or HEAD per connection, answered whole, then closed
 * (Connection: close). No TLS, no request bodies, no keep-alive. What one
 * client may hold is bounded: connections, request-head bytes, and one
 * deadline for the whole exchange. Driven by the caller's poll() loop.
 */
#ifndef _AIOTD_H1SRV_H
#define _AIOTD_H1SRV_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct h1_resp {
	int status;
	const char *ctype;		/* NULL: none */
	char *body;			/* malloc'ed, freed by the server */
	size_t len;
	const char *allow;		/* a 405's Allow, NULL otherwise */
};

/* Fill @resp for @method @path (the request target as sent). */
typedef void (*h1_handler)(const char *method, const char *path,
			   struct h1_resp *resp, void *arg);

struct h1srv_limits {
	size_t max_conns;		/* at once: past it a newcomer is closed (8) */
	size_t max_head;		/* request line and headers, bytes (8192) */
	unsigned int timeout_ms;	/* accept to the answer's last byte (10 s) */
};

struct h1srv_stats {
	unsigned long long requests[6];	/* 200, 400, 404, 405, 431, 500 */
	unsigned long long refused;	/* closed at accept: max_conns */
	unsigned long long timeouts;	/* exchange not done in timeout_ms */
	size_t conns;			/* open now */
};

struct h1srv;

/*
 * "ADDR:PORT" (an IPv4 literal) or "[ADDR]:PORT" (IPv6) into @addr (room
 * for @cap) and @port. 0, or -1 with why in @err.
 */
int h1srv_parse_addr(const char *s, char *addr, size_t cap, unsigned int *port,
		     char *err, size_t errcap);
/* Listen on @hostport ("ADDR:PORT"); says why on stderr and NULL on failure. */
struct h1srv *h1srv_new(const char *hostport, const struct h1srv_limits *l,
			h1_handler fn, void *arg);
void h1srv_free(struct h1srv *s);
void h1srv_limits_default(struct h1srv_limits *l);
unsigned int h1srv_port(const struct h1srv *s);
/* The most entries h1srv_pollfds() fills (connections and the listener). */
size_t h1srv_npoll(const struct h1srv *s);
size_t h1srv_pollfds(struct h1srv *s, struct pollfd *pfd, size_t max);
/* Handle what poll() reported in the @n entries of @pfd; then deadlines. */
void h1srv_service(struct h1srv *s, const struct pollfd *pfd, size_t n);
void h1srv_get_stats(const struct h1srv *s, struct h1srv_stats *st);
/* Its counters as Prometheus text (aiotd_metrics_http_*). */
void h1srv_metrics(const struct h1srv *s, FILE *f);

#endif /* _AIOTD_H1SRV_H */
