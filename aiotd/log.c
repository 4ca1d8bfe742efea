// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's journal: one "aiotd: ..." line on stderr (line-buffered). */
#include <stdarg.h>
#include <stdio.h>

#include "aiotd.h"

void logm(const char *fmt, ...)
{
	va_list ap;

	fputs("aiotd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
