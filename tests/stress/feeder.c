// SPDX-License-Identifier: GPL-2.0
/*
 * aiotsec_feed.ko: the in-kernel frame feeder of `make stress`. It creates
 * a capture interface (kernel/tests/capdev.c) that user space binds as a
 * reader, learns the correlation tags of the requests the module sends on
 * it, and hands mutated responses to the stack as if they had been
 * received there, at a rate no user-space sender reaches under KASAN.
 *
 * debugfs, in aiotsec_feed/:
 *   ifname   the capture interface's name
 *   feed     write N: inject N frames now, in the writer's context, or
 *            fewer when the time bound (ms) runs out first
 *   ms       time bound of one feed in milliseconds (default 2000)
 *   stats    injected frames, requests seen, tags known
 */
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "codec.h"
#include "tests/capdev.h"

#define FEED_RING	64
#define FEED_MAX	1600

struct feeder {
	struct net_device *dev;
	struct dentry *dir;
	struct mutex lock;		/* one feed at a time */
	u8 ct[FEED_RING][AIOT_CT_LEN];
	unsigned int nct;
	u64 state;
	u8 buf[FEED_MAX];
	u32 ms;
	atomic64_t injected;
	atomic64_t requests;
};

static struct feeder *feed;

static u64 feed_rnd(struct feeder *f)
{
	u64 z = (f->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 feed_rndn(struct feeder *f, u32 n)
{
	return (u32)(((feed_rnd(f) >> 32) * n) >> 32);
}

static void feed_fill(struct feeder *f, u8 *p, size_t n)
{
	while (n >= 8) {
		u64 v = feed_rnd(f);

		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	if (n) {
		u64 v = feed_rnd(f);

		memcpy(p, &v, n);
	}
}

/* The tags of what the module sent: each is a live or recent transaction. */
static void feed_learn(struct feeder *f)
{
	struct sk_buff *skb;

	while ((skb = capdev_take(f->dev, AIOTSEC_ETHERTYPE))) {
		if (skb->len >= ETH_HLEN + AIOT_HDR_LEN + AIOT_CT_LEN) {
			memcpy(f->ct[f->nct++ % FEED_RING],
			       skb->data + ETH_HLEN + AIOT_HDR_LEN,
			       AIOT_CT_LEN);
			atomic64_inc(&f->requests);
		}
		kfree_skb(skb);
	}
}

static const u8 feed_policies[] = { 0x11, 0x12, 0x15, 0x09, 0x2d, 0x56,
				    0x31, 0x4a };

/* A well-formed response: a known tag (mostly), random DN, fields, MAC. */
static size_t feed_forge(struct feeder *f, u8 *p)
{
	u8 pol = feed_policies[feed_rndn(f, ARRAY_SIZE(feed_policies))];
	bool auth = feed_rndn(f, 2);
	unsigned int maclen;
	size_t len;

	if (auth)
		pol &= AIOTSEC_POL_AUTH_MASK;
	maclen = 4 << ((pol & AIOTSEC_POL_ML_MASK) >> AIOTSEC_POL_ML_SHIFT);
	if (auth) {
		u8 caplen = feed_rndn(f, 4) ? 0 : feed_rndn(f, 33);

		len = AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN +
		      AIOT_PID_LEN + 1 + caplen + maclen;
		feed_fill(f, p, len);
		p[AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN +
		  AIOT_PID_LEN] = caplen;
	} else {
		u16 plen = feed_rndn(f, 4) ? feed_rndn(f, 17) : feed_rndn(f, 1025);

		len = AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + 2 +
		      plen + maclen;
		feed_fill(f, p, len);
		p[AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN] = plen >> 8;
		p[AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + 1] = plen;
	}
	aiot_put_hdr(p, auth ? AIOT_MSG_AUTH_RESP : AIOT_MSG_CMD_RESP,
		     pol);
	/* a known tag costs the full verification: a quarter of them */
	if (f->nct && !feed_rndn(f, 4))
		memcpy(p + AIOT_HDR_LEN,
		       f->ct[(f->nct - 1 - feed_rndn(f, min(f->nct, 8u))) %
		       FEED_RING], AIOT_CT_LEN);
	return len;
}

static size_t feed_frame(struct feeder *f, u8 *p)
{
	size_t len, n;

	switch (feed_rndn(f, 8)) {
	case 0:		/* random bytes, sometimes with a plausible first byte */
		len = feed_rndn(f, 4) ? feed_rndn(f, 80) : feed_rndn(f, FEED_MAX);
		feed_fill(f, p, len);
		if (len && feed_rndn(f, 2))
			p[0] = 0x10 | feed_rndn(f, 6);
		return len;
	case 1:		/* truncated */
		len = feed_forge(f, p);
		return feed_rndn(f, len);
	case 2:		/* trailing bytes */
		len = feed_forge(f, p);
		n = min_t(size_t, feed_rndn(f, 64), FEED_MAX - len);
		feed_fill(f, p + len, n);
		return len + n;
	case 3:		/* a header field off */
		len = feed_forge(f, p);
		p[feed_rndn(f, 3)] ^= 1 << feed_rndn(f, 8);
		return len;
	case 4:		/* bit flips anywhere */
		len = feed_forge(f, p);
		for (n = 1 + feed_rndn(f, 3); n; n--)
			p[feed_rndn(f, len)] ^= 1 << feed_rndn(f, 8);
		return len;
	default:	/* forged, well-formed: the full verification */
		return feed_forge(f, p);
	}
}

static ssize_t feed_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct feeder *f = feed;
	unsigned long n, i, deadline;
	int err;

	err = kstrtoul_from_user(ubuf, count, 0, &n);
	if (err)
		return err;
	if (mutex_lock_interruptible(&f->lock))
		return -EINTR;
	if (!f->state)
		f->state = get_random_u64();
	deadline = jiffies + msecs_to_jiffies(READ_ONCE(f->ms));
	for (i = 0; i < n; i++) {
		size_t len;

		if (!(i % 64)) {
			feed_learn(f);
			cond_resched();
			if (fatal_signal_pending(current) ||
			    time_after(jiffies, deadline))
				break;
		}
		len = feed_frame(f, f->buf);
		err = capdev_inject(f->dev, AIOTSEC_ETHERTYPE, f->buf, len);
		if (err)
			break;
		atomic64_inc(&f->injected);
	}
	feed_learn(f);
	mutex_unlock(&f->lock);
	return err ? err : count;
}

static const struct file_operations feed_fops = {
	.owner = THIS_MODULE,
	.write = feed_write,
	.llseek = noop_llseek,
};

static int stats_show(struct seq_file *s, void *unused)
{
	struct feeder *f = feed;

	seq_printf(s, "injected=%lld requests=%lld\n",
		   (long long)atomic64_read(&f->injected),
		   (long long)atomic64_read(&f->requests));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int ifname_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%s\n", feed->dev->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ifname);

static int __init feed_init(void)
{
	struct feeder *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	f->ms = 2000;
	atomic64_set(&f->injected, 0);
	atomic64_set(&f->requests, 0);
	f->dev = capdev_new();
	if (!f->dev) {
		kfree(f);
		return -ENOMEM;
	}
	feed = f;
	f->dir = debugfs_create_dir("aiotsec_feed", NULL);
	debugfs_create_file("feed", 0200, f->dir, NULL, &feed_fops);
	debugfs_create_file("stats", 0444, f->dir, NULL, &stats_fops);
	debugfs_create_u32("ms", 0600, f->dir, &f->ms);
	debugfs_create_file("ifname", 0444, f->dir, NULL, &ifname_fops);
	return 0;
}

static void __exit feed_exit(void)
{
	struct feeder *f = feed;

	debugfs_remove_recursive(f->dir);
	capdev_free(f->dev);
	kfree(f);
}

module_init(feed_init);
module_exit(feed_exit);
MODULE_DESCRIPTION("aiotsec stress: in-kernel frame feeder");
MODULE_LICENSE("GPL");
