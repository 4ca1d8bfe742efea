// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The test client (h2peer.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "h2peer.h"
#include "../../aiotd/h2/mono.h"

int h2peer_tcp(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static struct h2peer_stream *find(struct h2peer *p, int32_t id)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->st[i].id == id)
			return &p->st[i];
	return NULL;
}

static ssize_t on_send(nghttp2_session *sess, const uint8_t *d, size_t len,
		       int flags, void *user)
{
	struct h2peer *p = user;
	ssize_t n;

	(void)sess;
	(void)flags;
	n = p->ssl ? SSL_write(p->ssl, d, (int)len) :
		     send(p->fd, d, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n > 0)
		return n;
	if (p->ssl)
		ERR_clear_error();
	else if (errno == EAGAIN)
		return NGHTTP2_ERR_WOULDBLOCK;
	return NGHTTP2_ERR_CALLBACK_FAILURE;
}

static int status_of(const uint8_t *v, size_t n)
{
	int r = 0;
	size_t i;

	for (i = 0; i < n && i < 3 && v[i] >= '0' && v[i] <= '9'; i++)
		r = r * 10 + (v[i] - '0');
	return r;
}

static int on_header(nghttp2_session *sess, const nghttp2_frame *f,
		     const uint8_t *name, size_t nlen, const uint8_t *val,
		     size_t vlen, uint8_t flags, void *user)
{
	struct h2peer_stream *s = find(user, f->hd.stream_id);

	(void)sess;
	(void)flags;
	if (!s)
		return 0;
	if (nlen == 7 && !memcmp(name, ":status", 7))
		s->status = status_of(val, vlen);
	else if (nlen == 5 && !memcmp(name, "allow", 5))
		snprintf(s->allow, sizeof(s->allow), "%.*s", (int)vlen, val);
	return 0;
}

static int on_data(nghttp2_session *sess, uint8_t flags, int32_t sid,
		   const uint8_t *d, size_t len, void *user)
{
	struct h2peer_stream *s = find(user, sid);

	(void)sess;
	(void)flags;
	(void)d;
	if (s)
		s->got += len;
	return 0;
}

static int on_close(nghttp2_session *sess, int32_t sid, uint32_t err,
		    void *user)
{
	struct h2peer_stream *s = find(user, sid);

	(void)sess;
	if (s) {
		s->closed = true;
		if (err)
			s->rst = err + 1;
	}
	return 0;
}

static int on_frame(nghttp2_session *sess, const nghttp2_frame *f, void *user)
{
	struct h2peer *p = user;
	struct h2peer_stream *s;

	(void)sess;
	if (f->hd.type == NGHTTP2_GOAWAY)
		p->goaway = true;
	if (f->hd.type == NGHTTP2_RST_STREAM && (s = find(p, f->hd.stream_id)))
		s->rst = f->rst_stream.error_code + 1;
	return 0;
}

static ssize_t body_read(nghttp2_session *sess, int32_t sid, uint8_t *buf,
			 size_t len, uint32_t *flags, nghttp2_data_source *src,
			 void *user)
{
	struct h2peer_stream *s = src->ptr;
	size_t n = s->avail - s->off;

	(void)sess;
	(void)sid;
	(void)user;
	if (!n && !(s->off == s->len && s->end))
		return NGHTTP2_ERR_DEFERRED;
	if (n > len)
		n = len;
	memcpy(buf, s->body + s->off, n);
	s->off += n;
	if (s->off == s->len && s->end)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

int h2peer_open(struct h2peer *p, unsigned int port, SSL_CTX *ctx,
		uint32_t window)
{
	nghttp2_session_callbacks *cb;
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, window },
	};
	int r;

	memset(p, 0, sizeof(*p));
	p->fd = h2peer_tcp(port);
	if (p->fd < 0)
		return -1;
	if (ctx) {
		p->ssl = SSL_new(ctx);
		if (!p->ssl || SSL_set_fd(p->ssl, p->fd) != 1 ||
		    SSL_connect(p->ssl) != 1) {
			ERR_clear_error();
			h2peer_close(p);
			return -1;
		}
	}
	if (nghttp2_session_callbacks_new(&cb)) {
		h2peer_close(p);
		return -1;
	}
	nghttp2_session_callbacks_set_send_callback(cb, on_send);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
	r = nghttp2_session_client_new(&p->sess, cb, p);
	nghttp2_session_callbacks_del(cb);
	if (r || nghttp2_submit_settings(p->sess, NGHTTP2_FLAG_NONE, iv, 1)) {
		h2peer_close(p);
		return -1;
	}
	return 0;
}

