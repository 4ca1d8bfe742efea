// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host tests of the key-store parser (lib/keystore.c). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "keystore.h"
#include "tap.h"

#define K16 "000102030405060708090a0b0c0d0e0f"
#define K32 K16 "101112131415161718191a1b1c1d1e1f"

static int parse(struct keystore *ks, const char *text, char *err,
		 size_t errlen)
{
	return ks_parse(ks, "f", text, strlen(text), err, errlen);
}

static void test_example(void)
{
	static const uint8_t id[16] = {
		0, 0, 0, 0, 0xe2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x04,
		0x00, 0x00, 0xa1, 0xb2,
	};
	const char *text =
		"# comment, to the end of the line; blank lines are ignored\n"
		"# ID (hex, 1-16 bytes)    KEY (hex, 16 or 32 bytes)         POLICY          [MIN]        [group GROUP]\n"
		"e2801160600002040000a1b2  " K16 "  tid,pc,mi,mac=8  tid,mi,mac=8  group 4d41494e00000000\n";
	struct keystore ks;
	char err[256] = "";
	int ret, i, keyok = 1;

	ret = parse(&ks, text, err, sizeof(err));
	if (!tap_ok(!ret && ks.n == 1, "the example of keystore.h parses"))
		tap_diag("%s", err);
	if (ret || ks.n != 1)
		return;
	for (i = 0; i < 16; i++)
		keyok &= ks.e[0].key[i] == i;
	tap_ok(!memcmp(ks.e[0].id, id, 16), "ID left-padded to 16 bytes");
	tap_ok(keyok && ks.e[0].key_len == 16, "16-byte key");
	tap_ok(ks.e[0].policy == 0x36 && ks.e[0].min_policy == 0x32,
	       "POLICY 0x36, MIN 0x32");
	tap_ok(!memcmp(ks.e[0].group, "MAIN\0\0\0\0", 8),
	       "group 4d41494e00000000: the bytes 'MAIN' and four zeros");
	tap_ok(ks.e[0].line == 3, "entry remembers line 3");
	ks_free(&ks);
	tap_ok(!ks.e && !ks.n, "ks_free empties the store");
}

static void test_layout(void)
{
	const char *text =
		"\n   \n\t# indented comment\r\n"
		"01\t" K32 "\tenc,pi\r\n"
		"  02 " K16 " tid,mi,mac=16 mac=8 # inline comment\n"
		"03 " K16 " enc,pi#glued comment";
	struct keystore ks;
	char err[256] = "";
	int ret;

	ret = parse(&ks, text, err, sizeof(err));
	if (!tap_ok(!ret && ks.n == 3,
		    "tabs, CRLF, comments, no final newline"))
		tap_diag("%s", err);
	if (ret || ks.n != 3)
		return;
	tap_ok(ks.e[0].key_len == 32 && ks.e[0].key[31] == 0x1f &&
	       ks.e[0].id[15] == 1 && ks.e[0].line == 4, "32-byte key, line 4");
	tap_ok(ks.e[0].min_policy == ks.e[0].policy,
	       "MIN defaults to POLICY");
	tap_ok(ks.e[1].policy == 0x52 && ks.e[1].min_policy == 0x20 &&
	       ks.e[1].line == 5, "MIN given, line 5");
	tap_ok(ks.e[2].policy == 0x09 && ks.e[2].line == 6,
	       "comment glued to the last field");
	ks_free(&ks);

	tap_ok(!parse(&ks, "", err, sizeof(err)) && !ks.n, "empty file");
	ks_free(&ks);
	tap_ok(!parse(&ks, "# nothing\n\n", err, sizeof(err)) && !ks.n,
	       "only comments");
	ks_free(&ks);
}

/* The optional group: where it may stand, its bytes, its default. */
static void test_groups(void)
{
	const char *text =
		"01 " K16 " enc,pi\n"
		"02 " K16 " enc,pi group 0011223344556677\n"
		"03\t" K16 "\tenc,pi,mac=8\tmac=4\tgroup\tFFEEDDCCBBAA9988  # upper case\n"
		"04 " K16 " enc,pi mac=4 group 8000000000000001#glued\n";
	static const uint8_t want[4][8] = {
		{ 0 },
		{ 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 },
		{ 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88 },
		{ 0x80, 0, 0, 0, 0, 0, 0, 0x01 },
	};
	struct keystore ks;
	char err[256] = "";
	int ret, i;

	ret = parse(&ks, text, err, sizeof(err));
	if (!tap_ok(!ret && ks.n == 4, "groups after POLICY and after MIN"))
		tap_diag("%s", err);
	if (ret || ks.n != 4)
		return;
	for (i = 0; i < 4; i++)
		tap_ok(!memcmp(ks.e[i].group, want[i], 8),
		       "line %d: the group's bytes in wire order", i + 1);
	tap_ok(ks.e[1].min_policy == ks.e[1].policy,
	       "a group alone: MIN still defaults to POLICY");
	tap_ok(ks.e[2].policy == 0x29 && ks.e[2].min_policy == 0x00,
	       "MIN then group: both taken (tabs)");
	ks_free(&ks);
}

