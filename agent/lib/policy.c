// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The readable policy syntax (see policy.h). */
#include <stdio.h>
#include <string.h>

#include "../../uapi/linux/aiotsec.h"
#include "hex.h"
#include "policy.h"

#define POL_ML(p)	(((p) & AIOTSEC_POL_ML_MASK) >> AIOTSEC_POL_ML_SHIFT)
#define TOKEN_SHOW	24	/* at most this much of a bad token is quoted */

unsigned int policy_mac_len(uint8_t p)
{
	static const unsigned int len[4] = { 4, 8, 16, 0 };

	return len[POL_ML(p)];
}

bool policy_valid(uint8_t p, enum policy_kind kind)
{
	uint8_t idp = p & AIOTSEC_POL_IDP_MASK;
	uint8_t integ = p & (AIOTSEC_POL_PI | AIOTSEC_POL_MI);

	if (p & AIOTSEC_POL_RESERVED || !policy_mac_len(p))
		return false;
	if (kind == POLICY_MINIMUM)
		return true;
	return (idp == AIOTSEC_POL_IDP_ENC || idp == AIOTSEC_POL_IDP_TID) &&
	       (integ == AIOTSEC_POL_PI || integ == AIOTSEC_POL_MI);
}

bool policy_meets(uint8_t p, uint8_t min)
{
	if (policy_mac_len(p) < policy_mac_len(min))
		return false;
	if ((min & AIOTSEC_POL_PC) && !(p & AIOTSEC_POL_PC))
		return false;
	if ((min & AIOTSEC_POL_MI) && !(p & AIOTSEC_POL_MI))
		return false;
	return true;
}

/* Why the byte @p is not a valid policy of @kind. */
static void why_invalid(uint8_t p, enum policy_kind kind, char *err,
			size_t errlen)
{
	uint8_t idp = p & AIOTSEC_POL_IDP_MASK;
	uint8_t integ = p & (AIOTSEC_POL_PI | AIOTSEC_POL_MI);
	const char *why = "invalid";

	if (p & AIOTSEC_POL_RESERVED)
		why = "bit 7 must be 0";
	else if (!policy_mac_len(p))
		why = "MAC length field (bits 5-6) must be 0, 1 or 2";
	else if (kind == POLICY_REQUEST && idp != AIOTSEC_POL_IDP_ENC &&
		 idp != AIOTSEC_POL_IDP_TID)
		why = "ID protection (bits 0-1) must be 1 (enc) or 2 (tid)";
	else if (kind == POLICY_REQUEST && integ != AIOTSEC_POL_PI &&
		 integ != AIOTSEC_POL_MI)
		why = "exactly one of pi (bit 3) and mi (bit 4) is required";
	snprintf(err, errlen, "0x%02x: %s", p, why);
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
		why_invalid(p, kind, err, errlen);
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
	if (p & AIOTSEC_POL_RESERVED || !policy_mac_len(p) ||
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
		 policy_mac_len(p));
}
