// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A small plain HTTP/1.1 server for scrapers (h1srv.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "h1srv.h"
#include "mono.h"

enum phase { READING, WRITING, DRAINING };

struct h1conn {
	int fd;
	enum phase phase;
	double born;
	char *in;			/* the request head, max_head bytes */
	size_t inlen;
	char *out;			/* the whole answer */
	size_t olen, ooff;
	bool dead;
	struct h1conn *next;
};

struct h1srv {
	int lfd;
	unsigned int port;
	struct h1srv_limits lim;
	h1_handler fn;
	void *arg;
	struct h1conn *conns;
	struct h1srv_stats st;
};

static const int codes[] = { 200, 400, 404, 405, 431, 500 };
#define NCODES (sizeof(codes) / sizeof(codes[0]))

void h1srv_limits_default(struct h1srv_limits *l)
{
	*l = (struct h1srv_limits){ .max_conns = 8, .max_head = 8192,
				    .timeout_ms = 10000 };
}

int h1srv_parse_addr(const char *s, char *addr, size_t cap, unsigned int *port,
		     char *err, size_t errcap)
{
	const char *colon, *a = s;
	struct in6_addr a6;
	unsigned long p;
	size_t alen;
	char *end;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (!colon) {
			snprintf(err, errcap, "'%s': want [IPV6]:PORT", s);
			return -1;
		}
		a = s + 1;
		alen = (size_t)(colon - a);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (!colon) {
			snprintf(err, errcap, "'%s': want ADDRESS:PORT", s);
			return -1;
		}
		alen = (size_t)(colon - s);
	}
	if (alen >= cap) {
		snprintf(err, errcap, "'%s': address too long", s);
		return -1;
	}
	memcpy(addr, a, alen);
	addr[alen] = 0;
	if ((s[0] == '[' && inet_pton(AF_INET6, addr, &a6) != 1) ||
	    (s[0] != '[' && inet_pton(AF_INET, addr, &a6) != 1)) {
		snprintf(err, errcap, "'%s': %s is not an %s address", s, addr,
			 s[0] == '[' ? "IPv6" : "IPv4 (IPv6: [ADDRESS]:PORT)");
		return -1;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || !colon[1] || *end || colon[1] == '-' || p > 65535) {
		snprintf(err, errcap, "'%s': port 0 to 65535", s);
		return -1;
	}
	*port = (unsigned int)p;
	return 0;
}

struct h1srv *h1srv_new(const char *hostport, const struct h1srv_limits *l,
			h1_handler fn, void *arg)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	char addr[INET6_ADDRSTRLEN], err[256];
	unsigned int port;
	struct h1srv *s;
	socklen_t sl;
	int one = 1;

	if (h1srv_parse_addr(hostport, addr, sizeof(addr), &port, err, sizeof(err))) {
		fprintf(stderr, "aiotd: metrics_listen %s\n", err);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->lim = *l;
	s->fn = fn;
	s->arg = arg;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else {
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	}
	s->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 ||
	    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->lfd, (struct sockaddr *)&ss, sl) || listen(s->lfd, 16)) {
		fprintf(stderr, "aiotd: metrics_listen %s: %s\n", hostport,
			strerror(errno));
		h1srv_free(s);
		return NULL;
	}
	sl = sizeof(ss);
	getsockname(s->lfd, (struct sockaddr *)&ss, &sl);
	s->port = ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
	return s;
}

static void conn_free(struct h1conn *c)
{
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

void h1srv_free(struct h1srv *s)
{
	struct h1conn *c, *n;

	if (!s)
		return;
	for (c = s->conns; c; c = n) {
		n = c->next;
		conn_free(c);
	}
	if (s->lfd >= 0)
		close(s->lfd);
	free(s);
}

unsigned int h1srv_port(const struct h1srv *s)
{
	return s->port;
}

size_t h1srv_npoll(const struct h1srv *s)
{
	return s->lim.max_conns + 1;
}

static void do_accept(struct h1srv *s)
{
	struct h1conn *c;
	int fd;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (s->st.conns >= s->lim.max_conns) {
			s->st.refused++;
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->in = malloc(s->lim.max_head);
		if (!c || !c->in) {
			if (c)
				free(c);
			close(fd);
			return;
		}
		c->fd = fd;
		c->born = mono();
		c->next = s->conns;
		s->conns = c;
		s->st.conns++;
	}
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	default: return "Internal Server Error";
	}
}

/* The whole answer into c->out: headers, and the body unless @head. */
static void answer(struct h1srv *s, struct h1conn *c, struct h1_resp *r,
		   bool head)
{
	char *hdr = NULL;
	size_t i;
	int n;

	for (i = 0; i < NCODES; i++)
		if (codes[i] == r->status)
			s->st.requests[i]++;
	n = asprintf(&hdr, "HTTP/1.1 %d %s\r\n%s%s%s%s%s%sContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", r->status, reason(r->status),
		     r->ctype ? "Content-Type: " : "", r->ctype ? r->ctype : "",
		     r->ctype ? "\r\n" : "", r->allow ? "Allow: " : "",
		     r->allow ? r->allow : "", r->allow ? "\r\n" : "", r->len);
	if (n < 0) {
		free(r->body);
		c->dead = true;
		return;
	}
	c->olen = (size_t)n + (head ? 0 : r->len);
	c->out = malloc(c->olen);
	if (c->out) {
		memcpy(c->out, hdr, (size_t)n);
		if (!head && r->len)
			memcpy(c->out + n, r->body, r->len);
	} else {
		c->dead = true;
	}
	free(hdr);
	free(r->body);
	c->phase = WRITING;
}

