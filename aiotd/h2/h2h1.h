/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A client that speaks HTTP/1.x to the HTTP/2-only server (TS 29.500
 * 5.2: the SBI is HTTP/2) gets one HTTP/1.1 505 with a ProblemDetails
 * body, then the connection closes: told, not dropped in silence.
 */
#ifndef _AIOTD_H2H1_H
#define _AIOTD_H2H1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define H2H1_PREFACE	"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2H1_PREFACE_LEN 24

/* The first @n bytes a client sent: 1 HTTP/2 so far, 0 HTTP/1.x, -1 neither. */
int h2h1_sniff(const uint8_t *b, size_t n);
/* The whole 505 answer into @buf: its length, 0 if @cap is too small. */
size_t h2h1_answer(char *buf, size_t cap);

#endif /* _AIOTD_H2H1_H */
