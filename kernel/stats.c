// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU for the namespace (the receive path runs on every CPU
 * at once), 64-bit atomics for a device (only its own responses touch it).
 */
#include "aiotsec.h"

void aiot_stats_read(struct aiot_net *an, struct aiot_stats_snapshot *snap)
{
	int cpu, i;

	memset(snap, 0, sizeof(*snap));
	for_each_possible_cpu(cpu) {
		const struct aiot_pcpu_stats *s = per_cpu_ptr(an->stats, cpu);
		u64 ctr[AIOT_CTR_NUM], drop[__AIOTSEC_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < AIOT_CTR_NUM; i++)
				ctr[i] = u64_stats_read(&s->ctr[i]);
			for (i = 0; i < __AIOTSEC_DROP_MAX; i++)
				drop[i] = u64_stats_read(&s->drop[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < AIOT_CTR_NUM; i++)
			snap->ctr[i] += ctr[i];
		for (i = 0; i < __AIOTSEC_DROP_MAX; i++)
			snap->drop[i] += drop[i];
	}
}
EXPORT_SYMBOL_IF_KUNIT(aiot_stats_read);

static const u8 ctr_attr[AIOT_CTR_NUM] = {
	[AIOT_CTR_RX_FRAMES] = AIOTSEC_STAT_RX_FRAMES,
	[AIOT_CTR_TX_FRAMES] = AIOTSEC_STAT_TX_FRAMES,
	[AIOT_CTR_AUTH_OK] = AIOTSEC_STAT_AUTH_OK,
	[AIOT_CTR_AUTH_FAIL] = AIOTSEC_STAT_AUTH_FAIL,
	[AIOT_CTR_CMD_OK] = AIOTSEC_STAT_CMD_OK,
	[AIOT_CTR_CMD_FAIL] = AIOTSEC_STAT_CMD_FAIL,
	[AIOT_CTR_TIMEOUTS] = AIOTSEC_STAT_TIMEOUTS,
	[AIOT_CTR_EVENTS_LOST] = AIOTSEC_STAT_EVENTS_LOST,
	[AIOT_CTR_RESULTS_LOST] = AIOTSEC_STAT_RESULTS_LOST,
	[AIOT_CTR_RESULTS_ORPHANED] = AIOTSEC_STAT_RESULTS_ORPHANED,
	[AIOT_CTR_INV_ROUNDS] = AIOTSEC_STAT_INV_ROUNDS,
	[AIOT_CTR_INV_FOUND] = AIOTSEC_STAT_INV_FOUND,
	[AIOT_CTR_INV_FAIL] = AIOTSEC_STAT_INV_FAIL,
};

/* What aiot_stats_put() puts, for a reply sized to its contents. */
size_t aiot_stats_size(void)
{
	return nla_total_size(0) +
	       AIOT_CTR_NUM * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(0) +
	       (__AIOTSEC_DROP_MAX - 1) * nla_total_size_64bit(sizeof(u64));
}
EXPORT_SYMBOL_IF_KUNIT(aiot_stats_size);

/* What aiot_dev_stats_put() puts. */
size_t aiot_dev_stats_size(void)
{
	return nla_total_size(0) + 5 * nla_total_size_64bit(sizeof(u64));
}

/* AIOTSEC_A_STATS: every counter, and the drops nested by reason. */
int aiot_stats_put(struct sk_buff *skb, const struct aiot_stats_snapshot *s)
{
	struct nlattr *nest, *drops;
	int i;

	nest = nla_nest_start(skb, AIOTSEC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < AIOT_CTR_NUM; i++)
		if (nla_put_u64_64bit(skb, ctr_attr[i], s->ctr[i],
				      AIOTSEC_STAT_PAD))
			goto cancel;
	drops = nla_nest_start(skb, AIOTSEC_STAT_DROPS);
	if (!drops)
		goto cancel;
	for (i = 1; i < __AIOTSEC_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, AIOTSEC_DROPS_A_REASON(i), s->drop[i],
				      AIOTSEC_DROPS_A_PAD))
			goto cancel;
	nla_nest_end(skb, drops);
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_stats_put);

int aiot_dev_stats_put(struct sk_buff *skb, const struct aiot_dev_stats *s)
{
	struct nlattr *nest = nla_nest_start(skb, AIOTSEC_DEV_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, AIOTSEC_STAT_AUTH_OK,
			      atomic64_read(&s->auth_ok), AIOTSEC_STAT_PAD) ||
	    nla_put_u64_64bit(skb, AIOTSEC_STAT_AUTH_FAIL,
			      atomic64_read(&s->auth_fail), AIOTSEC_STAT_PAD) ||
	    nla_put_u64_64bit(skb, AIOTSEC_STAT_CMD_OK,
			      atomic64_read(&s->cmd_ok), AIOTSEC_STAT_PAD) ||
	    nla_put_u64_64bit(skb, AIOTSEC_STAT_CMD_FAIL,
			      atomic64_read(&s->cmd_fail), AIOTSEC_STAT_PAD) ||
	    nla_put_u64_64bit(skb, AIOTSEC_STAT_TIMEOUTS,
			      atomic64_read(&s->timeouts), AIOTSEC_STAT_PAD)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_dev_stats_put);
