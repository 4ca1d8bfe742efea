/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * notifUri: an absolute http or https URI, parsed with libcurl's URL API
 * (curl_url), so that the request check (req.c) and the callback client
 * (h2cli.c) agree on what it names. No user information (credentials in
 * a URI end up in logs), no fragment sent.
 */
#ifndef _AIOTD_URI_H
#define _AIOTD_URI_H

#include <stdbool.h>

#include "req.h"

struct uri {
	bool tls;			/* https */
	char host[256];			/* for connect(): no brackets */
	char port[8];			/* decimal, the scheme's default if none */
	char authority[272];		/* :authority, as the URI gives it */
	char path[AIOTD_URI_MAX + 1];	/* path and query: "/" at least */
};

/* 0, or -1 with *@why (static) when @s is no such URI. */
int uri_parse(const char *s, struct uri *u, const char **why);
/*
 * @ref (a Location header) resolved against @base, malloc'ed; NULL when
 * the result is no such URI.
 */
char *uri_resolve(const char *base, const char *ref);

#endif /* _AIOTD_URI_H */
