// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The answer to an HTTP/1.x client (h2h1.h). */
#include <stdio.h>
#include <string.h>

#include "h2h1.h"

int h2h1_sniff(const uint8_t *b, size_t n)
{
	size_t i;

	if (n > H2H1_PREFACE_LEN)
		n = H2H1_PREFACE_LEN;
	if (!memcmp(b, H2H1_PREFACE, n))
		return 1;
	/* a request line starts with a method: a token of capitals */
	for (i = 0; i < n && b[i] >= 'A' && b[i] <= 'Z'; i++)
		;
	return i > 0 && (i == n || b[i] == ' ') ? 0 : -1;
}

#define H2H1_BODY "{\"title\":\"HTTP Version Not Supported\",\"status\":505," \
	"\"detail\":\"this service speaks HTTP/2 only (3GPP TS 29.500 5.2): " \
	"h2c with prior knowledge, or TLS with ALPN h2\"}"

size_t h2h1_answer(char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "HTTP/1.1 505 HTTP Version Not Supported\r\n"
			 "Content-Type: application/problem+json\r\n"
			 "Content-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s",
			 sizeof(H2H1_BODY) - 1, H2H1_BODY);

	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}
