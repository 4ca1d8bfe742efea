// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotd's metrics, host side (make aiotd-test, ASan+UBSan):
 *   the module's counters as Prometheus series (aiotd/mseries.c): every
 *     counter the library names has one, under the names written out
 *     here (not read from the code), one metric per meaning, HELP and
 *     TYPE once each; the text passes Debian's `promtool check metrics`;
 *   the metrics listener (aiotd/h2/h1srv.c) against plain sockets:
 *     GET, HEAD, 405 with Allow, 400, 404, 431 past the head limit, a
 *     newcomer past the connection cap closed at once, idle and
 *     trickling clients closed at the deadline, then served again; and
 *     the ADDRESS:PORT syntax of metrics_listen.
 *   test_metrics
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "../../aiotd/h2/h1srv.h"
#include "../../aiotd/h2/mono.h"
#include "../../aiotd/mseries.h"

/* ---- the module's series ------------------------------------------------ */

static char *render(const struct aiot_stats *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	mseries_put(f, s);
	fclose(f);
	return buf;
}

/* Lines of @text that start with @s (@whole: that are @s). */
static int count_starts(const char *text, const char *s, bool whole)
{
	size_t n = strlen(s);
	const char *p = text;
	int c = 0;

	while ((p = strstr(p, s))) {
		if ((p == text || p[-1] == '\n') &&
		    (!whole || p[n] == '\n' || !p[n]))
			c++;
		p += n;
	}
	return c;
}

static int count_lines(const char *text, const char *line)
{
	return count_starts(text, line, true);
}

static int count_prefix(const char *text, const char *prefix)
{
	return count_starts(text, prefix, false);
}

