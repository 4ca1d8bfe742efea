// SPDX-License-Identifier: GPL-2.0 OR MIT
/* HTTP/2 client for notifications on libnghttp2 and OpenSSL (h2cli.h). */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dest.h"
#include "h2cli.h"
#include "h2io.h"
#include "mono.h"
#include "uri.h"

#define STREAMS_MAX	100		/* per connection, whatever the peer allows */

enum conn_state { CN_CONNECTING, CN_TLS, CN_READY };

struct conn {
	struct h2cli *cli;
	/* the origin: scheme (tls), authority; and the host to verify */
	char authority[sizeof(((struct uri *)0)->authority)];
	char host[sizeof(((struct uri *)0)->host)];
	bool tls;
	struct h2io io;
	enum conn_state st;
	size_t nstreams;		/* open on the session */
	size_t nreqs;			/* requests on this connection */
	double deadline;		/* connected and ready by then */
	double idle_since;
	struct addrinfo *ai, *ai_next;	/* the host's addresses, the next to try */
	bool dead, goaway;
	const char *why;		/* when dead */
	const char *refused;		/* by the destination policy (dest.h) */
	struct conn *next;
};

struct req {
	struct conn *conn;
	int32_t sid;			/* 0: not submitted yet */
	struct uri u;
	const char *ctype, *body;
	size_t len, off;
	int status;
	char *location;
	double deadline;
	bool finished;
	const char *err;
	h2cli_done done;
	void *arg;
	struct req *next;
};

struct h2cli {
	struct h2cli_conf conf;
	SSL_CTX *ctx;
	nghttp2_session_callbacks *cbs;
	struct conn *conns;
	size_t nconns;
	unsigned long long opened;
	struct req *reqs;
	char *last_uri;			/* the last URI parsed, and its parts */
	struct uri last;
};

const char h2cli_refused[] = "stream refused by the peer (not processed)";

static void req_fail(struct req *r, const char *why)
{
	if (r->finished)
		return;
	r->finished = true;
	r->err = why;
}

/* ---- nghttp2 callbacks --------------------------------------------------- */

static ssize_t body_read(nghttp2_session *sess, int32_t sid, uint8_t *buf,
			 size_t len, uint32_t *flags, nghttp2_data_source *src,
			 void *user)
{
	/* not src->ptr: a request given up is detached (NULL), then freed */
	struct req *r = nghttp2_session_get_stream_user_data(sess, sid);
	size_t n;

	(void)src;
	(void)user;
	if (!r)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	n = r->len - r->off;
	if (n > len)
		n = len;
	memcpy(buf, r->body + r->off, n);
	r->off += n;
	if (r->off == r->len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

static int on_header(nghttp2_session *sess, const nghttp2_frame *f,
		     const uint8_t *name, size_t nlen, const uint8_t *val,
		     size_t vlen, uint8_t flags, void *user)
{
	struct req *r;
	char v[8];

	(void)flags;
	(void)user;
	if (f->hd.type != NGHTTP2_HEADERS)
		return 0;
	r = nghttp2_session_get_stream_user_data(sess, f->hd.stream_id);
	if (!r || r->finished)
		return 0;
	if (nlen == 7 && !memcmp(name, ":status", 7) && vlen == 3) {
		memcpy(v, val, 3);
		v[3] = 0;
		r->status = atoi(v);
	} else if (nlen == 8 && !memcmp(name, "location", 8) &&
		   vlen <= AIOTD_URI_MAX && !r->location) {
		r->location = strndup((const char *)val, vlen);
	}
	return 0;
}

static int on_frame(nghttp2_session *sess, const nghttp2_frame *f, void *user)
{
	struct conn *c = user;

	(void)sess;
	if (f->hd.type == NGHTTP2_GOAWAY)
		c->goaway = true;	/* no new streams; open ones may end */
	return 0;
}

static int on_close(nghttp2_session *sess, int32_t sid, uint32_t err,
		    void *user)
{
	struct req *r = nghttp2_session_get_stream_user_data(sess, sid);
	struct conn *c = user;

	if (c->nstreams)
		c->nstreams--;
	if (!c->nstreams)
		c->idle_since = mono();
	if (!r || r->finished)
		return 0;
	nghttp2_session_set_stream_user_data(sess, sid, NULL);
	if (err == NGHTTP2_REFUSED_STREAM)
		req_fail(r, h2cli_refused);	/* never processed: the caller resends */
	else if (err != NGHTTP2_NO_ERROR || !r->status)
		req_fail(r, "stream reset by the peer");
	else
		r->finished = true;
	return 0;
}

/* ---- connections --------------------------------------------------------- */

static void conn_kill(struct conn *c, const char *why)
{
	if (!c->dead)
		c->why = why;
	c->dead = true;
}

static bool is_ip(const char *host)
{
	struct in6_addr a;

	return inet_pton(AF_INET, host, &a) == 1 ||
	       inet_pton(AF_INET6, host, &a) == 1;
}

/* The socket is connected: TLS next, or the HTTP/2 session. */
static void conn_session(struct conn *c)
{
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
	};

	if (nghttp2_session_client_new(&c->io.sess, c->cli->cbs, c) ||
	    nghttp2_submit_settings(c->io.sess, NGHTTP2_FLAG_NONE, iv, 1)) {
		conn_kill(c, "out of memory");
		return;
	}
	c->st = CN_READY;
	c->idle_since = mono();
}

static void conn_connected(struct conn *c)
{
	X509_VERIFY_PARAM *vp;

	if (!c->tls) {
		conn_session(c);
		return;
	}
	c->io.ssl = SSL_new(c->cli->ctx);
	if (!c->io.ssl || SSL_set_fd(c->io.ssl, c->io.fd) != 1) {
		conn_kill(c, "TLS: out of memory");
		return;
	}
	/* the name (or address) in the URI must be the certificate's */
	vp = SSL_get0_param(c->io.ssl);
	if (is_ip(c->host)) {
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, c->host) != 1) {
			conn_kill(c, "TLS: bad address");
			return;
		}
	} else if (SSL_set_tlsext_host_name(c->io.ssl, c->host) != 1 ||
		   SSL_set1_host(c->io.ssl, c->host) != 1) {
		conn_kill(c, "TLS: bad host name");
		return;
	}
	SSL_set_connect_state(c->io.ssl);
	c->st = CN_TLS;
}

