// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The I/O half of an HTTP/2 connection (h2io.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include <openssl/err.h>

#include "h2io.h"

/* SSL_read()'s or SSL_write()'s @n: bytes, 0 for not now, -1 for broken. */
static ssize_t tls_result(struct h2io *io, int n)
{
	int e;

	if (n > 0)
		return n;
	e = SSL_get_error(io->ssl, n);
	ERR_clear_error();
	return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/* Bytes in (n > 0), 0 for nothing now, -1 for closed or broken. */
static ssize_t h2io_read(struct h2io *io, uint8_t *buf, size_t cap)
{
	ssize_t n;

	if (!io->ssl) {
		n = recv(io->fd, buf, cap, 0);
		if (n > 0)
			return n;
		return n < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	}
	return tls_result(io, SSL_read(io->ssl, buf, (int)cap));
}

ssize_t h2io_read_some(struct h2io *io, uint8_t *buf, size_t cap)
{
	ssize_t n = h2io_read(io, buf, cap);

	if (n > 0)
		io->rcvd += (uint64_t)n;
	return n;
}

int h2io_recv(struct h2io *io)
{
	uint8_t buf[16384];
	ssize_t n;
	int i;

	io->more = false;
	for (i = 0; i < H2IO_READS_PER_TURN; i++) {
		n = h2io_read_some(io, buf, sizeof(buf));
		if (n < 0)
			return -1;
		if (!n)
			break;
		if (nghttp2_session_mem_recv(io->sess, buf, (size_t)n) < 0)
			return -2;
		/*
		 * A short read of a plain socket took all it had: poll() says
		 * when more comes, and a read to hear EAGAIN is saved. (TLS
		 * ends short at each record: read on.)
		 */
		if (!io->ssl && (size_t)n < sizeof(buf))
			break;
	}
	/* the socket tells poll() what is left; OpenSSL's own buffer does not */
	io->more = io->ssl && SSL_pending(io->ssl) > 0;
	return 0;
}

static ssize_t h2io_write(struct h2io *io, const uint8_t *buf, size_t len)
{
	ssize_t n;

	if (!io->ssl) {
		n = send(io->fd, buf, len, MSG_NOSIGNAL);
		if (n >= 0)
			return n;
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	}
	return tls_result(io, SSL_write(io->ssl, buf, (int)len));
}

int h2io_append(struct h2io *io, const void *data, size_t len)
{
	uint8_t *b;
	size_t cap;

	if (io->olen + len > io->ocap) {
		cap = io->ocap ? io->ocap : 16384;
		while (cap < io->olen + len)
			cap *= 2;
		b = realloc(io->out, cap);
		if (!b)
			return -1;
		io->out = b;
		io->ocap = cap;
	}
	memcpy(io->out + io->olen, data, len);
	io->olen += len;
	return 0;
}

int h2io_send_out(struct h2io *io)
{
	ssize_t n;

	while (io->olen) {
		n = h2io_write(io, io->out, io->olen);
		if (n < 0)
			return -2;
		if (!n)
			return 0;
		io->sent += (uint64_t)n;
		memmove(io->out, io->out + n, io->olen - (size_t)n);
		io->olen -= (size_t)n;
	}
	return 0;
}

int h2io_flush(struct h2io *io)
{
	const uint8_t *data;
	ssize_t n;

	while (io->olen < H2IO_OUT_HIGH) {
		n = nghttp2_session_mem_send(io->sess, &data);
		if (n < 0)
			return -1;
		if (!n)
			break;
		if (h2io_append(io, data, (size_t)n))
			return -1;
	}
	return h2io_send_out(io);
}

void h2io_close(struct h2io *io)
{
	if (io->sess)
		nghttp2_session_del(io->sess);
	if (io->ssl)
		SSL_free(io->ssl);
	if (io->fd >= 0)
		close(io->fd);
	free(io->out);
	*io = (struct h2io){ .fd = -1 };
}
