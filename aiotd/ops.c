// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's operations on the library's transaction engine (see ops.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aiotd.h"
#include "cb.h"
#include "module.h"
#include "mono.h"
#include "ops.h"
#include "rounds.h"

#define SEND_BUDGET	256	/* device requests per loop turn */
#define RD_MAX		64	/* readers of one operation's areas */

/*
 * An operation's transactions are its units: device d on reader k is
 * unit k * ndev + d (one reader, nrd 1, without targetArea). A device on
 * several readers is reported once: at its first success, or when each
 * reader has answered, with the most telling failure.
 */
struct op {
	struct op_req r;
	struct txn_spec *specs;		/* one per reader */
	size_t nrd, nunit, units_done;
	uint8_t *left;			/* nrd > 1: per device, readers to come */
	uint8_t *worst;			/* nrd > 1: its failure so far (DR_NUM: none) */
	char tid[33];
	size_t next_send, done, ok, verify;
	json_t *pending;		/* DevicesRepInfo not yet sent */
	double pend_since;
	struct op *next;
};

const double ops_lat_bounds[OPS_NLAT] = { 0.001, 0.0025, 0.005, 0.01, 0.025,
					  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
struct ops_stats ops_stats;

static struct op *ops, **ops_tail = &ops;
static size_t queued;		/* devices not yet sent */
static unsigned int reader_ifindex;
/* When the oldest held reports are due (0: none held), see housekeeping */
static double next_flush;
static int batch_api_said;

void ops_set_reader(unsigned int ifindex)
{
	reader_ifindex = ifindex;
}

unsigned int ops_reader(void)
{
	return reader_ifindex;
}

size_t ops_inflight(void)
{
	return module_engine() ? txn_outstanding(module_engine()) : 0;
}

size_t ops_queued(void)
{
	return queued;
}

double ops_next_flush(void)
{
	double r = rounds_next_flush();

	return !next_flush || (r && r < next_flush) ? r : next_flush;
}

bool ops_can_send(void)
{
	return queued && module_engine() && txn_room(module_engine());
}

static void flush_reports(struct op *op, bool last)
{
	const char *fc = NULL;
	char *body;

	if (last)
		fc = op_fail_cause(op->ok, op->verify);
	if (json_array_size(op->pending)) {
		/* devicesRepData and failCause never together (TS 29.569) */
		body = notif_json(op->tid, op->pending, last && !fc, NULL);
		cb_post(op->r.notif_uri, op->tid, body, last && !fc);
		json_array_clear(op->pending);
	}
	if (fc) {
		body = notif_json(op->tid, NULL, true, fc);
		cb_post(op->r.notif_uri, op->tid, body, true);
	}
}

static void op_free(struct op *op)
{
	json_decref(op->pending);
	op_req_free(&op->r);
	free(op->specs);
	free(op->left);
	free(op->worst);
	free(op);
}

int ops_add(struct op_req *r, const char *tid)
{
	struct op *op = calloc(1, sizeof(*op));
	struct area_rd rd[RD_MAX];
	size_t k, nrd = 1;

	if (r->narea)
		nrd = area_readers(&cf.areas, r->areas, r->narea, 0, NULL, rd,
				   RD_MAX);
	if (!op || !(op->pending = json_array()) ||
	    !(op->specs = calloc(nrd, sizeof(*op->specs))) ||
	    (nrd > 1 && (!(op->left = malloc(r->ndev)) ||
			 !(op->worst = malloc(r->ndev))))) {
		if (op) {
			json_decref(op->pending);
			free(op->specs);
			free(op->left);
		}
		free(op);
		return -ENOMEM;
	}
	op->r = *r;
	memset(r, 0, sizeof(*r));
	snprintf(op->tid, sizeof(op->tid), "%s", tid);
	op->nrd = nrd;
	op->nunit = nrd * op->r.ndev;
	if (nrd > 1) {
		memset(op->left, (int)nrd, op->r.ndev);
		memset(op->worst, DR_NUM, op->r.ndev);
	}
	for (k = 0; k < nrd; k++) {
		struct txn_spec *sp = &op->specs[k];

		sp->type = op->r.kind == OP_INV ? AIOTSEC_CMD_AUTH :
			   AIOTSEC_CMD_COMMAND;
		sp->ifindex = op->r.narea ? rd[k].ifindex : reader_ifindex;
		sp->policy = -1;
		sp->timeout_ms = op->r.timeout_ms;
		if (op->r.kind == OP_CMD) {
			sp->plen = op->r.plen;
			memcpy(sp->payload, op->r.payload, op->r.plen);
		}
	}
	queued += op->nunit;
	*ops_tail = op;
	ops_tail = &op->next;
	return 0;
}

/* Device @idx of @op is done with @res (@secs: its latency, or < 0). */
static void dev_done(struct op *op, size_t idx, enum dev_result res,
		     const uint8_t *read, size_t rlen, double secs)
{
	json_t *e;
	size_t i;

	ops_stats.dev[op->r.kind][res]++;
	if (secs >= 0) {
		ops_stats.lat_n++;
		ops_stats.lat_sum += secs;
		for (i = 0; i < OPS_NLAT; i++)
			if (secs <= ops_lat_bounds[i])
				ops_stats.lat_bucket[i]++;
	}
	if (res == DR_OK)
		op->ok++;
	if (res == DR_VERIFY)
		op->verify++;
	e = rep_entry(op->r.dev_str[idx], res, read, rlen,
		      op->r.kind == OP_CMD && op->r.cmd == CT_READ);
	if (!json_array_size(op->pending)) {
		op->pend_since = mono();
		if (!next_flush || op->pend_since + cf.report_delay_ms / 1000.0 < next_flush)
			next_flush = op->pend_since + cf.report_delay_ms / 1000.0;
	}
	json_array_append_new(op->pending, e);
	op->done++;
	if (op->done == op->r.ndev)
		flush_reports(op, true);
	else if (json_array_size(op->pending) >= cf.report_batch)
		flush_reports(op, false);
}

/* How much a failure says, when a device failed on every reader. */
static int rank(enum dev_result r)
{
	switch (r) {
	case DR_VERIFY:
		return 4;
	case DR_TIMEOUT:
		return 3;
	case DR_TXERR:
		return 2;
	case DR_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

/* Unit @u of @op ended with @res: its device done, once. */
static void unit_done(struct op *op, size_t u, enum dev_result res,
		      const uint8_t *read, size_t rlen, double secs)
{
	size_t d = u % op->r.ndev;

	op->units_done++;
	if (op->nrd == 1) {
		dev_done(op, d, res, read, rlen, secs);
		return;
	}
	if (!op->left[d])
		return;		/* reported already: found on another reader */
	op->left[d]--;
	if (res == DR_OK) {
		op->left[d] = 0;
		dev_done(op, d, res, read, rlen, secs);
		return;
	}
	if (op->worst[d] == DR_NUM || rank(res) > rank(op->worst[d]))
		op->worst[d] = (uint8_t)res;
	if (!op->left[d])
		dev_done(op, d, (enum dev_result)op->worst[d], NULL, 0, secs);
}

/* The module's result event for unit @idx of @op. */
static void dev_event(struct op *op, size_t idx, const struct event *ev,
		      double secs)
{
	const uint8_t *d = NULL;
	size_t dl = 0;
	enum dev_result res;

	switch (ev->cmd) {
	case AIOTSEC_CMD_EVENT_AUTH:
		res = op->r.kind == OP_INV ? DR_OK : DR_NOTIMPL;
		break;
	case AIOTSEC_CMD_EVENT_COMMAND:
		res = command_result(op->r.cmd, ev->data, ev->len, &d, &dl);
		break;
	case AIOTSEC_CMD_EVENT_REJECTED:
		res = DR_VERIFY;
		break;
	default:
		res = ev->rejects ? DR_VERIFY : DR_TIMEOUT;
		break;
	}
	unit_done(op, idx, res, d, dl, secs);
}

void ops_result(const struct txn_result *r, void *arg)
{
	struct op *op = r->tag;

	(void)arg;
	switch (r->outcome) {
	case TXN_EVENT:
		dev_event(op, r->idx, r->ev, r->secs);
		break;
	case TXN_REFUSED:
		if (r->msg[0])
			logm("%s: device %s: %s: %s", op->tid,
			     op->r.dev_str[r->idx % op->r.ndev], strerror(r->err),
			     r->msg);
		unit_done(op, r->idx, r->err == ENOENT ? DR_UNKNOWN : DR_TXERR,
			  NULL, 0, -1);
		break;
	case TXN_LOST:
		ops_stats.lost++;
		logp(LOG_WARNING, "%s: device %s: no result from the module (lost): reported as timed out",
		     op->tid, op->r.dev_str[r->idx % op->r.ndev]);
		unit_done(op, r->idx, DR_TIMEOUT, NULL, 0, r->secs);
		break;
	case TXN_ABANDONED:
		unit_done(op, r->idx, DR_TXERR, NULL, 0, -1);
		break;
	}
}

/* Say once whether the module has the batch API. */
static void say_batch_api(struct txn_engine *e)
{
	int api = txn_counts(e)->batch_api;

	if (api == batch_api_said)
		return;
	batch_api_said = api;
	if (api > 0)
		logm("module: batch API: up to %zu devices per request",
		     txn_pack(e));
	else
		logm("module: no batch API (EINVAL): one device per request");
}

void ops_send(void)
{
	size_t budget = SEND_BUDGET, n, k, d;
	struct txn_engine *e;
	struct op *op;
	ssize_t got;

	for (op = ops; op && budget; op = op->next) {
		while (op->next_send < op->nunit && budget && module_up()) {
			e = module_engine();
			k = op->next_send / op->r.ndev;
			d = op->next_send % op->r.ndev;
			n = op->r.ndev - d;
			if (n > budget)
				n = budget;
			got = txn_submit(e, &op->specs[k], op, op->next_send,
					 (const uint8_t (*)[AIOTSEC_ID_LEN])
					 op->r.ids + d, n);
			say_batch_api(e);
			if (got <= 0)
				return;	/* no room; or retry after results */
			op->next_send += (size_t)got;
			queued -= (size_t)got;
			budget -= (size_t)got;
		}
	}
}

void ops_housekeeping(void)
{
	double now = mono(), due;
	struct op **p = &ops, *op;

	if (module_engine()) {
		txn_expire(module_engine());
		ops_stats.unmatched = txn_counts(module_engine())->unmatched;
	}
	rounds_housekeeping();
	next_flush = 0;		/* recomputed from what stays held */
	while ((op = *p)) {
		/* every unit back: no result of the engine names it any more */
		if (op->done == op->r.ndev && op->units_done == op->nunit) {
			*p = op->next;
			if (!*p)
				ops_tail = p;
			op_free(op);
			continue;
		}
		if (json_array_size(op->pending)) {
			due = op->pend_since + cf.report_delay_ms / 1000.0;
			if (due <= now)
				flush_reports(op, false);
			else if (!next_flush || due < next_flush)
				next_flush = due;
		}
		p = &op->next;
	}
}
