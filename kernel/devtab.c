// SPDX-License-Identifier: GPL-2.0
/*
 * The device table of a namespace: 16-byte ID -> prepared key, policies,
 * counters. A resizable RCU hash table: lookups on the receive path take
 * no lock and cost the same at a thousand devices as at a million.
 * Changes are serialised by an->lock and are all or nothing.
 */
#include <linux/slab.h>
#include <linux/sort.h>

#include "aiotsec.h"

static struct kmem_cache *dev_cache __read_mostly;

static const struct rhashtable_params dev_params = {
	.key_len = AIOTSEC_ID_LEN,
	.key_offset = offsetof(struct aiot_device, id),
	.head_offset = offsetof(struct aiot_device, node),
	.automatic_shrinking = true,
};

#define FP_LABEL "aiotsec key fingerprint"

/* A non-reversible 64-bit fingerprint of the key, safe to show. */
u64 aiot_key_fp(const struct aiot_hkey *hk)
{
	u8 out[AIOT_HMAC_LEN];
	u64 fp;

	aiot_hmac(hk, FP_LABEL, sizeof(FP_LABEL) - 1, out);
	fp = get_unaligned_be64(out);
	memzero_explicit(out, sizeof(out));
	return fp;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_key_fp);

int aiot_devtab_cache_init(void)
{
	dev_cache = KMEM_CACHE(aiot_device, 0);
	return dev_cache ? 0 : -ENOMEM;
}

void aiot_devtab_cache_exit(void)
{
	rcu_barrier();		/* every dev_free_rcu() has run */
	kmem_cache_destroy(dev_cache);
}

/*
 * Kernel memory the table holds for @an's devices: the slab objects
 * (kmem_cache_size() is the object size with its slab alignment) and the
 * hash table's bucket array. Under an->lock or with the table idle.
 */
size_t aiot_devtab_mem(struct aiot_net *an)
{
	const struct bucket_table *tbl;
	size_t buckets;

	rcu_read_lock();
	tbl = rcu_dereference(an->devices.tbl);
	buckets = tbl->size * sizeof(tbl->buckets[0]);
	rcu_read_unlock();
	return atomic_read(&an->ndevices) * kmem_cache_size(dev_cache) + buckets;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_mem);

int aiot_devtab_init(struct aiot_net *an)
{
	return rhashtable_init(&an->devices, &dev_params);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_init);

static void dev_free_rcu(struct rcu_head *head)
{
	struct aiot_device *d = container_of(head, struct aiot_device, rcu);

	aiot_hkey_wipe(&d->hk);
	kmem_cache_free(dev_cache, d);
}

static void dev_free(struct aiot_device *d)
{
	call_rcu(&d->rcu, dev_free_rcu);
}

static void dev_destroy_cb(void *ptr, void *arg)
{
	dev_free(ptr);
}

void aiot_devtab_destroy(struct aiot_net *an)
{
	rhashtable_free_and_destroy(&an->devices, dev_destroy_cb, NULL);
	atomic_set(&an->ndevices, 0);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_destroy);

/* Under rcu_read_lock() or an->lock. */
struct aiot_device *aiot_devtab_lookup(struct aiot_net *an, const u8 *id)
{
	return rhashtable_lookup(&an->devices, id, dev_params);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_lookup);

