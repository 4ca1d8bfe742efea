// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotd: the AIOTF's Naiotf_AIoT service (TS 29.569) on aiotsec.ko
 * (aiotd/README.md). Its life: options, configuration, signals, the
 * systemd notifications, the restart report and the loop. One thread
 * runs the HTTP/2 server, the netlink socket and the operations; another
 * sends the notifications (cb.c).
 *
 *   aiotd [-c CONFIG] [-t]     -t: check the configuration and exit
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "aiotd.h"
#include "api.h"
#include "cb.h"
#include "h1srv.h"
#include "h2srv.h"
#include "metrics.h"
#include "module.h"
#include "mono.h"
#include "ops.h"
#include "req.h"
#include "state.h"

struct aiotd_conf cf;
static volatile sig_atomic_t sig_term, sig_hup;

/* sd_notify(3)'s protocol: a datagram to $NOTIFY_SOCKET. */
static void sd_notify_msg(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = 0;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	close(fd);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		sig_hup = 1;
	else
		sig_term = 1;
}

/* Operations an earlier run accepted and never finished: their AFs told. */
static void report_restart(void)
{
	struct state_op *so;
	size_t n, i;
	char *body;

	if (state_open(cf.state_file, &so, &n))
		exit(1);
	for (i = 0; i < n; i++) {
		logm("%s: accepted by an earlier run and not finished: telling %s",
		     so[i].trans_id, so[i].uri);
		body = notif_json(so[i].trans_id, NULL, true, "AIOTF_RESTARTED");
		cb_post(so[i].uri, so[i].trans_id, body, true);
	}
	state_ops_free(so, n);
}

/* Milliseconds the loop may sleep: 0 when there is work now. */
static int loop_wait(struct h2srv *srv)
{
	double flush = ops_next_flush();

	if (ops_can_send() || h2srv_more(srv))
		return 0;
	if (flush)
		return flush <= mono() ? 0 : (int)((flush - mono()) * 1000) + 1;
	return 1000;
}

static void loop(struct h2srv *srv, struct h1srv *h1)
{
	struct pollfd pfd[512];
	size_t n, m = 0, room;
	double last_hk = 0;
	bool nl_polled;

	/* the API's connections, metrics_listen's, the netlink socket */
	room = 511 - (h1 ? h1srv_npoll(h1) : 0);

	while (!sig_term) {
		if (sig_hup) {
			/* nothing of aiotd's to reload: the devices are aiotsec.service's */
			sig_hup = 0;
			logm("SIGHUP: nothing to reload (devices: systemctl reload aiotsec; configuration: a restart)");
		}
		n = h2srv_pollfds(srv, pfd, room);
		if (h1)
			m = h1srv_pollfds(h1, pfd + n, h1srv_npoll(h1));
		n += m;
		nl_polled = module_connected();
		if (nl_polled)
			pfd[n++] = (struct pollfd){ .fd = module_fd(), .events = POLLIN };
		if (poll(pfd, n, loop_wait(srv)) < 0 && errno != EINTR)
			break;
		if (nl_polled && pfd[--n].revents)
			module_read();
		h2srv_service(srv, pfd, n - m);
		if (h1)
			h1srv_service(h1, pfd + n - m, m);
		ops_send();
		/* held reports when due; lost results and finished operations each second */
		if ((ops_next_flush() && mono() >= ops_next_flush()) ||
		    mono() - last_hk >= 1.0) {
			ops_housekeeping();
			if (!module_connected())
				module_up();	/* the module came? */
			last_hk = mono();
		}
	}
}

/* A file aiotd will open for reading: there and readable. */
static int readable(const char *key, const char *file)
{
	if (!file || access(file, R_OK) == 0)
		return 0;
	fprintf(stderr, "aiotd: %s %s: %s\n", key, file, strerror(errno));
	return -1;
}

/*
 * aiotd -t: everything start checks, without binding or connecting: the
 * file itself, the listen addresses, the TLS files (loaded), the reader,
 * the callback's files and the state file's directory.
 */
