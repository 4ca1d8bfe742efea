// SPDX-License-Identifier: GPL-2.0 OR MIT
/* HTTP/2 server on libnghttp2, cleartext or TLS (h2srv.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "h2h1.h"
#include "h2io.h"
#include "h2srv.h"
#include "mono.h"

enum { TO_HANDSHAKE, TO_IDLE, TO_HEADER, TO_BODY, TO_SEND };

struct stream {
	int32_t id;
	struct conn *c;
	struct stream *prev, *next;	/* the connection's open streams */
	double born;
	struct h2_req req;
	char *body;
	size_t len, cap;
	size_t clen;			/* content-length; SIZE_MAX: none */
	size_t owed;			/* DATA received, not yet acknowledged */
	bool headers_done, too_big, answered;
	struct h2_resp resp;
	size_t roff;
};

struct conn {
	struct h2srv *srv;
	struct h2io io;
	uint8_t peer[16];		/* the client's address (IPv4 mapped) */
	double born, active;		/* accepted; last bytes in or stream end */
	double send_since;		/* output waiting, none taken since */
	uint64_t rcvd_seen, sent_seen;
	uint8_t pre[H2H1_PREFACE_LEN];	/* the first bytes, until they tell */
	size_t prelen;
	bool handshaking, prefaced, sniffed, h1, dead;
	struct stream *streams;
	size_t nstreams;
	size_t buffered, owed;		/* body bytes held; DATA not acknowledged */
	struct conn *next;
};

struct h2srv {
	int lfd;
	unsigned int port;
	SSL_CTX *ctx;
	size_t max_body;
	h2_handler fn;
	void *arg;
	struct conn *conns;
	size_t nconns;
	nghttp2_session_callbacks *cbs;
	nghttp2_option *opt;
	struct h2srv_limits lim;
	struct h2srv_stats st;
};

void h2srv_limits_default(struct h2srv_limits *l, size_t max_body)
{
	*l = (struct h2srv_limits){
		.max_conns = 256, .max_per_peer = 64, .max_streams = 32,
		.conn_budget = 2 << 20, .total_budget = 64 << 20,
		.handshake_ms = 10000, .idle_ms = 120000, .header_ms = 10000,
		.body_ms = 30000, .send_ms = 10000,
	};
	/* one body of the largest size fits, and then one more */
	if (l->conn_budget < 2 * max_body)
		l->conn_budget = 2 * max_body;
	if (l->total_budget < l->conn_budget)
		l->total_budget = l->conn_budget;
}

/* Bytes held for request bodies, on the connection and in all. */
static bool within_budget(const struct conn *c)
{
	const struct h2srv_limits *l = &c->srv->lim;

	return (!l->conn_budget || c->buffered < l->conn_budget) &&
	       (!l->total_budget || c->srv->st.buffered < l->total_budget);
}

/*
 * @len bytes of DATA on @st (NULL: a stream gone) are done with: the
 * window opens again for them only while the budgets allow; else they are
 * owed, and repay() opens it when memory is given back.
 */
static void ack_data(struct conn *c, struct stream *st, int32_t sid, size_t len)
{
	if (!st) {
		nghttp2_session_consume_connection(c->io.sess, len);
		return;
	}
	if (!st->owed && within_budget(c)) {
		nghttp2_session_consume(c->io.sess, sid, len);
		return;
	}
	if (!st->owed && !c->owed)
		c->srv->st.stalled++;
	st->owed += len;
	c->owed += len;
}

static void repay(struct conn *c)
{
	struct stream *st;

	for (st = c->streams; st && c->owed && within_budget(c); st = st->next) {
		if (!st->owed)
			continue;
		nghttp2_session_consume(c->io.sess, st->id, st->owed);
		c->owed -= st->owed;
		st->owed = 0;
	}
}

static void body_free(struct conn *c, struct stream *st)
{
	c->buffered -= st->cap;
	c->srv->st.buffered -= st->cap;
	free(st->body);
	st->body = NULL;
	st->len = st->cap = 0;
}

