// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state. A namespace's devices, readers, transactions and
 * counters are born with it and torn down with it: nothing is shared.
 */
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "aiotsec.h"

unsigned int aiot_net_id __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(aiot_net_id);
bool aiot_stopping;

static int __net_init aiot_net_init(struct net *net)
{
	struct aiot_net *an = aiot_net(net);
	int ret;

	an->net = net;
	mutex_init(&an->lock);
	INIT_LIST_HEAD(&an->readers);
	atomic64_set(&an->next_cookie, 0);
	an->timeout_ms = AIOTSEC_TIMEOUT_DEFAULT_MS;
	an->max_pending = AIOTSEC_MAX_PENDING_DEFAULT;
	an->max_devices = AIOTSEC_MAX_DEVICES_DEFAULT;
	an->max_rejects = AIOTSEC_MAX_REJECTS_DEFAULT;
	an->min_group = AIOTSEC_MIN_GROUP_DEFAULT;
	an->max_rounds = AIOTSEC_MAX_ROUNDS_DEFAULT;
	INIT_LIST_HEAD(&an->rounds);
	spin_lock_init(&an->rounds_lock);

	an->stats = netdev_alloc_pcpu_stats(struct aiot_pcpu_stats);
	if (!an->stats)
		return -ENOMEM;
	ret = aiot_devtab_init(an);
	if (ret)
		goto free_stats;
	ret = aiot_pending_init(an);
	if (ret)
		goto free_devtab;
	return 0;

free_devtab:
	aiot_devtab_destroy(an);
free_stats:
	free_percpu(an->stats);
	return ret;
}

/*
 * A batch of namespaces is going away. Their interfaces are unregistered
 * before this runs (the netdevice notifier has unbound them), so only
 * tables are left. Each step is done for the whole batch: one RTNL
 * section, one grace period per wait. Pending transactions go first:
 * their timers must not outlive the namespace.
 */
static void __net_exit aiot_net_exit_batch(struct list_head *net_list)
{
	struct net *net;

	list_for_each_entry(net, net_list, exit_list)
		WRITE_ONCE(aiot_net(net)->dying, true);
	rtnl_lock();
	aiot_readers_flush_batch(net_list);
	rtnl_unlock();
	/* Whoever saw a namespace open has inserted by now. */
	synchronize_rcu();
	list_for_each_entry(net, net_list, exit_list) {
		aiot_pending_stop(aiot_net(net));
		aiot_inv_stop(aiot_net(net));
	}
	/* The tails of expiries and receives, in softirq context. */
	synchronize_rcu();
	list_for_each_entry(net, net_list, exit_list) {
		struct aiot_net *an = aiot_net(net);

		aiot_pending_destroy(an);
		aiot_devtab_destroy(an);
		free_percpu(an->stats);
		mutex_destroy(&an->lock);
	}
}

static struct pernet_operations aiot_net_ops = {
	.init = aiot_net_init,
	.exit_batch = aiot_net_exit_batch,
	.id = &aiot_net_id,
	.size = sizeof(struct aiot_net),
};

int aiot_netns_init(void)
{
	return register_pernet_subsys(&aiot_net_ops);
}

/*
 * Module unload, before the family goes: no transaction may start any
 * more, and every namespace's are ended without an event, so that no
 * event can follow genl_unregister_family().
 */
void aiot_netns_stop(void)
{
	struct net *net;

	WRITE_ONCE(aiot_stopping, true);
	synchronize_rcu();
	down_read(&net_rwsem);
	for_each_net(net) {
		aiot_pending_stop(aiot_net(net));
		aiot_inv_stop(aiot_net(net));
	}
	up_read(&net_rwsem);
	synchronize_rcu();
}

void aiot_netns_exit(void)
{
	unregister_pernet_subsys(&aiot_net_ops);
}
