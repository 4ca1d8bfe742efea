/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* JSON validation (jansson's strict parser) for the tests of aiotctl -j. */
#ifndef _AIOT_JSONV_H
#define _AIOT_JSONV_H

#include <stddef.h>

/*
 * Is [@p, @p + @len) exactly one JSON value, blanks around it allowed?
 * Returns 0, with *@elements the element count of a top-level array (1
 * for any other value); or -1 with the offset and reason in @err.
 */
int jsonv_check(const char *p, size_t len, long *elements, char *err,
		size_t errlen);

#endif /* _AIOT_JSONV_H */
