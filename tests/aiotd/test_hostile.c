// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotd's HTTP/2 server (aiotd/h2/h2srv.c, as aiotd and afrecv run it)
 * against hostile clients, in one process under ASan+UBSan, on 127.0.0.1
 * only, bounded in count and time:
 *   streams left open by clients that go: freed (memory back at its
 *     baseline; LeakSanitizer at exit);
 *   timeouts: TLS handshake and preface, idle, header block, body, send;
 *   per-peer limit; at the cap the least recently active connection
 *     closed for a newcomer: idle, slowloris and half-open TLS
 *     connections past the cap while a legitimate client is served
 *     within 1 s;
 *   body floods held to the budgets (the window opens only within them),
 *     buffers sized to content-length, 413 past max_body;
 *   zero-window readers, rapid reset;
 *   an HTTP/1.1 request answered 505 with a ProblemDetails, a 405's Allow.
 *   test_hostile smoke|stress CERT KEY
 * "smoke" (make aiotd-test) runs each part a few times; "stress" (make
 * stress, make aiotd-hostile) many times more.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../lib/tap.h"
#include "h2peer.h"
#include "../../aiotd/h2/h2srv.h"
#include "../../aiotd/h2/mono.h"

/* ASan's count of bytes allocated now (its allocator interface) */
size_t __sanitizer_get_current_allocated_bytes(void);

#define MAX_BODY	(16 * 1024)
#define BIG		(64 * 1024)

struct server {
	struct h2srv *h;
	pthread_t thr;
	atomic_bool stop;
	pthread_mutex_t mu;
	unsigned int port;
};

static unsigned int scale = 1;		/* stress: 10 */
static uint8_t pattern[1 << 20];

static void handler(const struct h2_req *req, struct h2_resp *resp, void *arg)
{
	(void)arg;
	resp->ctype = "text/plain";
	if (req->too_big) {
		resp->status = 413;
	} else if (!strcmp(req->path, "/big")) {
		resp->status = 200;
		resp->body = calloc(1, BIG);
		resp->len = resp->body ? BIG : 0;
	} else if (!strcmp(req->path, "/echo") && strcmp(req->method, "POST")) {
		resp->status = 405;
		snprintf(resp->allow, sizeof(resp->allow), "POST");
	} else {
		resp->status = 200;
		resp->body = malloc(32);
		if (resp->body)
			resp->len = (size_t)snprintf(resp->body, 32, "%zu", req->len);
	}
}

static void *run(void *arg)
{
	struct server *sv = arg;
	struct pollfd pfd[600];
	size_t n;

	while (!atomic_load(&sv->stop)) {
		pthread_mutex_lock(&sv->mu);
		n = h2srv_pollfds(sv->h, pfd, 600);
		pthread_mutex_unlock(&sv->mu);
		if (poll(pfd, n, 20) < 0)
			continue;
		pthread_mutex_lock(&sv->mu);
		h2srv_service(sv->h, pfd, n);
		pthread_mutex_unlock(&sv->mu);
	}
	return NULL;
}

/* A server on 127.0.0.1, its loop in a thread; NULL if it cannot be. */
static struct server *up(const struct h2_tls *tls, const struct h2srv_limits *l)
{
	struct server *sv = calloc(1, sizeof(*sv));

	if (!sv)
		return NULL;
	pthread_mutex_init(&sv->mu, NULL);
	sv->h = h2srv_new("127.0.0.1", 0, tls, MAX_BODY, handler, NULL);
	if (!sv->h) {
		free(sv);
		return NULL;
	}
	h2srv_set_limits(sv->h, l);
	if (pthread_create(&sv->thr, NULL, run, sv)) {
		h2srv_free(sv->h);
		free(sv);
		return NULL;
	}
	sv->port = h2srv_port(sv->h);
	return sv;
}

static void down(struct server *sv)
{
	if (!sv)
		return;
	atomic_store(&sv->stop, true);
	pthread_join(sv->thr, NULL);
	h2srv_free(sv->h);
	pthread_mutex_destroy(&sv->mu);
	free(sv);
}

