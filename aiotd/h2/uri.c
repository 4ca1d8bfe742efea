// SPDX-License-Identifier: GPL-2.0 OR MIT
/* notifUri parsing on libcurl's URL API (uri.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "dest.h"
#include "uri.h"

/* Part @what of @h into @dst (room @cap); 1 absent, 0 copied, -1 too long. */
static int part(CURLU *h, CURLUPart what, unsigned int flags, char *dst,
		size_t cap)
{
	char *v = NULL;
	size_t n;

	if (curl_url_get(h, what, &v, flags) != CURLUE_OK || !v)
		return 1;
	n = strlen(v);
	if (n >= cap) {
		curl_free(v);
		return -1;
	}
	memcpy(dst, v, n + 1);
	curl_free(v);
	return 0;
}

int uri_parse(const char *s, struct uri *u, const char **why)
{
	char scheme[8], port[8], query[AIOTD_URI_MAX + 1], tmp[8];
	CURLU *h = curl_url();
	size_t n;
	int ret = -1;

	*why = "out of memory";
	if (!h)
		return -1;
	memset(u, 0, sizeof(*u));
	*why = "not an absolute http or https URI";
	if (strlen(s) > AIOTD_URI_MAX ||
	    curl_url_set(h, CURLUPART_URL, s, 0) != CURLUE_OK ||
	    part(h, CURLUPART_SCHEME, 0, scheme, sizeof(scheme)))
		goto out;
	if (!strcmp(scheme, "https"))
		u->tls = true;
	else if (strcmp(scheme, "http"))
		goto out;
	*why = "user information (credentials) is not allowed in it";
	if (part(h, CURLUPART_USER, 0, tmp, sizeof(tmp)) != 1 ||
	    part(h, CURLUPART_PASSWORD, 0, tmp, sizeof(tmp)) != 1)
		goto out;
	*why = "an IPv6 zone ID is not allowed in it";
	if (part(h, CURLUPART_ZONEID, 0, tmp, sizeof(tmp)) != 1)
		goto out;
	*why = "its host or port is not valid";
	if (part(h, CURLUPART_HOST, 0, u->host, sizeof(u->host)) ||
	    part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT, u->port, sizeof(u->port)) ||
	    !strcmp(u->port, "0"))
		goto out;
	strcpy(u->authority, u->host);
	if (!part(h, CURLUPART_PORT, 0, port, sizeof(port)))
		snprintf(u->authority + strlen(u->authority),
			 sizeof(u->authority) - strlen(u->authority), ":%s", port);
	n = strlen(u->host);
	if (n > 2 && u->host[0] == '[' && u->host[n - 1] == ']') {
		memmove(u->host, u->host + 1, n - 2);
		u->host[n - 2] = 0;
	}
	*why = "its path is not valid";
	if (part(h, CURLUPART_PATH, 0, u->path, sizeof(u->path)) < 0)
		goto out;
	if (!u->path[0])
		strcpy(u->path, "/");
	switch (part(h, CURLUPART_QUERY, 0, query, sizeof(query))) {
	case 0:
		n = strlen(u->path);
		if (n + 1 + strlen(query) >= sizeof(u->path))
			goto out;
		u->path[n] = '?';
		strcpy(u->path + n + 1, query);
		break;
	case 1:
		break;
	default:
		goto out;
	}
	/* the destination policy (dest.h): refused ranges, notif_allow */
	*why = dest_host(u->host);
	if (!*why)
		ret = 0;
out:
	curl_url_cleanup(h);
	return ret;
}

char *uri_resolve(const char *base, const char *ref)
{
	CURLU *h = curl_url();
	char *v = NULL, *r = NULL;
	struct uri u;
	const char *why;

	if (h && curl_url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(h, CURLUPART_URL, &v, 0) == CURLUE_OK &&
	    !uri_parse(v, &u, &why))
		r = strdup(v);
	curl_free(v);
	curl_url_cleanup(h);
	return r;
}
