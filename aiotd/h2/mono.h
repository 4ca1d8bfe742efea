/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* aiotd's clock: monotonic seconds, for deadlines, back-off and delays. */
#ifndef _AIOTD_MONO_H
#define _AIOTD_MONO_H

#include <time.h>

/*
 * The coarse clock: a tick's resolution (1 to 10 ms) is plenty for
 * deadlines and delays of tens of milliseconds and up, and the vDSO reads
 * it without a system call whatever the clocksource (with HPET or
 * acpi_pm, as in a VM, CLOCK_MONOTONIC is a system call and a device
 * read: aiotd read it some eight times per device authentication).
 */
static inline double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* _AIOTD_MONO_H */
