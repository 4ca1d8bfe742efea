// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The notifUri destination policy (dest.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dest.h"

#define DEST_MAX	64		/* entries in notif_allow */

struct rule {
	bool net;			/* else a name */
	uint8_t addr[16];		/* IPv4 as IPv4-mapped IPv6 */
	unsigned int bits;		/* prefix length on the 128-bit form */
	char name[256];			/* "host" or "*.domain" */
};

static struct rule rules[DEST_MAX];
static size_t nrules;

/* @s as a 16-byte address (IPv4 mapped): true if an address literal. */
static bool addr16(const char *s, uint8_t *a, bool *v4)
{
	struct in_addr i4;

	if (inet_pton(AF_INET6, s, a) == 1) {
		*v4 = false;
		return true;
	}
	if (inet_pton(AF_INET, s, &i4) != 1)
		return false;
	memset(a, 0, 10);
	a[10] = a[11] = 0xff;
	memcpy(a + 12, &i4, 4);
	*v4 = true;
	return true;
}

static bool in_net(const uint8_t *a, const uint8_t *net, unsigned int bits)
{
	unsigned int full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, full))
		return false;
	return !rest || !((a[full] ^ net[full]) & (0xff << (8 - rest)));
}

static bool is_v4(const uint8_t *a)
{
	static const uint8_t pre[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(a, pre, 12);
}

/* Why @a may not be a destination by default, or NULL. */
static const char *internal(const uint8_t *a)
{
	static const uint8_t zero[16];

	if (is_v4(a)) {
		if (a[12] == 169 && a[13] == 254)
			return "its address is link-local (169.254.0.0/16): refused unless notif_allow names it";
		if (a[12] == 0)
			return "its address is unspecified (0.0.0.0/8): refused unless notif_allow names it";
		if (a[12] >= 224 && a[12] < 240)
			return "its address is multicast (224.0.0.0/4): refused unless notif_allow names it";
		if (a[12] >= 240)
			return "its address is reserved or broadcast (240.0.0.0/4): refused unless notif_allow names it";
		return NULL;
	}
	if (!memcmp(a, zero, 16))
		return "its address is unspecified (::): refused unless notif_allow names it";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "its address is link-local (fe80::/10): refused unless notif_allow names it";
	if (a[0] == 0xff)
		return "its address is multicast (ff00::/8): refused unless notif_allow names it";
	return NULL;
}

static int add_rule(const char *e)
{
	char buf[256], *slash, *end;
	struct rule *r = &rules[nrules];
	unsigned long bits;
	bool v4;

	if (nrules == DEST_MAX || strlen(e) >= sizeof(buf))
		return -1;
	strcpy(buf, e);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	memset(r, 0, sizeof(*r));
	if (addr16(buf, r->addr, &v4)) {
		r->net = true;
		r->bits = 128;
		if (slash) {
			bits = strtoul(slash + 1, &end, 10);
			if (!slash[1] || *end || bits > (v4 ? 32u : 128u))
				return -1;
			r->bits = (unsigned int)bits + (v4 ? 96 : 0);
		}
		nrules++;
		return 0;
	}
	/* a host name, or *.domain: letters, digits, '-', '.' */
	if (slash || !buf[0] || strspn(buf + (buf[0] == '*' && buf[1] == '.' ? 2 : 0),
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
	    strlen(buf + (buf[0] == '*' && buf[1] == '.' ? 2 : 0)) ||
	    (buf[0] == '*' && !buf[2]))
		return -1;
	strcpy(r->name, buf);
	nrules++;
	return 0;
}

int dest_set(const char *spec, char *err, size_t errlen)
{
	const char *p = spec;
	char e[300];
	size_t n;

	nrules = 0;
	while (p && *p) {
		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (!n)
			break;
		snprintf(e, sizeof(e), "%.*s", (int)(n < 299 ? n : 299), p);
		if (n >= sizeof(e) - 1 || add_rule(e)) {
			snprintf(err, errlen, "'%s': not a network, an address, a host name or *.domain%s",
				 e, nrules == DEST_MAX ? " (or more than 64 entries)" : "");
			nrules = 0;
			return -1;
		}
		p += n;
	}
	return 0;
}

static bool name_match(const char *host)
{
	size_t i, hl = strlen(host), dl;

	for (i = 0; i < nrules; i++) {
		if (rules[i].net)
			continue;
		if (rules[i].name[0] == '*') {
			dl = strlen(rules[i].name + 1);	/* ".domain" */
			if (hl > dl && !strcasecmp(host + hl - dl, rules[i].name + 1))
				return true;
		} else if (!strcasecmp(host, rules[i].name)) {
			return true;
		}
	}
	return false;
}

static bool net_match(const uint8_t *a)
{
	size_t i;

	for (i = 0; i < nrules; i++)
		if (rules[i].net && in_net(a, rules[i].addr, rules[i].bits))
			return true;
	return false;
}

static bool have_nets(void)
{
	size_t i;

	for (i = 0; i < nrules; i++)
		if (rules[i].net)
			return true;
	return false;
}

/* The verdict on address @a, named @host (NULL: a literal). */
static const char *check(const uint8_t *a, const char *host)
{
	const char *in = internal(a);

	if (net_match(a))
		return NULL;
	if (in)
		return in;
	if (nrules && !(host && name_match(host)))
		return "its address is not in notif_allow";
	return NULL;
}

const char *dest_host(const char *host)
{
	uint8_t a[16];
	bool v4;

	if (addr16(host, a, &v4))
		return check(a, NULL);
	if (!nrules || name_match(host) || have_nets())
		return NULL;
	return "its host is not in notif_allow";
}

const char *dest_addr(const struct sockaddr *sa, const char *host)
{
	uint8_t a[16], lit[16];
	bool v4;

	if (sa->sa_family == AF_INET6) {
		memcpy(a, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	} else if (sa->sa_family == AF_INET) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else {
		return "not an IP address";
	}
	/* a name's entry allows what it resolves to; a literal is itself */
	return check(a, addr16(host, lit, &v4) ? NULL : host);
}
