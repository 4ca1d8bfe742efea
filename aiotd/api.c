// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's HTTP API: routing, the two operations, ProblemDetails (api.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "aiotd.h"
#include "api.h"
#include "metrics.h"
#include "module.h"
#include "ops.h"
#include "req.h"
#include "rounds.h"
#include "state.h"

#define API "/naiotf-aiot/v1"
#define TID_JSON_LEN	(sizeof("{\"transId\":\"\"}") - 1 + 32)

static void problem_resp(struct h2_resp *resp, const struct problem *p)
{
	resp->status = p->status;
	resp->ctype = "application/problem+json";
	resp->body = problem_json(p);
	resp->len = resp->body ? strlen(resp->body) : 0;
}

/*
 * 16 random bytes: from a pool filled 256 bytes at a time (one system
 * call per 16 transIds, not one each; getrandom(2) fills up to 256 bytes
 * whole, signals or not); the bytes taken are wiped from it.
 */
static int tid_random(uint8_t *r)
{
	static uint8_t pool[256];
	static size_t left;

	if (left < 16) {
		if (getrandom(pool, sizeof(pool), 0) != (ssize_t)sizeof(pool))
			return -1;
		left = sizeof(pool);
	}
	left -= 16;
	memcpy(r, pool + left, 16);
	explicit_bzero(pool + left, 16);
	return 0;
}

static void new_tid(char *tid)
{
	static uint64_t ctr;
	uint8_t r[16];
	size_t i;

	if (tid_random(r)) {
		uint64_t x = (uint64_t)time(NULL) ^ (++ctr << 20) ^ (uint64_t)getpid();

		memcpy(r, &x, 8);
		memcpy(r + 8, &ctr, 8);
	}
	for (i = 0; i < 16; i++) {
		tid[2 * i] = "0123456789abcdef"[r[i] >> 4];
		tid[2 * i + 1] = "0123456789abcdef"[r[i] & 15];
	}
	tid[32] = 0;
}

static void handle_op(enum op_kind kind, const struct h2_req *req,
		      struct h2_resp *resp)
{
	struct req_limits lim = { .max_devices = cf.max_devices,
				  .areas = &cf.areas };
	bool retry;
	struct op_req r = { 0 };
	struct problem p;
	char tid[33];
	size_t busy;

	if (strncasecmp(req->ctype, "application/json", 16) ||
	    (req->ctype[16] && req->ctype[16] != ';' && req->ctype[16] != ' ')) {
		problem_set(&p, 415, "Unsupported Media Type", NULL,
			    "the body must be application/json (got '%s')",
			    req->ctype);
		problem_param(&p, "header Content-Type", "must be application/json");
		problem_resp(resp, &p);
		return;
	}
	if (req_parse(kind, req->body, req->len, &lim, &r, &p)) {
		op_req_free(&r);
		problem_resp(resp, &p);
		return;
	}
	if (!module_up()) {
		op_req_free(&r);
		problem_set(&p, 503, "Service Unavailable", "SYSTEM_FAILURE",
			    "the aiotsec module is not loaded");
		snprintf(resp->retry_after, sizeof(resp->retry_after), "5");
		problem_resp(resp, &p);
		return;
	}
	if (r.kind == OP_INV && r.target == TGT_ROUND) {
		new_tid(tid);
		state_add(tid, r.notif_uri);
		if (rounds_start(&r, tid, &p, &retry)) {
			state_done(tid);
			op_req_free(&r);
			if (retry)
				snprintf(resp->retry_after, sizeof(resp->retry_after),
					 "%u", rounds_retry_after());
			problem_resp(resp, &p);
			return;
		}
		goto accepted;
	}
	busy = ops_inflight() + ops_queued();
	if (busy + r.ndev > cf.max_queue) {
		op_req_free(&r);
		problem_set(&p, 503, "Service Unavailable", "NF_CONGESTION",
			    "%zu device transactions in flight or queued: at most %zu",
			    busy, cf.max_queue);
		snprintf(resp->retry_after, sizeof(resp->retry_after), "%u",
			 cf.retry_after_s);
		problem_resp(resp, &p);
		return;
	}
	new_tid(tid);
	state_add(tid, r.notif_uri);
	if (ops_add(&r, tid)) {
		state_done(tid);
		op_req_free(&r);
		problem_set(&p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "out of memory");
		problem_resp(resp, &p);
		return;
	}
accepted:
	/* {"transId":"<32 hex digits>"}: nothing in it to escape */
	resp->status = 200;
	resp->ctype = "application/json";
	resp->body = malloc(TID_JSON_LEN + 1);
	if (resp->body)
		snprintf(resp->body, TID_JSON_LEN + 1, "{\"transId\":\"%s\"}", tid);
	resp->len = resp->body ? strlen(resp->body) : 0;
}

void api_handler(const struct h2_req *req, struct h2_resp *resp, void *arg)
{
	const char *path = req->path;
	size_t rl = strlen(cf.api_prefix);
	struct problem p;
	int ep = EP_OTHER;

	(void)arg;
	if (req->too_big) {
		problem_set(&p, 413, "Payload Too Large", NULL,
			    "the request body exceeds max_body (%zu bytes)",
			    cf.max_body);
		problem_resp(resp, &p);
		metrics_count(strstr(path, "/request-inv") ? EP_INV :
			      strstr(path, "/request-cmd") ? EP_CMD : EP_OTHER, 413);
		return;
	}
	/* no /metrics here: it has a listener of its own (metrics_listen) */
	if (!strncmp(path, cf.api_prefix, rl) && !strncmp(path + rl, API, strlen(API))) {
		path += rl + strlen(API);
		if (!strcmp(path, "/request-inv"))
			ep = EP_INV;
		else if (!strcmp(path, "/request-cmd"))
			ep = EP_CMD;
	}
	if (ep == EP_OTHER) {
		problem_set(&p, 404, "Not Found", "RESOURCE_URI_STRUCTURE_NOT_FOUND",
			    "no such resource: %s (this AIOTF serves %s%s/request-inv and /request-cmd%s)",
			    req->path, cf.api_prefix, API,
			    strcmp(req->path, "/metrics") ? "" :
			    "; metrics are on metrics_listen, over HTTP/1.1");
		problem_resp(resp, &p);
	} else if (strcmp(req->method, "POST")) {
		problem_set(&p, 405, "Method Not Allowed", NULL,
			    "%s: POST only", req->path);
		problem_resp(resp, &p);
		snprintf(resp->allow, sizeof(resp->allow), "POST");
	} else {
		handle_op(ep == EP_INV ? OP_INV : OP_CMD, req, resp);
	}
	metrics_count(ep, resp->status);
}
