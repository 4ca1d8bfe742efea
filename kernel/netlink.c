// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "aiotsec" (uapi/linux/aiotsec.h documents
 * every command and attribute). Strict per-operation policies; every
 * rejection carries an extack message that names the attribute; every
 * command, reads included, needs CAP_NET_ADMIN in the namespace, and
 * raising a limit above its default needs it in the initial namespace.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/sock.h>

#include "aiotsec.h"
#include "aiot_limits.h"

/* Is top-level @attr missing? Then say so in extack. */
#define NEED(info, attr) ({						\
	struct genl_info *__info = (info);				\
	int __attr = (attr);						\
	bool __missing = !__info->attrs[__attr];			\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __attr);	\
		NL_SET_ERR_MSG(__info->extack, #attr " is required");	\
	}								\
	__missing;							\
})

/*
 * The first attribute in the stream at @head (@len bytes) whose type
 * (1 to @maxtype) occurred before it, or NULL. 6.1's parser keeps the last
 * of two attributes of one type and validates both.
 */
static const struct nlattr *first_dup(const struct nlattr *head, int len,
				      int maxtype)
{
	DECLARE_BITMAP(seen, AIOTSEC_A_MAX + 1) = {};
	const struct nlattr *a;
	int rem, type;

	BUILD_BUG_ON(AIOTSEC_DEV_A_MAX > AIOTSEC_A_MAX);
	nla_for_each_attr(a, head, len, rem) {
		type = nla_type(a);
		if (type < 1 || type > maxtype)
			continue;
		if (__test_and_set_bit(type, seen))
			return a;
	}
	return NULL;
}

static struct aiot_net *info_an(struct genl_info *info)
{
	return aiot_net(genl_info_net(info));
}

/* ---- policies ------------------------------------------------------------ */

static const struct nla_policy dev_policy[AIOTSEC_DEV_A_MAX + 1] = {
	[AIOTSEC_DEV_A_ID] = NLA_POLICY_EXACT_LEN(AIOTSEC_ID_LEN),
	[AIOTSEC_DEV_A_KEY] = NLA_POLICY_RANGE(NLA_BINARY, AIOTSEC_KEY_LEN_128,
					       AIOTSEC_KEY_LEN_256),
	[AIOTSEC_DEV_A_POLICY] = { .type = NLA_U8 },
	[AIOTSEC_DEV_A_MIN_POLICY] = { .type = NLA_U8 },
	[AIOTSEC_DEV_A_GROUP] = NLA_POLICY_EXACT_LEN(AIOTSEC_GROUP_LEN),
};

static const struct nla_policy devices_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_DEVICES] = NLA_POLICY_NESTED_ARRAY(dev_policy),
	[AIOTSEC_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, AIOT_F_ALL),
};

static struct netlink_range_validation timeout_range = {
	.min = 1, .max = AIOT_TIMEOUT_MAX_MS,
};

static struct netlink_range_validation max_pending_range = {
	.min = 1, .max = AIOT_MAX_PENDING_LIMIT,
};

static struct netlink_range_validation max_devices_range = {
	.min = 1, .max = AIOT_MAX_DEVICES_LIMIT,
};

static struct netlink_range_validation max_rejects_range = {
	.min = 1, .max = AIOT_MAX_REJECTS_LIMIT,
};

static struct netlink_range_validation min_group_range = {
	.min = 1, .max = AIOT_MIN_GROUP_LIMIT,
};

static struct netlink_range_validation max_rounds_range = {
	.min = 1, .max = AIOT_MAX_ROUNDS_LIMIT,
};

static const struct nla_policy config_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[AIOTSEC_A_MAX_PENDING] = NLA_POLICY_FULL_RANGE(NLA_U32, &max_pending_range),
	[AIOTSEC_A_MAX_DEVICES] = NLA_POLICY_FULL_RANGE(NLA_U32, &max_devices_range),
	[AIOTSEC_A_MAX_REJECTS] = NLA_POLICY_FULL_RANGE(NLA_U32, &max_rejects_range),
	[AIOTSEC_A_MIN_GROUP] = NLA_POLICY_FULL_RANGE(NLA_U32, &min_group_range),
	[AIOTSEC_A_MAX_ROUNDS] = NLA_POLICY_FULL_RANGE(NLA_U32, &max_rounds_range),
};

static const struct nla_policy reader_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[AIOTSEC_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy dev_id_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_DEV_ID] = NLA_POLICY_EXACT_LEN(AIOTSEC_ID_LEN),
};

static const struct nla_policy request_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_DEV_ID] = NLA_POLICY_EXACT_LEN(AIOTSEC_ID_LEN),
	[AIOTSEC_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[AIOTSEC_A_POLICY] = { .type = NLA_U8 },
	[AIOTSEC_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[AIOTSEC_A_PAYLOAD] = { .type = NLA_BINARY, .len = AIOTSEC_PLEN_MAX },
	[AIOTSEC_A_DEST_MAC] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	/* Entries checked by parse_dev_ids(), which names the one at fault. */
	[AIOTSEC_A_DEV_IDS] = { .type = NLA_NESTED },
};

static const struct nla_policy inventory_policy[AIOTSEC_A_MAX + 1] = {
	[AIOTSEC_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[AIOTSEC_A_POLICY] = { .type = NLA_U8 },
	[AIOTSEC_A_FBITS] = NLA_POLICY_MAX(NLA_U32, AIOT_FBITS_MAX),
	[AIOTSEC_A_FILTER] = { .type = NLA_BINARY, .len = AIOT_FILTER_MAX },
	[AIOTSEC_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[AIOTSEC_A_STOP_COUNT] = { .type = NLA_U32 },
};

/* ---- config -------------------------------------------------------------- */

/* The limits in the policies above, and the batch size: AIOTSEC_A_LIMITS. */
VISIBLE_IF_KUNIT int aiot_nl_put_limits(struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, AIOTSEC_A_LIMITS);

	if (!nest ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_TIMEOUT_MS, timeout_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_MAX_PENDING, max_pending_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_MAX_DEVICES, max_devices_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_MAX_REJECTS, max_rejects_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_MIN_GROUP, min_group_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_MAX_ROUNDS, max_rounds_range.max) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_BATCH, AIOT_BATCH_MAX) ||
	    nla_put_u32(skb, AIOTSEC_LIM_A_FLAGS, AIOT_F_ALL))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nl_put_limits);

/* What aiot_nl_put_limits() puts. */
static size_t limits_size(void)
{
	return nla_total_size(0) + AIOTSEC_LIM_A_MAX * nla_total_size(sizeof(u32));
}