static void conn_handshake(struct conn *c)
{
	const unsigned char *alpn = NULL;
	unsigned int alen = 0;
	long v;
	int r = SSL_do_handshake(c->io.ssl);

	if (r != 1) {
		r = SSL_get_error(c->io.ssl, r);
		ERR_clear_error();
		if (r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE)
			return;
		v = SSL_get_verify_result(c->io.ssl);
		conn_kill(c, v != X509_V_OK ? "TLS: the peer's certificate did not verify" :
			  "TLS: handshake failed");
		return;
	}
	SSL_get0_alpn_selected(c->io.ssl, &alpn, &alen);
	if (alen != 2 || memcmp(alpn, "h2", 2)) {
		conn_kill(c, "TLS: the peer did not select h2 (ALPN)");
		return;
	}
	conn_session(c);
}

/* Connect to the next of the host's addresses; false when none is left. */
static bool conn_connect_next(struct conn *c)
{
	struct addrinfo *a;
	int one = 1;

	for (; (a = c->ai_next); ) {
		c->ai_next = a->ai_next;
		/* the policy again: the name may resolve elsewhere than it did */
		c->refused = dest_addr(a->ai_addr, c->host);
		if (c->refused)
			continue;
		c->io.fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
				  SOCK_CLOEXEC, a->ai_protocol);
		if (c->io.fd < 0)
			continue;
		if (!connect(c->io.fd, a->ai_addr, a->ai_addrlen) ||
		    errno == EINPROGRESS) {
			setsockopt(c->io.fd, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof(one));
			c->st = CN_CONNECTING;
			return true;
		}
		close(c->io.fd);
		c->io.fd = -1;
	}
	return false;
}

static struct conn *conn_new(struct h2cli *cli, const struct uri *u)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cli = cli;
	c->io.fd = -1;
	c->tls = u->tls;
	snprintf(c->authority, sizeof(c->authority), "%s", u->authority);
	snprintf(c->host, sizeof(c->host), "%s", u->host);
	c->deadline = mono() + cli->conf.timeout_ms / 1000.0;
	c->idle_since = mono();
	c->next = cli->conns;
	cli->conns = c;
	cli->nconns++;
	cli->opened++;
	/* resolution blocks this thread (the notification thread) */
	if (getaddrinfo(u->host, u->port, &hints, &c->ai)) {
		c->ai = NULL;
		conn_kill(c, "cannot resolve the host");
		return c;
	}
	c->ai_next = c->ai;
	if (!conn_connect_next(c))
		conn_kill(c, c->refused ? c->refused : "couldn't connect to server");
	return c;
}

static void conn_free(struct conn *c)
{
	h2io_close(&c->io);
	if (c->ai)
		freeaddrinfo(c->ai);
	free(c);
}

