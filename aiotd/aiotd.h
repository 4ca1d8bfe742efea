/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What aiotd's parts share: the configuration (main.c loads it) and the
 * journal's lines ("aiotd: ..." on stderr).
 */
#ifndef _AIOTD_AIOTD_H
#define _AIOTD_AIOTD_H

#include "conf.h"

extern struct aiotd_conf cf;

#include <stdarg.h>
#include <syslog.h>

/* A line of the journal at priority @prio (LOG_ERR ... LOG_INFO). */
void logp(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void logv(int prio, const char *fmt, va_list ap);
/* The same at LOG_INFO. */
void logm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _AIOTD_AIOTD_H */
