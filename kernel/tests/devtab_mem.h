/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel memory a namespace's device table holds, for the KUnit suite's
 * and the bench's per-device figures. It reads the hash table's internals,
 * so it lives with the tests, not in aiotsec.ko.
 */
#ifndef _AIOT_DEVTAB_MEM_H
#define _AIOT_DEVTAB_MEM_H

#include <linux/rhashtable.h>

#include "aiotsec.h"

/*
 * The slab objects (each device and its counters, with slab alignment)
 * and the bucket array. Under an->lock or with the table idle.
 */
static inline size_t aiot_devtab_mem(struct aiot_net *an)
{
	const struct bucket_table *tbl;
	size_t buckets;

	rcu_read_lock();
	tbl = rcu_dereference(an->devices.tbl);
	buckets = tbl->size * sizeof(tbl->buckets[0]);
	rcu_read_unlock();
	return atomic_read(&an->ndevices) * aiot_devtab_obj_size() + buckets;
}

#endif /* _AIOT_DEVTAB_MEM_H */