static void text(struct h1_resp *r, int status, const char *msg)
{
	r->status = status;
	r->ctype = "text/plain; charset=utf-8";
	r->body = strdup(msg);
	r->len = r->body ? strlen(r->body) : 0;
}

/* A request head complete in c->in (NUL-terminated): parse and answer. */
static void request(struct h1srv *s, struct h1conn *c)
{
	struct h1_resp r = { 0 };
	char *method = c->in, *target, *version, *eol;
	bool get, head;

	eol = strchr(c->in, '\n');
	*eol = 0;
	if (eol > c->in && eol[-1] == '\r')
		eol[-1] = 0;
	target = strchr(method, ' ');
	version = target ? strchr(target + 1, ' ') : NULL;
	if (!version || strncmp(version + 1, "HTTP/1.", 7) || target == method) {
		text(&r, 400, "not an HTTP/1.x request line\n");
		answer(s, c, &r, false);
		return;
	}
	*target++ = 0;
	*version = 0;
	get = !strcmp(method, "GET");
	head = !strcmp(method, "HEAD");
	if (!get && !head) {
		text(&r, 405, "GET or HEAD only\n");
		r.allow = "GET, HEAD";
		answer(s, c, &r, false);
		return;
	}
	s->fn(method, target, &r, s->arg);
	if (!r.status)
		text(&r, 500, "no answer\n");
	answer(s, c, &r, head);
}

static void conn_read(struct h1srv *s, struct h1conn *c)
{
	struct h1_resp r = { 0 };
	char buf[512];
	ssize_t n;

	if (c->phase == DRAINING) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			c->dead = true;
		return;
	}
	/* room for the NUL: the head is at most max_head - 1 bytes */
	n = recv(c->fd, c->in + c->inlen, s->lim.max_head - 1 - c->inlen, 0);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		c->dead = true;
		return;
	}
	if (n < 0)
		return;
	c->inlen += (size_t)n;
	c->in[c->inlen] = 0;
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n")) {
		request(s, c);
	} else if (c->inlen >= s->lim.max_head - 1) {
		text(&r, 431, "request head too large\n");
		answer(s, c, &r, false);
	}
}

static void conn_write(struct h1conn *c)
{
	ssize_t n = send(c->fd, c->out + c->ooff, c->olen - c->ooff, MSG_NOSIGNAL);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			c->dead = true;
		return;
	}
	c->ooff += (size_t)n;
	if (c->ooff == c->olen) {
		/* all said: the client's FIN (or the deadline) ends it */
		shutdown(c->fd, SHUT_WR);
		c->phase = DRAINING;
	}
}

size_t h1srv_pollfds(struct h1srv *s, struct pollfd *pfd, size_t max)
{
	struct h1conn *c;
	size_t n = 0;

	if (n < max)
		pfd[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	for (c = s->conns; c && n < max; c = c->next)
		pfd[n++] = (struct pollfd){
			.fd = c->fd,
			.events = c->phase == WRITING ? POLLOUT : POLLIN,
		};
	return n;
}

void h1srv_service(struct h1srv *s, const struct pollfd *pfd, size_t n)
{
	struct h1conn **pc, *c;
	double now;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == s->lfd) {
			do_accept(s);
			continue;
		}
		for (c = s->conns; c; c = c->next) {
			if (c->fd != pfd[i].fd || c->dead)
				continue;
			if (c->phase == WRITING)
				conn_write(c);
			else
				conn_read(s, c);
			/* answered at once: try to send it now */
			if (c->phase == WRITING && !c->dead)
				conn_write(c);
		}
	}
	now = mono();
	for (pc = &s->conns; (c = *pc);) {
		if (!c->dead && now - c->born > s->lim.timeout_ms / 1000.0) {
			if (c->phase != DRAINING)
				s->st.timeouts++;
			c->dead = true;
		}
		if (c->dead) {
			*pc = c->next;
			s->st.conns--;
			conn_free(c);
		} else {
			pc = &c->next;
		}
	}
}

void h1srv_get_stats(const struct h1srv *s, struct h1srv_stats *st)
{
	*st = s->st;
}

void h1srv_metrics(const struct h1srv *s, FILE *f)
{
	size_t i;

	fprintf(f, "# HELP aiotd_metrics_http_requests_total scrapes of metrics_listen, by status\n"
		"# TYPE aiotd_metrics_http_requests_total counter\n");
	for (i = 0; i < NCODES; i++)
		fprintf(f, "aiotd_metrics_http_requests_total{code=\"%d\"} %llu\n",
			codes[i], s->st.requests[i]);
	fprintf(f, "# HELP aiotd_metrics_http_connections_refused_total metrics_listen connections closed at accept, over its cap\n"
		"# TYPE aiotd_metrics_http_connections_refused_total counter\n"
		"aiotd_metrics_http_connections_refused_total %llu\n", s->st.refused);
	fprintf(f, "# HELP aiotd_metrics_http_timeouts_total metrics_listen connections closed unanswered at the deadline\n"
		"# TYPE aiotd_metrics_http_timeouts_total counter\n"
		"aiotd_metrics_http_timeouts_total %llu\n", s->st.timeouts);
}