/*
 * Text written from numbers, read back: each line's group must be the
 * big-endian bytes of the number printf wrote, with or without MIN.
 */
static void test_group_round_trip(void)
{
	const size_t n = 1000;
	uint64_t x = 0x9e3779b97f4a7c15ull, v[1000];
	size_t i, len = 0, ok = 1;
	struct keystore ks;
	char *text, err[256] = "";
	int b;

	text = malloc(n * 100);
	if (!text)
		return;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = i % 7 ? x : 0;
		len += (size_t)sprintf(text + len, "%04zx " K16 " tid,mi%s%s%016llx\n",
				       i + 1, i % 2 ? " mac=4" : "",
				       i % 3 ? " group " : " group\t",
				       (unsigned long long)v[i]);
	}
	if (!tap_ok(!ks_parse(&ks, "rt", text, len, err, sizeof(err)) &&
		    ks.n == n, "1000 random groups parse"))
		tap_diag("%s", err);
	for (i = 0; i < ks.n; i++)
		for (b = 0; b < 8; b++)
			ok &= ks.e[i].group[b] == (uint8_t)(v[i] >> (56 - 8 * b));
	tap_ok(ok && ks.n == n, "each group is the big-endian value written");
	ks_free(&ks);
	free(text);
}

struct bad {
	const char *text;
	const char *want;	/* exact message */
};