static void conn_flush(struct conn *c)
{
	switch (h2io_flush(&c->io)) {
	case 0:
		break;
	case -1:
		conn_kill(c, "HTTP/2 session error");
		break;
	default:
		conn_kill(c, "connection lost (send)");
		break;
	}
}


static void conn_io(struct conn *c, short rev)
{
	socklen_t sl = sizeof(int);
	int err = 0;

	if (c->st == CN_CONNECTING) {
		if (getsockopt(c->io.fd, SOL_SOCKET, SO_ERROR, &err, &sl) || err) {
			/* refused or unreachable: the host's next address */
			close(c->io.fd);
			c->io.fd = -1;
			if (!conn_connect_next(c))
				conn_kill(c, "couldn't connect to server");
			return;
		}
		if (!(rev & POLLOUT))
			return;
		conn_connected(c);
		if (c->dead || c->st != CN_TLS)
			return;
	}
	if (rev & POLLNVAL) {
		conn_kill(c, "connection lost");
		return;
	}
	if (c->st == CN_TLS) {
		conn_handshake(c);
		if (c->st != CN_READY)
			return;
	}
	switch (h2io_recv(&c->io)) {
	case 0:
		break;
	case -1:
		conn_kill(c, "connection closed by the peer");
		break;
	default:
		conn_kill(c, "HTTP/2 protocol error from the peer");
		break;
	}
}

/* ---- requests ------------------------------------------------------------ */

static void submit(struct conn *c, struct req *r)
{
	char clen[24];
	nghttp2_nv nva[6];
	nghttp2_data_provider prd = { .source.ptr = r, .read_callback = body_read };
	size_t n = 0;
	int32_t sid;

#define NVS(nm, v, vl) (nghttp2_nv){ (uint8_t *)(nm), (uint8_t *)(v), \
				     sizeof(nm) - 1, (vl), NGHTTP2_NV_FLAG_NONE }
	snprintf(clen, sizeof(clen), "%zu", r->len);
	nva[n++] = NVS(":method", "POST", 4);
	nva[n++] = NVS(":scheme", c->tls ? "https" : "http", c->tls ? 5 : 4);
	nva[n++] = NVS(":authority", r->u.authority, strlen(r->u.authority));
	nva[n++] = NVS(":path", r->u.path, strlen(r->u.path));
	nva[n++] = NVS("content-type", r->ctype, strlen(r->ctype));
	nva[n++] = NVS("content-length", clen, strlen(clen));
#undef NVS
	sid = nghttp2_submit_request(c->io.sess, NULL, nva, n, &prd, r);
	if (sid < 0) {
		req_fail(r, "HTTP/2: cannot open a stream");
		return;
	}
	r->sid = sid;
	c->nstreams++;
}

/* How many streams @c may have open: the peer's limit, ours. */
static size_t streams_max(const struct conn *c)
{
	uint32_t m = c->io.sess ? nghttp2_session_get_remote_settings(c->io.sess,
			NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) : STREAMS_MAX;

	return m < STREAMS_MAX ? m : STREAMS_MAX;
}

/* At H2CLI_CONNS_MAX: close the live connection idle longest, if any. */
static void evict_idle(struct h2cli *cli)
{
	struct conn *c, *old = NULL;
	size_t live = 0;

	for (c = cli->conns; c; c = c->next) {
		if (c->dead)
			continue;
		live++;
		if (!c->nreqs && (!old || c->idle_since < old->idle_since))
			old = c;
	}
	if (live >= H2CLI_CONNS_MAX && old)
		conn_kill(old, NULL);	/* freed by the next h2cli_service() */
}

/* A connection to @u's origin with room for one more request, or a new one. */
static struct conn *conn_for(struct h2cli *cli, const struct uri *u)
{
	struct conn *c;

	for (c = cli->conns; c; c = c->next)
		/*
		 * Requests queue on the connection for a free stream: a peer
		 * that allows fewer streams gets fewer, not more connections.
		 */
		if (!c->dead && !c->goaway && c->tls == u->tls &&
		    !strcmp(c->authority, u->authority) &&
		    c->nreqs < STREAMS_MAX)
			return c;
	evict_idle(cli);
	return conn_new(cli, u);
}