static void stream_free(struct conn *c, struct stream *st)
{
	body_free(c, st);
	if (st->owed) {		/* the stream is gone: only the connection's window */
		if (c->io.sess)
			nghttp2_session_consume_connection(c->io.sess, st->owed);
		c->owed -= st->owed;
	}
	if (st->prev)
		st->prev->next = st->next;
	else
		c->streams = st->next;
	if (st->next)
		st->next->prev = st->prev;
	c->nstreams--;
	free(st->resp.body);
	free(st);
}

static ssize_t body_read(nghttp2_session *sess, int32_t sid, uint8_t *buf,
			 size_t len, uint32_t *flags, nghttp2_data_source *src,
			 void *user)
{
	struct stream *st = src->ptr;
	size_t n = st->resp.len - st->roff;

	(void)sess;
	(void)sid;
	(void)user;
	if (n > len)
		n = len;
	memcpy(buf, st->resp.body + st->roff, n);
	st->roff += n;
	if (st->roff == st->resp.len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

#define NV(n, v) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, strlen(v), \
		   NGHTTP2_NV_FLAG_NONE }

static void respond(struct conn *c, struct stream *st)
{
	char status[8], clen[24];
	nghttp2_nv nva[7];
	nghttp2_data_provider prd = { .source.ptr = st, .read_callback = body_read };
	size_t n = 0;

	st->answered = true;
	if (!st->resp.status) {		/* refused: not processed (RFC 9113 8.7) */
		nghttp2_submit_rst_stream(c->io.sess, NGHTTP2_FLAG_NONE, st->id,
					  NGHTTP2_REFUSED_STREAM);
		return;
	}
	snprintf(status, sizeof(status), "%d", st->resp.status);
	snprintf(clen, sizeof(clen), "%zu", st->resp.len);
	nva[n++] = (nghttp2_nv)NV(":status", status);
	if (st->resp.ctype)
		nva[n++] = (nghttp2_nv)NV("content-type", st->resp.ctype);
	/* a 204 has no content-length (RFC 9110 8.6) */
	if (st->resp.status != 204 && st->resp.status != 304)
		nva[n++] = (nghttp2_nv)NV("content-length", clen);
	if (st->resp.retry_after[0])
		nva[n++] = (nghttp2_nv)NV("retry-after", st->resp.retry_after);
	if (st->resp.location[0])
		nva[n++] = (nghttp2_nv)NV("location", st->resp.location);
	if (st->resp.allow[0])
		nva[n++] = (nghttp2_nv)NV("allow", st->resp.allow);
	nghttp2_submit_response(c->io.sess, st->id, nva, n,
				st->resp.len ? &prd : NULL);
}

static void dispatch(struct conn *c, struct stream *st)
{
	st->req.body = st->body ? st->body : "";
	st->req.len = st->len;
	st->req.too_big = st->too_big;
	c->srv->fn(&st->req, &st->resp, c->srv->arg);
	/* the handler is done with the body: its bytes back to the budgets */
	body_free(c, st);
	respond(c, st);
}

static int on_begin_headers(nghttp2_session *sess, const nghttp2_frame *f,
			    void *user)
{
	struct conn *c = user;
	struct stream *st;

	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NGHTTP2_ERR_CALLBACK_FAILURE;
	st->id = f->hd.stream_id;
	st->c = c;
	st->born = mono();
	st->clen = SIZE_MAX;
	/* kept on the connection: freed with it if it ends first */
	st->next = c->streams;
	if (c->streams)
		c->streams->prev = st;
	c->streams = st;
	c->nstreams++;
	nghttp2_session_set_stream_user_data(sess, st->id, st);
	return 0;
}

static void copy_val(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = 0;
}

static int on_header(nghttp2_session *sess, const nghttp2_frame *f,
		     const uint8_t *name, size_t nlen, const uint8_t *val,
		     size_t vlen, uint8_t flags, void *user)
{
	struct conn *c = user;
	struct stream *st;

	(void)flags;
	if (f->hd.type != NGHTTP2_HEADERS)
		return 0;
	st = nghttp2_session_get_stream_user_data(sess, f->hd.stream_id);
	if (!st)
		return 0;
	if (nlen == 7 && !memcmp(name, ":method", 7)) {
		copy_val(st->req.method, sizeof(st->req.method), val, vlen);
	} else if (nlen == 5 && !memcmp(name, ":path", 5)) {
		copy_val(st->req.path, sizeof(st->req.path), val, vlen);
	} else if (nlen == 12 && !memcmp(name, "content-type", 12)) {
		copy_val(st->req.ctype, sizeof(st->req.ctype), val, vlen);
	} else if (nlen == 14 && !memcmp(name, "content-length", 14)) {
		char v[24];
		unsigned long long n;

		copy_val(v, sizeof(v), val, vlen);
		n = strtoull(v, NULL, 10);
		if (n > c->srv->max_body)
			st->too_big = true;
		else
			st->clen = (size_t)n;
	}
	return 0;
}

static int on_data(nghttp2_session *sess, uint8_t flags, int32_t sid,
		   const uint8_t *data, size_t len, void *user)
{
	struct conn *c = user;
	struct stream *st = nghttp2_session_get_stream_user_data(sess, sid);
	size_t cap, max = c->srv->max_body + 1;
	char *b;

	(void)flags;
	if (!st || st->too_big || st->answered) {	/* not kept */
		ack_data(c, NULL, sid, len);
		if (st)
			nghttp2_session_consume_stream(sess, sid, len);
		return 0;
	}
	if (st->len + len > c->srv->max_body) {
		st->too_big = true;
		body_free(c, st);
		ack_data(c, NULL, sid, len);
		nghttp2_session_consume_stream(sess, sid, len);
		return 0;
	}
	if (st->len + len + 1 > st->cap) {
		/*
		 * what came, in 4 KiB steps (memory follows the bytes received,
		 * not what a header promised), never past content-length or
		 * the limit
		 */
		cap = (st->len + len + 1 + 4095) & ~(size_t)4095;
		if (st->clen != SIZE_MAX && cap > st->clen + 1 &&
		    st->clen + 1 >= st->len + len + 1)
			cap = st->clen + 1;
		if (cap > max)
			cap = max;
		b = realloc(st->body, cap);
		if (!b)
			return NGHTTP2_ERR_CALLBACK_FAILURE;
		c->buffered += cap - st->cap;
		c->srv->st.buffered += cap - st->cap;
		st->body = b;
		st->cap = cap;
	}
	memcpy(st->body + st->len, data, len);
	st->len += len;
	st->body[st->len] = 0;
	ack_data(c, st, sid, len);
	return 0;
}

static int on_frame(nghttp2_session *sess, const nghttp2_frame *f, void *user)
{
	struct conn *c = user;
	struct stream *st;

	c->prefaced = true;	/* the client's SETTINGS came after the preface */
	if (f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA)
		return 0;
	st = nghttp2_session_get_stream_user_data(sess, f->hd.stream_id);
	if (!st || st->answered)
		return 0;
	if (f->hd.type == NGHTTP2_HEADERS)
		st->headers_done = true;
	/* a body announced too large is refused before it comes */
	if (st->too_big || (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
		dispatch(c, st);
	return 0;
}

static int on_close(nghttp2_session *sess, int32_t sid, uint32_t err,
		    void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(sess, sid);
	struct conn *c = user;

	(void)err;
	if (!st)
		return 0;
	nghttp2_session_set_stream_user_data(sess, sid, NULL);
	stream_free(c, st);
	c->active = mono();
	return 0;
}

static int alpn_select(SSL *ssl, const unsigned char **out,
		       unsigned char *outlen, const unsigned char *in,
		       unsigned int inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	/* no h2 offered: no ALPN, and an HTTP/1.1 client is told (h2h1.h) */
	if (nghttp2_select_next_protocol((unsigned char **)out, outlen, in,
					 inlen) != 1)
		return SSL_TLSEXT_ERR_NOACK;
	return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *tls_ctx(const struct h2_tls *t)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
			    SSL_OP_NO_RENEGOTIATION);
	/* h2io's buffer may move (realloc) between a WANT_WRITE and its retry */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			 SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (SSL_CTX_use_certificate_chain_file(ctx, t->cert) != 1) {
		fprintf(stderr, "aiotd: tls_cert %s: cannot load\n", t->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, t->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		fprintf(stderr, "aiotd: tls_key %s: cannot load, or not the certificate's\n",
			t->key);
		goto fail;
	}
	if (t->client_ca) {
		if (SSL_CTX_load_verify_locations(ctx, t->client_ca, NULL) != 1) {
			fprintf(stderr, "aiotd: tls_client_ca %s: cannot load\n",
				t->client_ca);
			goto fail;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int h2srv_check(const char *addr, const struct h2_tls *tls)
{
	struct in6_addr a6;
	SSL_CTX *ctx;

	if (inet_pton(AF_INET, addr, &a6) != 1 &&
	    inet_pton(AF_INET6, addr, &a6) != 1) {
		fprintf(stderr, "aiotd: listen %s: not an IP address\n", addr);
		return -1;
	}
	if (!tls || !tls->cert)
		return 0;
	ctx = tls_ctx(tls);
	if (!ctx)
		return -1;
	SSL_CTX_free(ctx);
	return 0;
}

struct h2srv *h2srv_new(const char *addr, unsigned int port,
			const struct h2_tls *tls, size_t max_body,
			h2_handler fn, void *arg)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	socklen_t sl;
	struct h2srv *s;
	int one = 1;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->max_body = max_body;
	h2srv_limits_default(&s->lim, max_body);
	s->fn = fn;
	s->arg = arg;
	s->lfd = -1;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "aiotd: listen %s: not an IP address\n", addr);
		goto fail;
	}
	if (tls && tls->cert) {
		s->ctx = tls_ctx(tls);
		if (!s->ctx)
			goto fail;
	}
	s->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 ||
	    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->lfd, (struct sockaddr *)&ss, sl) || listen(s->lfd, 128)) {
		fprintf(stderr, "aiotd: listen %s port %u: %s\n", addr, port,
			strerror(errno));
		goto fail;
	}
	sl = sizeof(ss);
	getsockname(s->lfd, (struct sockaddr *)&ss, &sl);
	s->port = ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
	if (nghttp2_session_callbacks_new(&s->cbs) || nghttp2_option_new(&s->opt))
		goto fail;
	/* the window opens as bodies are let go of, within the budgets */
	nghttp2_option_set_no_auto_window_update(s->opt, 1);
	nghttp2_session_callbacks_set_on_begin_headers_callback(s->cbs, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(s->cbs, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(s->cbs, on_data);
	nghttp2_session_callbacks_set_on_frame_recv_callback(s->cbs, on_frame);
	nghttp2_session_callbacks_set_on_stream_close_callback(s->cbs, on_close);
	return s;
fail:
	h2srv_free(s);
	return NULL;
}

unsigned int h2srv_port(const struct h2srv *s)
{
	return s->port;
}

void h2srv_set_max_streams(struct h2srv *s, uint32_t n)
{
	s->lim.max_streams = n;
}

void h2srv_set_limits(struct h2srv *s, const struct h2srv_limits *l)
{
	s->lim = *l;
}

void h2srv_get_stats(const struct h2srv *s, struct h2srv_stats *st)
{
	*st = s->st;
	st->conns = s->nconns;
}

bool h2srv_more(const struct h2srv *s)
{
	const struct conn *c;

	for (c = s->conns; c; c = c->next)
		if (c->io.more && !c->dead)
			return true;
	return false;
}

size_t h2srv_nconns(const struct h2srv *s)
{
	return s->nconns;
}

static void conn_free(struct conn *c)
{
	struct stream *st;

	/* nghttp2_session_del() calls no stream-close callback: free them here */
	h2io_close(&c->io);
	while ((st = c->streams))
		stream_free(c, st);
	free(c);
}

static void conn_flush(struct conn *c)
{
	if (h2io_flush(&c->io))
		c->dead = true;
}

void h2srv_stop_listening(struct h2srv *s)
{
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
}

void h2srv_free(struct h2srv *s)
{
	struct conn *c;

	if (!s)
		return;
	while ((c = s->conns)) {
		s->conns = c->next;
		conn_free(c);
	}
	h2srv_stop_listening(s);
	if (s->ctx)
		SSL_CTX_free(s->ctx);
	if (s->cbs)
		nghttp2_session_callbacks_del(s->cbs);
	if (s->opt)
		nghttp2_option_del(s->opt);
	free(s);
}

/* Its peer's address as 16 bytes (IPv4 mapped), for the per-peer count. */
static void peer_of(const struct sockaddr_storage *ss, uint8_t *a)
{
	memset(a, 0, 16);
	if (ss->ss_family == AF_INET6) {
		memcpy(a, &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr, 16);
	} else if (ss->ss_family == AF_INET) {
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
	}
}

/* Not in the middle of an answer: no answered stream, nothing to send. */
static bool conn_quiet(const struct conn *c)
{
	const struct stream *st;

	if (c->io.olen)
		return false;
	for (st = c->streams; st; st = st->next)
		if (st->answered)
			return false;
	return true;
}

static void conn_end(struct conn *c)
{
	/* a GOAWAY if the session is up; best effort, then closed */
	if (c->io.sess && c->prefaced && !c->h1) {
		nghttp2_session_terminate_session(c->io.sess, NGHTTP2_NO_ERROR);
		h2io_flush(&c->io);
	}
	c->dead = true;
}

/*
 * At the cap: the connection to close for a newcomer, the one least
 * recently active among those not being answered (idle, half-open,
 * handshaking, or trickling a request); NULL if every one is answering.
 */
static struct conn *victim(struct h2srv *s)
{
	struct conn *c, *v = NULL;

	for (c = s->conns; c; c = c->next)
		if (!c->dead && conn_quiet(c) && (!v || c->active < v->active))
			v = c;
	return v;
}

/* Admit a newcomer from @peer? Counts and makes room as need be. */
static bool admit(struct h2srv *s, const uint8_t *peer)
{
	struct conn *c, *v;
	size_t live = 0, same = 0;

	for (c = s->conns; c; c = c->next) {
		if (c->dead)
			continue;
		live++;
		if (!memcmp(c->peer, peer, 16))
			same++;
	}
	if (s->lim.max_per_peer && same >= s->lim.max_per_peer) {
		s->st.refused_peer++;
		return false;
	}
	if (s->lim.max_conns && live >= s->lim.max_conns) {
		v = victim(s);
		if (!v) {
			s->st.refused_full++;
			return false;
		}
		conn_end(v);
		s->st.evicted++;
	}
	return true;
}

static void do_accept(struct h2srv *s)
{
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, s->lim.max_streams },
	};
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t peer[16];
	struct conn *c;
	int fd, one = 1;

	for (;;) {
		sl = sizeof(ss);
		fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		peer_of(&ss, peer);
		if (!admit(s, peer)) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		c->srv = s;
		c->io.fd = fd;
		memcpy(c->peer, peer, 16);
		c->born = c->active = c->send_since = mono();
		if (s->ctx) {
			c->io.ssl = SSL_new(s->ctx);
			if (!c->io.ssl || SSL_set_fd(c->io.ssl, fd) != 1) {
				conn_free(c);
				continue;
			}
			SSL_set_accept_state(c->io.ssl);
			c->handshaking = true;
		}
		if (nghttp2_session_server_new2(&c->io.sess, s->cbs, c, s->opt) ||
		    nghttp2_submit_settings(c->io.sess, NGHTTP2_FLAG_NONE, iv, 1)) {
			conn_free(c);
			continue;
		}
		c->next = s->conns;
		s->conns = c;
		s->nconns++;
		s->st.accepted++;
	}
}

/*
 * The first bytes, before the session sees them: the HTTP/2 preface goes
 * on; an HTTP/1.x request line gets the 505 (h2h1.h). 0, or -1: dead.
 */
static int sniff(struct conn *c)
{
	char ans[512];
	ssize_t n;
	size_t len;
	int k;

	while (c->prelen < H2H1_PREFACE_LEN) {
		n = h2io_read_some(&c->io, c->pre + c->prelen,
				   H2H1_PREFACE_LEN - c->prelen);
		if (n < 0)
			return -1;
		if (!n)
			return 0;
		c->prelen += (size_t)n;
		k = h2h1_sniff(c->pre, c->prelen);
		if (k == 0) {
			c->h1 = true;
			c->sniffed = true;
			c->srv->st.http1++;
			len = h2h1_answer(ans, sizeof(ans));
			return len && !h2io_append(&c->io, ans, len) ? 0 : -1;
		}
		if (k < 0)
			break;	/* neither: the session says why (GOAWAY) */
	}
	c->sniffed = true;
	if (nghttp2_session_mem_recv(c->io.sess, c->pre, c->prelen) < 0)
		return -1;
	return 0;
}

/* After the 505: out, then the request read and dropped until the peer closes. */
static void h1_io(struct conn *c)
{
	uint8_t buf[4096];
	ssize_t n;

	if (h2io_send_out(&c->io)) {
		c->dead = true;
		return;
	}
	if (c->io.olen)
		return;
	if (!c->io.ssl)
		shutdown(c->io.fd, SHUT_WR);
	else if (SSL_shutdown(c->io.ssl) < 0)
		ERR_clear_error();
	while ((n = h2io_read_some(&c->io, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		c->dead = true;
}

static void conn_io(struct conn *c, short rev)
{
	int r;

	if (rev & (POLLERR | POLLNVAL)) {
		c->dead = true;
		return;
	}
	if (c->handshaking) {
		r = SSL_do_handshake(c->io.ssl);
		if (r != 1) {
			r = SSL_get_error(c->io.ssl, r);
			ERR_clear_error();
			if (r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE)
				c->dead = true;
			return;
		}
		c->handshaking = false;
	}
	if (!c->sniffed && sniff(c)) {
		c->dead = true;
		return;
	}
	if (c->h1) {
		h1_io(c);
		return;
	}
	if (!c->sniffed)
		return;
	if (h2io_recv(&c->io)) {
		c->dead = true;
		return;
	}
	conn_flush(c);
	if (!c->io.olen && !nghttp2_session_want_read(c->io.sess) &&
	    !nghttp2_session_want_write(c->io.sess))
		c->dead = true;
}

size_t h2srv_pollfds(struct h2srv *s, struct pollfd *pfd, size_t max)
{
	struct conn *c;
	size_t n = 0;

	if (s->lfd >= 0 && n < max)
		pfd[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	for (c = s->conns; c && n < max; c = c->next)
		pfd[n++] = (struct pollfd){
			.fd = c->io.fd,
			.events = (short)(POLLIN | (c->io.olen || c->handshaking ?
						    POLLOUT : 0)),
		};
	return n;
}

static bool over(double since, unsigned int ms, double now)
{
	return ms && now - since > ms / 1000.0;
}

/* A stream's deadlines: its header block, then its whole request. */
static void stream_deadlines(struct conn *c, double now)
{
	struct stream *st;

	for (st = c->streams; st; st = st->next) {
		if (st->answered)
			continue;
		if (!st->headers_done && over(st->born, c->srv->lim.header_ms, now)) {
			/* a header block cannot be cut: the connection goes */
			c->srv->st.timeouts[TO_HEADER]++;
			conn_end(c);
			return;
		}
		if (st->headers_done && over(st->born, c->srv->lim.body_ms, now)) {
			c->srv->st.timeouts[TO_BODY]++;
			st->answered = true;
			body_free(c, st);
			nghttp2_submit_rst_stream(c->io.sess, NGHTTP2_FLAG_NONE,
						  st->id, NGHTTP2_CANCEL);
		}
	}
}

/* The connection's deadlines (h2srv_limits); true if it ends. */
static bool deadlines(struct conn *c, double now)
{
	const struct h2srv_limits *l = &c->srv->lim;

	if (c->io.rcvd != c->rcvd_seen) {
		c->rcvd_seen = c->io.rcvd;
		c->active = now;
	}
	if (c->io.sent != c->sent_seen || conn_quiet(c)) {
		c->sent_seen = c->io.sent;
		c->send_since = now;
	}
	if ((!c->prefaced || c->h1) && over(c->born, l->handshake_ms, now)) {
		c->srv->st.timeouts[TO_HANDSHAKE]++;
		c->dead = true;
	} else if (over(c->send_since, l->send_ms, now)) {
		c->srv->st.timeouts[TO_SEND]++;
		c->dead = true;		/* it reads nothing: no GOAWAY either */
	} else if (c->prefaced && !c->nstreams && over(c->active, l->idle_ms, now)) {
		c->srv->st.timeouts[TO_IDLE]++;
		conn_end(c);
	} else if (c->prefaced) {
		stream_deadlines(c, now);
	}
	return c->dead;
}

void h2srv_service(struct h2srv *s, const struct pollfd *pfd, size_t n)
{
	struct conn **pc, *c;
	double now;
	size_t i;

	/* what OpenSSL read but a bounded turn left */
	for (c = s->conns; c; c = c->next)
		if (c->io.more && !c->dead)
			conn_io(c, POLLIN);
	for (i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == s->lfd) {
			do_accept(s);
			continue;
		}
		for (c = s->conns; c; c = c->next)
			if (c->io.fd == pfd[i].fd && !c->dead)
				conn_io(c, pfd[i].revents);
	}
	now = mono();
	for (c = s->conns; c; c = c->next) {
		if (c->dead || deadlines(c, now) || c->h1)
			continue;
		/* memory given back elsewhere may reopen a window here */
		if (c->owed)
			repay(c);
		if (c->sniffed && !c->handshaking)
			conn_flush(c);
	}
	for (pc = &s->conns; (c = *pc);) {
		if (c->dead) {
			*pc = c->next;
			s->nconns--;
			conn_free(c);
		} else {
			pc = &c->next;
		}
	}
}

void h2srv_metrics(const struct h2srv *s, FILE *f)
{
	static const char *const to[] = { "handshake", "idle", "header", "body", "send" };
	size_t i;

	fprintf(f, "# HELP aiotd_http_connections_open HTTP/2 clients connected now\n"
		"# TYPE aiotd_http_connections_open gauge\n"
		"aiotd_http_connections_open %zu\n", s->nconns);
	fprintf(f, "# HELP aiotd_http_connections_total client connections accepted\n"
		"# TYPE aiotd_http_connections_total counter\n"
		"aiotd_http_connections_total %llu\n", s->st.accepted);
	fprintf(f, "# HELP aiotd_http_connections_refused_total connections closed at accept, by reason\n"
		"# TYPE aiotd_http_connections_refused_total counter\n"
		"aiotd_http_connections_refused_total{reason=\"per_peer\"} %llu\n"
		"aiotd_http_connections_refused_total{reason=\"full\"} %llu\n",
		s->st.refused_peer, s->st.refused_full);
	fprintf(f, "# HELP aiotd_http_connections_evicted_total least recently active connections closed at the cap for a newcomer\n"
		"# TYPE aiotd_http_connections_evicted_total counter\n"
		"aiotd_http_connections_evicted_total %llu\n", s->st.evicted);
	fprintf(f, "# HELP aiotd_http_timeouts_total connections or streams ended by a timeout, by kind\n"
		"# TYPE aiotd_http_timeouts_total counter\n");
	for (i = 0; i < 5; i++)
		fprintf(f, "aiotd_http_timeouts_total{kind=\"%s\"} %llu\n", to[i],
			s->st.timeouts[i]);
	fprintf(f, "# HELP aiotd_http_http1_total HTTP/1.x requests answered 505\n"
		"# TYPE aiotd_http_http1_total counter\n"
		"aiotd_http_http1_total %llu\n", s->st.http1);
	fprintf(f, "# HELP aiotd_http_body_stalls_total connections whose flow-control window stayed shut (over a body budget)\n"
		"# TYPE aiotd_http_body_stalls_total counter\n"
		"aiotd_http_body_stalls_total %llu\n", s->st.stalled);
	fprintf(f, "# HELP aiotd_http_body_bytes request-body bytes buffered now\n"
		"# TYPE aiotd_http_body_bytes gauge\n"
		"aiotd_http_body_bytes %zu\n", s->st.buffered);
}