static struct h2srv_stats stats(struct server *sv)
{
	struct h2srv_stats st;

	pthread_mutex_lock(&sv->mu);
	h2srv_get_stats(sv->h, &st);
	pthread_mutex_unlock(&sv->mu);
	return st;
}

static bool wait_conns(struct server *sv, size_t n, double secs)
{
	double end = mono() + secs;

	while (mono() < end) {
		if (stats(sv).conns <= n)
			return true;
		usleep(10000);
	}
	return false;
}

/* Limits small enough for a test: timeouts of a fraction of a second. */
static struct h2srv_limits test_limits(void)
{
	struct h2srv_limits l;

	h2srv_limits_default(&l, MAX_BODY);
	l.max_conns = 16;
	l.max_per_peer = 0;	/* everything here comes from 127.0.0.1 */
	l.conn_budget = 2 * MAX_BODY;
	l.total_budget = 4 * MAX_BODY;
	l.handshake_ms = 400;
	l.idle_ms = 600;
	l.header_ms = 400;
	l.body_ms = 600;
	l.send_ms = 600;
	return l;
}

/* A legitimate request on a fresh connection: answered 200 within @secs? */
static bool legit(unsigned int port, SSL_CTX *ctx, double secs, double *took)
{
	struct h2peer p;
	struct h2peer_stream *s;
	double t0 = mono();
	bool ok;

	if (h2peer_open(&p, port, ctx, 65535))
		return false;
	s = h2peer_req(&p, "POST", "/echo", "2", (const uint8_t *)"{}", 2, 2, true);
	if (s)
		h2peer_pump(&p, secs, s);
	ok = s && s->status == 200;
	h2peer_close(&p);
	*took = mono() - t0;
	return ok && *took < secs;
}

/* D1: streams open when the connection ends. */
static void t_disconnect(struct server *sv)
{
	unsigned int port = sv->port;
	size_t base, after;
	unsigned int i, j, n = 20 * scale;
	struct h2peer p;
	char clen[16];
	bool all = true;

	snprintf(clen, sizeof(clen), "%u", MAX_BODY);
	usleep(100000);
	base = __sanitizer_get_current_allocated_bytes();
	for (i = 0; i < n; i++) {
		if (h2peer_open(&p, port, NULL, 65535)) {
			all = false;
			break;
		}
		/* 32 streams, each with half a body and no end, then gone */
		for (j = 0; j < 32; j++)
			h2peer_req(&p, "POST", "/echo", clen, pattern, MAX_BODY,
				   MAX_BODY / 2, false);
		h2peer_pump(&p, 0.05, NULL);
		h2peer_close(&p);
	}
	tap_ok(all, "open streams, disconnect: %u connections x 32 streams", n);
	tap_ok(wait_conns(sv, 0, 3), "open streams, disconnect: every connection gone");
	after = __sanitizer_get_current_allocated_bytes();
	tap_ok(after < base + 256 * 1024,
	       "open streams, disconnect: memory back at its baseline (%+lld bytes)",
	       (long long)after - (long long)base);
	tap_ok(stats(sv).buffered == 0, "open streams, disconnect: no body bytes held (%zu)",
	       stats(sv).buffered);
}

static bool send_all(int fd, const void *b, size_t n)
{
	return send(fd, b, n, MSG_NOSIGNAL) == (ssize_t)n;
}

/* The preface, an empty SETTINGS, then a HEADERS frame never ended. */
static const uint8_t open_headers[] = {
	'P', 'R', 'I', ' ', '*', ' ', 'H', 'T', 'T', 'P', '/', '2', '.', '0',
	'\r', '\n', '\r', '\n', 'S', 'M', '\r', '\n', '\r', '\n',
	0, 0, 0, 4, 0, 0, 0, 0, 0,			/* SETTINGS */
	0, 0, 3, 1, 0, 0, 0, 0, 1, 0x83, 0x86, 0x84,	/* HEADERS, no END_HEADERS */
};