/* Is a device description valid? On error *why says what is wrong. */
int aiot_devtab_check_spec(const struct aiot_dev_spec *s, const char **why)
{
	if (s->key_len != AIOTSEC_KEY_LEN_128 && s->key_len != AIOTSEC_KEY_LEN_256) {
		*why = "AIOTSEC_DEV_A_KEY: must be 16 or 32 bytes";
		return -EINVAL;
	}
	if (aiot_policy_check(s->policy, AIOT_MSG_COMMAND)) {
		*why = "AIOTSEC_DEV_A_POLICY: invalid for a COMMAND";
		return -EINVAL;
	}
	if (s->min_policy & AIOTSEC_POL_RESERVED || !aiot_mac_len(s->min_policy)) {
		*why = "AIOTSEC_DEV_A_MIN_POLICY: invalid (ML 0-2, bit 7 clear)";
		return -EINVAL;
	}
	if (!aiot_policy_meets(s->policy, s->min_policy, AIOT_MSG_CMD_RESP)) {
		*why = "AIOTSEC_DEV_A_POLICY: below AIOTSEC_DEV_A_MIN_POLICY";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_check_spec);

static int cmp_spec(const void *a, const void *b)
{
	const struct aiot_dev_spec *const *x = a, *const *y = b;

	return memcmp((*x)->id, (*y)->id, AIOTSEC_ID_LEN);
}

/* Index of an ID that occurs twice in @specs, or -1. */
static int find_duplicate(const struct aiot_dev_spec *specs, unsigned int n)
{
	const struct aiot_dev_spec **v;
	int dup = -1;
	unsigned int i;

	if (n < 2)
		return -1;
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -2;
	for (i = 0; i < n; i++)
		v[i] = &specs[i];
	sort(v, n, sizeof(*v), cmp_spec, NULL);
	for (i = 1; i < n && dup < 0; i++)
		if (!cmp_spec(&v[i - 1], &v[i]))
			dup = v[i] - specs;
	kvfree(v);
	return dup;
}

static struct aiot_device *dev_new(const struct aiot_dev_spec *s)
{
	struct aiot_device *d = kmem_cache_zalloc(dev_cache, GFP_KERNEL);

	if (!d)
		return NULL;
	memcpy(d->id, s->id, AIOTSEC_ID_LEN);
	if (aiot_hkey_init(&d->hk, s->key, s->key_len)) {
		kmem_cache_free(dev_cache, d);
		return NULL;
	}
	d->key_len = s->key_len;
	d->key_fp = aiot_key_fp(&d->hk);
	d->policy = s->policy;
	d->min_policy = s->min_policy;
	return d;
}

static void dev_put_new(struct aiot_device **nd, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!nd[i])
			continue;
		aiot_hkey_wipe(&nd[i]->hk);
		kmem_cache_free(dev_cache, nd[i]);
	}
}

/*
 * Add @n devices, replacing existing ones only if @replace. Everything is
 * checked and allocated before the table changes, so a request that fails
 * changes nothing. On failure, @err->index names the device at fault (or
 * is -1) and @err->msg says what is wrong.
 */
int aiot_devtab_add(struct aiot_net *an, const struct aiot_dev_spec *specs,
		    unsigned int n, bool replace, struct aiot_dev_err *err)
{
	struct aiot_device **nd, **old;
	unsigned int i, fresh = 0;
	int ret = 0, dup;

	err->index = -1;
	for (i = 0; i < n; i++) {
		ret = aiot_devtab_check_spec(&specs[i], &err->msg);
		if (ret) {
			err->index = i;
			return ret;
		}
	}
	dup = find_duplicate(specs, n);
	if (dup == -2)
		return -ENOMEM;
	if (dup >= 0) {
		err->index = dup;
		err->msg = "AIOTSEC_DEV_A_ID: the same ID twice in one request";
		return -EINVAL;
	}

	nd = kvcalloc(n, sizeof(*nd), GFP_KERNEL);
	old = kvcalloc(n, sizeof(*old), GFP_KERNEL);
	if (!nd || !old) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		nd[i] = dev_new(&specs[i]);
		if (!nd[i]) {
			ret = -ENOMEM;
			goto out;
		}
		if (!(i % 4096))
			cond_resched();
	}

	mutex_lock(&an->lock);
	for (i = 0; i < n; i++) {
		old[i] = rhashtable_lookup_fast(&an->devices, specs[i].id,
						dev_params);
		if (old[i] && !replace) {
			err->index = i;
			err->msg = "AIOTSEC_DEV_A_ID: exists (AIOTSEC_F_REPLACE replaces it)";
			ret = -EEXIST;
			goto unlock;
		}
		fresh += !old[i];
	}
	if (atomic_read(&an->ndevices) + fresh > READ_ONCE(an->max_devices)) {
		err->msg = "AIOTSEC_A_DEVICES: more devices than AIOTSEC_A_MAX_DEVICES allows";
		ret = -ENOSPC;
		goto unlock;
	}
	/* Insertions can fail (memory): do them all before any replacement. */
	for (i = 0; i < n; i++) {
		if (old[i])
			continue;
		ret = rhashtable_insert_fast(&an->devices, &nd[i]->node,
					     dev_params);
		if (ret) {
			err->index = i;
			err->msg = "AIOTSEC_A_DEVICE: no memory to insert the device";
			while (i--) {
				if (old[i])
					continue;
				rhashtable_remove_fast(&an->devices,
						       &nd[i]->node, dev_params);
				dev_free(nd[i]);
				nd[i] = NULL;
			}
			goto unlock;
		}
	}
	for (i = 0; i < n; i++) {
		if (!old[i])
			continue;
		nd[i]->stats = old[i]->stats;
		rhashtable_replace_fast(&an->devices, &old[i]->node,
					&nd[i]->node, dev_params);
		dev_free(old[i]);
	}
	atomic_add(fresh, &an->ndevices);
	atomic_inc(&an->dev_gen);
	memset(nd, 0, n * sizeof(*nd));		/* the table owns them now */
