// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's configuration file: "key value" lines, '#' comments (conf.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "dest.h"
#include "h2srv.h"

enum kind { K_STR, K_UINT, K_SIZE };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	unsigned long long min, max;
};

#define S(n, f) { n, K_STR, offsetof(struct aiotd_conf, f), 0, 0 }
#define U(n, f, lo, hi) { n, K_UINT, offsetof(struct aiotd_conf, f), lo, hi }
#define Z(n, f, lo, hi) { n, K_SIZE, offsetof(struct aiotd_conf, f), lo, hi }

static const struct key keys[] = {
	S("listen", listen),
	S("metrics_listen", metrics_listen),
	U("port", port, 0, 65535),
	S("api_prefix", api_prefix),
	S("tls_cert", tls_cert),
	S("tls_key", tls_key),
	S("tls_client_ca", tls_client_ca),
	S("state_file", state_file),
	S("reader", reader),
	Z("max_body", max_body, 256, 64 << 20),
	Z("max_devices", max_devices, 1, 1 << 20),
	Z("max_inflight", max_inflight, 1, 1 << 20),
	Z("max_queue", max_queue, 1, 1 << 24),
	U("retry_after_s", retry_after_s, 1, 3600),
	Z("report_batch", report_batch, 1, 100000),
	U("report_delay_ms", report_delay_ms, 1, 10000),
	U("callback_retries", cb_retries, 0, 1000),
	U("callback_backoff_ms", cb_backoff_ms, 1, 600000),
	U("callback_backoff_max_ms", cb_backoff_max_ms, 1, 3600000),
	U("callback_timeout_ms", cb_timeout_ms, 100, 600000),
	S("callback_ca", cb_ca),
	S("callback_cert", cb_cert),
	S("callback_key", cb_key),
	S("notif_allow", notif_allow),
	Z("max_connections", max_conns, 1, 500),
	Z("max_connections_per_peer", max_per_peer, 0, 500),
	U("max_streams", max_streams, 1, 1000),
	Z("body_budget_conn", budget_conn, 4096, 1 << 30),
	Z("body_budget_total", budget_total, 4096, 68719476736),
	U("handshake_timeout_ms", handshake_ms, 100, 600000),
	U("idle_timeout_ms", idle_ms, 1000, 86400000),
	U("header_timeout_ms", header_ms, 100, 600000),
	U("body_timeout_ms", body_ms, 100, 3600000),
	U("send_timeout_ms", send_ms, 100, 600000),
};

/* Keys of earlier releases: an error that says where each went. */
static const struct {
	const char *name, *why;
} gone[] = {
	{ "keystore", "aiotd loads no keys: the device table is aiotsec.service's, from the key store of /etc/aiotsec/aiotsec.conf (aiotsec.conf(5))" },
};

static char **str_at(struct aiotd_conf *c, size_t off)
{
	return (char **)((char *)c + off);
}

static int set_defaults(struct aiotd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = strdup("127.0.0.1");
	c->api_prefix = strdup("");
	c->state_file = strdup("/var/lib/aiotsec/aiotd.state");
	c->port = 8089;
	c->metrics_listen = strdup("127.0.0.1:9089");
	c->max_body = 1 << 20;
	c->max_devices = 1024;
	c->max_inflight = 256;
	c->max_queue = 65536;
	c->retry_after_s = 1;
	c->report_batch = 100;
	c->report_delay_ms = 20;
	c->cb_retries = 60;
	c->cb_backoff_ms = 200;
	c->cb_backoff_max_ms = 10000;
	c->cb_timeout_ms = 5000;
	c->max_conns = 256;
	c->max_per_peer = 64;
	c->max_streams = 32;
	c->budget_conn = 2 << 20;
	c->budget_total = 64 << 20;
	c->handshake_ms = 10000;
	c->idle_ms = 120000;
	c->header_ms = 10000;
	c->body_ms = 30000;
	c->send_ms = 10000;
	return c->listen && c->api_prefix && c->state_file ? 0 : -1;
}

static int set_key(struct aiotd_conf *c, const struct key *k, const char *v,
		   const char *path, unsigned int line)
{
	unsigned long long n;
	char *end, **s;

	if (k->kind == K_STR) {
		s = str_at(c, k->off);
		free(*s);
		/* "none" turns an optional path off (state_file none) */
		*s = strcmp(v, "none") ? strdup(v) : NULL;
		return 0;
	}
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || v[0] == '-' || n < k->min || n > k->max) {
		fprintf(stderr, "aiotd: %s:%u: %s: %llu to %llu ('%s')\n", path,
			line, k->name, k->min, k->max, v);
		return -1;
	}
	if (k->kind == K_UINT)
		*(unsigned int *)((char *)c + k->off) = (unsigned int)n;
	else
		*(size_t *)((char *)c + k->off) = (size_t)n;
	return 0;
}

