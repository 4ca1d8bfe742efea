// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * afrecv: the AF side of aiotd's tests. An HTTP/2 server (h2c prior
 * knowledge, or TLS with --cert/--key) that answers every POST with 204
 * (or --status N) and appends its body, one line, to --out FILE. With
 * --done F --last N it creates F once N bodies with "lastRepInd":true
 * came (a bench waits for that file, not by reading FILE over and over).
 *
 *   afrecv --port N --out FILE [--status N] [--cert C --key K] [--ready F]
 *          [--done F --last N]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aiotd/h2/h2srv.h"

static FILE *out;
static int status = 204;
static const char *done_path;
static long last_want, last_seen;
static volatile sig_atomic_t stop;

static void handler(const struct h2_req *req, struct h2_resp *resp, void *arg)
{
	(void)arg;
	if (req->too_big) {
		resp->status = 413;
		return;
	}
	if (strcmp(req->method, "POST")) {
		resp->status = 405;
		return;
	}
	fwrite(req->body, 1, req->len, out);
	fputc('\n', out);
	fflush(out);
	resp->status = status;
	if (done_path && strstr(req->body, "\"lastRepInd\":true") &&
	    ++last_seen == last_want) {
		FILE *f = fopen(done_path, "w");

		if (f)
			fclose(f);
	}
}

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct h2_tls tls = { 0 };
	const char *path = NULL, *ready = NULL;
	unsigned int port = 0;
	struct pollfd pfd[300];
	struct h2srv *s;
	size_t n;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = (unsigned int)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--out"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--status"))
			status = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--cert"))
			tls.cert = argv[i + 1];
		else if (!strcmp(argv[i], "--key"))
			tls.key = argv[i + 1];
		else if (!strcmp(argv[i], "--ready"))
			ready = argv[i + 1];
		else if (!strcmp(argv[i], "--done"))
			done_path = argv[i + 1];
		else if (!strcmp(argv[i], "--last"))
			last_want = atol(argv[i + 1]);
		else
			break;
	}
	if (i != argc || !path || !done_path != !last_want) {
		fprintf(stderr, "usage: afrecv --port N --out FILE [--status N] [--cert C --key K] [--ready F] [--done F --last N]\n");
		return 2;
	}
	out = fopen(path, "a");
	if (!out) {
		perror(path);
		return 1;
	}
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	signal(SIGPIPE, SIG_IGN);
	s = h2srv_new("127.0.0.1", port, &tls, 16 << 20, handler, NULL);
	if (!s)
		return 1;
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f) {
			fprintf(f, "%u\n", h2srv_port(s));
			fclose(f);
		}
	}
	while (!stop) {
		n = h2srv_pollfds(s, pfd, 300);
		if (poll(pfd, n, h2srv_more(s) ? 0 : 200) >= 0)
			h2srv_service(s, pfd, n);
	}
	h2srv_free(s);
	fclose(out);
	return 0;
}
