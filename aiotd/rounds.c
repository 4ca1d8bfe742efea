// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's inventories by area and by filter (see rounds.h). */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "aiotd.h"
#include "cb.h"
#include "module.h"
#include "mono.h"
#include "ops.h"
#include "rounds.h"

#define RD_MAX		64	/* readers of one inventory */

/* How a round ended, for /metrics. */
enum { E_WINDOW, E_STOP, E_ALL, E_CANCELLED, E_LOST, E_ABANDONED, E_NUM };
static const char *const end_names[E_NUM] = {
	"window", "stop", "all", "cancelled", "lost", "abandoned",
};
/* Why a round was refused. */
enum { F_MIN_GROUP, F_BUSY, F_NO_READER, F_NONE_PROVISIONED, F_OTHER, F_NUM };
static const char *const refusal_names[F_NUM] = {
	"min_group", "busy", "no_reader", "no_candidate", "other",
};

struct area_stats {
	unsigned long long rounds, ends[E_NUM], found, refused[F_NUM];
};
static struct area_stats *astats;	/* cf.areas.n + 1 ("none") */

/* The IDs one operation reported: open addressing, grows at half full. */
struct idset {
	size_t n, cap;
	uint8_t (*id)[AIOTD_ID_LEN];
	uint8_t *used;
};

struct rop {
	char tid[33];
	char *notif_uri;
	uint32_t stop;			/* numDevices; 0: none */
	size_t running;			/* rounds not ended */
	size_t found;
	uint64_t failed_macs;
	bool ended;			/* the last report went */
	bool refused;			/* the request was refused */
	json_t *pending;
	double pend_since;
	struct idset seen;
	struct rop *next;
};

struct rround {
	struct rop *op;
	const char *label;		/* the area's, for logs and /metrics */
	size_t aidx;			/* into astats */
	char reader[IF_NAMESIZE];
};

static struct rop *rops;
static double next_flush;

/* ---- the set of IDs ------------------------------------------------------ */

static size_t id_hash(const uint8_t *id, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < AIOTD_ID_LEN; i++)
		h = (h ^ id[i]) * 0x100000001b3ull;
	return (size_t)h & (cap - 1);
}

/* 1 if @id is new (added), 0 if there, -1 if out of memory. */
static int idset_add(struct idset *s, const uint8_t *id)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct idset g = { .cap = s->cap ? 2 * s->cap : 64 };

		g.id = malloc(g.cap * sizeof(*g.id));
		g.used = calloc(g.cap, 1);
		if (!g.id || !g.used) {
			free(g.id);
			free(g.used);
			return -1;
		}
		for (i = 0; i < s->cap; i++)
			if (s->used[i])
				idset_add(&g, s->id[i]);
		free(s->id);
		free(s->used);
		*s = g;
	}
	for (i = id_hash(id, s->cap); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (!memcmp(s->id[i], id, AIOTD_ID_LEN))
			return 0;
	s->used[i] = 1;
	memcpy(s->id[i], id, AIOTD_ID_LEN);
	s->n++;
	return 1;
}

/* ---- reports ------------------------------------------------------------- */

static void schedule(double due)
{
	if (!next_flush || due < next_flush)
		next_flush = due;
}

static void flush(struct rop *op, bool last)
{
	const char *fc = last ? op_fail_cause(op->found, op->failed_macs) : NULL;
	char *body;

	if (json_array_size(op->pending) || (last && !fc)) {
		/* devicesRepData and failCause never together (TS 29.569) */
		body = notif_json(op->tid, op->pending, last && !fc, NULL);
		cb_post(op->notif_uri, op->tid, body, last && !fc);
		json_array_clear(op->pending);
	}
	if (fc) {
		body = notif_json(op->tid, NULL, true, fc);
		cb_post(op->notif_uri, op->tid, body, true);
	}
}

/* The operation's last report: when its rounds ended or numDevices came. */
static void finish(struct rop *op, const char *why)
{
	if (op->ended || op->refused)
		return;
	op->ended = true;
	logm("%s: inventory done (%s): %zu device%s found", op->tid, why,
	     op->found, op->found == 1 ? "" : "s");
	flush(op, true);
}

static size_t area_index(const char *label)
{
	size_t i;

	for (i = 0; i < cf.areas.n; i++)
		if (!strcmp(cf.areas.a[i].label, label))
			return i;
	return cf.areas.n;
}

