// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The kernel's device table: dump, lookup, batches (see dev.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/attr.h>

#include "dev.h"
#include "stats.h"

static const uint16_t dev_stat_attr[DS_NUM] = {
	AIOTSEC_STAT_AUTH_OK, AIOTSEC_STAT_AUTH_FAIL, AIOTSEC_STAT_CMD_OK,
	AIOTSEC_STAT_CMD_FAIL, AIOTSEC_STAT_TIMEOUTS,
};

const char *dev_stat_name(int i)
{
	return aiot_stat_names[dev_stat_attr[i]];
}

double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (nla_len(a) >= (int)sizeof(v))
		memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint8_t get_u8(const struct nlattr *a)
{
	return nla_len(a) >= 1 ? *(const uint8_t *)nla_data(a) : 0;
}

/*
 * One AIOTSEC_A_DEVICE nest of a reply, by a direct walk of its
 * attributes (a dump may bring millions of them).
 */
static int parse_dev(struct nlattr *nest, struct dev_info *d)
{
	struct nlattr *a, *s;
	bool id = false;
	int rem, rem2, i;

	memset(d, 0, sizeof(*d));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case AIOTSEC_DEV_A_ID:
			if (nla_len(a) != AIOTSEC_ID_LEN)
				return -EBADMSG;
			memcpy(d->id, nla_data(a), AIOTSEC_ID_LEN);
			id = true;
			break;
		case AIOTSEC_DEV_A_KEY_FP:
			d->fp = get_u64(a);
			break;
		case AIOTSEC_DEV_A_KEY_LEN:
			d->key_len = get_u8(a);
			break;
		case AIOTSEC_DEV_A_POLICY:
			d->policy = get_u8(a);
			break;
		case AIOTSEC_DEV_A_MIN_POLICY:
			d->min_policy = get_u8(a);
			break;
		case AIOTSEC_DEV_A_GROUP:
			if (nla_len(a) != AIOTSEC_GROUP_LEN)
				return -EBADMSG;
			memcpy(d->group, nla_data(a), AIOTSEC_GROUP_LEN);
			break;
		case AIOTSEC_DEV_A_STATS:
			nla_for_each_nested(s, a, rem2)
				for (i = 0; i < DS_NUM; i++)
					if (nla_type(s) == dev_stat_attr[i])
						d->stats[i] = get_u64(s);
			break;
		}
	}
	return id ? 0 : -EBADMSG;
}

static int list_push(struct dev_list *l, const struct dev_info *d)
{
	struct dev_info *v;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *d;
	return 0;
}

/* Every AIOTSEC_A_DEVICE of one dump message. */
static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *pos;
	struct dev_info d;
	int rem, ret;

	nla_for_each_attr(pos, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		if (nla_type(pos) != AIOTSEC_A_DEVICE)
			continue;
		ret = parse_dev(pos, &d);
		if (!ret)
			ret = list_push(arg, &d);
		if (ret)
			return ret;
	}
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	return memcmp(((const struct dev_info *)a)->id,
		      ((const struct dev_info *)b)->id, AIOTSEC_ID_LEN);
}

static bool has_duplicate(const struct dev_list *l)
{
	size_t i;

	for (i = 1; i < l->n; i++)
		if (!cmp_dev(&l->v[i - 1], &l->v[i]))
			return true;
	return false;
}

int dev_dump(struct anl *a, struct dev_list *l)
{
	struct nl_msg *msg;
	int tries, ret;

	memset(l, 0, sizeof(*l));
	for (tries = 1; tries <= DEV_DUMP_TRIES; tries++) {
		l->n = 0;
		msg = anl_msg(a, AIOTSEC_CMD_GET_DEVICE, NLM_F_DUMP, 0);
		if (!msg)
			return -ENOMEM;
		ret = anl_request(a, msg, dump_cb, l);
		if (ret) {
			dev_list_free(l);
			return ret;
		}
		if (a->dump_intr)
			continue;
		qsort(l->v, l->n, sizeof(*l->v), cmp_dev);
		/* A walk restarted by a resize repeats entries: retry too. */
		if (!has_duplicate(l))
			return 0;
	}
	memset(&a->last, 0, sizeof(a->last));
	dev_list_free(l);
	return -EAGAIN;
}

void dev_list_free(struct dev_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_DEVICE])
		return -EBADMSG;
	return parse_dev(tb[AIOTSEC_A_DEVICE], arg);
}

