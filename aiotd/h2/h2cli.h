/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small HTTP/2 client on libnghttp2 for aiotd's notifications: POSTs to
 * http (h2c, prior knowledge) or https (TLS >= 1.2, ALPN "h2", the peer's
 * certificate and name checked) URIs, many streams multiplexed on one
 * connection per origin, connections kept open while used and closed
 * after H2CLI_IDLE_S idle. Driven by the caller's poll() loop, like
 * h2srv.h; every completion is reported from h2cli_service(), never from
 * inside h2cli_post().
 *
 * Why not libcurl: Debian 12's libcurl (7.88.1) fails every transfer that
 * reuses an h2c prior-knowledge connection (curl issue #10634, fixed in
 * curl 8.0), so each notification paid a connection of its own.
 */
#ifndef _AIOTD_H2CLI_H
#define _AIOTD_H2CLI_H

#include <poll.h>
#include <stddef.h>

#define H2CLI_IDLE_S	30
/*
 * Connections open at most: past it, the one idle longest is closed to
 * make room (callers keep fewer requests than this in flight).
 */
#define H2CLI_CONNS_MAX	128

struct h2cli_conf {
	unsigned int timeout_ms;	/* per request, connecting included */
	const char *ca;			/* https: CA file, NULL: the system's */
	const char *cert, *key;		/* https: client certificate, or NULL */
};

/*
 * A request's end: @status the response's (0 when none came), @err NULL
 * or why it failed (static text), @location the response's Location
 * header or NULL (valid during the call only).
 */
typedef void (*h2cli_done)(void *arg, int status, const char *err,
			   const char *location);
/*
 * @err for a stream the peer refused (RST_STREAM REFUSED_STREAM, or past
 * its concurrency limit): not processed, so safe to send again at once
 * (RFC 9113 8.7). Compare the pointer.
 */
extern const char h2cli_refused[];

struct h2cli;

/* NULL, with the reason on stderr, when the TLS setup fails. */
struct h2cli *h2cli_new(const struct h2cli_conf *conf);
/* Closes everything; requests still open end without their callback. */
void h2cli_free(struct h2cli *c);

/*
 * POST @body (@len bytes, not copied: valid until @done) to @uri with
 * Content-Type @ctype (static). 0, or -1 with *@err for a URI that cannot
 * be used (then @done is never called).
 */
int h2cli_post(struct h2cli *c, const char *uri, const char *ctype,
	       const char *body, size_t len, h2cli_done done, void *arg,
	       const char **err);

/* Fill @pfd (room for @max) with what to poll; returns how many. */
size_t h2cli_pollfds(struct h2cli *c, struct pollfd *pfd, size_t max);
/* Milliseconds until h2cli_service() has a timer to run; -1: none. */
int h2cli_timeout_ms(const struct h2cli *c);
/* Handle what poll() reported (@n entries of @pfd), timers, completions. */
void h2cli_service(struct h2cli *c, const struct pollfd *pfd, size_t n);

/* Connections open now, and opened since h2cli_new(). */
size_t h2cli_nconns(const struct h2cli *c);
unsigned long long h2cli_opened(const struct h2cli *c);

#endif /* _AIOTD_H2CLI_H */
