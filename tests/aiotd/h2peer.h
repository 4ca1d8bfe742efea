/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A hostile (or ordinary) HTTP/2 client for the host tests, on
 * libnghttp2's client side over a blocking loopback socket: requests
 * whose bodies come all at once, a byte at a time or never end, a
 * zero flow-control window, resets; and raw bytes for what a session
 * would not send. 127.0.0.1 only.
 */
#ifndef _AIOTD_H2PEER_H
#define _AIOTD_H2PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#define H2PEER_STREAMS	64

struct h2peer_stream {
	int32_t id;
	int status;			/* 0: none yet */
	uint32_t rst;			/* RST_STREAM code + 1; 0: none */
	bool closed;
	size_t got;			/* response body bytes */
	char allow[64];
	const uint8_t *body;		/* what to send, */
	size_t len, avail, off;		/* its length, how much may go, how much went */
	bool end;			/* END_STREAM after @len */
};

struct h2peer {
	int fd;
	SSL *ssl;
	nghttp2_session *sess;
	struct h2peer_stream st[H2PEER_STREAMS];
	size_t n;
	bool goaway, eof;
};

/* A TCP connection to 127.0.0.1:@port: the socket, or -1. */
int h2peer_tcp(unsigned int port);
/*
 * An HTTP/2 session on it (TLS with ALPN h2 when @ctx); @window is the
 * SETTINGS_INITIAL_WINDOW_SIZE it announces (0: a zero-window reader).
 * 0 or -1.
 */
int h2peer_open(struct h2peer *p, unsigned int port, SSL_CTX *ctx,
		uint32_t window);
/*
 * A request; @body of @len bytes of which @avail go now, END_STREAM after
 * all of it if @end. @clen: the content-length header, or NULL. Its
 * slot, or NULL.
 */
struct h2peer_stream *h2peer_req(struct h2peer *p, const char *method,
				 const char *path, const char *clen,
				 const uint8_t *body, size_t len, size_t avail,
				 bool end);
/* Let @n more bytes of @s's body go. */
void h2peer_more(struct h2peer *p, struct h2peer_stream *s, size_t n);
/* Send and receive for up to @secs, until @s (NULL: any) has closed. */
void h2peer_pump(struct h2peer *p, double secs, struct h2peer_stream *s);
/* Socket, TLS, session freed (an abrupt close when streams are open). */
void h2peer_close(struct h2peer *p);
/* Wait up to @secs for the peer to close @fd: true if it did. */
bool h2peer_closed_by_peer(int fd, double secs);

#endif /* _AIOTD_H2PEER_H */
