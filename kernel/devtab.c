// SPDX-License-Identifier: GPL-2.0
/*
 * The device table of a namespace: 16-byte ID -> prepared key, policies,
 * counters. A resizable RCU hash table: lookups on the receive path take
 * no lock and cost the same at a thousand devices as at a million.
 * Changes are serialised by an->lock and are all or nothing.
 *
 * Memory: devices and their counters come from caches charged to the
 * memory cgroup of whoever adds them (SLAB_ACCOUNT), as does everything
 * else a request makes the table allocate. The hash table's bucket array
 * is not: 6.1's rhashtable allocates it with GFP_KERNEL, and grows it from
 * a work item that runs in no cgroup; it is about 8 bytes a device, against
 * over 150 charged.
 */
#include <linux/slab.h>
#include <linux/sort.h>

#include "aiotsec.h"

static struct kmem_cache *dev_cache __read_mostly;
static struct kmem_cache *stats_cache __read_mostly;

static const struct rhashtable_params dev_params = {
	.key_len = AIOTSEC_ID_LEN,
	.key_offset = offsetof(struct aiot_device, id),
	.head_offset = offsetof(struct aiot_device, node),
	.automatic_shrinking = true,
};

int aiot_devtab_cache_init(void)
{
	dev_cache = KMEM_CACHE(aiot_device, SLAB_ACCOUNT);
	stats_cache = KMEM_CACHE(aiot_dev_stats, SLAB_ACCOUNT);
	if (dev_cache && stats_cache)
		return 0;
	kmem_cache_destroy(dev_cache);
	kmem_cache_destroy(stats_cache);
	return -ENOMEM;
}

void aiot_devtab_cache_exit(void)
{
	rcu_barrier();		/* every dev_free_rcu() has run */
	kmem_cache_destroy(dev_cache);
	kmem_cache_destroy(stats_cache);
}

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Slab memory of one device with its counters (object sizes with their
 * slab alignment), for the tests' and the bench's memory figures.
 */
size_t aiot_devtab_obj_size(void)
{
	return kmem_cache_size(dev_cache) + kmem_cache_size(stats_cache);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_obj_size);
#endif

int aiot_devtab_init(struct aiot_net *an)
{
	return rhashtable_init(&an->devices, &dev_params);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_init);

/* A device's last user is gone: its key, and its counters if last too. */
static void dev_release(struct aiot_device *d)
{
	if (refcount_dec_and_test(&d->stats->ref))
		kmem_cache_free(stats_cache, d->stats);
	aiot_hkey_wipe(&d->hk);
	kmem_cache_free(dev_cache, d);
}

static void dev_free_rcu(struct rcu_head *head)
{
	dev_release(container_of(head, struct aiot_device, rcu));
}

static void dev_free(struct aiot_device *d)
{
	call_rcu(&d->rcu, dev_free_rcu);
}

static void dev_destroy_cb(void *ptr, void *arg)
{
	dev_release(ptr);
}

/*
 * The namespace is going: no reader can reach the table any more (its
 * readers are unbound and a grace period has passed), so each device is
 * freed at once, not after a grace period of its own.
 */
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

