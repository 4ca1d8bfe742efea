/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The I/O half of an HTTP/2 connection, shared by the server (h2srv.c)
 * and the client (h2cli.c): a non-blocking socket, cleartext or OpenSSL,
 * and an nghttp2 session whose frames go out through a buffer.
 */
#ifndef _AIOTD_H2IO_H
#define _AIOTD_H2IO_H

#include <stdint.h>
#include <sys/types.h>

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#define H2IO_OUT_HIGH	(256 * 1024)	/* stop generating frames above */

struct h2io {
	int fd;				/* -1: none */
	SSL *ssl;			/* NULL: cleartext */
	nghttp2_session *sess;
	uint8_t *out;			/* frames not yet sent */
	size_t olen, ocap;
};

/* Bytes in (n > 0), 0 for nothing now, -1 for closed or broken. */
ssize_t h2io_read(struct h2io *io, uint8_t *buf, size_t cap);
/*
 * The session's frames into the buffer (up to H2IO_OUT_HIGH), then as
 * much as the socket takes: 0, -1 for a session error (or no memory),
 * -2 for a broken connection.
 */
int h2io_flush(struct h2io *io);
/* Session, TLS, socket and buffer freed; @io reusable. */
void h2io_close(struct h2io *io);

#endif /* _AIOTD_H2IO_H */