static bool stats_ready(void)
{
	if (!astats)
		astats = calloc(cf.areas.n + 1, sizeof(*astats));
	return astats;
}

void rounds_found(const struct inv_found *f, void *arg)
{
	struct rround *rr = f->tag;
	struct rop *op = rr->op;
	char perm[25];
	int fresh;

	(void)arg;
	if (op->ended || op->refused)
		return;		/* numDevices reached, or refused */
	fresh = idset_add(&op->seen, f->id);
	if (fresh <= 0)
		return;		/* another reader found it first */
	op->found++;
	if (stats_ready())
		astats[rr->aidx].found++;
	ops_stats.dev[OP_INV][DR_OK]++;
	devid_to_perm(f->id, perm);
	if (!json_array_size(op->pending)) {
		op->pend_since = mono();
		schedule(op->pend_since + cf.report_delay_ms / 1000.0);
	}
	json_array_append_new(op->pending, rep_entry(perm, DR_OK, NULL, 0, false));
	if (op->stop && op->found >= op->stop)
		finish(op, "numDevices found");
	else if (json_array_size(op->pending) >= cf.report_batch)
		flush(op, false);
}

void rounds_done(const struct inv_done *d, void *arg)
{
	struct rround *rr = d->tag;
	struct rop *op = rr->op;
	int e;

	(void)arg;
	switch (d->outcome) {
	case INV_SUMMARY:
		e = d->end == AIOTSEC_INV_END_STOP ? E_STOP :
		    d->end == AIOTSEC_INV_END_ALL ? E_ALL :
		    d->end == AIOTSEC_INV_END_CANCELLED ? E_CANCELLED : E_WINDOW;
		logm("%s: area %s: reader %s: round ended (%s): %u of %u candidates found, %u unknown RIDs, %u failed MACs, %u replays",
		     op->tid, rr->label, rr->reader, end_names[e], d->found,
		     d->candidates, d->unknown_rids, d->failed_macs, d->replays);
		op->failed_macs += d->failed_macs;
		break;
	case INV_LOST:
		e = E_LOST;
		logp(LOG_WARNING, "%s: area %s: reader %s: no end of round from the module (lost): its devices found so far stand",
		     op->tid, rr->label, rr->reader);
		break;
	default:
		e = E_ABANDONED;
		break;
	}
	if (stats_ready())
		astats[rr->aidx].ends[e]++;
	op->running--;
	free(rr);
	if (!op->running)
		finish(op, "every round ended");
}

static void rop_free(struct rop *op)
{
	json_decref(op->pending);
	free(op->notif_uri);
	free(op->seen.id);
	free(op->seen.used);
	free(op);
}

int rounds_start(struct op_req *r, const char *tid, struct problem *p,
		 bool *retry)
{
	struct area_rd rd[RD_MAX];
	struct inv_spec sp = { .ml = 2, .window_ms = r->timeout_ms,
			       .stop = r->num_devices };
	struct inv_set *set = module_invset();
	struct inv_started st;
	struct rround *rr;
	struct rop *op;
	size_t n, i;
	int ret;

	*retry = false;
	if (!set || !stats_ready() || !(op = calloc(1, sizeof(*op)))) {
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    set ? "out of memory" : "no inventory on the module's socket");
		return -1;
	}
	op->pending = json_array();
	if (!op->pending) {
		free(op);
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "out of memory");
		return -1;
	}
	snprintf(op->tid, sizeof(op->tid), "%s", tid);
	op->notif_uri = strdup(r->notif_uri);
	if (!op->notif_uri) {
		rop_free(op);
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "out of memory");
		return -1;
	}
	op->stop = r->num_devices;
	if (r->has_filter)
		inv_filter_bytes(&sp, r->filter, r->flen);
	n = area_readers(&cf.areas, r->areas, r->narea, ops_reader(), cf.reader,
			 rd, RD_MAX);
	/* in the list from here: events of its rounds may come at once */
	op->next = rops;
	rops = op;
	for (i = 0; i < n; i++) {
		rr = calloc(1, sizeof(*rr));
		if (!rr) {
			problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
				    "out of memory");
			goto refused;
		}
		rr->op = op;
		rr->label = rd[i].label;
		rr->aidx = area_index(rd[i].label);
		snprintf(rr->reader, sizeof(rr->reader), "%s",
			 rd[i].name ? rd[i].name : "(first)");
		sp.ifindex = rd[i].ifindex;
		op->running++;
		ret = inv_start(set, &sp, rr, &st);
		if (!ret) {
			astats[rr->aidx].rounds++;
			logm("%s: area %s: reader %s: inventory round of %u candidates%s%zu filter bits, window %u ms%s",
			     tid, rr->label, rr->reader, st.candidates,
			     st.cookie ? ", " : " (reply lost), ", r->has_filter ? 8 * r->flen : 0,
			     st.window_ms, op->stop ? ", numDevices" : "");
			continue;
		}
		op->running--;
		if (!inv_refusal(-ret, module_last_msg(), r->has_filter,
				 rd[i].name, rr->label, p, retry)) {
			/* no candidate: nothing to find there (nor anywhere) */
			astats[rr->aidx].refused[F_NONE_PROVISIONED]++;
			logm("%s: area %s: reader %s: no candidate (%s)", tid,
			     rr->label, rr->reader, module_last_msg());
			free(rr);
			continue;
		}
		astats[rr->aidx].refused[-ret == EPERM ? F_MIN_GROUP :
					 -ret == EBUSY ? F_BUSY :
					 -ret == ENODEV ? F_NO_READER : F_OTHER]++;
		logm("%s: area %s: reader %s: inventory refused: %s", tid,
		     rr->label, rr->reader, p->detail);
		free(rr);
		goto refused;
	}
	op_req_free(r);
	if (!op->running)
		finish(op, "no candidate");
	return 0;