/* `promtool check metrics` on @text: its exit status (127: no promtool). */
static int promtool(const char *text)
{
	FILE *p;
	int st;

	/* its findings as TAP comments */
	p = popen("out=$(promtool check metrics 2>&1); st=$?; "
		  "[ -z \"$out\" ] || printf '%s\\n' \"$out\" | sed 's/^/# promtool: /'; "
		  "exit $st", "w");
	if (!p)
		return -1;
	fputs(text, p);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_series(void)
{
	/* what an operator's rules and dashboards use, written out */
	static const char *const want[] = {
		"# TYPE aiotsec_rx_frames_total counter",
		"aiotsec_rx_frames_total 31",
		"# TYPE aiotsec_tx_frames_total counter",
		"aiotsec_tx_frames_total 32",
		"# TYPE aiotsec_authentications_total counter",
		"aiotsec_authentications_total{result=\"ok\"} 11",
		"aiotsec_authentications_total{result=\"fail\"} 12",
		"# TYPE aiotsec_commands_total counter",
		"aiotsec_commands_total{result=\"ok\"} 21",
		"aiotsec_commands_total{result=\"fail\"} 22",
		"# TYPE aiotsec_transaction_timeouts_total counter",
		"aiotsec_transaction_timeouts_total 41",
		"aiotsec_events_lost_total 42",
		"aiotsec_results_lost_total 43",
		"aiotsec_results_orphaned_total 44",
		"aiotsec_inventory_rounds_total 51",
		"# TYPE aiotsec_inventory_responses_total counter",
		"aiotsec_inventory_responses_total{result=\"ok\"} 52",
		"aiotsec_inventory_responses_total{result=\"fail\"} 53",
		"# TYPE aiotsec_rx_frames_dropped_total counter",
		"aiotsec_rx_frames_dropped_total{reason=\"mac\"} 61",
		"aiotsec_rx_frames_dropped_total{reason=\"replay\"} 62",
		"aiotsec_rx_frames_dropped_total{reason=\"short\"} 0",
	};
	struct aiot_stats s = { 0 };
	size_t len, i, bad = 0;
	char *text, *line, *p;
	int st;

	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (!aiot_stat_names[i] != !mseries[i].name) {
			tap_diag("counter %zu (%s): %s", i,
				 aiot_stat_names[i] ? aiot_stat_names[i] : "unnamed",
				 mseries[i].name ? "a series but no name" : "no series");
			bad++;
		}
	tap_ok(!bad, "every counter the library names has a series, and only those");

	s.ctr[AIOTSEC_STAT_RX_FRAMES] = 31;
	s.ctr[AIOTSEC_STAT_TX_FRAMES] = 32;
	s.ctr[AIOTSEC_STAT_AUTH_OK] = 11;
	s.ctr[AIOTSEC_STAT_AUTH_FAIL] = 12;
	s.ctr[AIOTSEC_STAT_CMD_OK] = 21;
	s.ctr[AIOTSEC_STAT_CMD_FAIL] = 22;
	s.ctr[AIOTSEC_STAT_TIMEOUTS] = 41;
	s.ctr[AIOTSEC_STAT_EVENTS_LOST] = 42;
	s.ctr[AIOTSEC_STAT_RESULTS_LOST] = 43;
	s.ctr[AIOTSEC_STAT_RESULTS_ORPHANED] = 44;
	s.ctr[AIOTSEC_STAT_INV_ROUNDS] = 51;
	s.ctr[AIOTSEC_STAT_INV_FOUND] = 52;
	s.ctr[AIOTSEC_STAT_INV_FAIL] = 53;
	s.has_drops = true;
	s.drops[AIOTSEC_DROP_MAC] = 61;
	s.drops[AIOTSEC_DROP_REPLAY] = 62;
	text = render(&s, &len);
	if (!text) {
		tap_ok(false, "rendered");
		return;
	}
	for (i = 0, bad = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (count_lines(text, want[i]) != 1) {
			tap_diag("not once: %s", want[i]);
			bad++;
		}
	tap_ok(!bad, "the module's counters under their names, one metric per meaning, each line once");
	/* no lumped metric, no label named counter */
	tap_ok(!strstr(text, "counter=") && !strstr(text, "aiotsec_module_events_total"),
	       "no metric with a 'counter' label");
	/* each metric's HELP and TYPE once, HELP first */
	for (p = text, bad = 0; (line = strstr(p, "# TYPE ")); p = line + 1) {
		char name[128], pre[160];

		if (sscanf(line, "# TYPE %127s", name) != 1)
			break;
		snprintf(pre, sizeof(pre), "# HELP %s ", name);
		if (count_prefix(text, pre) != 1 || strstr(text, pre) > line) {
			tap_diag("%s: HELP missing, after TYPE or twice", name);
			bad++;
		}
		snprintf(pre, sizeof(pre), "# TYPE %s ", name);
		if (count_prefix(text, pre) != 1) {
			tap_diag("%s: TYPE twice", name);
			bad++;
		}
	}
	tap_ok(!bad, "HELP then TYPE, once per metric");
	st = promtool(text);
	tap_ok(st == 0, "promtool check metrics: the module's series (status %d%s)", st,
	       st == 127 ? ": no promtool; scripts/setup.sh installs Debian's prometheus" : "");
	free(text);

	/* without the drops nest: no drops metric at all, not zeros */
	s.has_drops = false;
	text = render(&s, &len);
	tap_ok(text && !strstr(text, MSERIES_DROPS), "no drops nest: no drops series");
	free(text);
}

/* ---- the listener --------------------------------------------------------- */

struct srv {
	struct h1srv *h;
	pthread_t thr;
	pthread_mutex_t mu;
	atomic_bool stop;
};

static void handler(const char *method, const char *path, struct h1_resp *r,
		    void *arg)
{
	(void)method;
	(void)arg;
	r->status = strcmp(path, "/metrics") ? 404 : 200;
	r->ctype = "text/plain; version=0.0.4";
	r->body = strdup(r->status == 200 ? "m_total 1\n" : "no\n");
	r->len = strlen(r->body);
}

static void *run(void *arg)
{
	struct srv *sv = arg;
	struct pollfd pfd[16];
	size_t n;

	while (!atomic_load(&sv->stop)) {
		pthread_mutex_lock(&sv->mu);
		n = h1srv_pollfds(sv->h, pfd, h1srv_npoll(sv->h));
		pthread_mutex_unlock(&sv->mu);
		poll(pfd, n, 20);
		pthread_mutex_lock(&sv->mu);
		h1srv_service(sv->h, pfd, n);
		pthread_mutex_unlock(&sv->mu);
	}
	return NULL;
}

static int dial(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = 3 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Send @req, read until the server closes: the answer in @out. */
static size_t exchange(unsigned int port, const char *req, char *out, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	int fd = dial(port);

	out[0] = 0;
	if (fd < 0)
		return 0;
	if (req && send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		close(fd);
		return 0;
	}
	while (len + 1 < cap && (n = recv(fd, out + len, cap - 1 - len, 0)) > 0)
		len += (size_t)n;
	out[len] = 0;
	close(fd);
	return len;
}

/* Seconds until the server closes @fd (read returns 0 or an error). */
static double closed_after(int fd)
{
	double t0 = mono();
	char b[256];

	while (recv(fd, b, sizeof(b), 0) > 0)
		;
	return mono() - t0;
}

static void stats(struct srv *sv, struct h1srv_stats *st)
{
	pthread_mutex_lock(&sv->mu);
	h1srv_get_stats(sv->h, st);
	pthread_mutex_unlock(&sv->mu);
}

static void test_listener(void)
{
	struct h1srv_limits l = { .max_conns = 2, .max_head = 256, .timeout_ms = 400 };
	struct srv sv = { 0 };
	struct h1srv_stats st;
	char out[4096], big[600];
	unsigned int port;
	int a, b, c;
	double t;

	sv.h = h1srv_new("127.0.0.1:0", &l, handler, NULL);
	if (!sv.h) {
		tap_ok(false, "listener on 127.0.0.1:0");
		return;
	}
	port = h1srv_port(sv.h);
	pthread_mutex_init(&sv.mu, NULL);
	if (pthread_create(&sv.thr, NULL, run, &sv)) {
		tap_ok(false, "server thread");
		h1srv_free(sv.h);
		return;
	}
	exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 200 OK\r\n", 17) &&
	       strstr(out, "\r\nContent-Length: 10\r\n") &&
	       strstr(out, "\r\nConnection: close\r\n") &&
	       strstr(out, "\r\nContent-Type: text/plain; version=0.0.4\r\n") &&
	       strstr(out, "\r\n\r\nm_total 1\n") && !strstr(out, "m_total 1\nm"),
	       "GET /metrics: 200, the body, its length, Connection: close");
	exchange(port, "HEAD /metrics HTTP/1.0\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 200 OK\r\n", 17) &&
	       strstr(out, "\r\nContent-Length: 10\r\n") && !strstr(out, "m_total"),
	       "HEAD: the length, no body");
	exchange(port, "POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 405 ", 13) && strstr(out, "\r\nAllow: GET, HEAD\r\n"),
	       "POST: 405 with Allow: GET, HEAD");
	exchange(port, "GET /nope HTTP/1.1\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 404 ", 13), "another path: the handler's 404");
	exchange(port, "HELLO\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 400 ", 13), "not a request line: 400");
	exchange(port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 400 ", 13), "an HTTP/2 preface: 400, not served");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	exchange(port, big, out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 431 ", 13), "a head past max_head (256): 431");

	/* the cap: two idle clients, a third is closed at once */
	/* once the answered clients' closes are seen */
	t = mono();
	do {
		usleep(10000);
		stats(&sv, &st);
	} while (st.conns && mono() - t < 1);
	a = dial(port);
	b = dial(port);
	usleep(100000);
	c = dial(port);
	t = c >= 0 ? closed_after(c) : 9;
	tap_ok(c >= 0 && t < 0.3, "past max_conns (2): the newcomer closed at once (%.2f s)", t);
	if (c >= 0)
		close(c);
	stats(&sv, &st);
	tap_ok(st.refused == 1 && st.conns == 2, "refused 1 (%llu), 2 open (%zu)",
	       st.refused, st.conns);
	/* the deadline: idle a, trickling b (a byte each 100 ms) */
	t = mono();
	while (mono() - t < 0.6 && send(b, "G", 1, MSG_NOSIGNAL) == 1)
		usleep(100000);
	t = closed_after(a);
	tap_ok(t < 0.5, "an idle client closed at the 400 ms deadline");
	t = closed_after(b);
	tap_ok(t < 0.5, "a trickling client closed at the deadline too");
	close(a);
	close(b);
	usleep(50000);
	stats(&sv, &st);
	tap_ok(st.timeouts == 2 && st.conns == 0, "timeouts 2 (%llu), none open (%zu)",
	       st.timeouts, st.conns);
	exchange(port, "GET /metrics HTTP/1.1\r\n\r\n", out, sizeof(out));
	tap_ok(!strncmp(out, "HTTP/1.1 200 OK\r\n", 17), "then served again");
	stats(&sv, &st);
	tap_ok(st.requests[0] == 3 && st.requests[1] == 2 && st.requests[2] == 1 &&
	       st.requests[3] == 1 && st.requests[4] == 1,
	       "counted by status: 200 x3, 400 x2, 404, 405, 431");

	atomic_store(&sv.stop, true);
	pthread_join(sv.thr, NULL);
	{
		char *text = NULL;
		size_t len;
		FILE *f = open_memstream(&text, &len);
		int ps;

		h1srv_metrics(sv.h, f);
		fclose(f);
		ps = promtool(text);
		tap_ok(ps == 0 && strstr(text, "aiotd_metrics_http_requests_total{code=\"431\"} 1\n"),
		       "the listener's own counters pass promtool (status %d)", ps);
		free(text);
	}
	h1srv_free(sv.h);
	pthread_mutex_destroy(&sv.mu);
}

