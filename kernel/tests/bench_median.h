/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmarks' median of a sample of u64 (sorted in place). */
#ifndef _AIOT_BENCH_MEDIAN_H
#define _AIOT_BENCH_MEDIAN_H

#include <linux/sort.h>
#include <linux/types.h>

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static inline u64 median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	return v[n / 2];
}

#endif /* _AIOT_BENCH_MEDIAN_H */
