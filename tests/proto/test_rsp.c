// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The .rsp reader: what it accepts, what it rejects (with the file:line of
 * the fault), the checks of profile records, the shared vector files, and
 * a few thousand pseudo-random inputs under the sanitizers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "thelp.h"

static int parse(struct rsp_file *f, const char *text)
{
	return rsp_parse(f, "t.rsp", text, strlen(text));
}

static void test_good(void)
{
	static const char text[] =
		"# lead\n# second\n\n"
		"COUNT = 7\nALG = NIA2\nKEY = 00fF\nMSG = \n"
		"COUNT = 398a59b4\n# inside\n"
		"\n  \t\n\n"
		"X=01\nY  =\t0203  \nZ = ";
	const struct rsp_line *l;
	struct rsp_file f;
	const struct rsp_block *b;
	size_t len;
	const u8 *p;
	bool pass;

	pass = !parse(&f, text) && f.nblk == 3;
	tap_ok(pass, "comments, blank and white-space lines, no final "
	       "newline: 3 blocks");
	if (!pass) {
		tap_diag("%s", f.err);
		rsp_free(&f);
		return;
	}
	tap_ok(f.blk[0].nfield == 0 && f.blk[0].nline == 2 &&
	       !strcmp(f.blk[0].line[1].text, "# second"),
	       "leading comments kept as a block of their own");
	b = &f.blk[1];
	tap_ok(b->nline == 6 && b->nfield == 5 && b->lineno == 4 &&
	       rsp_count(b, "COUNT") == 2 &&
	       !strcmp(rsp_find(b, "COUNT", 0)->text, "7") &&
	       !strcmp(rsp_find(b, "COUNT", 1)->text, "398a59b4") &&
	       !rsp_find(b, "COUNT", 2) && rsp_find(b, "COUNT", 1)->len == 4 &&
	       rsp_find(b, "COUNT", 1)->lineno == 8,
	       "a repeated name: each occurrence in order, with its line");
	l = rsp_find(b, "ALG", 0);
	tap_ok(l && !strcmp(l->text, "NIA2") && !l->bin,
	       "ALG's value is a name, not hex");
	p = rsp_bytes(&f, b, "KEY", 0, 2, 2, &len);
	tap_ok(p && len == 2 && p[0] == 0x00 && p[1] == 0xff,
	       "hex of either case decoded");
	p = rsp_bytes(&f, b, "MSG", 0, 0, 0, &len);
	tap_ok(p && len == 0, "an empty value is a zero-length field");
	p = rsp_bytes(&f, b, "COUNT", 0, 0, 16, &len);
	tap_ok(!p && !strcmp(f.err, "t.rsp:4: COUNT is not an even number of "
			     "hex digits"), "odd hex refused where bytes "
	       "are wanted: %s", f.err);
	p = rsp_bytes(&f, b, "KEY", 0, 16, 16, &len);
	tap_ok(!p && strstr(f.err, "t.rsp:6: KEY has 2 bytes, not 16"),
	       "wrong length refused: %s", f.err);
	p = rsp_bytes(&f, b, "IV", 0, 16, 16, &len);
	tap_ok(!p && strstr(f.err, "t.rsp:4: record has no IV"),
	       "missing field refused: %s", f.err);
	b = &f.blk[2];
	tap_ok(b->nfield == 3 && !strcmp(rsp_find(b, "X", 0)->text, "01") &&
	       !strcmp(rsp_find(b, "Y", 0)->text, "0203") &&
	       rsp_find(b, "Z", 0)->len == 0 && rsp_find(b, "Z", 0)->bin,
	       "spacing around '=' and after the value is free");
	rsp_free(&f);

	pass = !parse(&f, "") && f.nblk == 0;
	rsp_free(&f);
	tap_ok(pass, "empty input: no blocks");
}