static unsigned long long to(struct server *sv, int k)
{
	return stats(sv).timeouts[k];
}

static void t_timeouts(struct server *sv, struct server *tsv)
{
	unsigned int port = sv->port, tport = tsv->port;
	struct h2peer p;
	struct h2peer_stream *s;
	unsigned long long t0;
	double t;
	int fd;

	/* handshake: a TCP connection that says nothing; a TLS one cut short */
	t0 = to(sv, 0);
	fd = h2peer_tcp(port);
	tap_ok(fd >= 0 && h2peer_closed_by_peer(fd, 2) && to(sv, 0) == t0 + 1,
	       "timeout: a silent connection closed (preface)");
	if (fd >= 0)
		close(fd);
	fd = h2peer_tcp(tport);
	t0 = to(tsv, 0);
	tap_ok(fd >= 0 && send_all(fd, "\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03", 10) &&
	       h2peer_closed_by_peer(fd, 2) && to(tsv, 0) == t0 + 1,
	       "timeout: a TLS handshake cut after 10 bytes closed");
	if (fd >= 0)
		close(fd);
	/* idle: a session with no stream */
	t0 = to(sv, 1);
	if (!h2peer_open(&p, port, NULL, 65535)) {
		h2peer_pump(&p, 2, NULL);
		tap_ok(p.goaway && p.eof && to(sv, 1) == t0 + 1,
		       "timeout: an idle connection closed with GOAWAY");
		h2peer_close(&p);
	} else {
		tap_ok(false, "timeout: idle: connect");
	}
	/* a header block never ended */
	t0 = to(sv, 2);
	fd = h2peer_tcp(port);
	tap_ok(fd >= 0 && send_all(fd, open_headers, sizeof(open_headers)) &&
	       h2peer_closed_by_peer(fd, 2) && to(sv, 2) == t0 + 1,
	       "timeout: a header block never ended: connection closed");
	if (fd >= 0)
		close(fd);
	/* slowloris: a body a byte at a time; reset (CANCEL) */
	t0 = to(sv, 3);
	if (!h2peer_open(&p, port, NULL, 65535) &&
	    (s = h2peer_req(&p, "POST", "/echo", "1000", pattern, 1000, 1, true))) {
		for (t = mono(); mono() - t < 2 && !s->closed;)
			h2peer_more(&p, s, 1), h2peer_pump(&p, 0.1, s);
		tap_ok(s->rst == NGHTTP2_CANCEL + 1 && to(sv, 3) == t0 + 1,
		       "timeout: a body trickled a byte at a time: reset (CANCEL)");
		h2peer_close(&p);
	} else {
		tap_ok(false, "timeout: slowloris: connect");
	}
	/* send: a reader that opens no window */
	t0 = to(sv, 4);
	if (!h2peer_open(&p, port, NULL, 0)) {
		unsigned int i;

		for (i = 0; i < 8; i++)
			h2peer_req(&p, "GET", "/big", NULL, NULL, 0, 0, true);
		h2peer_pump(&p, 2.5, NULL);
		tap_ok(p.eof && to(sv, 4) == t0 + 1,
		       "timeout: a zero-window reader of 8 x 64 KiB closed (send)");
		h2peer_close(&p);
	} else {
		tap_ok(false, "timeout: zero window: connect");
	}
	tap_ok(wait_conns(sv, 0, 2), "timeouts: every connection gone");
}

