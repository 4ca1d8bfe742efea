// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of aiotd's notification sender (aiotd/cb.c) against
 * the h2c server both aiotd and afrecv use (h2srv.c), in one process
 * under ASan+UBSan: many transIds at once (more than max_active), many
 * notifications of one transId (in order), a receiver that is down and
 * comes back, one that answers 503 for a while, and one that answers 400
 * (not retried); and over TLS when given a certificate. Every
 * notification must arrive exactly once.
 *   test_cb [CERT KEY]   (a self-signed certificate for 127.0.0.1)
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/tap.h"
#include "../../aiotd/cb.h"
#include "../../aiotd/dest.h"
#include "../../aiotd/h2/h2cli.h"
#include "../../aiotd/h2/h2srv.h"
#include "../../aiotd/h2/mono.h"

#define MAXN	2048

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned int got[MAXN];		/* deliveries per notification */
static unsigned int last_seq[MAXN];	/* per transId: the last seq seen */
static unsigned int out_of_order, total;
static atomic_int answer_with = 204, refuse_left;

static struct h2srv *srv;
static struct h2_tls tls, no_tls;
static const char *scheme = "http";
static const char *path = "/n";
static uint32_t max_streams = 128;
static pthread_t srv_thr;
static atomic_bool srv_stop;

/* Bodies are {"t":T,"s":S,"n":N}: transId T, its S-th, notification N. */
static void handler(const struct h2_req *req, struct h2_resp *resp, void *arg)
{
	unsigned int t, s, n;

	(void)arg;
	/* redirects: /r307 -> /n (relative), /r308 -> absolute, /down -> http */
	if (!strcmp(req->path, "/r307") || !strcmp(req->path, "/r308") ||
	    !strcmp(req->path, "/down")) {
		resp->status = req->path[3] == '8' ? 308 : 307;
		if (req->path[1] == 'd')
			snprintf(resp->location, sizeof(resp->location),
				 "http://127.0.0.1:%u/n", h2srv_port(srv));
		else if (resp->status == 308)
			snprintf(resp->location, sizeof(resp->location),
				 "%s://127.0.0.1:%u/n", scheme, h2srv_port(srv));
		else
			snprintf(resp->location, sizeof(resp->location), "/n");
		return;
	}
	if (atomic_load(&refuse_left) > 0) {
		atomic_fetch_sub(&refuse_left, 1);
		resp->status = atomic_load(&answer_with);
		return;
	}
	resp->status = 204;
	if (sscanf(req->body, "{\"t\":%u,\"s\":%u,\"n\":%u}", &t, &s, &n) != 3 ||
	    t >= MAXN || n >= MAXN) {
		resp->status = 400;
		return;
	}
	pthread_mutex_lock(&mu);
	got[n]++;
	total++;
	if (s != last_seq[t] + 1)
		out_of_order++;
	last_seq[t] = s;
	pthread_mutex_unlock(&mu);
}

static void *srv_run(void *arg)
{
	struct pollfd pfd[300];
	size_t n;

	(void)arg;
	while (!atomic_load(&srv_stop)) {
		n = h2srv_pollfds(srv, pfd, 300);
		if (poll(pfd, n, h2srv_more(srv) ? 0 : 50) >= 0)
			h2srv_service(srv, pfd, n);
	}
	return NULL;
}

static const char *srv_addr = "127.0.0.1";

static unsigned int srv_up(unsigned int port)
{
	struct h2srv_limits lim;

	srv = h2srv_new(srv_addr, port, strcmp(scheme, "https") ? &no_tls : &tls,
			1 << 20, handler, NULL);
	if (!srv)
		return 0;
	/* the sender is under test: every origin is 127.0.0.1 to the receiver */
	h2srv_limits_default(&lim, 1 << 20);
	lim.max_per_peer = 0;
	lim.max_conns = 500;
	h2srv_set_limits(srv, &lim);
	h2srv_set_max_streams(srv, max_streams);
	atomic_store(&srv_stop, false);
	if (pthread_create(&srv_thr, NULL, srv_run, NULL)) {
		h2srv_free(srv);
		return 0;
	}
	return h2srv_port(srv);
}

static void srv_down(void)
{
	atomic_store(&srv_stop, true);
	pthread_join(srv_thr, NULL);
	h2srv_free(srv);
	srv = NULL;
}

static void reset(void)
{
	pthread_mutex_lock(&mu);
	memset(got, 0, sizeof(got));
	memset(last_seq, 0, sizeof(last_seq));
	out_of_order = 0;
	total = 0;
	pthread_mutex_unlock(&mu);
}

static const char *host = "127.0.0.1";

static void post(unsigned int port, unsigned int t, unsigned int s,
		 unsigned int n, bool last)
{
	char uri[64], tid[16], *body = malloc(64);

	snprintf(uri, sizeof(uri), "%s://%s:%u%s", scheme, host, port, path);
	snprintf(tid, sizeof(tid), "t%u", t);
	if (body)
		snprintf(body, 64, "{\"t\":%u,\"s\":%u,\"n\":%u}", t, s, n);
	cb_post(uri, tid, body, last);
}

