// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The module's counters as Prometheus series (mseries.h). */
#include <string.h>

#include "mseries.h"

#define C(n, h) { n, NULL, h }
#define R(n, r, h) { n, "result=\"" r "\"", h }

const struct mseries mseries[AIOTSEC_STAT_MAX + 1] = {
	[AIOTSEC_STAT_RX_FRAMES] = C("aiotsec_rx_frames_total",
				     "frames of the aiotsec EtherType the module received"),
	[AIOTSEC_STAT_TX_FRAMES] = C("aiotsec_tx_frames_total",
				     "requests the module transmitted"),
	[AIOTSEC_STAT_AUTH_OK] = R("aiotsec_authentications_total", "ok",
				   "AUTH_RESPs verified (ok) or failing verification (fail)"),
	[AIOTSEC_STAT_AUTH_FAIL] = R("aiotsec_authentications_total", "fail", NULL),
	[AIOTSEC_STAT_CMD_OK] = R("aiotsec_commands_total", "ok",
				  "CMD_RESPs verified (ok) or failing verification (fail)"),
	[AIOTSEC_STAT_CMD_FAIL] = R("aiotsec_commands_total", "fail", NULL),
	[AIOTSEC_STAT_TIMEOUTS] = C("aiotsec_transaction_timeouts_total",
				    "transactions that expired unanswered"),
	[AIOTSEC_STAT_EVENTS_LOST] = C("aiotsec_events_lost_total",
				       "events the module could not send"),
	[AIOTSEC_STAT_RESULTS_LOST] = C("aiotsec_results_lost_total",
					"results their requester could not take (socket full)"),
	[AIOTSEC_STAT_RESULTS_ORPHANED] = C("aiotsec_results_orphaned_total",
					    "results whose requester had gone"),
	[AIOTSEC_STAT_INV_ROUNDS] = C("aiotsec_inventory_rounds_total",
				      "inventory rounds sent"),
	[AIOTSEC_STAT_INV_FOUND] = R("aiotsec_inventory_responses_total", "ok",
				     "INV_RESPs verified, a device found (ok), or whose MAC failed (fail)"),
	[AIOTSEC_STAT_INV_FAIL] = R("aiotsec_inventory_responses_total", "fail", NULL),
};

void mseries_put(FILE *f, const struct aiot_stats *s)
{
	const char *name;
	int i, j, k;

	for (i = 0; i <= AIOTSEC_STAT_MAX; i++) {
		name = mseries[i].name;
		if (!name)
			continue;
		/* a metric's samples together, under its HELP and TYPE once */
		for (k = 0; k < i && !(mseries[k].name && !strcmp(mseries[k].name, name)); k++)
			;
		if (k < i)
			continue;
		fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name,
			mseries[i].help ? mseries[i].help : "", name);
		for (j = i; j <= AIOTSEC_STAT_MAX; j++) {
			if (!mseries[j].name || strcmp(mseries[j].name, name))
				continue;
			fprintf(f, "%s%s%s%s %llu\n", name,
				mseries[j].label ? "{" : "",
				mseries[j].label ? mseries[j].label : "",
				mseries[j].label ? "}" : "",
				(unsigned long long)s->ctr[j]);
		}
	}
	if (!s->has_drops)
		return;
	fprintf(f, "# HELP " MSERIES_DROPS " frames the module dropped, by reason\n"
		"# TYPE " MSERIES_DROPS " counter\n");
	for (i = 1; i <= AIOTSEC_DROP_MAX; i++)
		if (aiot_drop_names[i])
			fprintf(f, MSERIES_DROPS "{reason=\"%s\"} %llu\n",
				aiot_drop_names[i], (unsigned long long)s->drops[i]);
}