/* Is a device description valid? On error extack says what is wrong. */
int aiot_devtab_check_spec(const struct aiot_dev_spec *s,
			   struct netlink_ext_ack *extack)
{
	if (s->key_len != AIOTSEC_KEY_LEN_128 && s->key_len != AIOTSEC_KEY_LEN_256) {
		NL_SET_ERR_MSG(extack, "AIOTSEC_DEV_A_KEY: must be 16 or 32 bytes");
		return -EINVAL;
	}
	if (aiot_policy_check(s->policy, AIOT_MSG_COMMAND)) {
		NL_SET_ERR_MSG(extack, "AIOTSEC_DEV_A_POLICY: invalid for a COMMAND");
		return -EINVAL;
	}
	if (!aiot_min_policy_valid(s->min_policy)) {
		NL_SET_ERR_MSG(extack, "AIOTSEC_DEV_A_MIN_POLICY: invalid (ML 0-2, bit 7 clear)");
		return -EINVAL;
	}
	if (!aiot_policy_meets(s->policy, s->min_policy, AIOT_MSG_CMD_RESP)) {
		NL_SET_ERR_MSG(extack, "AIOTSEC_DEV_A_POLICY: below AIOTSEC_DEV_A_MIN_POLICY");
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
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL_ACCOUNT);
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

/*
 * Devices and their counters for @specs[0..n) into @nd, from the caches in
 * bulk, a chunk at a time; @st is room for n pointers, left zeroed. On
 * failure, @nd holds devices that dev_put_new() releases, NULL after
 * them, and *@bad is the index of the first device not made.
 */
static int dev_new_bulk(const struct aiot_dev_spec *specs, unsigned int n,
			struct aiot_device **nd, void **st, unsigned int *bad)
{
	unsigned int i, j, k;
	struct aiot_device *d;
	int ret = -ENOMEM;