static const struct bad bads[] = {
	{ "01 " K16 " enc,pi\n02 " K16 "00000000 enc,pi\n",
	  "f:2: KEY: 20 bytes, want 16 or 32 (32 or 64 hex digits)" },
	{ "01 " K32 "00 enc,pi\n",
	  "f:1: KEY: 33 bytes, want 16 or 32 (32 or 64 hex digits)" },
	{ "01 0 enc,pi\n", "f:1: KEY: odd number of hex digits" },
	{ "01 " K16 "zz enc,pi\n", "f:1: KEY: not a hex digit" },
	{ "\n\n0g " K16 " enc,pi\n", "f:3: ID: not a hex digit" },
	{ "000000000000000000000000000000000001 " K16 " enc,pi\n",
	  "f:1: ID: 36 hex digits, at most 32" },
	{ "01\n", "f:1: missing KEY (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 "\n", "f:1: missing POLICY (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 " enc,pi mac=4 extra\n",
	  "f:1: too many fields (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 " enc\n", "f:1: POLICY: integrity is required: pi or mi" },
	{ "01 " K16 " enc,pi bogus\n",
	  "f:1: MIN: unknown token 'bogus' (want enc, tid, pc, pi, mi, mac=4|8|16)" },
	{ "01 " K16 " enc,pi mi\n",
	  "f:1: POLICY enc,pi,mac=4 is below MIN mi,mac=4" },
	{ "01 " K16 " enc,mi,mac=4 mac=8\n",
	  "f:1: POLICY enc,mi,mac=4 is below MIN mac=8" },
	{ "01 " K16 " enc,pi,mac=16 pc\n",
	  "f:1: POLICY enc,pi,mac=16 is below MIN pc,mac=4" },
	{ "01 " K16 " enc,pi\n0001 " K16 " tid,mi\n",
	  "f:2: ID 00000000000000000000000000000001: already on line 1" },
	{ "01 " K16 " enc,pi\n02 " K16 " enc,pi\n02 " K16 " enc,pi\n"
	  "01 " K16 " enc,pi\n",
	  "f:3: ID 00000000000000000000000000000002: already on line 2" },
	{ "01 " K16 " enc,pi\n02 \0" K16 " enc,pi\n", "f:2: NUL byte" },
	{ "01 " K16 " enc,pi group\n",
	  "f:1: group: a value is required (16 hex digits)" },
	{ "01 " K16 " enc,pi mac=4 group\n",
	  "f:1: group: a value is required (16 hex digits)" },
	{ "01 " K16 " enc,pi group 00112233445566\n",
	  "f:1: group: 14 hex digits, want 16 (8 bytes)" },
	{ "01 " K16 " enc,pi group 0011223344556677ff\n",
	  "f:1: group: 18 hex digits, want 16 (8 bytes)" },
	{ "01 " K16 " enc,pi group 001122334455667g\n",
	  "f:1: group: not a hex digit" },
	{ "01 " K16 " enc,pi group 0011223344556677 mac=4\n",
	  "f:1: too many fields (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 " enc,pi mac=4 group 0011223344556677 x\n",
	  "f:1: too many fields (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 " enc,pi mac=4 0011223344556677\n",
	  "f:1: too many fields (want ID KEY POLICY [MIN] [group GROUP])" },
	{ "01 " K16 " enc,pi GROUP 0011223344556677\n",
	  "f:1: MIN: unknown token 'GROUP' (want enc, tid, pc, pi, mi, mac=4|8|16)" },
	{ "01 " K16 " enc,pi,mac=" "00000000000000000000000000000000000000000000000000000000000000000000\n",
	  "f:1: POLICY: too long" },
};

static void test_errors(void)
{
	struct keystore ks;
	char err[256];
	size_t i, len;
	int ret;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		len = strlen(bads[i].text);
		if (strstr(bads[i].want, "NUL"))
			len += 1 + strlen(bads[i].text + len + 1);
		err[0] = '\0';
		ret = ks_parse(&ks, "f", bads[i].text, len, err, sizeof(err));
		if (!tap_ok(ret == -1 && !strcmp(err, bads[i].want) &&
			    !ks.n && !ks.e, "%s", bads[i].want))
			tap_diag("ret %d n %zu, got '%s'", ret, ks.n, err);
	}
	ret = ks_parse(&ks, "f", "01\n", 3, NULL, 0);
	tap_ok(ret == -1, "no room for the message is fine");
}

/* Many entries: growth, and a duplicate found at the very end. */
static void test_many(void)
{
	const size_t n = 100000;
	size_t i, len = 0, ok = 1;
	struct keystore ks;
	char *text, err[256];

	text = malloc((n + 1) * 80);
	if (!text)
		return;
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%08zx " K16 " tid,mi\n", i);
	tap_ok(!ks_parse(&ks, "big", text, len, err, sizeof(err)) &&
	       ks.n == n, "100000 entries");
	for (i = 0; i < ks.n; i++)
		ok &= ks.e[i].line == i + 1 && ks.e[i].id[15] == (i & 0xff);
	tap_ok(ok, "in file order, with their lines");
	ks_free(&ks);
	len += (size_t)sprintf(text + len, "%08x " K16 " tid,mi\n", 4242);
	tap_ok(ks_parse(&ks, "big", text, len, err, sizeof(err)) &&
	       !strcmp(err, "big:100001: ID 00000000000000000000000000001092: already on line 4243"),
	       "duplicate on the last line: %s", err);
	free(text);
}

static void test_load(void)
{
	char dir[] = "/tmp/ks-test.XXXXXX", path[64], err[256], *w;
	const char *text = "01 " K16 " enc,pi\n";
	struct keystore ks;
	size_t wlen;
	FILE *warn;
	int fd;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/keys", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return;
	close(fd);

	warn = open_memstream(&w, &wlen);
	tap_ok(!ks_load(&ks, path, warn, err, sizeof(err)) && ks.n == 1,
	       "ks_load of a 0600 file");
	fclose(warn);
	tap_ok(!wlen, "no warning for mode 0600");
	free(w);
	ks_free(&ks);

	chmod(path, 0640);
	warn = open_memstream(&w, &wlen);
	tap_ok(ks_load(&ks, path, warn, err, sizeof(err)) && !ks.n &&
	       strstr(err, "readable by its group (chmod 600 it), or pass --insecure-keys"),
	       "a 0640 file is refused: %s", err);
	fclose(warn);
	tap_ok(!wlen, "refused, not warned");
	free(w);
	ks_free(&ks);

	chmod(path, 0602);
	tap_ok(ks_load(&ks, path, stderr, err, sizeof(err)) &&
	       strstr(err, "writable by others"), "a 0602 file is refused: %s", err);
	ks_free(&ks);

	chmod(path, 0604);
	ks_insecure_ok = true;
	warn = open_memstream(&w, &wlen);
	tap_ok(!ks_load(&ks, path, warn, err, sizeof(err)) && ks.n == 1,
	       "--insecure-keys: a 0604 file is taken");
	fclose(warn);
	tap_ok(wlen && strstr(w, "readable by others (chmod 600 it); used anyway (--insecure-keys)"),
	       "--insecure-keys: warns: others");
	ks_insecure_ok = false;
	free(w);
	ks_free(&ks);
	tap_ok(!ks_load(&ks, path, NULL, err, sizeof(err)),
	       "no warning stream is fine");
	ks_free(&ks);

	unlink(path);
	tap_ok(ks_load(&ks, path, NULL, err, sizeof(err)) &&
	       strstr(err, "No such file"), "missing file: %s", err);
	rmdir(dir);
}

int main(void)
{
	test_example();
	test_layout();
	test_groups();
	test_group_round_trip();
	test_errors();
	test_many();
	test_load();
	return tap_done();
}