int dev_get(struct anl *a, const uint8_t *id, struct dev_info *d)
{
	struct nl_msg *msg = anl_msg(a, AIOTSEC_CMD_GET_DEVICE, 0, 64);

	if (!msg)
		return -ENOMEM;
	if (nla_put(msg, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return anl_request(a, msg, get_cb, d);
}

/* ---- batches ------------------------------------------------------------- */

void batch_init(struct batch *b, struct anl *a, uint8_t cmd, uint32_t flags,
		size_t max_devs)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->cmd = cmd;
	b->flags = flags;
	b->max_devs = max_devs;
}

void batch_free(struct batch *b)
{
	if (b->msg) {
		/* It may hold keys. */
		explicit_bzero(nlmsg_hdr(b->msg), nlmsg_hdr(b->msg)->nlmsg_len);
		nlmsg_free(b->msg);
	}
	free(b->offs);
	free(b->idx);
	b->msg = NULL;
	b->offs = NULL;
	b->idx = NULL;
}

static int start_msg(struct batch *b)
{
	b->msg = anl_msg(b->a, b->cmd, 0, BATCH_NEST_ROOM + 64);
	if (!b->msg)
		return -ENOMEM;
	if (b->flags && nla_put_u32(b->msg, AIOTSEC_A_FLAGS, b->flags))
		return -EMSGSIZE;
	b->nest = nla_nest_start(b->msg, AIOTSEC_A_DEVICES);
	if (!b->nest)
		return -EMSGSIZE;
	b->used = 0;
	b->n = 0;
	return 0;
}

/* Room for a device of @size bytes in the current message. */
static int make_room(struct batch *b, size_t size)
{
	size_t cap;
	int ret;

	if (b->msg && (b->used + size > BATCH_NEST_ROOM ||
		       (b->max_devs && b->n == b->max_devs))) {
		ret = batch_flush(b);
		if (ret)
			return ret;
	}
	if (!b->msg) {
		ret = start_msg(b);
		if (ret)
			return ret;
	}
	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 1024;
		b->offs = realloc(b->offs, cap * sizeof(*b->offs));
		b->idx = realloc(b->idx, cap * sizeof(*b->idx));
		if (!b->offs || !b->idx)
			return -ENOMEM;
		b->cap = cap;
	}
	return 0;
}

static struct nlattr *open_dev(struct batch *b, size_t idx)
{
	struct nlattr *d = nla_nest_start(b->msg, AIOTSEC_A_DEVICE);

	if (d) {
		b->offs[b->n] = (uint32_t)((char *)d -
					   (char *)nlmsg_hdr(b->msg));
		b->idx[b->n] = idx;
	}
	return d;
}

static bool group_set(const uint8_t *g)
{
	static const uint8_t zero[AIOTSEC_GROUP_LEN];

	return memcmp(g, zero, AIOTSEC_GROUP_LEN) != 0;
}

int batch_add(struct batch *b, const struct ks_entry *e, size_t idx)
{
	bool group = group_set(e->group);
	size_t size = nla_total_size(0) + nla_total_size(AIOTSEC_ID_LEN) +
		      nla_total_size(e->key_len) + nla_total_size(1) +
		      (e->min_policy != e->policy ? nla_total_size(1) : 0) +
		      (group ? nla_total_size(AIOTSEC_GROUP_LEN) : 0);
	struct nlattr *d;
	int ret;

	ret = make_room(b, size);
	if (ret)
		return ret;
	d = open_dev(b, idx);
	if (!d || nla_put(b->msg, AIOTSEC_DEV_A_ID, AIOTSEC_ID_LEN, e->id) ||
	    nla_put(b->msg, AIOTSEC_DEV_A_KEY, e->key_len, e->key) ||
	    nla_put_u8(b->msg, AIOTSEC_DEV_A_POLICY, e->policy) ||
	    (e->min_policy != e->policy &&
	     nla_put_u8(b->msg, AIOTSEC_DEV_A_MIN_POLICY, e->min_policy)) ||
	    (group && nla_put(b->msg, AIOTSEC_DEV_A_GROUP, AIOTSEC_GROUP_LEN,
			      e->group)))
		return -EMSGSIZE;
	nla_nest_end(b->msg, d);
	b->used += size;
	b->n++;
	return 0;
}

int batch_del(struct batch *b, const uint8_t *id, size_t idx)
{
	size_t size = nla_total_size(0) + nla_total_size(AIOTSEC_ID_LEN);
	struct nlattr *d;
	int ret;

	ret = make_room(b, size);
	if (ret)
		return ret;
	d = open_dev(b, idx);
	if (!d || nla_put(b->msg, AIOTSEC_DEV_A_ID, AIOTSEC_ID_LEN, id))
		return -EMSGSIZE;
	nla_nest_end(b->msg, d);
	b->used += size;
	b->n++;
	return 0;
}

/* The device whose nest holds offset @off of the message, if any. */
static void find_culprit(struct batch *b, uint32_t off)
{
	size_t lo = 0, hi = b->n;

	if (!b->n || off < b->offs[0])
		return;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (b->offs[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	b->has_err_idx = true;
	b->err_idx = b->idx[lo];
}

int batch_flush(struct batch *b)
{
	struct nl_msg *msg = b->msg;
	double t0;
	int ret;

	if (!msg)
		return 0;
	b->msg = NULL;
	nla_nest_end(msg, b->nest);
	t0 = now_secs();
	/* anl_request() frees the message; wipe the keys in it first. */
	nlmsg_get(msg);
	ret = anl_request(b->a, msg, NULL, NULL);
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	b->secs += now_secs() - t0;
	b->msgs++;
	if (ret) {
		if (b->a->last.has_off)
			find_culprit(b, b->a->last.off);
		return ret;
	}
	b->done += b->n;
	b->n = 0;
	if (b->progress)
		b->progress(b->done, b->progress_arg);
	return 0;
}