static int put_config(struct sk_buff *skb, struct aiot_net *an)
{
	if (nla_put_u32(skb, AIOTSEC_A_TIMEOUT_MS, READ_ONCE(an->timeout_ms)) ||
	    nla_put_u32(skb, AIOTSEC_A_MAX_PENDING, READ_ONCE(an->max_pending)) ||
	    nla_put_u32(skb, AIOTSEC_A_MAX_DEVICES, READ_ONCE(an->max_devices)) ||
	    nla_put_u32(skb, AIOTSEC_A_NUM_DEVICES, atomic_read(&an->ndevices)) ||
	    nla_put_u32(skb, AIOTSEC_A_NUM_PENDING, atomic_read(&an->npending)) ||
	    nla_put_u32(skb, AIOTSEC_A_MAX_REJECTS, READ_ONCE(an->max_rejects)) ||
	    nla_put_u32(skb, AIOTSEC_A_MIN_GROUP, READ_ONCE(an->min_group)) ||
	    nla_put_u32(skb, AIOTSEC_A_MAX_ROUNDS, READ_ONCE(an->max_rounds)))
		return -EMSGSIZE;
	return aiot_nl_put_limits(skb);
}

/* A reply to @info carrying what @fill puts. */
static int reply(struct genl_info *info, u8 cmd, size_t size,
		 int (*fill)(struct sk_buff *skb, void *arg), void *arg)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the answer");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(skb, info, &aiot_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(skb);
		NL_SET_ERR_MSG(info->extack, "the answer does not fit in a message");
		return -EMSGSIZE;
	}
	ret = fill(skb, arg);
	if (ret) {
		nlmsg_free(skb);
		/* -ENOENT: the caller names what is missing. */
		if (ret != -ENOENT)
			NL_SET_ERR_MSG(info->extack, "the answer does not fit in a message");
		return ret;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int fill_config(struct sk_buff *skb, void *an)
{
	return put_config(skb, an);
}

static int aiot_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	/* The eight u32 attributes of put_config(), and the limits. */
	return reply(info, AIOTSEC_CMD_GET_CONFIG,
		     8 * nla_total_size(sizeof(u32)) + limits_size(),
		     fill_config, info_an(info));
}

/*
 * Is limit @attr of the request above @dflt? Then say who may do that.
 * Raising a limit lets the namespace pin more kernel memory, so only
 * CAP_NET_ADMIN in the initial user namespace may go above a default; in
 * a namespace of its own a user may lower them and raise them back.
 */
#define RAISED(info, attr, dflt) ({					\
	struct genl_info *__info = (info);				\
	const struct nlattr *__a = __info->attrs[attr];			\
	bool __over = __a && nla_get_u32(__a) > (dflt);			\
									\
	if (__over)							\
		NL_SET_ERR_MSG_ATTR(__info->extack, __a, #attr ": above " \
				    #dflt " needs CAP_NET_ADMIN in the initial user namespace"); \
	__over;								\
})

/*
 * Is @attr of the request below @dflt? MIN_GROUP is a floor: a smaller
 * group tells the air more about who is here, the initial namespace's
 * call as raising a limit is.
 */
#define LOWERED(info, attr, dflt) ({					\
	struct genl_info *__info = (info);				\
	const struct nlattr *__a = __info->attrs[attr];			\
	bool __under = __a && nla_get_u32(__a) < (dflt);		\
									\
	if (__under)							\
		NL_SET_ERR_MSG_ATTR(__info->extack, __a, #attr ": below " \
				    #dflt " needs CAP_NET_ADMIN in the initial user namespace"); \
	__under;							\
})

static int aiot_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct aiot_net *an = info_an(info);
	struct nlattr **a = info->attrs;

	/*
	 * One line per limit (the timeout bounds time, not memory). More
	 * rejects per transaction weaken the bound on forgery MAX_REJECTS
	 * gives, so raising it is the initial namespace's call too.
	 */
	if (!netlink_capable(skb, CAP_NET_ADMIN) &&
	    (RAISED(info, AIOTSEC_A_MAX_DEVICES, AIOTSEC_MAX_DEVICES_DEFAULT) ||
	     RAISED(info, AIOTSEC_A_MAX_PENDING, AIOTSEC_MAX_PENDING_DEFAULT) ||
	     RAISED(info, AIOTSEC_A_MAX_REJECTS, AIOTSEC_MAX_REJECTS_DEFAULT) ||
	     RAISED(info, AIOTSEC_A_MAX_ROUNDS, AIOTSEC_MAX_ROUNDS_DEFAULT) ||
	     LOWERED(info, AIOTSEC_A_MIN_GROUP, AIOTSEC_MIN_GROUP_DEFAULT)))
		return -EPERM;

	mutex_lock(&an->lock);
	if (a[AIOTSEC_A_MAX_DEVICES] &&
	    nla_get_u32(a[AIOTSEC_A_MAX_DEVICES]) < atomic_read(&an->ndevices)) {
		mutex_unlock(&an->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_MAX_DEVICES],
				    "AIOTSEC_A_MAX_DEVICES: below the number of devices present");
		return -EBUSY;
	}
	if (a[AIOTSEC_A_MAX_DEVICES])
		WRITE_ONCE(an->max_devices, nla_get_u32(a[AIOTSEC_A_MAX_DEVICES]));
	if (a[AIOTSEC_A_TIMEOUT_MS])
		WRITE_ONCE(an->timeout_ms, nla_get_u32(a[AIOTSEC_A_TIMEOUT_MS]));
	if (a[AIOTSEC_A_MAX_PENDING])
		WRITE_ONCE(an->max_pending, nla_get_u32(a[AIOTSEC_A_MAX_PENDING]));
	if (a[AIOTSEC_A_MAX_REJECTS])
		WRITE_ONCE(an->max_rejects, nla_get_u32(a[AIOTSEC_A_MAX_REJECTS]));
	if (a[AIOTSEC_A_MIN_GROUP])
		WRITE_ONCE(an->min_group, nla_get_u32(a[AIOTSEC_A_MIN_GROUP]));
	if (a[AIOTSEC_A_MAX_ROUNDS])
		WRITE_ONCE(an->max_rounds, nla_get_u32(a[AIOTSEC_A_MAX_ROUNDS]));
	mutex_unlock(&an->lock);
	return 0;
}

/* ---- readers ------------------------------------------------------------- */