int h2cli_post(struct h2cli *cli, const char *uri, const char *ctype,
	       const char *body, size_t len, h2cli_done done, void *arg,
	       const char **err)
{
	struct req *r = calloc(1, sizeof(*r));
	struct conn *c;

	*err = "out of memory";
	if (!r)
		return -1;
	/* most notifications go where the previous one went */
	if (cli->last_uri && !strcmp(uri, cli->last_uri)) {
		r->u = cli->last;
	} else if (uri_parse(uri, &r->u, err)) {
		free(r);
		return -1;
	} else {
		free(cli->last_uri);
		cli->last_uri = strdup(uri);
		cli->last = r->u;
	}
	r->ctype = ctype;
	r->body = body;
	r->len = len;
	r->done = done;
	r->arg = arg;
	r->deadline = mono() + cli->conf.timeout_ms / 1000.0;
	c = conn_for(cli, &r->u);
	if (!c) {
		free(r);
		return -1;
	}
	r->conn = c;
	c->nreqs++;
	r->next = cli->reqs;
	cli->reqs = r;
	return 0;
}

/* ---- the loop ------------------------------------------------------------ */

size_t h2cli_pollfds(struct h2cli *cli, struct pollfd *pfd, size_t max)
{
	struct conn *c;
	size_t n = 0;
	short ev;

	for (c = cli->conns; c && n < max; c = c->next) {
		if (c->dead || c->io.fd < 0)
			continue;
		ev = POLLIN;
		if (c->st == CN_CONNECTING || c->io.olen ||
		    (c->io.ssl && SSL_want_write(c->io.ssl)) ||
		    (c->io.sess && nghttp2_session_want_write(c->io.sess)))
			ev |= POLLOUT;
		pfd[n++] = (struct pollfd){ .fd = c->io.fd, .events = ev };
	}
	return n;
}

int h2cli_timeout_ms(const struct h2cli *cli)
{
	double now = mono(), next = -1, t;
	const struct conn *c;
	const struct req *r;

	for (r = cli->reqs; r; r = r->next) {
		/* posted, to be submitted: at once */
		if (r->finished || r->conn->dead || r->conn->goaway ||
		    (!r->sid && r->conn->st == CN_READY &&
		     r->conn->nstreams < streams_max(r->conn)))
			return 0;
		if (next < 0 || r->deadline < next)
			next = r->deadline;
	}
	for (c = cli->conns; c; c = c->next) {
		if (c->io.more)
			return 0;
		t = c->st == CN_READY ? c->idle_since + H2CLI_IDLE_S : c->deadline;
		if (!c->nreqs && (next < 0 || t < next))
			next = t;
	}
	if (next < 0)
		return -1;
	return next <= now ? 0 : (int)((next - now) * 1000) + 1;
}

void h2cli_service(struct h2cli *cli, const struct pollfd *pfd, size_t n)
{
	struct req **pr, *r, *fin = NULL;
	struct conn **pc, *c;
	double now;
	size_t i;

	/* what OpenSSL read but a bounded turn left */
	for (c = cli->conns; c; c = c->next)
		if (c->io.more && !c->dead)
			conn_io(c, POLLIN);
	for (i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		for (c = cli->conns; c; c = c->next)
			if (c->io.fd == pfd[i].fd && !c->dead)
				conn_io(c, pfd[i].revents);
	}
	now = mono();
	/* new streams where there is room, timeouts */
	for (r = cli->reqs; r; r = r->next) {
		c = r->conn;
		if (r->finished)
			continue;
		if (c->dead) {		/* its reason, now: not at the deadline */
			req_fail(r, c->why ? c->why : "connection closed");
			continue;
		}
		if (!r->sid && c->goaway) {
			/* never sent (RFC 9113 8.7): to another connection */
			c->nreqs--;
			if (!c->nreqs && !c->nstreams)
				c->idle_since = now;
			r->conn = conn_for(cli, &r->u);
			if (!r->conn) {
				r->conn = c;
				c->nreqs++;
				req_fail(r, "out of memory");
				continue;
			}
			r->conn->nreqs++;
			c = r->conn;
		}
		if (r->deadline <= now) {
			if (r->sid && c->io.sess) {
				nghttp2_session_set_stream_user_data(c->io.sess, r->sid, NULL);
				nghttp2_submit_rst_stream(c->io.sess, NGHTTP2_FLAG_NONE,
							  r->sid, NGHTTP2_CANCEL);
			}
			req_fail(r, c->st == CN_READY ? "timed out" :
				 "timed out connecting");
			continue;
		}
		if (!r->sid && c->st == CN_READY && !c->dead && !c->goaway &&
		    c->nstreams < streams_max(c))
			submit(c, r);
	}
	for (c = cli->conns; c; c = c->next) {
		if (c->dead)
			continue;
		if (c->st != CN_READY && c->deadline <= now)
			conn_kill(c, "timed out connecting");
		else if (c->st == CN_READY && !c->nreqs && !c->nstreams &&
			 now - c->idle_since >= H2CLI_IDLE_S)
			conn_kill(c, NULL);	/* idle: closed, no one waits */
		else if (c->st == CN_READY)
			conn_flush(c);
		if (c->st == CN_READY && !c->dead && !c->io.olen &&
		    !nghttp2_session_want_read(c->io.sess) &&
		    !nghttp2_session_want_write(c->io.sess))
			conn_kill(c, "connection closed (GOAWAY)");
	}
	/* requests on a dead connection fail with its reason */
	for (r = cli->reqs; r; r = r->next)
		if (!r->finished && r->conn->dead)
			req_fail(r, r->conn->why ? r->conn->why : "connection closed");
	/* finished requests off the list (their callbacks after) */
	for (pr = &cli->reqs; (r = *pr);) {
		if (!r->finished) {
			pr = &r->next;
			continue;
		}
		*pr = r->next;
		c = r->conn;
		c->nreqs--;
		if (!c->nreqs && !c->nstreams)
			c->idle_since = now;
		if (r->sid && c->io.sess && !c->dead)
			nghttp2_session_set_stream_user_data(c->io.sess, r->sid, NULL);
		r->next = fin;
		fin = r;
	}
	for (pc = &cli->conns; (c = *pc);) {
		if (c->dead && !c->nreqs) {
			*pc = c->next;
			cli->nconns--;
			conn_free(c);
		} else {
			pc = &c->next;
		}
	}
	while ((r = fin)) {
		fin = r->next;
		r->done(r->arg, r->err ? 0 : r->status, r->err, r->location);
		free(r->location);
		free(r);
	}
}

