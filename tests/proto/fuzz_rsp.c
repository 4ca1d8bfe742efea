// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of the .rsp reader (tests/proto/rsp.c) and of the
 * profile record checks built on it (tests/proto/vec.c). Any input is
 * parsed; what is accepted is walked with every accessor, and each
 * profile record that passes its checks is built with the shared
 * builders. Traps when an accepted file breaks the reader's promises or a
 * rejected one has no "file:line" reason.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vec.h"

#define NAME	"fuzz.rsp"
#define CHECK(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static void walk_block(struct rsp_file *f, const struct rsp_block *b)
{
	static u8 msg[PV_NMSG][AIOT_MSG_MAX];
	size_t i, len, nfield = 0, mlen[PV_NMSG];
	struct pvec v;

	for (i = 0; i < b->nline; i++) {
		const struct rsp_line *l = &b->line[i];
		unsigned int n;

		if (!l->name) {
			CHECK(l->text[0] == '#');
			continue;
		}
		nfield++;
		n = rsp_count(b, l->name);
		CHECK(n >= 1 && rsp_find(b, l->name, n - 1) &&
		      !rsp_find(b, l->name, n));
		if (l->bin)
			CHECK(l->len * 2 == strlen(l->text));
		if (rsp_bytes(f, b, l->name, 0, 0, SIZE_MAX, &len))
			CHECK(len == rsp_find(b, l->name, 0)->len);
		else
			CHECK(!strncmp(f->err, NAME ":", strlen(NAME) + 1));
	}
	CHECK(nfield == b->nfield);
	if (!b->nfield || rsp_find(b, "ALG", 0))
		return;
	if (pvec_read(f, b, &v)) {
		CHECK(!strncmp(f->err, NAME ":", strlen(NAME) + 1));
		return;
	}
	CHECK(!pvec_build(&v, msg, mlen));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rsp_file f;
	size_t i;

	if (rsp_parse(&f, NAME, (const char *)data, size)) {
		CHECK(!strncmp(f.err, NAME ":", strlen(NAME) + 1));
	} else {
		for (i = 0; i < f.nblk; i++) {
			CHECK(f.blk[i].nline > 0);
			walk_block(&f, &f.blk[i]);
		}
	}
	rsp_free(&f);
	return 0;
}