static int aiot_nl_reader(struct sk_buff *skb, struct genl_info *info)
{
	struct aiot_net *an = info_an(info);
	struct nlattr **a = info->attrs;
	struct net_device *dev;
	int ret;

	if (!a[AIOTSEC_A_IFINDEX] && !a[AIOTSEC_A_IFNAME]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "AIOTSEC_A_IFINDEX or AIOTSEC_A_IFNAME is required");
		return -EINVAL;
	}
	rtnl_lock();
	if (a[AIOTSEC_A_IFINDEX])
		dev = __dev_get_by_index(an->net, nla_get_u32(a[AIOTSEC_A_IFINDEX]));
	else
		dev = __dev_get_by_name(an->net, nla_data(a[AIOTSEC_A_IFNAME]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_IFINDEX] ?:
				    a[AIOTSEC_A_IFNAME],
				    "AIOTSEC_A_IFINDEX/AIOTSEC_A_IFNAME: no such interface in this namespace");
		ret = -ENODEV;
	} else if (info->genlhdr->cmd == AIOTSEC_CMD_ADD_READER) {
		ret = aiot_reader_add(an, dev, info->extack);
	} else {
		ret = aiot_reader_del(an, dev, info->extack);
	}
	if (!ret)
		an->reader_gen++;
	rtnl_unlock();
	return ret;
}

/*
 * The reader dump runs under RTNL: the list and the interface names
 * change only under it. A dump that spans a change (a reader bound or
 * unbound here, an interface of the namespace registered or unregistered,
 * which is how a reader goes away by itself) is flagged NLM_F_DUMP_INTR.
 */
static int aiot_nl_get_reader_dump(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct aiot_net *an = aiot_net(sock_net(cb->skb->sk));
	struct aiot_reader *r;
	long i = 0, skip = cb->args[0];
	void *hdr;

	rtnl_lock();
	/* Both only grow; never 0, which netlink reads as unset. */
	cb->seq = (an->reader_gen + an->net->dev_base_seq) * 2 + 1;
	list_for_each_entry(r, &an->readers, list) {
		if (i++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &aiot_genl_family,
				  NLM_F_MULTI, AIOTSEC_CMD_GET_READER);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(skb, AIOTSEC_A_IFINDEX, r->dev->ifindex) ||
		    nla_put_string(skb, AIOTSEC_A_IFNAME, r->dev->name)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	rtnl_unlock();
	return skb->len;
}

/* ---- devices --------------------------------------------------------------- */

/*
 * Wipe every key of a message, whatever became of it: each
 * AIOTSEC_DEV_A_KEY in each AIOTSEC_A_DEVICE of each top-level
 * AIOTSEC_A_DEVICES (duplicates included), for any command. The walk
 * trusts no length it has not bounded itself (nla_ok()).
 */
VISIBLE_IF_KUNIT void aiot_nl_wipe_keys(struct genl_info *info)
{
	struct nlattr *top, *dev, *attr;
	int rem, rem2, rem3;

	nla_for_each_attr(top, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(top) != AIOTSEC_A_DEVICES)
			continue;
		nla_for_each_nested(dev, top, rem2)
			nla_for_each_nested(attr, dev, rem3)
				if (nla_type(attr) == AIOTSEC_DEV_A_KEY)
					memzero_explicit(nla_data(attr),
							 nla_len(attr));
	}
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nl_wipe_keys);

/*
 * Before every doit, after generic netlink's policy check: refuse a
 * message with two top-level attributes of one type (6.1 would use the
 * last and ignore the first; a first AIOTSEC_A_DEVICES would then be
 * neither acted on nor wiped by a walk that trusts info->attrs).
 */
VISIBLE_IF_KUNIT int aiot_nl_pre_doit(const struct genl_ops *ops,
				      struct sk_buff *skb,
				      struct genl_info *info)
{
	const struct nlattr *dup;

	dup = first_dup(genlmsg_data(info->genlhdr),
			genlmsg_len(info->genlhdr), AIOTSEC_A_MAX);
	if (!dup)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, dup,
			    "attribute given twice (each top-level attribute at most once)");
	aiot_nl_wipe_keys(info);	/* no post_doit after a failed pre_doit */
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nl_pre_doit);

/* After every doit, whatever it returned. */
VISIBLE_IF_KUNIT void aiot_nl_post_doit(const struct genl_ops *ops,
					struct sk_buff *skb,
					struct genl_info *info)
{
	aiot_nl_wipe_keys(info);
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nl_post_doit);

/*
 * Read the AIOTSEC_A_DEVICE nests of @devices into @specs (room for @max).
 * @need_key: an add (ID, KEY, POLICY) rather than a delete (ID only).
 * Returns the count, or a negative errno with extack set.
 */
VISIBLE_IF_KUNIT int aiot_nl_parse_devices(struct nlattr *devices,
					   struct aiot_dev_spec *specs,
					   unsigned int max, bool need_key,
					   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[AIOTSEC_DEV_A_MAX + 1];
	const struct nlattr *dup;
	struct nlattr *dev;
	unsigned int n = 0;
	int rem, ret;

	nla_for_each_nested(dev, devices, rem) {
		struct aiot_dev_spec *s = &specs[n];

		if (nla_type(dev) != AIOTSEC_A_DEVICE) {
			NL_SET_ERR_MSG_ATTR(extack, dev,
					    "AIOTSEC_A_DEVICES holds only AIOTSEC_A_DEVICE nests");
			return -EINVAL;
		}
		if (n == max)
			return -E2BIG;
		ret = nla_parse_nested(tb, AIOTSEC_DEV_A_MAX, dev, dev_policy,
				       extack);
		if (ret)
			return ret;
		dup = first_dup(nla_data(dev), nla_len(dev), AIOTSEC_DEV_A_MAX);
		if (dup) {
			NL_SET_ERR_MSG_ATTR(extack, dup,
					    "AIOTSEC_A_DEVICE: an attribute given twice");
			return -EINVAL;
		}
		if (!tb[AIOTSEC_DEV_A_ID]) {
			NL_SET_ERR_ATTR_MISS(extack, dev, AIOTSEC_DEV_A_ID);
			NL_SET_ERR_MSG_MOD(extack, "AIOTSEC_DEV_A_ID is required");
			return -EINVAL;
		}
		memset(s, 0, sizeof(*s));
		memcpy(s->id, nla_data(tb[AIOTSEC_DEV_A_ID]), AIOTSEC_ID_LEN);
		n++;
		if (!need_key) {
			if (tb[AIOTSEC_DEV_A_KEY] || tb[AIOTSEC_DEV_A_POLICY] ||
			    tb[AIOTSEC_DEV_A_MIN_POLICY] ||
			    tb[AIOTSEC_DEV_A_GROUP]) {
				NL_SET_ERR_MSG_ATTR(extack, dev,
						    "AIOTSEC_A_DEVICE: only AIOTSEC_DEV_A_ID when deleting");
				return -EINVAL;
			}
			continue;
		}
		if (!tb[AIOTSEC_DEV_A_KEY] || !tb[AIOTSEC_DEV_A_POLICY]) {
			NL_SET_ERR_ATTR_MISS(extack, dev, tb[AIOTSEC_DEV_A_KEY] ?
					     AIOTSEC_DEV_A_POLICY :
					     AIOTSEC_DEV_A_KEY);
			NL_SET_ERR_MSG_MOD(extack,
					   "AIOTSEC_DEV_A_KEY and AIOTSEC_DEV_A_POLICY are required");
			return -EINVAL;
		}
		s->key = nla_data(tb[AIOTSEC_DEV_A_KEY]);
		s->key_len = nla_len(tb[AIOTSEC_DEV_A_KEY]);
		s->policy = nla_get_u8(tb[AIOTSEC_DEV_A_POLICY]);
		s->min_policy = tb[AIOTSEC_DEV_A_MIN_POLICY] ?
				nla_get_u8(tb[AIOTSEC_DEV_A_MIN_POLICY]) : s->policy;
		if (tb[AIOTSEC_DEV_A_GROUP])
			nla_memcpy(s->group, tb[AIOTSEC_DEV_A_GROUP],
				   AIOTSEC_GROUP_LEN);
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(aiot_nl_parse_devices);

/* The @i-th nest of @devices, for pointing extack at it. */
static struct nlattr *nth_nest(struct nlattr *devices, int i)
{
	struct nlattr *dev;
	int rem;

	nla_for_each_nested(dev, devices, rem)
		if (!i--)
			return dev;
	return devices;
}

static int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem)
		n++;
	return n;
}