#define HDR(n, v) { (uint8_t *)(n), (uint8_t *)(v), strlen(n), strlen(v), \
		    NGHTTP2_NV_FLAG_NONE }

struct h2peer_stream *h2peer_req(struct h2peer *p, const char *method,
				 const char *path, const char *clen,
				 const uint8_t *body, size_t len, size_t avail,
				 bool end)
{
	nghttp2_nv nva[6] = {
		HDR(":method", method), HDR(":scheme", p->ssl ? "https" : "http"),
		HDR(":authority", "127.0.0.1"), HDR(":path", path),
		HDR("content-type", "application/json"),
	};
	nghttp2_data_provider prd;
	struct h2peer_stream *s;
	size_t n = 5;

	if (p->n == H2PEER_STREAMS)
		return NULL;
	s = &p->st[p->n];
	*s = (struct h2peer_stream){ .body = body, .len = len,
				     .avail = avail < len ? avail : len, .end = end };
	if (clen)
		nva[n++] = (nghttp2_nv)HDR("content-length", clen);
	prd = (nghttp2_data_provider){ .source.ptr = s, .read_callback = body_read };
	s->id = nghttp2_submit_request(p->sess, NULL, nva, n,
				       len || !end ? &prd : NULL, NULL);
	if (s->id < 0)
		return NULL;
	p->n++;
	return s;
}

void h2peer_more(struct h2peer *p, struct h2peer_stream *s, size_t n)
{
	s->avail = s->avail + n < s->len ? s->avail + n : s->len;
	nghttp2_session_resume_data(p->sess, s->id);
}

void h2peer_pump(struct h2peer *p, double secs, struct h2peer_stream *s)
{
	double end = mono() + secs;
	uint8_t buf[16384];
	struct pollfd pfd;
	ssize_t n;

	while (!p->eof && mono() < end && !(s && s->closed)) {
		if (nghttp2_session_send(p->sess)) {
			p->eof = true;
			break;
		}
		if (p->ssl && SSL_pending(p->ssl) > 0) {
			pfd.revents = POLLIN;
		} else {
			pfd = (struct pollfd){ .fd = p->fd, .events = POLLIN };
			if (poll(&pfd, 1, 20) <= 0)
				continue;
		}
		n = p->ssl ? SSL_read(p->ssl, buf, sizeof(buf)) :
			     recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0) {
			if (p->ssl)
				ERR_clear_error();
			else if (n < 0 && errno == EAGAIN)
				continue;
			p->eof = true;
			break;
		}
		if (nghttp2_session_mem_recv(p->sess, buf, (size_t)n) < 0) {
			p->eof = true;
			break;
		}
	}
	if (!p->eof)
		nghttp2_session_send(p->sess);
}

void h2peer_close(struct h2peer *p)
{
	if (p->sess)
		nghttp2_session_del(p->sess);
	if (p->ssl)
		SSL_free(p->ssl);
	if (p->fd >= 0)
		close(p->fd);
	p->sess = NULL;
	p->ssl = NULL;
	p->fd = -1;
}

bool h2peer_closed_by_peer(int fd, double secs)
{
	double end = mono() + secs;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	while (mono() < end) {
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return true;
	}
	return false;
}
