// SPDX-License-Identifier: GPL-2.0 OR MIT
/* TAP output for the host tests (see tap.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "tap.h"

static unsigned int ntest, nfail;

bool tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", pass ? "" : "not ", ++ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		nfail++;
	fflush(stdout);
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void tap_hex(const char *what, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	printf("# %s: ", what);
	for (i = 0; i < len; i++)
		printf("%02x", b[i]);
	putchar('\n');
}

unsigned int tap_failed(void)
{
	return nfail;
}

int tap_done(void)
{
	printf("1..%u\n", ntest);
	fflush(stdout);
	return nfail || !ntest;
}