static void test_addr(void)
{
	static const struct {
		const char *in, *addr;
		unsigned int port;
	} good[] = {
		{ "127.0.0.1:9089", "127.0.0.1", 9089 },
		{ "0.0.0.0:0", "0.0.0.0", 0 },
		{ "[::1]:80", "::1", 80 },
		{ "[fe80::1]:65535", "fe80::1", 65535 },
	};
	static const char *const bad[] = {
		"127.0.0.1", "127.0.0.1:", ":9089", "localhost:9089", "::1:9089",
		"[::1]", "[::1]9089", "[127.0.0.1]:80", "1.2.3.4:65536",
		"1.2.3.4:-1", "1.2.3.4:80x", "",
	};
	char addr[64], err[256];
	unsigned int port;
	size_t i, fails = 0;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (h1srv_parse_addr(good[i].in, addr, sizeof(addr), &port, err,
				     sizeof(err)) ||
		    strcmp(addr, good[i].addr) || port != good[i].port) {
			tap_diag("%s: refused or misread", good[i].in);
			fails++;
		}
	tap_ok(!fails, "metrics_listen: ADDRESS:PORT and [IPV6]:PORT read");
	for (i = 0, fails = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!h1srv_parse_addr(bad[i], addr, sizeof(addr), &port, err,
				      sizeof(err))) {
			tap_diag("'%s': taken", bad[i]);
			fails++;
		}
	tap_ok(!fails, "metrics_listen: no port, a name, bare IPv6, a port past 65535: refused");
}

int main(void)
{
	test_series();
	test_listener();
	test_addr();
	return tap_done();
}