static int aiot_nl_devices(struct sk_buff *skb, struct genl_info *info)
{
	bool add = info->genlhdr->cmd == AIOTSEC_CMD_ADD_DEVICES;
	struct nlattr *devices = info->attrs[AIOTSEC_A_DEVICES];
	struct aiot_net *an = info_an(info);
	struct aiot_dev_spec *specs = NULL;
	struct aiot_dev_err err = { -1, info->extack };
	struct sk_buff *rskb = NULL;
	u8 *ids = NULL;
	unsigned int i;
	void *hdr;
	int n, ret;
	u32 ndev;

	if (NEED(info, AIOTSEC_A_DEVICES))
		return -EINVAL;
	if (!add && info->attrs[AIOTSEC_A_FLAGS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[AIOTSEC_A_FLAGS],
				    "AIOTSEC_A_FLAGS: not for deleting");
		ret = -EINVAL;
		goto out;
	}
	n = count_nested(devices);
	if (!n) {
		NL_SET_ERR_MSG_ATTR(info->extack, devices,
				    "AIOTSEC_A_DEVICES: no AIOTSEC_A_DEVICE in it");
		ret = -EINVAL;
		goto out;
	}
	specs = kvmalloc_array(n, sizeof(*specs), GFP_KERNEL_ACCOUNT);
	if (!specs) {
		NL_SET_ERR_MSG_ATTR(info->extack, devices,
				    "AIOTSEC_A_DEVICES: no memory to read the request");
		ret = -ENOMEM;
		goto out;
	}
	ret = aiot_nl_parse_devices(devices, specs, n, add, info->extack);
	if (ret < 0)
		goto out;
	/* The reply before the table changes: a failure then changes nothing. */
	rskb = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!rskb) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the answer");
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(rskb, info, &aiot_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		NL_SET_ERR_MSG(info->extack, "the answer does not fit in a message");
		ret = -EMSGSIZE;
		goto out;
	}
	if (add) {
		u32 flags = info->attrs[AIOTSEC_A_FLAGS] ?
			    nla_get_u32(info->attrs[AIOTSEC_A_FLAGS]) : 0;

		ret = aiot_devtab_add(an, specs, n, flags & AIOTSEC_F_REPLACE, &err);
	} else {
		ids = kvmalloc_array(n, AIOTSEC_ID_LEN, GFP_KERNEL_ACCOUNT);
		ret = -ENOMEM;
		if (ids) {
			for (i = 0; i < n; i++)
				memcpy(ids + i * AIOTSEC_ID_LEN, specs[i].id,
				       AIOTSEC_ID_LEN);
			ret = aiot_devtab_del(an, ids, n, &err);
		} else {
			NL_SET_ERR_MSG(info->extack,
				       "AIOTSEC_A_DEVICES: no memory to read the request");
		}
	}
	/* The table set the message; point at the device it names. */
	if (ret)
		NL_SET_BAD_ATTR(info->extack, err.index >= 0 ?
				nth_nest(devices, err.index) : devices);
	/*
	 * Done: the change stands whether or not the reply can be queued (a
	 * full receive buffer: ENOBUFS at the requester, the ACK says 0).
	 * Sized for it, the attribute cannot fail.
	 */
	ndev = atomic_read(&an->ndevices);
	if (!ret && !WARN_ON_ONCE(nla_put_u32(rskb, AIOTSEC_A_NUM_DEVICES, ndev))) {
		genlmsg_end(rskb, hdr);
		genlmsg_reply(rskb, info);
		rskb = NULL;
	}
out:
	nlmsg_free(rskb);
	/* Keys: aiot_nl_post_doit() wipes them from the message. */
	if (specs)
		memzero_explicit(specs, n * sizeof(*specs));
	kvfree(specs);
	kvfree(ids);
	return ret;
}

static int aiot_nl_flush_devices(struct sk_buff *skb, struct genl_info *info)
{
	aiot_devtab_flush(info_an(info));
	return 0;
}

static int put_dev_attrs(struct sk_buff *skb, const struct aiot_device *d)
{
	struct nlattr *nest = nla_nest_start(skb, AIOTSEC_A_DEVICE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, AIOTSEC_DEV_A_ID, AIOTSEC_ID_LEN, d->id) ||
	    nla_put_u8(skb, AIOTSEC_DEV_A_POLICY, d->policy) ||
	    nla_put_u8(skb, AIOTSEC_DEV_A_MIN_POLICY, d->min_policy) ||
	    nla_put(skb, AIOTSEC_DEV_A_GROUP, AIOTSEC_GROUP_LEN, d->group) ||
	    /* Not stored: one compression from the prepared state. */
	    nla_put_u64_64bit(skb, AIOTSEC_DEV_A_KEY_FP, aiot_key_fp(&d->hk),
			      AIOTSEC_DEV_A_PAD) ||
	    nla_put_u8(skb, AIOTSEC_DEV_A_KEY_LEN, d->key_len) ||
	    aiot_dev_stats_put(skb, d->stats)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* What put_dev_attrs() puts. */
static size_t dev_attrs_size(void)
{
	return nla_total_size(0) + nla_total_size(AIOTSEC_ID_LEN) +
	       nla_total_size(AIOTSEC_GROUP_LEN) +
	       3 * nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64)) + aiot_dev_stats_size();
}

struct get_device_arg {
	struct aiot_net *an;
	const u8 *id;
};

