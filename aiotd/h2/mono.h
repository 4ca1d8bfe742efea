/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* aiotd's clock: monotonic seconds, for deadlines, back-off and latency. */
#ifndef _AIOTD_MONO_H
#define _AIOTD_MONO_H

#include <time.h>

static inline double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* _AIOTD_MONO_H */