unlock:
	mutex_unlock(&an->lock);
out:
	if (nd)
		dev_put_new(nd, n);
	kvfree(nd);
	kvfree(old);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_add);

/* Delete @n devices (IDs back to back in @ids); all exist, or none goes. */
int aiot_devtab_del(struct aiot_net *an, const u8 *ids, unsigned int n,
		    struct aiot_dev_err *err)
{
	struct aiot_device *d;
	unsigned int i, gone = 0;

	err->index = -1;
	mutex_lock(&an->lock);
	for (i = 0; i < n; i++) {
		d = rhashtable_lookup_fast(&an->devices, ids + i * AIOTSEC_ID_LEN,
					   dev_params);
		if (!d) {
			err->index = i;
			err->msg = "AIOTSEC_DEV_A_ID: no such device";
			mutex_unlock(&an->lock);
			return -ENOENT;
		}
	}
	for (i = 0; i < n; i++) {
		d = rhashtable_lookup_fast(&an->devices, ids + i * AIOTSEC_ID_LEN,
					   dev_params);
		if (d && !rhashtable_remove_fast(&an->devices, &d->node,
						 dev_params)) {
			dev_free(d);
			gone++;
		}
	}
	atomic_sub(gone, &an->ndevices);
	atomic_inc(&an->dev_gen);
	mutex_unlock(&an->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_del);

void aiot_devtab_flush(struct aiot_net *an)
{
	struct rhashtable_iter iter;
	struct aiot_device *d;
	unsigned int n = 0;

	mutex_lock(&an->lock);
	while (atomic_read(&an->ndevices)) {
		rhashtable_walk_enter(&an->devices, &iter);
		rhashtable_walk_start(&iter);
		while ((d = rhashtable_walk_next(&iter))) {
			if (IS_ERR(d))
				continue;	/* -EAGAIN: resized, go on */
			if (!rhashtable_remove_fast(&an->devices, &d->node,
						    dev_params)) {
				dev_free(d);
				atomic_dec(&an->ndevices);
			}
			if (!(++n % 1024)) {
				rhashtable_walk_stop(&iter);
				cond_resched();
				rhashtable_walk_start(&iter);
			}
		}
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
	}
	atomic_inc(&an->dev_gen);
	mutex_unlock(&an->lock);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_flush);

/* Under rcu_read_lock(). */
void aiot_devtab_count_timeout(struct aiot_net *an, const u8 *id)
{
	struct aiot_device *d = aiot_devtab_lookup(an, id);

	if (d)
		atomic_inc(&d->stats.timeouts);
}
