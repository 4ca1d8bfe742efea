/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal TAP producer for the host tests: results, diagnostics, plan. */
#ifndef _AIOT_TAP_H
#define _AIOT_TAP_H

#include <stdbool.h>
#include <stddef.h>

/* Print "ok N - ..." or "not ok N - ..."; returns @pass. */
bool tap_ok(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A "# ..." diagnostic line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A diagnostic line "# what: hex". */
void tap_hex(const char *what, const void *p, size_t len);
/* Print the plan "1..N"; returns the exit status (1 if anything failed). */
int tap_done(void);
unsigned int tap_failed(void);

#endif /* _AIOT_TAP_H */