/* Per-peer limit, and the cap: the least recently active one goes. */
static void t_limits(void)
{
	struct h2srv_limits l = test_limits();
	struct h2peer p[5];
	struct server *sv;
	unsigned int port, i;
	int fd[40];
	double took, worst = 0;
	bool ok = true;
	struct h2srv_stats st;

	l.max_per_peer = 4;
	l.idle_ms = l.handshake_ms = 30000;	/* kept while they are counted */
	sv = up(&(struct h2_tls){ 0 }, &l);
	if (!sv) {
		tap_ok(false, "limits: server up");
		return;
	}
	port = sv->port;
	for (i = 0; i < 5; i++)
		if (h2peer_open(&p[i], port, NULL, 65535))
			ok = false;
	for (i = 0; i < 5; i++)
		h2peer_pump(&p[i], 0.3, NULL);
	st = stats(sv);
	tap_ok(ok && st.refused_peer == 1 && p[4].eof && !p[0].eof,
	       "per peer: the 5th of 4 refused (%llu), the others kept",
	       st.refused_peer);
	{
		char *m = NULL;
		size_t ml = 0;
		FILE *f = open_memstream(&m, &ml);

		if (f) {
			pthread_mutex_lock(&sv->mu);
			h2srv_metrics(sv->h, f);
			pthread_mutex_unlock(&sv->mu);
			fclose(f);
		}
		tap_ok(m && strstr(m, "# TYPE aiotd_http_connections_refused_total counter\n") &&
		       strstr(m, "\naiotd_http_connections_refused_total{reason=\"per_peer\"} 1\n") &&
		       strstr(m, "\naiotd_http_connections_open 4\n"),
		       "per peer: the refusal in /metrics' text");
		free(m);
	}
	for (i = 0; i < 5; i++)
		h2peer_close(&p[i]);
	down(sv);

	/* at the cap (16): 2.5 x as many idle, then a legitimate client */
	l.max_per_peer = 0;
	l.handshake_ms = 30000;	/* they must not just time out here */
	sv = up(&(struct h2_tls){ 0 }, &l);
	if (!sv) {
		tap_ok(false, "cap: server up");
		return;
	}
	port = sv->port;
	for (i = 0; i < 40; i++) {
		fd[i] = h2peer_tcp(port);
		usleep(2000);
	}
	for (i = 0; i < 5 * scale; i++) {
		ok = legit(port, NULL, 1, &took);
		if (took > worst)
			worst = took;
		if (!ok)
			break;
	}
	st = stats(sv);
	tap_ok(ok, "cap: 40 idle connections against 16: a legitimate client served in %.3f s (< 1)",
	       worst);
	tap_ok(st.evicted >= 24 && st.conns <= 16,
	       "cap: the least recently active closed for newcomers (%llu), %zu open",
	       st.evicted, st.conns);
	for (i = 0; i < 40; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	down(sv);
}

/* Idle, slowloris and half-open TLS past the cap, a legitimate TLS client. */
static void t_mix(const struct h2_tls *tls, SSL_CTX *cctx)
{
	struct h2srv_limits l = test_limits();
	struct h2peer *slow = calloc(15, sizeof(*slow));
	struct server *sv;
	unsigned int port = 0, i, k;
	int fd[30];
	double took, worst = 0;
	bool ok = true;

	l.handshake_ms = l.body_ms = l.idle_ms = 30000;
	sv = up(tls, &l);
	if (sv)
		port = sv->port;
	if (!sv || !slow) {
		tap_ok(false, "mix: server up");
		free(slow);
		down(sv);
		return;
	}
	for (k = 0; k < scale && ok; k++) {
		for (i = 0; i < 15; i++) {
			fd[i] = h2peer_tcp(port);		/* idle */
			fd[15 + i] = h2peer_tcp(port);		/* half-open TLS */
			if (fd[15 + i] >= 0)
				send_all(fd[15 + i], "\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03", 10);
			if (!h2peer_open(&slow[i], port, cctx, 65535)) {
				h2peer_req(&slow[i], "POST", "/echo", "1000", pattern,
					   1000, 1, true);
				h2peer_pump(&slow[i], 0.01, NULL);
			}
		}
		for (i = 0; i < 5 && ok; i++) {
			ok = legit(port, cctx, 1, &took);
			if (took > worst)
				worst = took;
			/* the slow ones go on trickling */
			for (unsigned int j = 0; j < 15; j++)
				if (slow[j].sess && !slow[j].eof)
					h2peer_more(&slow[j], &slow[j].st[0], 1),
					h2peer_pump(&slow[j], 0.001, NULL);
		}
		for (i = 0; i < 15; i++) {
			h2peer_close(&slow[i]);
			if (fd[i] >= 0)
				close(fd[i]);
			if (fd[15 + i] >= 0)
				close(fd[15 + i]);
		}
	}
	tap_ok(ok, "45 idle, slowloris and half-open TLS connections against 16: a legitimate TLS client served in %.3f s (< 1), %u rounds",
	       worst, k);
	tap_ok(wait_conns(sv, 0, 3), "mix: every connection gone");
	free(slow);
	down(sv);
}

/* Bodies never ended on many streams: held to the budgets. */
static void t_flood(struct server *sv)
{
	unsigned int port = sv->port;
	struct h2srv_limits l = test_limits();
	struct h2peer p[4];
	struct h2srv_stats st;
	size_t peak = 0;
	unsigned int i, j, r;
	double took;
	char clen[16];
	bool ok;

	snprintf(clen, sizeof(clen), "%u", MAX_BODY);
	for (i = 0; i < 4; i++) {
		if (h2peer_open(&p[i], port, NULL, 65535))
			continue;
		for (j = 0; j < 16; j++)
			h2peer_req(&p[i], "POST", "/echo", clen, pattern, MAX_BODY,
				   MAX_BODY - 1, true);
	}
	for (r = 0; r < 10 * scale; r++) {
		for (i = 0; i < 4; i++)
			if (p[i].sess)
				h2peer_pump(&p[i], 0.02, NULL);
		st = stats(sv);
		if (st.buffered > peak)
			peak = st.buffered;
	}
	/*
	 * the budget, plus what each connection's window (65535, RFC 9113
	 * 6.9.2) let in before it shut, plus each stream's 4 KiB rounding
	 */
	tap_ok(peak <= l.total_budget + 4 * 65535 + 4 * 16 * 4096,
	       "body flood: 4 x 16 streams x 16 KiB, never ended: %zu bytes held at most (budget %zu + 4 windows + rounding)",
	       peak, l.total_budget);
	tap_ok(stats(sv).stalled > 0, "body flood: windows kept shut past the budget (%llu)",
	       stats(sv).stalled);
	ok = legit(port, NULL, 1, &took);
	tap_ok(ok, "body flood: a legitimate client served in %.3f s", took);
	for (i = 0; i < 4; i++)
		h2peer_close(&p[i]);
	tap_ok(wait_conns(sv, 0, 2) && stats(sv).buffered == 0,
	       "body flood: all given back when they go (%zu)", stats(sv).buffered);
}

/* Pump @p until the server holds @want body bytes (up to 2 s): what it holds. */
static size_t pump_until(struct server *sv, struct h2peer *p, size_t want)
{
	double end = mono() + 2;
	size_t held;

	do {
		h2peer_pump(p, 0.05, NULL);
		held = stats(sv).buffered;
	} while (held != want && mono() < end);
	return held;
}

/* A body's buffer is its content-length, and past max_body it is 413. */
static void t_sizes(struct server *sv)
{
	unsigned int port = sv->port;
	struct h2peer p;
	struct h2peer_stream *s;
	size_t held;

	if (h2peer_open(&p, port, NULL, 65535)) {
		tap_ok(false, "sizes: connect");
		return;
	}
	s = h2peer_req(&p, "POST", "/echo", "10000", pattern, 10000, 100, true);
	held = pump_until(sv, &p, 4096);
	tap_ok(held == 4096, "100 bytes of a body of content-length 10000: 4096 bytes allocated (%zu)",
	       held);
	if (s)
		h2peer_more(&p, s, 9000);
	held = pump_until(sv, &p, 10001);
	tap_ok(held == 10001, "9100 bytes of it: 10001 allocated, no more (%zu)", held);
	if (s)
		h2peer_more(&p, s, 10000);
	h2peer_pump(&p, 1, s);
	tap_ok(s && s->status == 200 && s->got == 5 && stats(sv).buffered == 0,
	       "... answered (%d), then given back (%zu)", s ? s->status : 0,
	       stats(sv).buffered);
	s = h2peer_req(&p, "POST", "/echo", "16385", pattern, 16385, 16385, true);
	h2peer_pump(&p, 1, s);
	tap_ok(s && s->status == 413, "content-length max_body + 1: 413 (%d)",
	       s ? s->status : 0);
	s = h2peer_req(&p, "POST", "/echo", NULL, pattern, 16385, 16385, true);
	h2peer_pump(&p, 1, s);
	tap_ok(s && s->status == 413 && stats(sv).buffered == 0,
	       "no content-length, max_body + 1 bytes: 413 (%d), nothing held",
	       s ? s->status : 0);
	s = h2peer_req(&p, "GET", "/echo", NULL, NULL, 0, 0, true);
	h2peer_pump(&p, 1, s);
	tap_ok(s && s->status == 405 && !strcmp(s->allow, "POST"),
	       "405 carries Allow: POST ('%s')", s ? s->allow : "");
	h2peer_close(&p);
}

/* Zero-window readers, then rapid reset; memory back at its baseline. */
static void t_readers_reset(struct server *sv)
{
	unsigned int port = sv->port;
	struct h2peer p[8];
	unsigned int i, j, n = 8;
	size_t base, after;
	double took;
	bool ok;

	usleep(100000);
	base = __sanitizer_get_current_allocated_bytes();
	for (i = 0; i < n; i++)
		if (!h2peer_open(&p[i], port, NULL, 0))
			for (j = 0; j < 16; j++)
				h2peer_req(&p[i], "GET", "/big", NULL, NULL, 0, 0, true);
	for (i = 0; i < n; i++)
		h2peer_pump(&p[i], 0.02, NULL);
	ok = legit(port, NULL, 1, &took);
	tap_ok(ok, "8 zero-window readers x 16 x 64 KiB: a legitimate client served in %.3f s",
	       took);
	for (i = 0; i < n; i++)
		h2peer_close(&p[i]);
	/* rapid reset: HEADERS then RST_STREAM, over and over */
	for (i = 0; i < scale; i++) {
		struct h2peer q;

		if (h2peer_open(&q, port, NULL, 65535))
			break;
		for (j = 0; j < 2000 && !q.eof; j++) {
			q.n = 0;	/* the slots are not looked at here */
			struct h2peer_stream *s = h2peer_req(&q, "GET", "/big", NULL,
							     NULL, 0, 0, true);
			if (s)
				nghttp2_submit_rst_stream(q.sess, NGHTTP2_FLAG_NONE,
							  s->id, NGHTTP2_CANCEL);
			if (j % 50 == 0)
				h2peer_pump(&q, 0.001, NULL);
		}
		h2peer_pump(&q, 0.2, NULL);
		h2peer_close(&q);
	}
	ok = legit(port, NULL, 1, &took);
	tap_ok(ok, "rapid reset (%u x 2000): a legitimate client served in %.3f s",
	       scale, took);
	tap_ok(wait_conns(sv, 0, 3), "readers, reset: every connection gone");
	after = __sanitizer_get_current_allocated_bytes();
	tap_ok(after < base + 256 * 1024,
	       "readers, reset: memory back at its baseline (%+lld bytes)",
	       (long long)after - (long long)base);
}

/* HTTP/1.1 in clear and over TLS (ALPN http/1.1 only): 505, then closed. */
static bool h1_check(const char *resp, size_t n, const char *what)
{
	const char *b = strstr(resp, "\r\n\r\n"), *cl = strcasestr(resp, "content-length:");
	json_t *j = b ? json_loadb(b + 4, n - (size_t)(b + 4 - resp), 0, NULL) : NULL;
	bool ok = !strncmp(resp, "HTTP/1.1 505 ", 13) && cl && b &&
		  strtoul(cl + 15, NULL, 10) == n - (size_t)(b + 4 - resp) &&
		  strcasestr(resp, "content-type: application/problem+json") &&
		  json_integer_value(json_object_get(j, "status")) == 505 &&
		  json_is_string(json_object_get(j, "detail"));

	if (!ok)
		tap_diag("%s: %.*s", what, (int)n, resp);
	json_decref(j);
	return ok;
}

static void t_http1(struct server *sv, struct server *tsv, SSL_CTX *h1ctx)
{
	unsigned int port = sv->port;
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	char buf[2048];
	size_t n = 0;
	ssize_t r;
	SSL *ssl;
	int fd = h2peer_tcp(port);

	if (fd >= 0 && send_all(fd, req, sizeof(req) - 1))
		while (n < sizeof(buf) - 1 &&
		       (r = recv(fd, buf + n, sizeof(buf) - 1 - n, 0)) > 0)
			n += (size_t)r;
	buf[n] = 0;
	tap_ok(n && h1_check(buf, n, "h2c"),
	       "HTTP/1.1 request: HTTP/1.1 505 with a ProblemDetails, then closed");
	if (fd >= 0)
		close(fd);
	fd = h2peer_tcp(tsv->port);
	ssl = fd >= 0 ? SSL_new(h1ctx) : NULL;
	n = 0;
	if (ssl && SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1 &&
	    SSL_write(ssl, req, sizeof(req) - 1) > 0)
		while (n < sizeof(buf) - 1 &&
		       (r = SSL_read(ssl, buf + n, (int)(sizeof(buf) - 1 - n))) > 0)
			n += (size_t)r;
	ERR_clear_error();
	buf[n] = 0;
	tap_ok(n && h1_check(buf, n, "TLS"),
	       "HTTP/1.1 over TLS (ALPN http/1.1): HTTP/1.1 505 with a ProblemDetails");
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
}

static SSL_CTX *client_ctx(const char *ca, const unsigned char *alpn, unsigned int len)
{
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());

	if (!c)
		return NULL;
	SSL_CTX_load_verify_locations(c, ca, NULL);
	SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_alpn_protos(c, alpn, len);
	return c;
}

