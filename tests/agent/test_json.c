// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Host tests of aiotctl's JSON writer, checked by a strict validator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonv.h"
#include "tap.h"

static char *out;
static size_t outlen;

static FILE *open_out(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static void check_valid(const char *what, long want_elements)
{
	char err[128] = "";
	long n = -1;
	int ret;

	ret = jsonv_check(out, outlen, &n, err, sizeof(err));
	if (!tap_ok(!ret && n == want_elements, "%s: valid, %ld elements", what,
		    want_elements))
		tap_diag("ret %d n %ld %s: %s", ret, n, err, out);
}

static void test_writer(void)
{
	static const uint8_t id[4] = { 0xde, 0xad, 0x00, 0xff };
	struct json j;
	FILE *f;
	int i;

	f = open_out();
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "s", "quote\" backslash\\ nl\n tab\t bell\a del\x7f hi\xff");
	json_u64(&j, "n", 18446744073709551615ull);
	json_hex(&j, "id", id, sizeof(id));
	json_f64(&j, "rate", 12345.678, 1);
	json_f64(&j, "nan", 0.0 / 0.0, 3);
	json_obj_begin(&j, "nested");
	json_arr_begin(&j, "empty");
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_end(&j);
	fclose(f);
	check_valid("object with every kind of member", 1);
	tap_ok(strstr(out, "\"id\":\"dead00ff\"") != NULL, "hex member");
	tap_ok(strstr(out, "\\u00ff") && strstr(out, "\\u0007") &&
	       strstr(out, "\\\"") && strstr(out, "\\\\"),
	       "escapes: %s", out);

	f = open_out();
	json_init(&j, f);
	json_arr_begin(&j, NULL);
	for (i = 0; i < 3; i++) {
		json_obj_begin(&j, NULL);
		json_u64(&j, "i", (uint64_t)i);
		json_obj_begin(&j, "stats");
		json_u64(&j, "a", 1);
		json_u64(&j, "b", 2);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_end(&j);
	fclose(f);
	check_valid("array of three objects", 3);
	tap_ok(!strcmp(out, "[\n{\"i\":0,\"stats\":{\"a\":1,\"b\":2}},\n"
		       "{\"i\":1,\"stats\":{\"a\":1,\"b\":2}},\n"
		       "{\"i\":2,\"stats\":{\"a\":1,\"b\":2}}\n]\n"),
	       "one element per line");

	f = open_out();
	json_init(&j, f);
	json_arr_begin(&j, NULL);
	json_arr_end(&j);
	json_end(&j);
	fclose(f);
	check_valid("empty array", 0);
}

/* One string member through the writer; the whole output must be valid. */
static void one_string(const char *what, const char *s, size_t len,
		       const char *want)
{
	struct json j;
	char *full;
	FILE *f;

	f = open_out();
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_strn(&j, "s", s, len);
	json_obj_end(&j);
	json_end(&j);
	fclose(f);
	check_valid(what, 1);
	if (asprintf(&full, "{\"s\":\"%s\"}\n", want) < 0)
		return;
	if (!tap_ok(!strcmp(out, full), "%s: as expected", what))
		tap_diag("got %s want %s", out, full);
	free(full);
}

#define S(x) x, sizeof(x) - 1

static void test_utf8(void)
{
	/* Valid UTF-8 passes unchanged, whatever its length. */
	one_string("two-byte UTF-8 (clé)", S("cl\xc3\xa9"), "cl\xc3\xa9");
	one_string("three-byte UTF-8 (€)", S("\xe2\x82\xac" "5"), "\xe2\x82\xac" "5");
	one_string("four-byte UTF-8 (U+1F600)", S("\xf0\x9f\x98\x80"),
		   "\xf0\x9f\x98\x80");
	one_string("highest code points", S("\xef\xbf\xbf\xf4\x8f\xbf\xbf"),
		   "\xef\xbf\xbf\xf4\x8f\xbf\xbf");
	one_string("C1 control U+0085 is valid UTF-8", S("\xc2\x85"),
		   "\xc2\x85");
	/* Control characters are escaped. */
	one_string("control characters", S("\x01\x1f\x7f\n\t\r"),
		   "\\u0001\\u001f\\u007f\\n\\t\\u000d");
	one_string("NUL inside", S("a\0b"), "a\\u0000b");
	/* Bytes outside valid UTF-8: \u00XX of each. */
	one_string("a lone continuation byte", S("\x80"), "\\u0080");
	one_string("0xff", S("hi\xff"), "hi\\u00ff");
	one_string("a truncated sequence at the end", S("cl\xc3"),
		   "cl\\u00c3");
	one_string("a truncated sequence before ASCII", S("\xe2\x82x"),
		   "\\u00e2\\u0082x");
	one_string("an overlong '/'", S("\xc0\xaf"), "\\u00c0\\u00af");
	one_string("an overlong three-byte form", S("\xe0\x80\xaf"),
		   "\\u00e0\\u0080\\u00af");
	one_string("a UTF-16 surrogate", S("\xed\xa0\x80"),
		   "\\u00ed\\u00a0\\u0080");
	one_string("above U+10FFFF", S("\xf4\x90\x80\x80"),
		   "\\u00f4\\u0090\\u0080\\u0080");
	one_string("valid after invalid", S("\xff\xc3\xa9"),
		   "\\u00ff\xc3\xa9");
}

static void test_validator(void)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{a:1}", "[01]", "[1.]",
		"\"\x01\"", "\"\\x\"", "[1] [2]", "nul", "[\"\xc3\"]",
		"{\"a\" 1}", "-", "1e",
	};
	static const char *const good[] = {
		"0", "-1.5e+10", " [ ] ", "{\"a\":[true,false,null]}",
		"\"\\u00e9\\n\"", "\"\xc3\xa9\"",
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(jsonv_check(bad[i], strlen(bad[i]), NULL, err,
				   sizeof(err)) == -1,
		       "validator rejects bad input %zu", i);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		tap_ok(!jsonv_check(good[i], strlen(good[i]), NULL, err,
				    sizeof(err)),
		       "validator accepts good input %zu", i);
}

int main(void)
{
	test_writer();
	test_utf8();
	test_validator();
	free(out);
	return tap_done();
}