	for (i = 0; i < n; i += k) {
		k = min(1024U, n - i);
		if (!kmem_cache_alloc_bulk(dev_cache, GFP_KERNEL_ACCOUNT, k,
					   (void **)nd + i))
			goto fail;
		if (!kmem_cache_alloc_bulk(stats_cache, GFP_KERNEL_ACCOUNT, k,
					   st + i)) {
			kmem_cache_free_bulk(dev_cache, k, (void **)nd + i);
			goto fail;
		}
		for (j = i; j < i + k; j++) {
			d = nd[j];
			memset(d, 0, sizeof(*d));
			memset(st[j], 0, sizeof(*d->stats));
			d->stats = st[j];
			refcount_set(&d->stats->ref, 1);
		}
		for (j = i; j < i + k; j++) {
			d = nd[j];
			memcpy(d->id, specs[j].id, AIOTSEC_ID_LEN);
			if (aiot_hkey_init(&d->hk, specs[j].key,
					   specs[j].key_len)) {
				*bad = j;
				ret = -EINVAL;
				goto out;
			}
			d->key_len = specs[j].key_len;
			d->policy = specs[j].policy;
			d->min_policy = specs[j].min_policy;
			memcpy(d->group, specs[j].group, AIOTSEC_GROUP_LEN);
		}
		cond_resched();
	}
	ret = 0;
	goto out;
fail:
	memset(nd + i, 0, (n - i) * sizeof(*nd));
	*bad = i;
out:
	memset(st, 0, n * sizeof(*st));
	return ret;
}

static void dev_put_new(struct aiot_device **nd, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (nd[i])
			dev_release(nd[i]);	/* never published */
}

/*
 * Add @n devices, replacing existing ones only if @replace. Everything is
 * checked and allocated before the table changes, so a request that fails
 * changes nothing. On failure, @err->index names the device at fault (or
 * is -1) and @err->extack says what is wrong.
 */
int aiot_devtab_add(struct aiot_net *an, const struct aiot_dev_spec *specs,
		    unsigned int n, bool replace, struct aiot_dev_err *err)
{
	struct aiot_device **nd, **old;
	struct aiot_dev_stats *fresh_stats;
	unsigned int i, fresh = 0;
	int ret = 0, dup;

	err->index = -1;
	for (i = 0; i < n; i++) {
		ret = aiot_devtab_check_spec(&specs[i], err->extack);
		if (ret) {
			err->index = i;
			return ret;
		}
	}
	dup = find_duplicate(specs, n);
	if (dup == -2) {
		NL_SET_ERR_MSG(err->extack, "AIOTSEC_A_DEVICES: no memory for the devices");
		return -ENOMEM;
	}
	if (dup >= 0) {
		err->index = dup;
		NL_SET_ERR_MSG(err->extack, "AIOTSEC_DEV_A_ID: the same ID twice in one request");
		return -EINVAL;
	}

	nd = kvcalloc(n, sizeof(*nd), GFP_KERNEL_ACCOUNT);
	old = kvcalloc(n, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!nd || !old) {
		NL_SET_ERR_MSG(err->extack, "AIOTSEC_A_DEVICES: no memory for the devices");
		ret = -ENOMEM;
		goto out;
	}
	/* old[] is all NULL until the lookups: room for the counters. */
	ret = dev_new_bulk(specs, n, nd, (void **)old, &i);
	if (ret) {
		err->index = i;
		if (ret == -ENOMEM)
			NL_SET_ERR_MSG(err->extack, "AIOTSEC_A_DEVICE: no memory for the device");
		else
			NL_SET_ERR_MSG(err->extack, "AIOTSEC_DEV_A_KEY: cannot be prepared");
		goto out;
	}

	mutex_lock(&an->lock);
	for (i = 0; i < n; i++) {
		old[i] = rhashtable_lookup_fast(&an->devices, specs[i].id,
						dev_params);
		if (old[i] && !replace) {
			err->index = i;
			NL_SET_ERR_MSG(err->extack,
				       "AIOTSEC_DEV_A_ID: exists (AIOTSEC_F_REPLACE replaces it)");
			ret = -EEXIST;
			goto unlock;
		}
		fresh += !old[i];
	}
	if (atomic_read(&an->ndevices) + fresh > READ_ONCE(an->max_devices)) {
		NL_SET_ERR_MSG(err->extack,
			       "AIOTSEC_A_DEVICES: more devices than AIOTSEC_A_MAX_DEVICES allows");
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
			NL_SET_ERR_MSG(err->extack,
				       "AIOTSEC_A_DEVICE: no memory to insert the device");
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
	/*
	 * Replacements cannot fail: the old entry is in the table (we hold
	 * an->lock) under the same key. The new entry takes over the old
	 * one's counters, not a copy of them: a receive path still on the
	 * old entry counts where the new one reports.
	 */
	for (i = 0; i < n; i++) {
		if (!old[i])
			continue;
		fresh_stats = nd[i]->stats;
		refcount_inc(&old[i]->stats->ref);
		nd[i]->stats = old[i]->stats;
		if (WARN_ON_ONCE(rhashtable_replace_fast(&an->devices,
							 &old[i]->node,
							 &nd[i]->node,
							 dev_params))) {
			/* Left as it was: nd[i] is released below. */
			refcount_dec(&old[i]->stats->ref);
			nd[i]->stats = fresh_stats;
			continue;
		}
		kmem_cache_free(stats_cache, fresh_stats);	/* never seen */
		dev_free(old[i]);
		nd[i] = NULL;
	}
	atomic_add(fresh, &an->ndevices);
	atomic_inc(&an->dev_gen);
	for (i = 0; i < n; i++)		/* the table owns the fresh ones now */
		if (!old[i])
			nd[i] = NULL;
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
			NL_SET_ERR_MSG(err->extack, "AIOTSEC_DEV_A_ID: no such device");
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

/*
 * Unlink every device, wait for one grace period, then free them all:
 * not one RCU callback per device (millions of them at once). The
 * unlinked devices are chained through their (unused) rcu_head.
 */
void aiot_devtab_flush(struct aiot_net *an)
{
	struct rcu_head *gone = NULL, *next;
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
				d->rcu.next = gone;
				gone = &d->rcu;
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
	if (!gone)
		return;
	synchronize_rcu();
	for (n = 0; gone; gone = next) {
		next = gone->next;
		dev_release(container_of(gone, struct aiot_device, rcu));
		if (!(++n % 1024))
			cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(aiot_devtab_flush);

/* Under rcu_read_lock(). */
void aiot_devtab_count_timeout(struct aiot_net *an, const u8 *id)
{
	struct aiot_device *d = aiot_devtab_lookup(an, id);

	if (d)
		atomic64_inc(&d->stats->timeouts);
}
