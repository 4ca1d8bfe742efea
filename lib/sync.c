// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The sync of the kernel's device table to a key store (see sync.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "sync.h"

static int cmp_entry(const void *a, const void *b, void *arg)
{
	const struct ks_entry *e = arg;

	return memcmp(e[*(const size_t *)a].id, e[*(const size_t *)b].id,
		      AIOTSEC_ID_LEN);
}

/* Does @e's key differ from the one fingerprinted in @d? */
static bool key_differs(const struct ks_entry *e, const struct dev_info *d)
{
	struct aiot_hkey hk;
	uint64_t fp;

	if (e->key_len != d->key_len)
		return true;
	if (aiot_hkey_init(&hk, e->key, e->key_len))
		return true;	/* cannot tell: replacing is safe */
	fp = aiot_key_fp(&hk);	/* the kernel's own function */
	aiot_hkey_wipe(&hk);
	return !fp || fp != d->fp;
}

unsigned int sync_differs(const struct ks_entry *e, const struct dev_info *d)
{
	unsigned int m = 0;

	if (e->policy != d->policy)
		m |= SYNC_D_POLICY;
	if (e->min_policy != d->min_policy)
		m |= SYNC_D_MIN;
	if (memcmp(e->group, d->group, AIOTSEC_GROUP_LEN))
		m |= SYNC_D_GROUP;
	if (key_differs(e, d))
		m |= SYNC_D_KEY;
	return m;
}

void sync_plan_free(struct sync_plan *p)
{
	free(p->add);
	free(p->rep);
	free(p->del);
}

/* Merge the sorted key store and the sorted dump into a plan. */
static int merge(const struct keystore *ks, const struct dev_list *l,
		 struct sync_plan *p)
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
		sync_plan_free(p);
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
			if (sync_differs(&ks->e[order[i]], &l->v[k]))
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

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int sync_plan_make(const struct keystore *ks, const struct dev_list *l,
		   struct sync_plan *p)
{
	int ret = merge(ks, l, p);

	if (ret)
		return ret;
	/* In file order: an error then names the first line at fault. */
	qsort(p->add, p->nadd, sizeof(*p->add), cmp_size);
	qsort(p->rep, p->nrep, sizeof(*p->rep), cmp_size);
	return 0;
}

/* Run one kind of change; 0 or the failure (the hooks were told). */
static int apply(struct anl *a, uint8_t cmd, uint32_t flags, const size_t *idx,
		 size_t n, const struct keystore *ks, const struct dev_list *l,
		 struct sync_run *r)
{
	struct batch b;
	size_t i;
	int ret = 0;

	if (!n)
		return 0;
	batch_init(&b, a, cmd, flags, r->max);
	if (r->attach)
		r->attach(&b, r->arg);
	for (i = 0; i < n && !ret; i++)
		ret = cmd == AIOTSEC_CMD_DEL_DEVICES ?
		      batch_del(&b, l->v[idx[i]].id, i) :
		      batch_add(&b, &ks->e[idx[i]], i);
	if (!ret)
		ret = batch_flush(&b);
	r->msgs += b.msgs;
	r->secs += b.secs;
	r->done += b.done;
	if (r->ended)
		r->ended(&b, r->arg);
	if (ret && r->failed)
		r->failed(&b, ret, idx, r->arg);
	batch_free(&b);
	return ret;
}

int sync_apply(struct anl *a, const struct sync_plan *p,
	       const struct keystore *ks, const struct dev_list *l,
	       struct sync_run *r)
{
	int ret;

	/* Deletions first: they make room under max-devices. */
	ret = apply(a, AIOTSEC_CMD_DEL_DEVICES, 0, p->del, p->ndel, ks, l, r);
	if (!ret)
		ret = apply(a, AIOTSEC_CMD_ADD_DEVICES, 0, p->add, p->nadd, ks,
			    l, r);
	if (!ret)
		ret = apply(a, AIOTSEC_CMD_ADD_DEVICES, AIOTSEC_F_REPLACE,
			    p->rep, p->nrep, ks, l, r);
	return ret;
}
