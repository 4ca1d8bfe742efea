// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's /metrics in the Prometheus text format (see metrics.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cb.h"
#include "metrics.h"
#include "module.h"
#include "ops.h"
#include "rounds.h"

static const char *const ep_names[EP_NUM] = { "request-inv", "request-cmd",
					      "metrics", "other" };
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

/* The module's counters, named by the library's table. */
static void module_metrics(FILE *f)
{
	struct aiot_stats s;
	int i;

	if (module_stats(&s))
		return;
	put_metric(f, "aiotsec_module_events_total", "counter",
		   "aiotsec.ko namespace counters (GET_STATS), by name");
	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (aiot_stat_names[i])
			fprintf(f, "aiotsec_module_events_total{counter=\"%s\"} %llu\n",
				aiot_stat_names[i], (unsigned long long)s.ctr[i]);
	if (!s.has_drops)
		return;
	put_metric(f, "aiotsec_module_drops_total", "counter",
		   "frames aiotsec.ko dropped, by reason");
	for (i = 1; i <= AIOTSEC_DROP_MAX; i++)
		fprintf(f, "aiotsec_module_drops_total{reason=\"%s\"} %llu\n",
			aiot_drop_names[i] ? aiot_drop_names[i] : "?",
			(unsigned long long)s.drops[i]);
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
	put_value(f, "aiotd_callbacks_sent_total", "counter", "notifications delivered (2xx)",
		  atomic_load(&cb_stats.sent));
	put_value(f, "aiotd_callbacks_failed_total", "counter", "notification attempts that failed",
		  atomic_load(&cb_stats.failed));
	put_value(f, "aiotd_callbacks_retried_total", "counter", "notification attempts retried",
		  atomic_load(&cb_stats.retried));
	put_value(f, "aiotd_callbacks_dropped_total", "counter", "notifications given up",
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
	put_value(f, "aiotd_window", "gauge",
		  "device transactions allowed in the module now (adaptive, up to max_inflight)",
		  e ? txn_window(e) : 0);
	put_value(f, "aiotd_results_lost_total", "counter",
		  "transactions whose result never came (reported as timed out)",
		  ops_stats.lost);
	put_value(f, "aiotd_results_unmatched_total", "counter",
		  "results of no transaction (one already reported as lost)",
		  e ? txn_counts(e)->unmatched : ops_stats.unmatched);
	put_value(f, "aiotd_keystore_syncs_total", "counter",
		  "key store syncs (on connecting to the module, SIGHUP)",
		  module_syncs);
	put_value(f, "aiotd_keystore_sync_failures_total", "counter", "key store syncs that failed",
		  module_sync_fail);
}

static struct h2srv *http;	/* its clients' counters in /metrics */

void metrics_set_server(struct h2srv *srv)
{
	http = srv;
}

void metrics_resp(struct h2_resp *resp)
{
	size_t len = 0, i, e;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		resp->status = 500;
		return;
	}
	put_metric(f, "aiotd_requests_total", "counter",
		   "HTTP requests by endpoint and status");
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
	if (module_connected())
		module_metrics(f);
	fclose(f);
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4";
	resp->body = buf;
	resp->len = len;
}
