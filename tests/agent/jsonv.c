// SPDX-License-Identifier: GPL-2.0 OR MIT
/* JSON validation for the tests, on jansson's strict parser (see jsonv.h). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "jsonv.h"

int jsonv_check(const char *p, size_t len, long *elements, char *err,
		size_t errlen)
{
	json_error_t e;
	json_t *v;

	/*
	 * Any value at the top (not only an object or array); \u0000 in a
	 * string is valid JSON and what the writer makes of a NUL byte;
	 * integers as reals, so that a u64 above INT64_MAX is valid, as RFC
	 * 8259 has it.
	 */
	v = json_loadb(p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL |
		       JSON_DECODE_INT_AS_REAL, &e);
	if (!v) {
		snprintf(err, errlen, "offset %d: %s", e.position, e.text);
		return -1;
	}
	if (elements)
		*elements = json_is_array(v) ? (long)json_array_size(v) : 1;
	json_decref(v);
	return 0;
}
