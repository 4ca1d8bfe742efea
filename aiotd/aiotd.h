/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What aiotd's parts share: the configuration (main.c loads it) and the
 * journal's lines ("aiotd: ..." on stderr).
 */
#ifndef _AIOTD_AIOTD_H
#define _AIOTD_AIOTD_H

#include "conf.h"

extern struct aiotd_conf cf;

void logm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _AIOTD_AIOTD_H */
