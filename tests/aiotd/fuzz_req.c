// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of aiotd's request-body parser: the first byte picks
 * InventoryReq or CommandReq, the rest is the body. Whatever the input,
 * the parser returns a checked request or a ProblemDetails that is valid
 * JSON with status 400 and, for a schema error, at least one invalid
 * parameter; a command payload fits the module's limit.
 */
#include <stdlib.h>
#include <string.h>

#include "../../aiotd/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct area_tab areas;
	struct req_limits lim = { .max_devices = 64, .areas = &areas };
	char err[128];
	struct op_req r;
	struct problem p;
	json_t *j;
	char *s;

	if (!size)
		return 0;
	if (!areas.n && (area_add(&areas, "001-01/0a0b0c rd0", 1, err, sizeof(err)) ||
			 area_add(&areas, "001-001:0123456789a/00ff01 rd1 rd2", 2,
				  err, sizeof(err))))
		abort();
	if (!req_parse(data[0] & 1 ? OP_CMD : OP_INV, (const char *)data + 1,
		       size - 1, &lim, &r, &p)) {
		if ((r.target == TGT_DEVICES ? !r.ndev : r.ndev) ||
		    r.ndev > lim.max_devices || !r.notif_uri || !r.af_id ||
		    r.plen > AIOTD_PLEN_MAX || r.flen > AIOTD_FILTER_MAX ||
		    r.narea > areas.n ||
		    (r.target == TGT_ROUND && !r.narea && !r.has_filter) ||
		    (r.kind == OP_CMD && (r.narea || r.has_filter)))
			abort();
		op_req_free(&r);
		return 0;
	}
	if (p.status != 400 && p.status != 500)
		abort();
	s = problem_json(&p);
	if (!s)
		return 0;
	j = json_loads(s, 0, NULL);
	if (!j || json_integer_value(json_object_get(j, "status")) != p.status)
		abort();
	json_decref(j);
	free(s);
	return 0;
}