static int fill_device(struct sk_buff *skb, void *arg)
{
	struct get_device_arg *g = arg;
	struct aiot_device *d;
	int ret = -ENOENT;

	rcu_read_lock();
	d = aiot_devtab_lookup(g->an, g->id);
	if (d)
		ret = put_dev_attrs(skb, d);
	rcu_read_unlock();
	return ret;
}

static int aiot_nl_get_device(struct sk_buff *skb, struct genl_info *info)
{
	struct get_device_arg g = { info_an(info) };
	int ret;

	if (NEED(info, AIOTSEC_A_DEV_ID))
		return -EINVAL;
	g.id = nla_data(info->attrs[AIOTSEC_A_DEV_ID]);
	ret = reply(info, AIOTSEC_CMD_GET_DEVICE, dev_attrs_size(), fill_device,
		    &g);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[AIOTSEC_A_DEV_ID],
				    "AIOTSEC_A_DEV_ID: no such device");
	return ret;
}

/*
 * The device dump walks the hash table across messages, as many devices
 * to a message as fit. A dump that raced a change (or a table resize,
 * which may repeat or skip entries) is flagged NLM_F_DUMP_INTR.
 * cb->args[0]: the walker; cb->args[1]: resizes seen.
 */
static int aiot_nl_get_device_start(struct netlink_callback *cb)
{
	struct aiot_net *an = aiot_net(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter) {
		NL_SET_ERR_MSG(cb->extack, "out of memory for the dump");
		return -ENOMEM;
	}
	rhashtable_walk_enter(&an->devices, iter);
	cb->args[0] = (long)iter;
	cb->args[1] = 0;
	return 0;
}

static int aiot_nl_get_device_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

/* Changes and walk restarts so far; never 0, which netlink reads as unset. */
static unsigned int dump_seq(struct aiot_net *an, struct netlink_callback *cb)
{
	return (atomic_read(&an->dev_gen) + cb->args[1]) * 2 + 1;
}

static int aiot_nl_get_device_dump(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct aiot_net *an = aiot_net(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	struct aiot_device *d;
	void *hdr = NULL;
	int count = 0;

	/* A resize since the last message restarts the walk: flag it. */
	if (rhashtable_walk_start_check(iter) == -EAGAIN)
		cb->args[1]++;
	for (;;) {
		d = rhashtable_walk_peek(iter);
		if (IS_ERR(d)) {
			if (PTR_ERR(d) != -EAGAIN)
				break;
			cb->args[1]++;
			continue;
		}
		if (!d)
			break;
		if (!hdr) {
			cb->seq = dump_seq(an, cb);
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &aiot_genl_family,
					  NLM_F_MULTI, AIOTSEC_CMD_GET_DEVICE);
			if (!hdr)
				break;
			genl_dump_check_consistent(cb, hdr);
		}
		if (put_dev_attrs(skb, d))
			break;
		count++;
		rhashtable_walk_next(iter);
	}
	rhashtable_walk_stop(iter);
	if (!hdr)
		return 0;
	if (!count) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	/* A change or a restart while this message filled flags it too. */
	cb->seq = dump_seq(an, cb);
	genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return skb->len;
}

/* ---- transactions ---------------------------------------------------------- */

/* The reply to AUTH/COMMAND, allocated before anything is sent. */
struct request_reply {
	struct genl_info *info;
	struct sk_buff *skb;
	void *hdr;
};

/*
 * Called once the frame is out, before the timer is armed. The reply may
 * not be queued (the requester's receive buffer is full): the
 * transaction goes ahead all the same, its frame is on the air, and its
 * result reaches the requester once it reads (it carries AIOTSEC_A_SEQ).
 */
static void send_cookie(void *arg, u64 cookie)
{
	struct request_reply *r = arg;
	struct sk_buff *skb = r->skb;

	r->skb = NULL;
	/* Sized for it: cannot fail. */
	if (WARN_ON_ONCE(nla_put_u64_64bit(skb, AIOTSEC_A_COOKIE, cookie,
					   AIOTSEC_A_PAD))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, r->hdr);
	genlmsg_reply(skb, r->info);
}

/*
 * Does the policy asked for meet the device's minimum (PROTOCOL.md,
 * Procedures: an AIoTF does not send a request below it)? The same rule
 * as for responses: a PAGING has only IDP and ML, so only the MAC length
 * counts. An unknown device passes here; the request then fails as such.
 */
static bool policy_meets_min(struct aiot_net *an, const struct aiot_request *req)
{
	struct aiot_device *d;
	bool ok = true;

	rcu_read_lock();
	d = aiot_devtab_lookup(an, req->id);
	if (d)
		ok = aiot_policy_meets(req->policy, d->min_policy,
				       req->type == AIOTSEC_CMD_AUTH ?
				       AIOT_MSG_AUTH_RESP :
				       AIOT_MSG_COMMAND);
	rcu_read_unlock();
	return ok;
}

/*
 * The attributes of AUTH/COMMAND that apply to every device of the
 * message, into @req (its type set). The device IDs are not read here.
 */
static int parse_request(struct genl_info *info, struct aiot_request *req)
{
	struct nlattr **a = info->attrs;

	if (a[AIOTSEC_A_IFINDEX])
		req->ifindex = nla_get_u32(a[AIOTSEC_A_IFINDEX]);
	if (a[AIOTSEC_A_TIMEOUT_MS])
		req->timeout_ms = nla_get_u32(a[AIOTSEC_A_TIMEOUT_MS]);
	if (a[AIOTSEC_A_POLICY]) {
		u8 p = nla_get_u8(a[AIOTSEC_A_POLICY]);

		if (aiot_policy_check(req->type == AIOTSEC_CMD_AUTH ?
				      p & AIOTSEC_POL_AUTH_MASK : p,
				      req->type == AIOTSEC_CMD_AUTH ?
				      AIOT_MSG_PAGING : AIOT_MSG_COMMAND)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_POLICY],
					    "AIOTSEC_A_POLICY: not a valid policy for this request");
			return -EINVAL;
		}
		req->policy = p;
	}
	if (req->type == AIOTSEC_CMD_COMMAND) {
		if (NEED(info, AIOTSEC_A_PAYLOAD))
			return -EINVAL;
		req->payload = nla_data(a[AIOTSEC_A_PAYLOAD]);
		req->plen = nla_len(a[AIOTSEC_A_PAYLOAD]);
		if (a[AIOTSEC_A_DEST_MAC]) {
			req->dest = nla_data(a[AIOTSEC_A_DEST_MAC]);
			if (!is_valid_ether_addr(req->dest)) {
				NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_DEST_MAC],
						    "AIOTSEC_A_DEST_MAC: not a unicast address");
				return -EINVAL;
			}
		}
	} else if (a[AIOTSEC_A_PAYLOAD] || a[AIOTSEC_A_DEST_MAC]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_PAYLOAD] ?:
				    a[AIOTSEC_A_DEST_MAC],
				    "AIOTSEC_A_PAYLOAD/AIOTSEC_A_DEST_MAC: not for AIOTSEC_CMD_AUTH");
		return -EINVAL;
	}
	return 0;
}

