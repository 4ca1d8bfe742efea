// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of ks_parse(): an accepted store holds only entries
 * the kernel would take (16- or 32-byte keys, valid policies meeting
 * their minimum, distinct IDs, increasing lines); a rejected one is empty
 * and its message names the file and a line that exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keystore.h"
#include "policy.h"

#define check(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, KS_ID_LEN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int lines = 1, line = 0;
	struct keystore ks;
	char err[256];
	uint8_t *ids;
	size_t i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	err[0] = '\0';
	if (ks_parse(&ks, "fz", (const char *)data, size, err, sizeof(err))) {
		check(!ks.n && !ks.e);
		check(sscanf(err, "fz:%u: ", &line) == 1);
		check(line >= 1 && line <= lines);
		return 0;
	}
	ids = malloc(ks.n * KS_ID_LEN + 1);
	check(ids);
	for (i = 0; i < ks.n; i++) {
		const struct ks_entry *e = &ks.e[i];

		check(e->key_len == 16 || e->key_len == 32);
		check(policy_valid(e->policy, POLICY_REQUEST));
		check(policy_valid(e->min_policy, POLICY_MINIMUM));
		check(aiot_policy_meets(e->policy, e->min_policy, AIOT_MSG_CMD_RESP));
		check(e->line >= 1 && e->line <= lines);
		check(!i || e->line > ks.e[i - 1].line);
		memcpy(ids + i * KS_ID_LEN, e->id, KS_ID_LEN);
	}
	qsort(ids, ks.n, KS_ID_LEN, cmp_id);
	for (i = 1; i < ks.n; i++)
		check(memcmp(ids + (i - 1) * KS_ID_LEN, ids + i * KS_ID_LEN,
			     KS_ID_LEN));
	free(ids);
	ks_free(&ks);
	return 0;
}
