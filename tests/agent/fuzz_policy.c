// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of policy_parse(): whatever it accepts is a valid
 * policy of the kind, and formats back to a string that parses to the
 * same byte; whatever it rejects comes with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define check(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, err[128], buf[POLICY_BUF_LEN];
	enum policy_kind k;
	uint8_t p, q;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (k = POLICY_REQUEST; k <= POLICY_MINIMUM; k++) {
		err[0] = '\0';
		if (policy_parse(s, k, &p, err, sizeof(err))) {
			check(err[0] && memchr(err, '\0', sizeof(err)));
			continue;
		}
		check(policy_valid(p, k));
		policy_format(p, buf, sizeof(buf));
		check(strlen(buf) < sizeof(buf) - 1);
		check(!policy_parse(buf, k, &q, err, sizeof(err)) && q == p);
	}
	free(s);
	return 0;
}
