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

#include "h2io.h"
#include "h2srv.h"

#define H2_MAX_CONNS	256

struct stream {
	int32_t id;
	struct h2_req req;
	char *body;
	size_t len, cap;
	bool too_big, answered;
	struct h2_resp resp;
	size_t roff;
};

struct conn {
	struct h2srv *srv;
	struct h2io io;
	bool handshaking;
	bool dead;
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
	uint32_t max_streams;
};

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
	nghttp2_nv nva[6];
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
	nghttp2_submit_response(c->io.sess, st->id, nva, n,
				st->resp.len ? &prd : NULL);
}

static void dispatch(struct conn *c, struct stream *st)
{
	st->req.body = st->body ? st->body : "";
	st->req.len = st->len;
	st->req.too_big = st->too_big;
	c->srv->fn(&st->req, &st->resp, c->srv->arg);
	respond(c, st);
}

static int on_begin_headers(nghttp2_session *sess, const nghttp2_frame *f,
			    void *user)
{
	struct stream *st;

	(void)user;
	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NGHTTP2_ERR_CALLBACK_FAILURE;
	st->id = f->hd.stream_id;
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

		copy_val(v, sizeof(v), val, vlen);
		if (strtoull(v, NULL, 10) > c->srv->max_body)
			st->too_big = true;
	}
	return 0;
}

static int on_data(nghttp2_session *sess, uint8_t flags, int32_t sid,
		   const uint8_t *data, size_t len, void *user)
{
	struct conn *c = user;
	struct stream *st = nghttp2_session_get_stream_user_data(sess, sid);
	size_t cap;
	char *b;

	(void)flags;
	if (!st || st->too_big || st->answered)
		return 0;
	if (st->len + len > c->srv->max_body) {
		st->too_big = true;
		free(st->body);
		st->body = NULL;
		st->len = 0;
		return 0;
	}
	if (st->len + len + 1 > st->cap) {
		cap = st->cap ? st->cap : 4096;
		while (cap < st->len + len + 1)
			cap *= 2;
		b = realloc(st->body, cap);
		if (!b)
			return NGHTTP2_ERR_CALLBACK_FAILURE;
		st->body = b;
		st->cap = cap;
	}
	memcpy(st->body + st->len, data, len);
	st->len += len;
	st->body[st->len] = 0;
	return 0;
}

static int on_frame(nghttp2_session *sess, const nghttp2_frame *f, void *user)
{
	struct conn *c = user;
	struct stream *st;

	if (f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA)
		return 0;
	st = nghttp2_session_get_stream_user_data(sess, f->hd.stream_id);
	if (!st || st->answered)
		return 0;
	/* a body announced too large is refused before it comes */
	if (st->too_big || (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
		dispatch(c, st);
	return 0;
}

static int on_close(nghttp2_session *sess, int32_t sid, uint32_t err,
		    void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(sess, sid);

	(void)err;
	(void)user;
	if (!st)
		return 0;
	nghttp2_session_set_stream_user_data(sess, sid, NULL);
	free(st->body);
	free(st->resp.body);
	free(st);
	return 0;
}

static int alpn_select(SSL *ssl, const unsigned char **out,
		       unsigned char *outlen, const unsigned char *in,
		       unsigned int inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	if (nghttp2_select_next_protocol((unsigned char **)out, outlen, in,
					 inlen) != 1)
		return SSL_TLSEXT_ERR_ALERT_FATAL;
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
	s->max_streams = 128;
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
	if (nghttp2_session_callbacks_new(&s->cbs))
		goto fail;
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
	s->max_streams = n;
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
	h2io_close(&c->io);
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
	free(s);
}

static void do_accept(struct h2srv *s)
{
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, s->max_streams },
	};
	struct conn *c;
	int fd, one = 1;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (s->nconns >= H2_MAX_CONNS) {
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
		if (s->ctx) {
			c->io.ssl = SSL_new(s->ctx);
			if (!c->io.ssl || SSL_set_fd(c->io.ssl, fd) != 1) {
				conn_free(c);
				continue;
			}
			SSL_set_accept_state(c->io.ssl);
			c->handshaking = true;
		}
		if (nghttp2_session_server_new(&c->io.sess, s->cbs, c) ||
		    nghttp2_submit_settings(c->io.sess, NGHTTP2_FLAG_NONE, iv, 1)) {
			conn_free(c);
			continue;
		}
		c->next = s->conns;
		s->conns = c;
		s->nconns++;
	}
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

void h2srv_service(struct h2srv *s, const struct pollfd *pfd, size_t n)
{
	struct conn **pc, *c;
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
			if (c->io.fd == pfd[i].fd)
				conn_io(c, pfd[i].revents);
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