/*
 * The requester of this message: the socket that sent it, for its
 * results. NULL for a kernel sender (portid 0), which gets them from the
 * group only.
 */
static int new_requester(struct sk_buff *skb, struct genl_info *info,
			 struct aiot_requester **rq)
{
	struct sock *sk = NETLINK_CB(skb).sk;

	*rq = NULL;
	if (!info->snd_portid || !sk)
		return 0;
	*rq = aiot_requester_new(info_an(info), sk, info->snd_seq);
	if (!*rq) {
		NL_SET_ERR_MSG(info->extack, "no memory for the request");
		return -ENOMEM;
	}
	return 0;
}

/*
 * The request has replied, or tried to: results of what it sent go to
 * its requester from now on. (One that sent nothing has no transaction
 * and so no result.)
 */
static void end_requester(struct aiot_requester *rq)
{
	if (!rq)
		return;
	aiot_requester_open(rq);
	aiot_requester_put(rq);
}

/* One device: AIOTSEC_A_DEV_ID, the reply AIOTSEC_A_COOKIE. */
static int request_one(struct sk_buff *skb, struct genl_info *info,
		       struct aiot_request *req)
{
	struct request_reply r = { .info = info };
	struct nlattr **a = info->attrs;
	u64 cookie;
	int ret;

	req->id = nla_data(a[AIOTSEC_A_DEV_ID]);
	if (a[AIOTSEC_A_POLICY] && !policy_meets_min(info_an(info), req)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_POLICY],
				    "AIOTSEC_A_POLICY: below the device's AIOTSEC_DEV_A_MIN_POLICY");
		return -EINVAL;
	}
	r.skb = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!r.skb) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the answer");
		return -ENOMEM;
	}
	r.hdr = genlmsg_put_reply(r.skb, info, &aiot_genl_family, 0, req->type);
	if (!r.hdr) {
		NL_SET_ERR_MSG(info->extack, "the answer does not fit in a message");
		nlmsg_free(r.skb);
		return -EMSGSIZE;
	}
	ret = new_requester(skb, info, &req->rq);
	if (ret) {
		nlmsg_free(r.skb);
		return ret;
	}
	req->sent = send_cookie;
	req->sent_arg = &r;
	ret = aiot_request(info_an(info), req, &cookie, info->extack);
	if (r.skb)		/* not handed to send_cookie() */
		nlmsg_free(r.skb);
	end_requester(req->rq);
	return ret;
}

/* An entry of AIOTSEC_A_DEV_IDS, and where it stands in the request. */
struct batch_id {
	const u8 *id;
	unsigned int index;
};

static int cmp_batch_id(const void *a, const void *b)
{
	const struct batch_id *x = a, *y = b;
	int c = memcmp(x->id, y->id, AIOTSEC_ID_LEN);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Read AIOTSEC_A_DEV_IDS into @ents (@n entries, request order) and
 * check each is a 16-byte AIOTSEC_A_DEV_ID that occurs once. Returns the
 * index of the entry at fault with the message set, or -1.
 */
static int parse_dev_ids(struct nlattr *nest, struct nlattr **ents,
			 unsigned int n, struct netlink_ext_ack *extack)
{
	struct batch_id *sorted;
	struct nlattr *e;
	unsigned int i = 0;
	int rem, bad = -1;

	nla_for_each_nested(e, nest, rem) {
		if (nla_type(e) != AIOTSEC_A_DEV_ID || nla_len(e) != AIOTSEC_ID_LEN) {
			NL_SET_ERR_MSG(extack,
				       "AIOTSEC_A_DEV_IDS: each entry is an AIOTSEC_A_DEV_ID of 16 bytes");
			return i;
		}
		ents[i++] = e;
	}
	sorted = kvmalloc_array(n, sizeof(*sorted), GFP_KERNEL);
	if (!sorted) {
		NL_SET_ERR_MSG(extack, "AIOTSEC_A_DEV_IDS: no memory to read the request");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		sorted[i].id = nla_data(ents[i]);
		sorted[i].index = i;
	}
	sort(sorted, n, sizeof(*sorted), cmp_batch_id, NULL);
	/* The first repeat in request order: the least index of a repeat. */
	for (i = 1; i < n; i++)
		if (!memcmp(sorted[i].id, sorted[i - 1].id, AIOTSEC_ID_LEN) &&
		    (bad < 0 || sorted[i].index < bad))
			bad = sorted[i].index;
	kvfree(sorted);
	if (bad >= 0)
		NL_SET_ERR_MSG(extack, "AIOTSEC_A_DEV_IDS: the same ID twice");
	return bad;
}

/*
 * Every device of the batch exists and, if a policy is given, it meets
 * each device's minimum. Returns the index of the first one that fails,
 * with the message set and *err its error, or -1.
 */
static int check_batch_devices(struct aiot_net *an, struct aiot_request *req,
			       struct nlattr **ents, unsigned int n,
			       struct netlink_ext_ack *extack, int *err)
{
	struct aiot_device *d;
	unsigned int i;
	int bad = -1;

	rcu_read_lock();
	for (i = 0; i < n && bad < 0; i++) {
		d = aiot_devtab_lookup(an, nla_data(ents[i]));
		if (!d) {
			NL_SET_ERR_MSG(extack, "AIOTSEC_A_DEV_IDS: no such device");
			*err = -ENOENT;
			bad = i;
		} else if (req->policy >= 0 &&
			   !aiot_policy_meets(req->policy, d->min_policy,
					      req->type == AIOTSEC_CMD_AUTH ?
					      AIOT_MSG_AUTH_RESP :
					      AIOT_MSG_COMMAND)) {
			NL_SET_ERR_MSG(extack,
				       "AIOTSEC_A_POLICY: below the AIOTSEC_DEV_A_MIN_POLICY of this AIOTSEC_A_DEV_IDS entry");
			*err = -EINVAL;
			bad = i;
		}
	}
	rcu_read_unlock();
	return bad;
}

/* What a batch's reply takes: exactly, so that it is never cut. */
static size_t batch_reply_size(unsigned int n)
{
	return nla_total_size(0) +			/* RESULTS */
	       n * (nla_total_size(0) +			/* RESULT */
		    nla_total_size(AIOTSEC_ID_LEN) +	/* RES_A_DEV_ID */
		    nla_total_size_64bit(sizeof(u64)) +	/* RES_A_COOKIE */
		    nla_total_size(sizeof(u32)));	/* RES_A_ERROR */
}

struct batch_slot {
	struct aiot_txn *t;		/* started, not committed yet */
	int err;
};

static int put_batch_results(struct sk_buff *skb, struct nlattr **ents,
			     const struct batch_slot *slots, unsigned int n)
{
	struct nlattr *results, *res;
	unsigned int i;

	results = nla_nest_start(skb, AIOTSEC_A_RESULTS);
	if (!results)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		res = nla_nest_start(skb, AIOTSEC_A_RESULT);
		if (!res ||
		    nla_put(skb, AIOTSEC_RES_A_DEV_ID, AIOTSEC_ID_LEN,
			    nla_data(ents[i])) ||
		    nla_put_u64_64bit(skb, AIOTSEC_RES_A_COOKIE,
				      slots[i].t ? slots[i].t->cookie : 0,
				      AIOTSEC_RES_A_PAD) ||
		    nla_put_u32(skb, AIOTSEC_RES_A_ERROR, -slots[i].err))
			return -EMSGSIZE;
		nla_nest_end(skb, res);
	}
	nla_nest_end(skb, results);
	return 0;
}