size_t h2cli_nconns(const struct h2cli *cli)
{
	return cli->nconns;
}

unsigned long long h2cli_opened(const struct h2cli *cli)
{
	return cli->opened;
}

struct h2cli *h2cli_new(const struct h2cli_conf *conf)
{
	static const unsigned char alpn[] = "\x02h2";
	struct h2cli *cli = calloc(1, sizeof(*cli));

	if (!cli)
		return NULL;
	cli->conf = *conf;
	if (!cli->conf.timeout_ms)
		cli->conf.timeout_ms = 5000;
	if (nghttp2_session_callbacks_new(&cli->cbs))
		goto fail;
	nghttp2_session_callbacks_set_on_header_callback(cli->cbs, on_header);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cli->cbs, on_frame);
	nghttp2_session_callbacks_set_on_stream_close_callback(cli->cbs, on_close);
	cli->ctx = SSL_CTX_new(TLS_client_method());
	if (!cli->ctx)
		goto fail;
	SSL_CTX_set_min_proto_version(cli->ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(cli->ctx, SSL_OP_NO_COMPRESSION |
			    SSL_OP_NO_RENEGOTIATION);
	/* h2io's buffer may move (realloc) between a WANT_WRITE and its retry */
	SSL_CTX_set_mode(cli->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			 SSL_MODE_ENABLE_PARTIAL_WRITE);
	SSL_CTX_set_verify(cli->ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_alpn_protos(cli->ctx, alpn, sizeof(alpn) - 1))
		goto fail;
	if (conf->ca ? SSL_CTX_load_verify_locations(cli->ctx, conf->ca, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(cli->ctx) != 1) {
		fprintf(stderr, "aiotd: callback_ca %s: cannot load\n",
			conf->ca ? conf->ca : "(the system's)");
		goto fail;
	}
	if (conf->cert &&
	    (SSL_CTX_use_certificate_chain_file(cli->ctx, conf->cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(cli->ctx, conf->key ? conf->key : conf->cert,
					 SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(cli->ctx) != 1)) {
		fprintf(stderr, "aiotd: callback_cert %s: cannot load, or not its key's\n",
			conf->cert);
		goto fail;
	}
	return cli;
fail:
	h2cli_free(cli);
	return NULL;
}

void h2cli_free(struct h2cli *cli)
{
	struct conn *c;
	struct req *r;

	if (!cli)
		return;
	while ((r = cli->reqs)) {
		cli->reqs = r->next;
		free(r->location);
		free(r);
	}
	while ((c = cli->conns)) {
		cli->conns = c->next;
		conn_free(c);
	}
	free(cli->last_uri);
	if (cli->ctx)
		SSL_CTX_free(cli->ctx);
	if (cli->cbs)
		nghttp2_session_callbacks_del(cli->cbs);
	free(cli);
}
