/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small HTTP/2 server on libnghttp2: cleartext with prior knowledge
 * (h2c) or TLS (OpenSSL, ALPN "h2", optional client certificates). One
 * request body is collected whole (up to a limit: 413 past it), then
 * handed to the handler, which answers at once. Used by aiotd and by the
 * test callback receiver. Driven by the caller's poll() loop.
 */
#ifndef _AIOTD_H2SRV_H
#define _AIOTD_H2SRV_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct h2_req {
	char method[16];
	char path[512];
	char ctype[128];
	const char *body;
	size_t len;
	bool too_big;			/* over the limit: answer 413 */
};

struct h2_resp {
	int status;			/* 0: refuse the stream (REFUSED_STREAM) */
	const char *ctype;		/* NULL: no content type */
	char *body;			/* malloc'ed, freed by the server */
	size_t len;
	char retry_after[16];		/* "" for none */
	char location[256];		/* "" for none */
	char allow[32];			/* "" for none (a 405's Allow) */
};

typedef void (*h2_handler)(const struct h2_req *req, struct h2_resp *resp,
			   void *arg);

struct h2_tls {
	const char *cert;		/* PEM chain; NULL: cleartext */
	const char *key;
	const char *client_ca;		/* NULL: no client certificates */
};

struct h2srv;

/*
 * Listen on @addr (IPv4 or IPv6 literal) port @port. @max_body: larger
 * bodies get 413. Prints why and returns NULL on failure.
 */
struct h2srv *h2srv_new(const char *addr, unsigned int port,
			const struct h2_tls *tls, size_t max_body,
			h2_handler fn, void *arg);
void h2srv_free(struct h2srv *s);
/*
 * What h2srv_new() would refuse, checked without binding: @addr an IP
 * literal, @tls's files loadable and matching. 0, or -1 (said on stderr).
 */
int h2srv_check(const char *addr, const struct h2_tls *tls);

/* The port bound (when asked for port 0). */
unsigned int h2srv_port(const struct h2srv *s);

/* Fill @pfd (room for @max) with what to poll; returns how many. */
size_t h2srv_pollfds(struct h2srv *s, struct pollfd *pfd, size_t max);
/* Handle what poll() reported in the @n entries of @pfd. */
void h2srv_service(struct h2srv *s, const struct pollfd *pfd, size_t n);

/*
 * What one client may hold (README.md, "Limits"). A timeout or a budget
 * of 0 is off. Applies to connections accepted later.
 */
struct h2srv_limits {
	size_t max_conns;		/* all clients: at the cap, the least recently
					   active connection not being answered is
					   closed for the newcomer (256) */
	size_t max_per_peer;		/* connections from one address (64) */
	unsigned int max_streams;	/* SETTINGS_MAX_CONCURRENT_STREAMS (32) */
	size_t conn_budget;		/* request-body bytes buffered per connection:
					   past it, no WINDOW_UPDATE (2 MiB, >= max_body) */
	size_t total_budget;		/* the same for all connections (64 MiB) */
	unsigned int handshake_ms;	/* TLS handshake and connection preface (10 s) */
	unsigned int idle_ms;		/* no stream open (120 s) */
	unsigned int header_ms;		/* a request's header block (10 s) */
	unsigned int body_ms;		/* a request, its headers to its end (30 s) */
	unsigned int send_ms;		/* output waiting, the peer taking none (10 s) */
};

/* What happened to clients, for /metrics. */
struct h2srv_stats {
	unsigned long long accepted;
	unsigned long long refused_peer;	/* over max_per_peer */
	unsigned long long refused_full;	/* at max_conns, nothing to close */
	unsigned long long evicted;		/* closed at max_conns for a newcomer */
	unsigned long long timeouts[5];		/* handshake, idle, header, body, send */
	unsigned long long http1;		/* HTTP/1.x requests answered 505 */
	unsigned long long stalled;		/* DATA not acknowledged: over a budget */
	size_t conns, buffered;			/* now: connections, body bytes */
};

void h2srv_limits_default(struct h2srv_limits *l, size_t max_body);
void h2srv_set_limits(struct h2srv *s, const struct h2srv_limits *l);
void h2srv_get_stats(const struct h2srv *s, struct h2srv_stats *st);
/* The stats as Prometheus text (aiotd_http_*), HELP and TYPE with each. */
void h2srv_metrics(const struct h2srv *s, FILE *f);

/* SETTINGS_MAX_CONCURRENT_STREAMS for connections accepted later (32). */
void h2srv_set_max_streams(struct h2srv *s, uint32_t n);
/*
 * Work left from a bounded turn that poll() cannot see (TLS records
 * OpenSSL read ahead): the caller's next poll() should not wait.
 */
bool h2srv_more(const struct h2srv *s);

/* Stop accepting (for shutdown); connections close when idle. */
void h2srv_stop_listening(struct h2srv *s);
size_t h2srv_nconns(const struct h2srv *s);

#endif /* _AIOTD_H2SRV_H */