refused:
	/* rounds already on the air run to their end, unreported */
	op->refused = true;
	return -1;
}

void rounds_housekeeping(void)
{
	struct rop **pp = &rops, *op;
	double now = mono(), due;

	if (module_invset())
		inv_expire(module_invset());
	next_flush = 0;
	while ((op = *pp)) {
		if (!op->running && (op->ended || op->refused)) {
			*pp = op->next;
			rop_free(op);
			continue;
		}
		if (!op->ended && !op->refused && json_array_size(op->pending)) {
			due = op->pend_since + cf.report_delay_ms / 1000.0;
			if (due <= now)
				flush(op, false);
			else
				schedule(due);
		}
		pp = &op->next;
	}
}

double rounds_next_flush(void)
{
	return next_flush;
}

unsigned int rounds_retry_after(void)
{
	struct inv_set *set = module_invset();
	int ms = set ? inv_next_ms(set) : -1;

	if (ms < 0)
		return cf.retry_after_s;
	return (unsigned int)(ms + 999) / 1000;
}

/* The label of area @a, or "none" for the reader outside every area. */
static const char *label_of(size_t a)
{
	return a < cf.areas.n ? cf.areas.a[a].label : "none";
}

static void counter_head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

void rounds_metrics(FILE *f)
{
	size_t a, i;

	if (!stats_ready())
		return;
	counter_head(f, "aiotd_inventory_rounds_total",
		     "inventory rounds started, by area");
	for (a = 0; a <= cf.areas.n; a++)
		fprintf(f, "aiotd_inventory_rounds_total{area=\"%s\"} %llu\n",
			label_of(a), astats[a].rounds);
	counter_head(f, "aiotd_inventory_round_ends_total",
		     "inventory rounds ended, by area and how");
	for (a = 0; a <= cf.areas.n; a++)
		for (i = 0; i < E_NUM; i++)
			fprintf(f, "aiotd_inventory_round_ends_total{area=\"%s\",end=\"%s\"} %llu\n",
				label_of(a), end_names[i], astats[a].ends[i]);
	counter_head(f, "aiotd_inventory_found_total",
		     "devices reported by inventories, by area");
	for (a = 0; a <= cf.areas.n; a++)
		fprintf(f, "aiotd_inventory_found_total{area=\"%s\"} %llu\n",
			label_of(a), astats[a].found);
	counter_head(f, "aiotd_inventory_refused_total",
		     "inventory rounds the module refused, by area and reason");
	for (a = 0; a <= cf.areas.n; a++)
		for (i = 0; i < F_NUM; i++)
			fprintf(f, "aiotd_inventory_refused_total{area=\"%s\",reason=\"%s\"} %llu\n",
				label_of(a), refusal_names[i], astats[a].refused[i]);
}
