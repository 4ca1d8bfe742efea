/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the aiotsec KUnit suites. */
#ifndef _AIOT_TEST_UTIL_H
#define _AIOT_TEST_UTIL_H

#include <kunit/test.h>
#include <linux/minmax.h>
#include <linux/string.h>

/*
 * 6.1's KUnit has no MEMEQ: compare and show the first bytes of both.
 */
#define AIOT_MEMEQ(kind, test, a, b, n, fmt, ...)			\
do {									\
	const void *_a = (a), *_b = (b);				\
	size_t _n = (n);						\
	int _show = min_t(size_t, _n, 32);				\
									\
	KUNIT_##kind##_TRUE_MSG(test, !memcmp(_a, _b, _n),		\
		fmt ": %*phN vs %*phN", ##__VA_ARGS__,			\
		_show, _a, _show, _b);					\
} while (0)
#define AIOT_EXPECT_MEMEQ(test, a, b, n, fmt, ...) \
	AIOT_MEMEQ(EXPECT, test, a, b, n, fmt, ##__VA_ARGS__)
#define AIOT_ASSERT_MEMEQ(test, a, b, n, fmt, ...) \
	AIOT_MEMEQ(ASSERT, test, a, b, n, fmt, ##__VA_ARGS__)

/*
 * A parameter generator over a table whose size is known only at link
 * time, describing each row by its index.
 */
#define AIOT_TABLE_PARAM(name, table, count, what)			\
static const void *name##_gen(const void *prev, char *desc)		\
{									\
	__auto_type first = &(table)[0];				\
	typeof(first) v = prev ? (typeof(first))prev + 1 : first;	\
									\
	if (v >= first + (count))					\
		return NULL;						\
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, what " %td", v - first);	\
	return v;							\
}

#endif /* _AIOT_TEST_UTIL_H */
