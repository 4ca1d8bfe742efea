// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of aiotctl's output layer (aiotctl/out.c): the same calls make
 * the plain line and the JSON object; PRINT_FP and PRINT_JSON keep a
 * value to one of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"
#include "out.h"
#include "tap.h"

static char *buf;
static size_t len;

/* The calls of one record, as a command makes them. */
static void record(void)
{
	static const uint8_t id[2] = { 0xab, 0x01 };

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_ANY, "event", "%s", "auth");
	print_u64(PRINT_ANY, "cookie", " cookie %" PRIu64, 7);
	print_hex(PRINT_ANY, "id", " id %s", id, sizeof(id));
	print_u64(PRINT_JSON, "ifindex", NULL, 3);
	print_str(PRINT_FP, NULL, " (%s)", "plain only");
	print_hex(PRINT_ANY, "cap", " cap %s", id, 0);
	print_f64(PRINT_ANY, "secs", " %.2f s", 1.5, 3);
	open_obj(PRINT_ANY, "drops", " drops:");
	print_u64_line(PRINT_ANY, " ", 4, "mac", 2);
	close_obj(PRINT_ANY);
	print_plain("%s", "[plain]");
	print_nl(PRINT_ANY);
	close_obj(PRINT_JSON);
}

static void run(bool json)
{
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	out_init(json, f);
	tap_ok(out_json() == json, "out_json() is %d", json);
	record();
	fclose(f);
}

int main(void)
{
	char err[128];
	long n = 0;
	FILE *f;
	int i;

	run(false);
	if (!tap_ok(!strcmp(buf, "auth cookie 7 id ab01 (plain only) cap - 1.50 s"
			    " drops: mac  2\n[plain]\n"),
		    "plain: one line from the calls"))
		tap_diag("%s", buf);
	run(true);
	if (!tap_ok(!strcmp(buf, "{\"event\":\"auth\",\"cookie\":7,\"id\":\"ab01\","
			    "\"ifindex\":3,\"cap\":\"\",\"secs\":1.500,"
			    "\"drops\":{\"mac\":2}}\n"),
		    "JSON: one object from the same calls, one line"))
		tap_diag("%s", buf);
	tap_ok(!jsonv_check(buf, len, NULL, err, sizeof(err)), "JSON is valid");

	/* A top-level array: one element per line, then a newline. */
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	out_init(true, f);
	open_arr(PRINT_JSON, NULL);
	for (i = 0; i < 3; i++)
		record();
	close_arr(PRINT_JSON);
	fclose(f);
	tap_ok(!jsonv_check(buf, len, &n, err, sizeof(err)) && n == 3,
	       "an array of three records: valid, 3 elements");
	tap_ok(len && buf[len - 1] == '\n' && strstr(buf, "}},\n{"),
	       "one element per line, a newline at the end");

	/* Table cells: padded, two blanks apart, a new row after a newline. */
	for (i = 0; i < 2; i++) {
		static const uint8_t id[2] = { 0x0a, 0xff };

		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		out_init(i, f);
		open_obj(PRINT_JSON, NULL, NULL);
		print_hex_col(PRINT_ANY, "id", 6, id, sizeof(id));
		print_u64_col(PRINT_FP, NULL, 3, 128);
		print_u64_col(PRINT_ANY, "n", 0, 18446744073709551615ull);
		print_str_col(PRINT_ANY, "s", 0, "x");
		print_nl(PRINT_ANY);
		print_u64_col(PRINT_ANY, "z", 2, 0);
		print_hex_col(PRINT_ANY, "e", 0, id, 0);
		close_obj(PRINT_JSON);
		fclose(f);
		if (!tap_ok(!strcmp(buf, i ?
				    "{\"id\":\"0aff\",\"n\":18446744073709551615,"
				    "\"s\":\"x\",\"z\":0,\"e\":\"\"}\n" :
				    "0aff    128  18446744073709551615  x\n0   -"),
			    "table cells, %s", i ? "JSON" : "plain"))
			tap_diag("'%s'", buf);
	}

	/* Arrays and PRINT_JSON print nothing plain. */
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	out_init(false, f);
	open_arr(PRINT_ANY, "x");
	print_u64(PRINT_JSON, "n", "%" PRIu64, 1);
	close_arr(PRINT_ANY);
	fclose(f);
	tap_ok(len == 0, "plain: no trace of JSON-only calls");
	free(buf);
	return tap_done();
}
