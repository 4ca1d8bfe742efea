// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's metrics in the Prometheus text format (see metrics.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"
#include "metrics.h"
#include "module.h"
#include "mseries.h"
#include "ops.h"
#include "rounds.h"

static const char *const ep_names[EP_NUM] = { "request-inv", "request-cmd",
					      "other" };
static const int codes[] = { 200, 400, 403, 404, 405, 413, 415, 500, 503 };
#define NCODES (sizeof(codes) / sizeof(codes[0]))
static unsigned long long req_count[EP_NUM][NCODES];

void metrics_count(int ep, int status)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (codes[i] == status)
			req_count[ep][i]++;
}

static void put_metric(FILE *f, const char *name, const char *type,
		       const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric of one value: its HELP, TYPE and sample. */
static void put_value(FILE *f, const char *name, const char *type,
		      const char *help, unsigned long long v)
{
	put_metric(f, name, type, help);
	fprintf(f, "%s %llu\n", name, v);
}

/*
 * The module: up (it answered GET_STATS now) or not, and, when up, its
 * counters (mseries.h). The series are there while it is up only; the
 * gauge always.
 */
static void module_metrics(FILE *f)
{
	struct aiot_stats s;
	bool up = module_connected() && !module_stats(&s);

	put_value(f, "aiotd_module_up", "gauge",
		  "1 when aiotd's link to aiotsec.ko is up (GET_STATS answered), else 0",
		  up);
	if (up)
		mseries_put(f, &s);
}

static void device_metrics(FILE *f)
{
	const struct ops_stats *s = &ops_stats;
	size_t i, k;

	put_metric(f, "aiotd_device_results_total", "counter",
		   "per-device outcomes by operation and result");
	for (k = 0; k <= OP_CMD; k++)
		for (i = 0; i < DR_NUM; i++)
			fprintf(f, "aiotd_device_results_total{op=\"%s\",result=\"%s\"} %llu\n",
				k == OP_INV ? "inventory" : "command",
				dev_result_names[i], s->dev[k][i]);
	put_metric(f, "aiotd_device_latency_seconds", "histogram",
		   "from the request to the module until the device's result");
	for (i = 0; i < OPS_NLAT; i++)
		fprintf(f, "aiotd_device_latency_seconds_bucket{le=\"%g\"} %llu\n",
			ops_lat_bounds[i], s->lat_bucket[i]);
	fprintf(f, "aiotd_device_latency_seconds_bucket{le=\"+Inf\"} %llu\n", s->lat_n);
	fprintf(f, "aiotd_device_latency_seconds_sum %.6f\n", s->lat_sum);
	fprintf(f, "aiotd_device_latency_seconds_count %llu\n", s->lat_n);
}

static void callback_metrics(FILE *f)
{
	put_metric(f, "aiotd_callback_attempts_total", "counter",
		   "notification POSTs to AFs: delivered (ok, 2xx) or failed (fail)");
	fprintf(f, "aiotd_callback_attempts_total{result=\"ok\"} %llu\n"
		"aiotd_callback_attempts_total{result=\"fail\"} %llu\n",
		atomic_load(&cb_stats.sent), atomic_load(&cb_stats.failed));
	put_value(f, "aiotd_callback_retries_total", "counter",
		  "notification attempts after a failed one",
		  atomic_load(&cb_stats.retried));
	put_value(f, "aiotd_callbacks_dropped_total", "counter",
		  "notifications given up after their retries",
		  atomic_load(&cb_stats.dropped));
	put_value(f, "aiotd_callback_connections_total", "counter",
		  "connections opened to AFs (kept and multiplexed)",
		  atomic_load(&cb_stats.conns));
	put_value(f, "aiotd_callback_connections_open", "gauge", "connections to AFs open now",
		  atomic_load(&cb_stats.conns_open));
	put_value(f, "aiotd_callbacks_queued", "gauge", "notifications waiting or in flight",
		  atomic_load(&cb_stats.queued));
}

static void engine_metrics(FILE *f)
{
	struct txn_engine *e = module_engine();

	put_value(f, "aiotd_transactions_inflight", "gauge", "device transactions in the module",
		  ops_inflight());
	put_value(f, "aiotd_transactions_queued", "gauge", "device transactions not yet sent",
		  ops_queued());
	put_value(f, "aiotd_window_transactions", "gauge",
		  "device transactions allowed in the module now (adaptive, up to max_inflight)",
		  e ? txn_window(e) : 0);
	put_value(f, "aiotd_results_lost_total", "counter",
		  "transactions whose result never came (reported as timed out)",
		  ops_stats.lost);
	put_value(f, "aiotd_results_unmatched_total", "counter",
		  "results of no transaction (one already reported as lost)",
		  e ? txn_counts(e)->unmatched : ops_stats.unmatched);
}

static struct h2srv *http;	/* its clients' counters in /metrics */
static struct h1srv *scrape;	/* metrics_listen's own */

void metrics_set_servers(struct h2srv *srv, struct h1srv *h1)
{
	http = srv;
	scrape = h1;
}

char *metrics_text(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	size_t i, e;

	if (!f)
		return NULL;
	put_metric(f, "aiotd_build_info", "gauge",
		   "aiotd's version, in the label; the value is always 1");
	fprintf(f, "aiotd_build_info{version=\"%s\"} 1\n", AIOTSEC_VERSION);
	put_metric(f, "aiotd_requests_total", "counter",
		   "Naiotf_AIoT HTTP/2 requests by endpoint and status");
	for (e = 0; e < EP_NUM; e++)
		for (i = 0; i < NCODES; i++)
			fprintf(f, "aiotd_requests_total{endpoint=\"%s\",code=\"%d\"} %llu\n",
				ep_names[e], codes[i], req_count[e][i]);
	device_metrics(f);
	callback_metrics(f);
	engine_metrics(f);
	rounds_metrics(f);
	if (http)
		h2srv_metrics(http, f);
	if (scrape)
		h1srv_metrics(scrape, f);
	module_metrics(f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void metrics_h1(const char *method, const char *path, struct h1_resp *resp,
		void *arg)
{
	(void)method;
	(void)arg;
	if (strcmp(path, "/metrics")) {
		resp->status = 404;
		resp->ctype = "text/plain; charset=utf-8";
		resp->body = strdup("not found: this listener serves /metrics\n");
		resp->len = resp->body ? strlen(resp->body) : 0;
		return;
	}
	resp->body = metrics_text(&resp->len);
	if (!resp->body)
		return;		/* the server says 500 */
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4; charset=utf-8";
}