static void test_bad(void)
{
	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "K = 0g\n", "t.rsp:1: K: invalid hex digit" },
		{ "COUNT = 0\nK 00\n", "t.rsp:2: expected '=' after the name" },
		{ "COUNT = 0\n K = 00\n", "t.rsp:2: leading white space" },
		{ "[Keylen = 128]\n", "t.rsp:1: section headers are not" },
		{ "\n\nALG = \n", "t.rsp:3: ALG: empty name" },
		{ "ALG = a-b\n", "t.rsp:1: ALG: invalid character in name" },
		{ "= 00\n", "t.rsp:1: expected 'NAME = value'" },
		{ "1K = 00\n", "t.rsp:1: expected 'NAME = value'" },
		{ "K = 00 11\n", "t.rsp:1: K: invalid hex digit" },
		{ "K = 00\r\n", "t.rsp:1: carriage return" },
		{ "K-1 = 00\n", "t.rsp:1: expected '=' after the name" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 = 00\n",
		  "t.rsp:1: name longer than 32" },
	};
	struct rsp_file f;
	char *big;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bool pass = parse(&f, bad[i].text) == -1 &&
			    !strncmp(f.err, bad[i].err, strlen(bad[i].err));

		tap_ok(pass, "rejected: %s", f.err);
		rsp_free(&f);
	}
	tap_ok(rsp_parse(&f, "t.rsp", "K = 00\n\nK = 0\0001\n", 16) == -1 &&
	       !strcmp(f.err, "t.rsp:3: NUL byte"), "rejected: %s", f.err);
	rsp_free(&f);
	big = calloc(RSP_FILE_MAX + 1, 1);
	if (big) {
		memset(big, '\n', RSP_FILE_MAX + 1);
		tap_ok(rsp_parse(&f, "t.rsp", big, RSP_FILE_MAX + 1) == -1 &&
		       !strncmp(f.err, "t.rsp: larger than", 18),
		       "rejected: %s", f.err);
		rsp_free(&f);
		tap_ok(!rsp_parse(&f, "t.rsp", big, RSP_FILE_MAX) && !f.nblk,
		       "4 MiB of blank lines: no blocks");
		rsp_free(&f);
		free(big);
	}
	tap_ok(rsp_load(&f, "/nonexistent/x.rsp") == -1 &&
	       !strcmp(f.err, "/nonexistent/x.rsp: No such file or directory"),
	       "missing file: %s", f.err);
	rsp_free(&f);
}

static const char pv_good[] =
	"COUNT = 0\nK = 000102030405060708090a0b0c0d0e0f\n"
	"ID = 000102030405060708090a0b0c0d0e0f\n"
	"NN = 000102030405060708090a0b0c0d0e0f\n"
	"DN = 000102030405060708090a0b0c0d0e0f\n"
	"NN2 = 000102030405060708090a0b0c0d0e0f\n"
	"DN2 = 000102030405060708090a0b0c0d0e0f\n"
	"POLICY = 09\nPAYLOAD = \nRESP_PAYLOAD = 00\nCAP = \n";

/* Profile records: unknown, repeated and extra fields. */
static void test_pvec_fields(void)
{
	static const struct {
		const char *extra;
		const char *err;
	} bad[] = {
		{ "FOO = 00\n", "t.rsp:12: unknown field FOO" },
		{ "CAP = 00\n", "t.rsp:11: CAP given twice" },
		{ "COUNT = 1\n", "t.rsp:1: COUNT given twice" },
		{ "PAGING = 0011\n", NULL },
	};
	char text[2048];
	struct rsp_file f;
	struct pvec v;
	size_t i;
	bool pass;

	pass = !parse(&f, pv_good) && !pvec_read(&f, &f.blk[0], &v) &&
	       v.policy == 0x09 && v.klen == 16 && v.rlen == 1 && !v.msg[0];
	tap_ok(pass, "a record of inputs only is read");
	rsp_free(&f);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "%s%s", pv_good, bad[i].extra);
		pass = !parse(&f, text);
		if (bad[i].err)
			pass &= pvec_read(&f, &f.blk[0], &v) == -1 &&
				!strncmp(f.err, bad[i].err,
					 strlen(bad[i].err));
		else
			pass &= !pvec_read(&f, &f.blk[0], &v) &&
				v.msglen[PV_PAGING] == 2;
		tap_ok(pass, "profile record + %.*s: %s",
		       (int)strlen(bad[i].extra) - 1, bad[i].extra,
		       bad[i].err ? f.err : "output kept");
		rsp_free(&f);
	}
}