/* Wait up to @sec for the sender's queue to empty. */
static bool drained(double sec)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < sec * 100; i++) {
		if (!atomic_load(&cb_stats.queued))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Every one of notifications [0, @n) arrived exactly once. */
static bool each_once(unsigned int n)
{
	unsigned int i, bad = 0;

	pthread_mutex_lock(&mu);
	for (i = 0; i < n; i++)
		if (got[i] != 1)
			bad++;
	if (bad)
		tap_diag("%u of %u not delivered exactly once (%u deliveries)",
			 bad, n, total);
	pthread_mutex_unlock(&mu);
	return !bad;
}

int main(int argc, char **argv)
{
	struct cb_conf c = { .retries = 8, .backoff_ms = 20,
			     .backoff_max_ms = 200, .timeout_ms = 5000,
			     .max_active = 64 };
	unsigned long long f0, r0, d0, s0, c0;
	char err[256];
	double t0;
	unsigned int port, i, j, n;

	if (argc == 3) {
		c.ca = argv[1];
		tls.cert = argv[1];
		tls.key = argv[2];
	}
	if (cb_start(&c)) {
		tap_ok(false, "cb_start");
		return tap_done();
	}
	port = srv_up(0);
	if (!tap_ok(port, "receiver listening"))
		return tap_done();

	/* many transIds at once: 5 x max_active, one notification each */
	reset();
	f0 = atomic_load(&cb_stats.failed);
	c0 = atomic_load(&cb_stats.conns);
	t0 = mono();
	for (i = 0; i < 320; i++)
		post(port, i, 1, i, true);
	tap_ok(drained(60), "320 transIds at once: queue drained");
	/* a posted request must not wait for the loop's poll timeout (1 s) */
	tap_ok(mono() - t0 < 3, "320 transIds at once: in %.3f s (< 3)", mono() - t0);
	tap_ok(atomic_load(&cb_stats.conns) - c0 <= 2,
	       "320 transIds at once: %llu connection(s) opened (<= 2: kept, multiplexed)",
	       atomic_load(&cb_stats.conns) - c0);
	tap_ok(each_once(320), "320 transIds at once: each delivered once");
	tap_ok(atomic_load(&cb_stats.failed) == f0,
	       "320 transIds at once: no failed attempt (%llu)",
	       atomic_load(&cb_stats.failed) - f0);

	/* many notifications of few transIds: one at a time, in order */
	reset();
	for (n = 0, j = 1; j <= 40; j++)
		for (i = 0; i < 8; i++, n++)
			post(port, i, j, n, j == 40);
	tap_ok(drained(60), "8 transIds x 40: queue drained");
	tap_ok(each_once(n), "8 transIds x 40: each delivered once");
	tap_ok(!out_of_order, "8 transIds x 40: in order per transId (%u not)",
	       out_of_order);

	/* the receiver down, then back on the same port */
	reset();
	srv_down();
	r0 = atomic_load(&cb_stats.retried);
	for (i = 0; i < 100; i++)
		post(port, i, 1, i, true);
	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	tap_ok(atomic_load(&cb_stats.queued) == 100,
	       "receiver down: all 100 still queued");
	tap_ok(srv_up(port) == port, "receiver back on port %u", port);
	tap_ok(drained(60), "receiver back: queue drained");
	tap_ok(each_once(100), "receiver back: each delivered once");
	tap_ok(atomic_load(&cb_stats.retried) > r0, "receiver down: retried (%llu)",
	       atomic_load(&cb_stats.retried) - r0);

	/* 503 for a while: retried, then delivered */
	reset();
	atomic_store(&answer_with, 503);
	atomic_store(&refuse_left, 150);
	for (i = 0; i < 100; i++)
		post(port, i, 1, i, true);
	tap_ok(drained(60), "503 for a while: queue drained");
	tap_ok(each_once(100), "503 for a while: each delivered once");

	/*
	 * the destination policy at connect time: a name that passed the
	 * request-time check resolves outside notif_allow (dest.h)
	 */
	reset();
	s0 = atomic_load(&cb_stats.sent);
	f0 = atomic_load(&cb_stats.failed);
	if (dest_set("10.0.0.0/8", err, sizeof(err)))
		tap_diag("dest_set: %s", err);
	host = "localhost";
	post(port, 0, 1, 0, true);
	host = "127.0.0.1";
	tap_ok(drained(10), "policy at connect: queue drained");
	tap_ok(!total && atomic_load(&cb_stats.sent) == s0 &&
	       atomic_load(&cb_stats.failed) > f0,
	       "policy at connect: localhost resolves outside notif_allow 10.0.0.0/8: not contacted");
	dest_set(NULL, err, sizeof(err));

	/* 400: not retried, dropped and counted */
	reset();
	atomic_store(&answer_with, 400);
	atomic_store(&refuse_left, 1);
	r0 = atomic_load(&cb_stats.retried);
	d0 = atomic_load(&cb_stats.dropped);
	s0 = atomic_load(&cb_stats.sent);
	post(port, 0, 1, 0, true);
	tap_ok(drained(10), "400: queue drained");
	tap_ok(atomic_load(&cb_stats.dropped) == d0 + 1 &&
	       atomic_load(&cb_stats.retried) == r0 &&
	       atomic_load(&cb_stats.sent) == s0 && !total,
	       "400: dropped at once, not retried, not delivered");

	/* a receiver that allows one stream at a time: they queue, none lost */
	srv_down();
	max_streams = 1;
	port = srv_up(0);
	reset();
	f0 = atomic_load(&cb_stats.failed);
	c0 = atomic_load(&cb_stats.conns);
	for (i = 0; i < 64; i++)
		post(port, i, 1, i, true);
	tap_ok(drained(60), "1 stream at a time: queue drained");
	tap_ok(each_once(64) && atomic_load(&cb_stats.failed) == f0 &&
	       atomic_load(&cb_stats.conns) - c0 == 1,
	       "1 stream at a time: each delivered once, on 1 connection, no failure");
	srv_down();
	max_streams = 128;
	port = srv_up(0);

	/* refused streams (RST_STREAM REFUSED_STREAM): resent, not failures */
	reset();
	f0 = atomic_load(&cb_stats.failed);
	r0 = atomic_load(&cb_stats.retried);
	atomic_store(&answer_with, 0);
	atomic_store(&refuse_left, 30);
	for (i = 0; i < 20; i++)
		post(port, i, 1, i, true);
	tap_ok(drained(30), "refused streams: queue drained");
	tap_ok(each_once(20) && !atomic_load(&refuse_left) &&
	       atomic_load(&cb_stats.failed) == f0 &&
	       atomic_load(&cb_stats.retried) == r0,
	       "refused streams: 30 refusals, each delivered once, none counted failed or retried");

	/* 307 (relative Location) and 308 (absolute): the POST follows */
	reset();
	f0 = atomic_load(&cb_stats.failed);
	path = "/r307";
	for (i = 0; i < 10; i++)
		post(port, i, 1, i, true);
	path = "/r308";
	for (i = 10; i < 20; i++)
		post(port, i, 1, i, true);
	path = "/n";
	tap_ok(drained(30), "307 and 308: queue drained");
	tap_ok(each_once(20) && atomic_load(&cb_stats.failed) == f0,
	       "307 and 308: each delivered once where Location said, no failure");

	/* 300 AF origins (127.0.0.x, 127.0.1.x): never over H2CLI_CONNS_MAX open */
	srv_down();
	srv_addr = "0.0.0.0";
	port = srv_up(0);
	reset();
	c0 = atomic_load(&cb_stats.conns);
	for (i = 0; i < 300; i++) {
		char h[32];

		snprintf(h, sizeof(h), "127.0.%u.%u", i / 250, i % 250 + 1);
		host = h;
		post(port, i, 1, i, true);
	}
	host = "127.0.0.1";
	tap_ok(drained(60), "300 origins: queue drained");
	tap_ok(each_once(300), "300 origins: each delivered once");
	nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	tap_ok(atomic_load(&cb_stats.conns) - c0 == 300 &&
	       atomic_load(&cb_stats.conns_open) <= H2CLI_CONNS_MAX,
	       "300 origins: 300 connections opened (%llu), at most %d open (%llu)",
	       atomic_load(&cb_stats.conns) - c0, H2CLI_CONNS_MAX,
	       atomic_load(&cb_stats.conns_open));
	srv_addr = "127.0.0.1";

	if (c.ca) {
		/* https: connections reused; 200 transIds, then 4 x 50 */
		srv_down();
		scheme = "https";
		port = srv_up(0);
		reset();
		f0 = atomic_load(&cb_stats.failed);
		for (i = 0; i < 200; i++)
			post(port, i, 1, i, true);
		for (n = 200, j = 1; j <= 50; j++)
			for (i = 200; i < 204; i++, n++)
				post(port, i, j, n, j == 50);
		tap_ok(drained(60), "https: queue drained");
		tap_ok(each_once(n), "https: each of %u delivered once", n);
		tap_ok(!out_of_order && atomic_load(&cb_stats.failed) == f0,
		       "https: in order, no failed attempt (%llu)",
		       atomic_load(&cb_stats.failed) - f0);
		/* a redirect from https to http is not followed, not retried */
		reset();
		r0 = atomic_load(&cb_stats.retried);
		d0 = atomic_load(&cb_stats.dropped);
		path = "/down";
		post(port, 0, 1, 0, true);
		path = "/n";
		tap_ok(drained(10) && !total &&
		       atomic_load(&cb_stats.dropped) == d0 + 1 &&
		       atomic_load(&cb_stats.retried) == r0,
		       "https -> http redirect: not followed, dropped, not retried");
	} else {
		tap_diag("no certificate given: https not tried");
	}
	cb_stop(1000);
	srv_down();
	return tap_done();
}