/*
 * Many devices: AIOTSEC_A_DEV_IDS. All of it is checked before anything
 * is sent; then each device gets its transaction, or its transmit error
 * in the reply; the timers start once the reply is out, and the results
 * reach the requester after it.
 */
static int request_batch(struct sk_buff *skb, struct genl_info *info,
			 struct aiot_request *req)
{
	struct nlattr *nest = info->attrs[AIOTSEC_A_DEV_IDS];
	struct netlink_ext_ack *extack = info->extack;
	struct aiot_net *an = info_an(info);
	struct batch_slot *slots = NULL;
	struct nlattr **ents = NULL;
	netdevice_tracker tracker;
	struct net_device *dev;
	struct sk_buff *reply;
	unsigned int i, n;
	u8 nn[AIOT_NONCE_LEN];
	int bad, ret;
	void *hdr;

	n = count_nested(nest);
	BUILD_BUG_ON(AIOT_BATCH_MAX != 1024);	/* the figure in the message */
	if (!n || n > AIOT_BATCH_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "AIOTSEC_A_DEV_IDS: 1 to AIOTSEC_LIM_A_BATCH (1024) entries");
		return -EINVAL;
	}
	ents = kvmalloc_array(n, sizeof(*ents), GFP_KERNEL);
	if (!ents) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "AIOTSEC_A_DEV_IDS: no memory to read the request");
		return -ENOMEM;
	}
	bad = parse_dev_ids(nest, ents, n, extack);
	if (bad == -ENOMEM) {
		ret = bad;
		goto free_ents;
	}
	ret = -EINVAL;
	if (bad < 0)
		bad = check_batch_devices(an, req, ents, n, extack, &ret);
	if (bad >= 0) {
		NL_SET_BAD_ATTR(extack, nth_nest(nest, bad));
		goto free_ents;
	}

	dev = aiot_reader_pick(an, req->ifindex, &tracker);
	if (!dev) {
		if (req->ifindex)
			NL_SET_ERR_MSG_ATTR(extack, info->attrs[AIOTSEC_A_IFINDEX],
					    "AIOTSEC_A_IFINDEX: interface is not a reader");
		else
			NL_SET_ERR_MSG_MOD(extack, "no reader is bound (AIOTSEC_CMD_ADD_READER)");
		ret = -ENODEV;
		goto free_ents;
	}
	reply = genlmsg_new(batch_reply_size(n), GFP_KERNEL);
	slots = kvcalloc(n, sizeof(*slots), GFP_KERNEL);
	if (!reply || !slots) {
		NL_SET_ERR_MSG(extack, "out of memory for the answer");
		ret = -ENOMEM;
		goto free_reply;
	}
	hdr = genlmsg_put_reply(reply, info, &aiot_genl_family, 0, req->type);
	if (!hdr) {
		NL_SET_ERR_MSG(extack, "the answer does not fit in a message");
		ret = -EMSGSIZE;
		goto free_reply;
	}
	ret = aiot_pending_reserve(an, n, extack);
	if (ret) {
		NL_SET_BAD_ATTR(extack, nest);
		goto free_reply;
	}
	ret = new_requester(skb, info, &req->rq);
	if (ret) {
		aiot_pending_unreserve(an, n);
		goto free_reply;
	}

	/* Each start consumes one unit of the room reserved. */
	for (i = 0; i < n; i++) {
		req->id = nla_data(ents[i]);
		get_random_bytes(nn, sizeof(nn));
		slots[i].err = aiot_txn_start(an, req, dev, nn, &slots[i].t,
					      NULL);
		if (slots[i].err)
			slots[i].t = NULL;
		if (!(i % 64))
			cond_resched();
	}
	memzero_explicit(nn, sizeof(nn));

	/*
	 * Sized for it: cannot fail. The frames are on the air: every
	 * transaction goes ahead, whether or not the reply can be queued
	 * (its results carry AIOTSEC_A_SEQ for a requester that missed it).
	 */
	if (!WARN_ON_ONCE(put_batch_results(reply, ents, slots, n))) {
		genlmsg_end(reply, hdr);
		genlmsg_reply(reply, info);
		reply = NULL;	/* consumed, sent or not */
	}
	ret = 0;
	for (i = 0; i < n; i++)
		if (slots[i].t)
			aiot_txn_commit(slots[i].t, req->timeout_ms);
	end_requester(req->rq);

free_reply:
	nlmsg_free(reply);
	kvfree(slots);
	netdev_put(dev, &tracker);
free_ents:
	kvfree(ents);
	return ret;
}

static int aiot_nl_request(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct aiot_request req = {
		.type = info->genlhdr->cmd,
		.policy = -1,
	};
	int ret;

	if (a[AIOTSEC_A_DEV_ID] && a[AIOTSEC_A_DEV_IDS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_DEV_IDS],
				    "AIOTSEC_A_DEV_ID and AIOTSEC_A_DEV_IDS: one or the other");
		return -EINVAL;
	}
	if (!a[AIOTSEC_A_DEV_IDS] && NEED(info, AIOTSEC_A_DEV_ID))
		return -EINVAL;
	ret = parse_request(info, &req);
	if (ret)
		return ret;
	if (a[AIOTSEC_A_DEV_IDS])
		return request_batch(skb, info, &req);
	return request_one(skb, info, &req);
}

/* ---- inventory ------------------------------------------------------------ */

/* Once the INVENTORY is out: the reply, queued or not (send_cookie()). */
static void send_round(void *arg, u64 cookie, u32 candidates)
{
	struct request_reply *r = arg;

	/* Sized for it: cannot fail. */
	if (WARN_ON_ONCE(nla_put_u32(r->skb, AIOTSEC_A_CANDIDATES, candidates))) {
		nlmsg_free(r->skb);
		r->skb = NULL;
		return;
	}
	send_cookie(arg, cookie);
}