int conf_load(struct aiotd_conf *c, const char *path, bool must_exist)
{
	char buf[4096], err[512], *p, *k, *v, *e;
	unsigned int line = 0;
	size_t i;
	FILE *f;
	int ret = 0;

	if (set_defaults(c))
		return -1;
	f = fopen(path, "r");
	if (!f) {
		if (!must_exist && errno == ENOENT)
			return dest_set(NULL, err, sizeof(err));
		fprintf(stderr, "aiotd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		p = strchr(buf, '#');
		if (p)
			*p = 0;
		k = buf + strspn(buf, " \t\r\n");
		if (!*k)
			continue;
		v = k + strcspn(k, " \t\r\n");
		if (*v)
			*v++ = 0;
		v += strspn(v, " \t");
		e = v + strlen(v);
		while (e > v && strchr(" \t\r\n", e[-1]))
			*--e = 0;
		/* "area": repeatable, a syntax of its own (area.h) */
		if (!strcmp(k, "area")) {
			if (!*v)
				snprintf(err, sizeof(err), "no value");
			if (!*v || area_add(&c->areas, v, line, err, sizeof(err))) {
				fprintf(stderr, "aiotd: %s:%u: area: %s\n", path, line, err);
				ret = -1;
			}
			continue;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(keys[i].name, k))
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
				if (!strcmp(gone[i].name, k))
					break;
			if (i < sizeof(gone) / sizeof(gone[0]))
				fprintf(stderr, "aiotd: %s:%u: %s: %s\n", path, line, k,
					gone[i].why);
			else
				fprintf(stderr, "aiotd: %s:%u: unknown key '%s'\n", path, line, k);
			ret = -1;
			continue;
		}
		if (!*v) {
			fprintf(stderr, "aiotd: %s:%u: %s: no value\n", path, line, k);
			ret = -1;
			continue;
		}
		if (set_key(c, &keys[i], v, path, line))
			ret = -1;
	}
	fclose(f);
	if (!c->listen || !c->api_prefix) {
		fprintf(stderr, "aiotd: %s: listen and api_prefix may not be none\n", path);
		ret = -1;
	}
	if (!c->tls_cert != !c->tls_key) {
		fprintf(stderr, "aiotd: %s: tls_cert and tls_key go together\n", path);
		ret = -1;
	}
	if (c->tls_client_ca && !c->tls_cert) {
		fprintf(stderr, "aiotd: %s: tls_client_ca needs tls_cert\n", path);
		ret = -1;
	}
	if (!c->cb_cert != !c->cb_key) {
		fprintf(stderr, "aiotd: %s: callback_cert and callback_key go together\n", path);
		ret = -1;
	}
	if (c->max_inflight > c->max_queue) {
		fprintf(stderr, "aiotd: %s: max_inflight above max_queue\n", path);
		ret = -1;
	}
	if (c->budget_conn < c->max_body || c->budget_total < c->budget_conn) {
		fprintf(stderr, "aiotd: %s: body_budget_conn must be at least max_body, body_budget_total at least body_budget_conn\n",
			path);
		ret = -1;
	}
	if (dest_set(c->notif_allow, err, sizeof(err))) {
		fprintf(stderr, "aiotd: %s: notif_allow: %s\n", path, err);
		ret = -1;
	}
	return ret;
}

void conf_http_limits(const struct aiotd_conf *c, struct h2srv_limits *l)
{
	*l = (struct h2srv_limits){
		.max_conns = c->max_conns, .max_per_peer = c->max_per_peer,
		.max_streams = c->max_streams, .conn_budget = c->budget_conn,
		.total_budget = c->budget_total, .handshake_ms = c->handshake_ms,
		.idle_ms = c->idle_ms, .header_ms = c->header_ms,
		.body_ms = c->body_ms, .send_ms = c->send_ms,
	};
}

void conf_free(struct aiotd_conf *c)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].kind == K_STR)
			free(*str_at(c, keys[i].off));
	area_free(&c->areas);
	memset(c, 0, sizeof(*c));
}
