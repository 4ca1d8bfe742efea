// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotd's journal: one "aiotd: ..." line on stderr (line-buffered). Under
 * systemd, where stderr is the journal (JOURNAL_STREAM is set), each line
 * starts with its priority as sd-daemon(3) reads it ("<3>" for LOG_ERR),
 * so that `journalctl -p warning` shows what needs an operator.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "aiotd.h"

void logv(int prio, const char *fmt, va_list ap)
{
	if (getenv("JOURNAL_STREAM"))
		fprintf(stderr, "<%d>", prio);
	fputs("aiotd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void logp(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	logv(prio, fmt, ap);
	va_end(ap);
}

void logm(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	logv(LOG_INFO, fmt, ap);
	va_end(ap);
}