static int aiot_nl_inventory(struct sk_buff *skb, struct genl_info *info)
{
	struct request_reply r = { .info = info };
	struct nlattr **a = info->attrs;
	u8 filter[AIOT_FILTER_MAX] = { 0 };
	struct aiot_inv_req req = {
		.policy = 2 << AIOTSEC_POL_ML_SHIFT,
		.filter = filter,
	};
	int ret;

	if (a[AIOTSEC_A_IFINDEX])
		req.ifindex = nla_get_u32(a[AIOTSEC_A_IFINDEX]);
	if (a[AIOTSEC_A_TIMEOUT_MS])
		req.window_ms = nla_get_u32(a[AIOTSEC_A_TIMEOUT_MS]);
	if (a[AIOTSEC_A_STOP_COUNT])
		req.stop = nla_get_u32(a[AIOTSEC_A_STOP_COUNT]);
	if (a[AIOTSEC_A_POLICY]) {
		req.policy = nla_get_u8(a[AIOTSEC_A_POLICY]);
		if (aiot_policy_check(req.policy, AIOT_MSG_INVENTORY)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_POLICY],
					    "AIOTSEC_A_POLICY: only ML (bits 5-6) in an INVENTORY");
			return -EINVAL;
		}
	}
	if (a[AIOTSEC_A_FBITS])
		req.fbits = nla_get_u32(a[AIOTSEC_A_FBITS]);
	if ((a[AIOTSEC_A_FILTER] ? nla_len(a[AIOTSEC_A_FILTER]) : 0) !=
	    aiot_filter_len(req.fbits)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_FILTER] ?:
				    a[AIOTSEC_A_FBITS],
				    "AIOTSEC_A_FILTER: must be ceil(AIOTSEC_A_FBITS / 8) bytes");
		return -EINVAL;
	}
	if (a[AIOTSEC_A_FILTER])
		nla_memcpy(filter, a[AIOTSEC_A_FILTER], sizeof(filter));
	if (!aiot_filter_valid(req.fbits, filter)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[AIOTSEC_A_FILTER],
				    "AIOTSEC_A_FILTER: a bit set past AIOTSEC_A_FBITS");
		return -EINVAL;
	}

	r.skb = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			    nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!r.skb) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the answer");
		return -ENOMEM;
	}
	r.hdr = genlmsg_put_reply(r.skb, info, &aiot_genl_family, 0,
				  AIOTSEC_CMD_INVENTORY);
	if (!r.hdr) {
		NL_SET_ERR_MSG(info->extack, "the answer does not fit in a message");
		nlmsg_free(r.skb);
		return -EMSGSIZE;
	}
	ret = new_requester(skb, info, &req.rq);
	if (ret) {
		nlmsg_free(r.skb);
		return ret;
	}
	req.sent = send_round;
	req.sent_arg = &r;
	ret = aiot_inv_start(info_an(info), &req, info->extack);
	if (r.skb)		/* not handed to send_round() */
		nlmsg_free(r.skb);
	end_requester(req.rq);
	return ret;
}

/* ---- stats ---------------------------------------------------------------- */

static int fill_stats(struct sk_buff *skb, void *an)
{
	struct aiot_stats_snapshot snap;

	aiot_stats_read(an, &snap);
	return aiot_stats_put(skb, &snap);
}

static int aiot_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, AIOTSEC_CMD_GET_STATS, aiot_stats_size(), fill_stats,
		     info_an(info));
}

/* ---- the family ------------------------------------------------------------ */

/*
 * Every command, reads included, needs CAP_NET_ADMIN in the user namespace
 * that owns the network namespace (see the uapi header for why not in the
 * initial one).
 */
#define ADMIN GENL_UNS_ADMIN_PERM

static const struct genl_ops aiot_genl_ops[] = {
	{
		.cmd = AIOTSEC_CMD_GET_CONFIG,
		.doit = aiot_nl_get_config,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_SET_CONFIG,
		.doit = aiot_nl_set_config,
		.policy = config_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_ADD_READER,
		.doit = aiot_nl_reader,
		.policy = reader_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_DEL_READER,
		.doit = aiot_nl_reader,
		.policy = reader_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_GET_READER,
		.dumpit = aiot_nl_get_reader_dump,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_ADD_DEVICES,
		.doit = aiot_nl_devices,
		.policy = devices_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_DEL_DEVICES,
		.doit = aiot_nl_devices,
		.policy = devices_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_FLUSH_DEVICES,
		.doit = aiot_nl_flush_devices,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_GET_DEVICE,
		.doit = aiot_nl_get_device,
		.start = aiot_nl_get_device_start,
		.dumpit = aiot_nl_get_device_dump,
		.done = aiot_nl_get_device_done,
		.policy = dev_id_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_AUTH,
		.doit = aiot_nl_request,
		.policy = request_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_COMMAND,
		.doit = aiot_nl_request,
		.policy = request_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_INVENTORY,
		.doit = aiot_nl_inventory,
		.policy = inventory_policy,
		.maxattr = AIOTSEC_A_MAX,
		.flags = ADMIN,
	}, {
		.cmd = AIOTSEC_CMD_GET_STATS,
		.doit = aiot_nl_get_stats,
		.flags = ADMIN,
	},
};

/*
 * GENL_MCAST_CAP_NET_ADMIN (joining needs CAP_NET_ADMIN in the namespace's
 * user namespace) is in mainline since 6.7 and in Debian 12's 6.1 since
 * 6.1.176-1; on an older kernel nothing would guard the events group.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "aiotsec needs GENL_MCAST_CAP_NET_ADMIN: Linux 6.7, or Debian 12's 6.1.176-1 or later"
#endif

static const struct genl_multicast_group aiot_genl_mcgrps[] = {
	{ .name = AIOTSEC_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family aiot_genl_family __ro_after_init = {
	.name = AIOTSEC_GENL_NAME,
	.version = AIOTSEC_GENL_VERSION,
	.maxattr = AIOTSEC_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = aiot_nl_pre_doit,
	.post_doit = aiot_nl_post_doit,
	.ops = aiot_genl_ops,
	.n_ops = ARRAY_SIZE(aiot_genl_ops),
	.mcgrps = aiot_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(aiot_genl_mcgrps),
	.module = THIS_MODULE,
};
EXPORT_SYMBOL_IF_KUNIT(aiot_genl_family);

int aiot_genl_init(void)
{
	return genl_register_family(&aiot_genl_family);
}

void aiot_genl_exit(void)
{
	genl_unregister_family(&aiot_genl_family);
}
