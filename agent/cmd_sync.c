// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl sync FILE: make the kernel's device table equal to a key store,
 * touching only what differs (as wg syncconf does). The table is dumped,
 * the file's keys are fingerprinted as the kernel does it, and only the
 * missing devices are added, the changed ones replaced, the extra ones
 * deleted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "bulk.h"
#include "out.h"
#include "proto.h"
#include "show.h"

struct plan {
	size_t *add, nadd;		/* key-store indices */
	size_t *rep, nrep;		/* key-store indices */
	size_t *del, ndel;		/* dump indices */
	size_t same;
};

static int cmp_entry(const void *a, const void *b, void *arg)
{
	const struct ks_entry *e = arg;

	return memcmp(e[*(const size_t *)a].id, e[*(const size_t *)b].id,
		      AIOTSEC_ID_LEN);
}

static bool differs(const struct ks_entry *e, const struct dev_info *d)
{
	struct aiot_hkey hk;
	uint64_t fp;

	if (e->policy != d->policy || e->min_policy != d->min_policy ||
	    e->key_len != d->key_len)
		return true;
	if (aiot_hkey_init(&hk, e->key, e->key_len))
		return true;	/* cannot tell: replacing is safe */
	fp = aiot_key_fp(&hk);	/* the kernel's own function */
	aiot_hkey_wipe(&hk);
	return !fp || fp != d->fp;
}

static void free_plan(struct plan *p)
{
	free(p->add);
	free(p->rep);
	free(p->del);
}

/* Merge the sorted key store and the sorted dump into a plan. */
static int make_plan(const struct keystore *ks, const struct dev_list *l,
		     struct plan *p)
{
	size_t *order, i = 0, k = 0;
	int d;

	memset(p, 0, sizeof(*p));
	order = malloc((ks->n + 1) * sizeof(*order));
	p->add = malloc((ks->n + 1) * sizeof(*p->add));
	p->rep = malloc((ks->n + 1) * sizeof(*p->rep));
	p->del = malloc((l->n + 1) * sizeof(*p->del));
	if (!order || !p->add || !p->rep || !p->del) {
		free(order);
		free_plan(p);
		return -ENOMEM;
	}
	for (i = 0; i < ks->n; i++)
		order[i] = i;
	qsort_r(order, ks->n, sizeof(*order), cmp_entry, ks->e);
	for (i = 0; i < ks->n || k < l->n;) {
		if (i == ks->n)
			d = 1;
		else if (k == l->n)
			d = -1;
		else
			d = memcmp(ks->e[order[i]].id, l->v[k].id,
				   AIOTSEC_ID_LEN);
		if (d < 0) {
			p->add[p->nadd++] = order[i++];
		} else if (d > 0) {
			p->del[p->ndel++] = k++;
		} else {
			if (differs(&ks->e[order[i]], &l->v[k]))
				p->rep[p->nrep++] = order[i];
			else
				p->same++;
			i++;
			k++;
		}
	}
	free(order);
	return 0;
}

static void print_plan(const struct plan *p, const struct keystore *ks,
		       const struct dev_list *l)
{
	size_t i;

	/* The plain output only: -j prints just the summary. */
	for (i = 0; i < p->ndel; i++)
		print_plain("del %s\n", show_id(l->v[p->del[i]].id));
	for (i = 0; i < p->nadd; i++)
		print_plain("add %s (line %u)\n", show_id(ks->e[p->add[i]].id),
			    ks->e[p->add[i]].line);
	for (i = 0; i < p->nrep; i++)
		print_plain("replace %s (line %u)\n",
			    show_id(ks->e[p->rep[i]].id),
			    ks->e[p->rep[i]].line);
}

static void report(const char *file, const struct plan *p, size_t msgs,
		   double secs, bool dry)
{
	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_ANY, "file", "sync %s", file);
	print_u64(PRINT_JSON, "dry_run", NULL, dry);
	print_str(PRINT_FP, NULL, "%s", dry ? " (dry run)" : "");
	print_u64(PRINT_ANY, "added", ": %" PRIu64 " added", p->nadd);
	print_u64(PRINT_ANY, "replaced", ", %" PRIu64 " replaced", p->nrep);
	print_u64(PRINT_ANY, "deleted", ", %" PRIu64 " deleted", p->ndel);
	print_u64(PRINT_ANY, "unchanged", ", %" PRIu64 " unchanged", p->same);
	print_u64(PRINT_ANY, "messages", " (%" PRIu64 " messages", msgs);
	print_f64(PRINT_ANY, "kernel_seconds", ", %.3f s)", secs, 3);
	print_nl(PRINT_FP);
	close_obj(PRINT_JSON);
}

