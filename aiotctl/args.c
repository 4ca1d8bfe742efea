// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Parsers of command-line words (see args.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "hex.h"

int parse_u32(const char *s, uint32_t max, uint32_t *out, char *err,
	      size_t errlen)
{
	uint64_t v = 0;
	const char *p;

	if (!*s) {
		snprintf(err, errlen, "not a decimal number (empty)");
		return -1;
	}
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9') {
			snprintf(err, errlen, "not a decimal number");
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max) {
			snprintf(err, errlen, "more than %u", max);
			return -1;
		}
	}
	*out = (uint32_t)v;
	return 0;
}

int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errlen)
{
	int i, hi, lo;

	if (strlen(s) != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		hi = hex_digit((unsigned char)s[3 * i]);
		lo = hex_digit((unsigned char)s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
bad:
	snprintf(err, errlen, "not a MAC address (aa:bb:cc:dd:ee:ff)");
	return -1;
}

long parse_payload(const char *s, int hex, uint8_t *out, size_t max,
		   char *err, size_t errlen)
{
	size_t len = strlen(s);
	long n;

	if (!hex) {
		if (len > max) {
			snprintf(err, errlen, "payload: %zu bytes, at most %zu",
				 len, max);
			return -1;
		}
		memcpy(out, s, len);
		return (long)len;
	}
	n = hex_decode(s, len, out, max);
	if (n == HEX_LONG)
		snprintf(err, errlen, "payload: %zu bytes, at most %zu",
			 len / 2, max);
	else if (n < 0)
		snprintf(err, errlen, "payload: %s", hex_strerror(n));
	return n < 0 ? -1 : n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

long parse_key_text(const char *s, size_t len, uint8_t key[32], char *err,
		    size_t errlen)
{
	long n;

	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	n = hex_decode(s, len, key, 32);
	if (n == HEX_BAD || n == HEX_ODD) {
		snprintf(err, errlen, "KEY: %s", hex_strerror(n));
		return -1;
	}
	if (n == HEX_LONG)
		n = (long)(len / 2);
	if (n != 16 && n != 32) {
		memset(key, 0, 32);
		snprintf(err, errlen,
			 "KEY: %ld bytes, want 16 or 32 (32 or 64 hex digits)",
			 n);
		return -1;
	}
	return n;
}

int is_printable(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return len > 0;
}

static bool is_help_word(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

int kw_parse(struct kw *kws, const char *noun, int argc, char **argv,
	     char *err, size_t errlen)
{
	struct kw *k;
	int i;

	for (k = kws; k->name; k++) {
		k->seen = false;
		k->val = NULL;
	}
	for (i = 0; i < argc; i++) {
		for (k = kws; k->name && strcmp(k->name, argv[i]); k++)
			;
		if (!k->name) {
			if (is_help_word(argv[i]))
				return KW_HELP;
			snprintf(err, errlen, "unknown %s '%.40s'", noun,
				 argv[i]);
			return -1;
		}
		if (k->seen) {
			snprintf(err, errlen, "%s '%s' given twice", noun,
				 k->name);
			return -1;
		}
		k->seen = true;
		if (k->type == KW_FLAG)
			continue;
		if (i + 1 == argc) {
			snprintf(err, errlen, "%s needs a value", k->name);
			return -1;
		}
		k->val = argv[++i];
	}
	return 0;
}

int kw_invalid(const struct kw *k, const char *why, char *err, size_t errlen)
{
	const char *v = k->val ? k->val : "";

	snprintf(err, errlen, "%s: %s ('%.40s%s')", k->name, why, v,
		 strlen(v) > 40 ? "..." : "");
	return -1;
}

int kw_u32(const struct kw *k, uint32_t max, uint32_t *out, char *err,
	   size_t errlen)
{
	char why[ARGS_ERR_MAX];

	if (parse_u32(k->val ? k->val : "", max, out, why, sizeof(why)))
		return kw_invalid(k, why, err, errlen);
	return 0;
}