#define ZEROS_11	"0000000000000000000000"
#define ZEROS_33	ZEROS_11 ZEROS_11 ZEROS_11

/* Profile records: values out of range or missing. */
static void test_pvec_values(void)
{
	static const struct {
		const char *from, *to, *err;
	} sub[] = {
		{ "POLICY = 09", "POLICY = 0b",
		  "t.rsp:8: POLICY 0b is not valid" },
		{ "POLICY = 09", "POLICY = 0109",
		  "t.rsp:8: POLICY has 2 bytes" },
		{ "K = 0001", "K = 0101010101",
		  "t.rsp:2: K has 19 bytes, not 16 or 32" },
		{ "ID = 00", "ID = 0000", "t.rsp:3: ID has 17 bytes, not 16" },
		{ "CAP = ", "CAP = " ZEROS_33, "t.rsp:11: CAP has 33" },
		{ "COUNT = 0\n", "", "t.rsp:1: record has no COUNT" },
		{ "DN2 = ", "DN3 = ", "t.rsp:7: unknown field DN3" },
	};
	char text[2048];
	struct rsp_file f;
	struct pvec v;
	size_t i;
	bool pass;

	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		const char *at = strstr(pv_good, sub[i].from);
		size_t pre = (size_t)(at - pv_good);

		snprintf(text, sizeof(text), "%.*s%s%s", (int)pre, pv_good,
			 sub[i].to, at + strlen(sub[i].from));
		pass = !parse(&f, text) &&
		       pvec_read(&f, &f.blk[0], &v) == -1 &&
		       !strncmp(f.err, sub[i].err, strlen(sub[i].err));
		tap_ok(pass, "profile record refused: %s", f.err);
		rsp_free(&f);
	}
}

/* The shared files: the block structure the vector tool relies on. */
static void test_files(const char *dir)
{
	char path[4096];
	struct rsp_file f;
	size_t nrec = 0, i;
	bool pass;

	snprintf(path, sizeof(path), "%s/primitives.rsp", dir);
	pass = !rsp_load(&f, path) && f.nblk == 9 && !f.blk[0].nfield;
	for (i = 1; pass && i < f.nblk; i++)
		pass = rsp_find(&f.blk[i], "ALG", 0);
	pass = pass && rsp_count(&f.blk[8], "COUNT") == 2;
	tap_ok(pass, "primitives.rsp: a comment block and 8 ALG records, "
	       "the NIA2 one with two COUNTs %s", f.err);
	rsp_free(&f);

	snprintf(path, sizeof(path), "%s/profile-v1.rsp", dir);
	pass = !rsp_load(&f, path);
	for (i = 0; pass && i < f.nblk; i++)
		nrec += f.blk[i].nfield == 15;
	tap_ok(pass && nrec == f.nblk - 1 && nrec >= 24,
	       "profile-v1.rsp: a comment block and %zu records of 15 "
	       "fields %s", nrec, f.err);
	rsp_free(&f);
}

/* Random bytes from a small alphabet: no crash, and a located error. */
static void test_random(void)
{
	static const char alpha[] = "AK_=# \t\n0f1g\r[";
	unsigned int i, ok = 0, bad = 0;
	char text[300];
	u8 r[300];
	bool pass = true;

	for (i = 0; i < 20000; i++) {
		struct rsp_file f;
		size_t len = i % sizeof(text), j;

		th_random(r, len);
		for (j = 0; j < len; j++)
			text[j] = alpha[r[j] % (sizeof(alpha) - 1)];
		if (rsp_parse(&f, "r.rsp", text, len)) {
			bad++;
			pass &= !strncmp(f.err, "r.rsp:", 6);
		} else {
			ok++;
		}
		rsp_free(&f);
	}
	tap_ok(pass, "20000 random inputs: %u accepted, %u rejected with "
	       "file:line", ok, bad);
}

int main(int argc, char **argv)
{
	test_good();
	test_bad();
	test_pvec_fields();
	test_pvec_values();
	if (argc > 1)
		test_files(argv[1]);
	test_random();
	return tap_done();
}
