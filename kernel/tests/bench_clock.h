/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' clock: the TSC where the architecture has one
 * (get_cycles(); under QEMU/TCG without ACPI or HPET the kernel's own
 * clock ticks in jiffies), else ktime in nanoseconds (User-Mode Linux,
 * whose get_cycles() is always 0 and whose clock is the host's).
 */
#ifndef _AIOT_BENCH_CLOCK_H
#define _AIOT_BENCH_CLOCK_H

#include <linux/ktime.h>
#include <linux/timex.h>

static inline bool bench_clock_is_ns(void)
{
	return !get_cycles();
}

static inline u64 bench_now(void)
{
	u64 c = get_cycles();

	return c ? c : ktime_get_ns();
}

static inline const char *bench_clock_unit(void)
{
	return bench_clock_is_ns() ? "ns" : "TSC ticks";
}

#endif /* _AIOT_BENCH_CLOCK_H */