int main(int argc, char **argv)
{
	struct h2srv_limits l = test_limits();
	struct h2_tls tls = { 0 };
	struct server *sv, *tsv;
	SSL_CTX *h2ctx, *h1ctx;

	if (argc != 4 || (strcmp(argv[1], "smoke") && strcmp(argv[1], "stress"))) {
		fprintf(stderr, "usage: test_hostile smoke|stress CERT KEY\n");
		return 2;
	}
	if (!strcmp(argv[1], "stress"))
		scale = 10;
	signal(SIGPIPE, SIG_IGN);	/* a server that closed: EPIPE, not death */
	memset(pattern, 'x', sizeof(pattern));
	tls.cert = argv[2];
	tls.key = argv[3];
	h2ctx = client_ctx(argv[2], (const unsigned char *)"\x02h2", 3);
	h1ctx = client_ctx(argv[2], (const unsigned char *)"\x08http/1.1", 9);
	sv = up(&(struct h2_tls){ 0 }, &l);
	tsv = up(&tls, &l);
	if (!sv || !tsv || !h2ctx || !h1ctx) {
		tap_ok(false, "servers up");
		return tap_done();
	}
	t_disconnect(sv);
	t_sizes(sv);
	t_flood(sv);
	t_readers_reset(sv);
	t_timeouts(sv, tsv);
	t_http1(sv, tsv, h1ctx);
	down(sv);
	down(tsv);
	t_limits();
	t_mix(&tls, h2ctx);
	SSL_CTX_free(h2ctx);
	SSL_CTX_free(h1ctx);
	return tap_done();
}