/* Run one kind of change; 0 or the failure (already reported). */
static int apply(struct anl *a, uint8_t cmd, uint32_t flags, size_t max,
		 const size_t *idx, size_t n, const struct keystore *ks,
		 const struct dev_list *l, const char *file,
		 struct progress *pr, size_t *msgs, double *secs)
{
	struct batch b;
	size_t i;
	int ret = 0;

	if (!n)
		return 0;
	batch_init(&b, a, cmd, flags, max);
	progress_attach(pr, &b);
	for (i = 0; i < n && !ret; i++)
		ret = cmd == AIOTSEC_CMD_DEL_DEVICES ?
		      batch_del(&b, l->v[idx[i]].id, i) :
		      batch_add(&b, &ks->e[idx[i]], i);
	if (!ret)
		ret = batch_flush(&b);
	*msgs += b.msgs;
	*secs += b.secs;
	pr->base += b.done;
	if (ret && cmd == AIOTSEC_CMD_DEL_DEVICES) {
		if (b.has_err_idx)
			err_msg("sync: deleting %s: %s (%s)",
				show_id(l->v[idx[b.err_idx]].id),
				a->last.msg[0] ? a->last.msg : "failed",
				strerror(-ret));
		else
			anl_perror(a, "sync: deleting", ret);
	} else if (ret) {
		bulk_error(&b, ret, ks, file, idx);
	}
	batch_free(&b);
	return ret;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int cmd_sync(int argc, char **argv)
{
	char err[512];
	struct dev_list l;
	struct keystore ks;
	struct progress pr;
	struct plan p;
	struct kw kws[] = { KW("dry-run", KW_FLAG), KW("batch", KW_ARG),
			    KW_END };
	size_t max = 0, msgs = 0;
	double secs = 0;
	struct anl a;
	bool dry;
	int ret;

	if (argc < 1)
		return usage_err("sync: a FILE is required");
	if (cmd_kw(kws, "keyword", argc - 1, argv + 1, &ret))
		return ret;
	if (kws[1].seen && parse_batch(&kws[1], &max))
		return EXIT_USAGE;
	dry = kws[0].seen;
	if (ks_load(&ks, argv[0], stderr, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_ERR;
	}
	if (anl_open(&a, false)) {
		ks_free(&ks);
		return EXIT_ERR;
	}
	ret = dev_dump(&a, &l);
	if (ret)
		goto out;
	ret = make_plan(&ks, &l, &p);
	if (ret) {
		err_msg("out of memory");
		dev_list_free(&l);
		goto out;
	}
	/* In file order: an error then names the first line at fault. */
	qsort(p.add, p.nadd, sizeof(*p.add), cmp_size);
	qsort(p.rep, p.nrep, sizeof(*p.rep), cmp_size);
	if (dry) {
		print_plan(&p, &ks, &l);
	} else {
		progress_init(&pr, "sync", p.ndel + p.nadd + p.nrep);
		/* Deletions first: they make room under max-devices. */
		ret = apply(&a, AIOTSEC_CMD_DEL_DEVICES, 0, max, p.del, p.ndel,
			    &ks, &l, argv[0], &pr, &msgs, &secs);
		if (!ret)
			ret = apply(&a, AIOTSEC_CMD_ADD_DEVICES, 0, max, p.add,
				    p.nadd, &ks, &l, argv[0], &pr, &msgs,
				    &secs);
		if (!ret)
			ret = apply(&a, AIOTSEC_CMD_ADD_DEVICES,
				    AIOTSEC_F_REPLACE, max, p.rep, p.nrep, &ks,
				    &l, argv[0], &pr, &msgs, &secs);
		progress_end(&pr);
	}
	if (!ret)
		report(argv[0], &p, msgs, secs, dry);
	free_plan(&p);
	dev_list_free(&l);
out:
	anl_close(&a);
	ks_free(&ks);
	return ret ? EXIT_ERR : EXIT_OK;
}
