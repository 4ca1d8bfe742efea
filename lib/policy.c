// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The readable policy syntax (see policy.h). */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "hex.h"
#include "policy.h"

#define TOKEN_SHOW	24	/* at most this much of a bad token is quoted */

/* The byte rules are the codec's (proto/codec.c), as the kernel applies them. */
static uint8_t codec_kind(enum policy_kind kind)
{
	return kind == POLICY_MINIMUM ? AIOT_POLICY_MINIMUM : AIOT_MSG_COMMAND;
}

bool policy_valid(uint8_t p, enum policy_kind kind)
{
	return !aiot_policy_why(p, codec_kind(kind));
}

static int parse_byte(const char *s, enum policy_kind kind, uint8_t *out,
		      char *err, size_t errlen)
{
	size_t len = strlen(s + 2);
	uint8_t p;

	if (!len || len > 2 || hex_digit((unsigned char)s[2]) < 0 ||
	    (len == 2 && hex_digit((unsigned char)s[3]) < 0)) {
		snprintf(err, errlen,
			 "'%.*s': want 0x and one or two hex digits",
			 TOKEN_SHOW, s);
		return -1;
	}
	p = (uint8_t)hex_digit((unsigned char)s[2]);
	if (len == 2)
		p = (uint8_t)(p << 4 | hex_digit((unsigned char)s[3]));
	if (!policy_valid(p, kind)) {
		snprintf(err, errlen, "0x%02x: %s", p,
			 aiot_policy_why(p, codec_kind(kind)));
		return -1;
	}
	*out = p;
	return 0;
}

enum {
	T_ENC = 1 << 0,
	T_TID = 1 << 1,
	T_PC = 1 << 2,
	T_PI = 1 << 3,
	T_MI = 1 << 4,
	T_MAC = 1 << 5,
};

static const struct {
	const char *name;
	unsigned int bit;
	uint8_t value;
} tokens[] = {
	{ "enc", T_ENC, AIOTSEC_POL_IDP_ENC },
	{ "tid", T_TID, AIOTSEC_POL_IDP_TID },
	{ "pc", T_PC, AIOTSEC_POL_PC },
	{ "pi", T_PI, AIOTSEC_POL_PI },
	{ "mi", T_MI, AIOTSEC_POL_MI },
	{ "mac=4", T_MAC, 0 << AIOTSEC_POL_ML_SHIFT },
	{ "mac=8", T_MAC, 1 << AIOTSEC_POL_ML_SHIFT },
	{ "mac=16", T_MAC, 2 << AIOTSEC_POL_ML_SHIFT },
};

#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

int policy_parse(const char *s, enum policy_kind kind, uint8_t *out,
		 char *err, size_t errlen)
{
	unsigned int seen = 0, i;
	const char *tok, *end;
	uint8_t p = 0;
	size_t len;

	if (!*s) {
		snprintf(err, errlen, "empty");
		return -1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_byte(s, kind, out, err, errlen);
	for (tok = s;; tok = end + 1) {
		end = strchr(tok, ',');
		len = end ? (size_t)(end - tok) : strlen(tok);
		for (i = 0; i < NTOKENS; i++)
			if (strlen(tokens[i].name) == len &&
			    !memcmp(tokens[i].name, tok, len))
				break;
		if (!len) {
			snprintf(err, errlen, "'%.*s': empty token",
				 TOKEN_SHOW, s);
			return -1;
		}
		if (i == NTOKENS) {
			if (len > 4 && !memcmp(tok, "mac=", 4))
				snprintf(err, errlen,
					 "'%.*s': MAC length must be 4, 8 or 16",
					 (int)(len < TOKEN_SHOW ? len : TOKEN_SHOW),
					 tok);
			else
				snprintf(err, errlen,
					 "unknown token '%.*s' (want enc, tid, pc, pi, mi, mac=4|8|16)",
					 (int)(len < TOKEN_SHOW ? len : TOKEN_SHOW),
					 tok);
			return -1;
		}
		if (seen & tokens[i].bit) {
			snprintf(err, errlen, "%s given twice",
				 tokens[i].bit == T_MAC ? "mac=" :
				 tokens[i].name);
			return -1;
		}
		seen |= tokens[i].bit;
		p |= tokens[i].value;
		if (!end)
			break;
	}
	if ((seen & (T_ENC | T_TID)) == (T_ENC | T_TID)) {
		snprintf(err, errlen, "enc and tid exclude each other");
		return -1;
	}
	if ((seen & (T_PI | T_MI)) == (T_PI | T_MI)) {
		snprintf(err, errlen, "pi and mi exclude each other");
		return -1;
	}
	if (kind == POLICY_REQUEST && !(seen & (T_ENC | T_TID))) {
		snprintf(err, errlen,
			 "ID protection is required: enc or tid");
		return -1;
	}
	if (kind == POLICY_REQUEST && !(seen & (T_PI | T_MI))) {
		snprintf(err, errlen,
			 "integrity is required: pi or mi");
		return -1;
	}
	*out = p;
	return 0;
}

void policy_format(uint8_t p, char *buf, size_t len)
{
	uint8_t idp = p & AIOTSEC_POL_IDP_MASK;
	uint8_t integ = p & (AIOTSEC_POL_PI | AIOTSEC_POL_MI);

	if (!len)
		return;
	if (p & AIOTSEC_POL_RESERVED || !aiot_mac_len(p) ||
	    idp == AIOTSEC_POL_IDP_MASK ||
	    integ == (AIOTSEC_POL_PI | AIOTSEC_POL_MI)) {
		snprintf(buf, len, "0x%02x", p);
		return;
	}
	snprintf(buf, len, "%s%s%s%smac=%u",
		 idp == AIOTSEC_POL_IDP_ENC ? "enc," :
		 idp == AIOTSEC_POL_IDP_TID ? "tid," : "",
		 p & AIOTSEC_POL_PC ? "pc," : "",
		 p & AIOTSEC_POL_PI ? "pi," : "",
		 p & AIOTSEC_POL_MI ? "mi," : "",
		 aiot_mac_len(p));
}
