/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The I/O half of an HTTP/2 connection, shared by the server (h2srv.c)
 * and the client (h2cli.c): a non-blocking socket, cleartext or OpenSSL,
 * and an nghttp2 session whose frames go out through a buffer.
 */
#ifndef _AIOTD_H2IO_H
#define _AIOTD_H2IO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#define H2IO_OUT_HIGH	(256 * 1024)	/* stop generating frames above */
#define H2IO_READS_PER_TURN 16		/* of 16 KiB, per connection and turn */

struct h2io {
	int fd;				/* -1: none */
	SSL *ssl;			/* NULL: cleartext */
	nghttp2_session *sess;
	uint8_t *out;			/* frames not yet sent */
	size_t olen, ocap;
	bool more;			/* TLS records read, not yet processed */
	uint64_t rcvd, sent;		/* bytes through the socket (deadlines) */
};

/* Up to @cap bytes from the socket: n > 0, 0 for nothing now, -1 closed. */
ssize_t h2io_read_some(struct h2io *io, uint8_t *buf, size_t cap);

/*
 * What the socket has, into the session: a bounded share per turn
 * (H2IO_READS_PER_TURN), so that a peer that floods cannot hold the
 * caller's loop. Sets @io->more when OpenSSL holds records it read ahead,
 * which poll() cannot see: the caller must come back without waiting.
 * 0, -1 for closed or broken, -2 for a protocol error from the peer.
 */
int h2io_recv(struct h2io *io);
/*
 * The session's frames into the buffer (up to H2IO_OUT_HIGH), then as
 * much as the socket takes: 0, -1 for a session error (or no memory),
 * -2 for a broken connection.
 */
int h2io_flush(struct h2io *io);
/* Only the buffer, as much as the socket takes (no frames): as h2io_flush. */
int h2io_send_out(struct h2io *io);
/* @len bytes appended to the buffer: 0, or -1 for no memory. */
int h2io_append(struct h2io *io, const void *data, size_t len);
/* Session, TLS, socket and buffer freed; @io reusable. */
void h2io_close(struct h2io *io);

#endif /* _AIOTD_H2IO_H */