static int check_conf(const char *path)
{
	struct h2_tls tls = { cf.tls_cert, cf.tls_key, cf.tls_client_ca };
	char dir[4096], *slash, addr[64], err[256];
	unsigned int mport;
	int bad = 0;

	if (access(path, R_OK)) {
		fprintf(stderr, "aiotd: %s: %s (start would run on the defaults)\n",
			path, strerror(errno));
		bad = -1;
	}
	if (h2srv_check(cf.listen, &tls))
		bad = -1;
	if (cf.metrics_listen &&
	    h1srv_parse_addr(cf.metrics_listen, addr, sizeof(addr), &mport, err,
			     sizeof(err))) {
		fprintf(stderr, "aiotd: metrics_listen %s\n", err);
		bad = -1;
	}
	if (cf.reader && !if_nametoindex(cf.reader)) {
		fprintf(stderr, "aiotd: reader %s: no such interface\n", cf.reader);
		bad = -1;
	}
	if (area_resolve(&cf.areas, err, sizeof(err))) {
		fprintf(stderr, "aiotd: %s\n", err);
		bad = -1;
	}
	if (readable("callback_ca", cf.cb_ca) ||
	    readable("callback_cert", cf.cb_cert) ||
	    readable("callback_key", cf.cb_key))
		bad = -1;
	if (cf.state_file) {
		snprintf(dir, sizeof(dir), "%s", cf.state_file);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = 0;
		else if (slash)
			*slash = 0;
		else
			snprintf(dir, sizeof(dir), ".");
		/* aiotd.service creates it (StateDirectory=): absent is said */
		if (access(dir, F_OK))
			fprintf(stderr, "aiotd: state_file %s: its directory %s does not exist yet (aiotd.service makes it)\n",
				cf.state_file, dir);
		else if (access(dir, W_OK | X_OK)) {
			fprintf(stderr, "aiotd: state_file %s: its directory %s: %s\n",
				cf.state_file, dir, strerror(errno));
			bad = -1;
		}
	}
	if (!bad)
		printf("aiotd: %s: ok\n", path);
	return bad;
}

int main(int argc, char **argv)
{
	const char *path = AIOTD_CONF_DEFAULT;
	struct sigaction sa = { .sa_handler = on_signal };
	bool check = false, explicit = false;
	unsigned int ifindex = 0;
	struct cb_conf cbc;
	struct h2_tls tls;
	struct h2srv_limits lim;
	struct h1srv_limits mlim;
	struct h1srv *h1 = NULL;
	char maddr[64], err[256];
	unsigned int mport;
	struct h2srv *srv;
	int opt;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "c:thV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			explicit = true;
			break;
		case 't':
			check = true;
			break;
		case 'V':
			printf("aiotd %s\n", AIOTSEC_VERSION);
			return 0;
		default:
			fprintf(opt == 'h' ? stdout : stderr,
				"usage: aiotd [-c CONFIG] [-t]\n"
				"       aiotd -h | -V\n%s",
				opt == 'h' ?
				"  -c CONFIG  the configuration (default " AIOTD_CONF_DEFAULT ")\n"
				"  -t         check the configuration and exit\n"
				"  -h, --help     this text\n"
				"  -V, --version  the version\n"
				"See aiotd(8).\n" : "");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (conf_load(&cf, path, explicit))
		return 2;
	if (check)
		return check_conf(path) ? 2 : 0;
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (cf.reader) {
		ifindex = if_nametoindex(cf.reader);
		if (!ifindex) {
			logp(LOG_ERR, "reader %s: no such interface", cf.reader);
			return 1;
		}
	}
	if (area_resolve(&cf.areas, err, sizeof(err))) {
		logp(LOG_ERR, "%s", err);
		return 1;
	}
	ops_set_reader(ifindex);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	tls = (struct h2_tls){ cf.tls_cert, cf.tls_key, cf.tls_client_ca };
	srv = h2srv_new(cf.listen, cf.port, &tls, cf.max_body, api_handler, NULL);
	if (!srv)
		return 1;
	conf_http_limits(&cf, &lim);
	h2srv_set_limits(srv, &lim);
	if (cf.metrics_listen) {
		if (h1srv_parse_addr(cf.metrics_listen, maddr, sizeof(maddr),
				     &mport, err, sizeof(err))) {
			logp(LOG_ERR, "metrics_listen %s", err);
			return 1;
		}
		h1srv_limits_default(&mlim);
		h1 = h1srv_new(cf.metrics_listen, &mlim, metrics_h1, NULL);
		if (!h1)
			return 1;
	}
	metrics_set_servers(srv, h1);
	cbc = (struct cb_conf){
		.retries = cf.cb_retries, .backoff_ms = cf.cb_backoff_ms,
		.backoff_max_ms = cf.cb_backoff_max_ms,
		.timeout_ms = cf.cb_timeout_ms, .max_active = 64,
		.ca = cf.cb_ca, .cert = cf.cb_cert, .key = cf.cb_key,
	};
	if (cb_start(&cbc)) {
		logp(LOG_ERR, "notifications: cannot start (callback_ca, callback_cert?)");
		return 1;
	}
	report_restart();
	/* connects, or later when the module comes */
	module_up();
	logm("listening on %s port %u (%s)", cf.listen, h2srv_port(srv),
	     cf.tls_cert ? (cf.tls_client_ca ? "TLS, client certificates required" : "TLS") :
	     "h2c, prior knowledge");
	if (h1)
		logm("metrics on %s port %u (/metrics, HTTP/1.1)", maddr,
		     h1srv_port(h1));
	sd_notify_msg("READY=1\nSTATUS=serving");
	loop(srv, h1);
	sd_notify_msg("STOPPING=1");
	logp(LOG_NOTICE, "stopping: %zu device transactions unfinished",
	     ops_inflight() + ops_queued());
	h2srv_free(srv);
	h1srv_free(h1);
	cb_stop(2000);
	state_close();
	module_close();
	conf_free(&cf);
	return 0;
}
