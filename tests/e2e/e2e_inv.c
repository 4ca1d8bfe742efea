// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The inventory topology (profile v1.1): network namespace NS_INV holds a
 * reader IF_INV of its own (module state is per namespace, so the other
 * cases' 1,045 devices are not its candidates), NS_INVD the veth peer and
 * an aiotsim with the NINV provisioned devices, of which NINV_PRESENT,
 * chosen at random, are present (aiotsim --present FILE). Groups
 * (aiotsim --groups FILE; in the module AIOTSEC_DEV_A_GROUP through a bare
 * ADD_DEVICES, as aiotctl has no group yet):
 *   index < INV_FAULT0:            a0|(i%4), (i/4%16)<<4, 0, 0, 0, 0, i>>8, i
 *   INV_FAULT0 .. +INV_NSMALL-1:   c0 00 ...   (the fault devices' group,
 *                                   never present in the main aiotsim)
 *   INV_ABSENT0 .. +INV_NSMALL-1:  b0 00 ...   (a group nobody of is here)
 * Every device's policy is tid, pi, 16-byte MAC (0x4a), its minimum too.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "e2e.h"
#include "linux/aiotsec.h"

struct inv_env inv;

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

static void put_attr(char *buf, size_t *off, uint16_t type, const void *p,
		     size_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(a + 1, p, len);
	memset((char *)(a + 1) + len, 0, NLA_ALIGN(a->nla_len) - a->nla_len);
	*off += NLA_ALIGN(a->nla_len);
}

static size_t nest_start(char *buf, size_t *off, uint16_t type)
{
	size_t at = *off;
	struct nlattr *a = (struct nlattr *)(buf + at);

	a->nla_type = NLA_F_NESTED | type;
	*off += NLA_HDRLEN;
	return at;
}

static void nest_end(char *buf, size_t off, size_t at)
{
	((struct nlattr *)(buf + at))->nla_len = (uint16_t)(off - at);
}

/* ADD_DEVICES of inv.devs[lo..hi-1] with their groups; 0 once acked. */
static int add_devices(struct nlc *c, size_t lo, size_t hi)
{
	static char buf[1 << 16];
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, all, one, i;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	uint8_t policy = INV_POLICY;
	ssize_t n;

	memset(buf, 0, sizeof(buf));
	gh->cmd = AIOTSEC_CMD_ADD_DEVICES;
	gh->version = AIOTSEC_GENL_VERSION;
	all = nest_start(buf, &off, AIOTSEC_A_DEVICES);
	for (i = lo; i < hi; i++) {
		const struct inv_dev *d = &inv.devs[i];

		one = nest_start(buf, &off, AIOTSEC_A_DEVICE);
		put_attr(buf, &off, AIOTSEC_DEV_A_ID, d->id, 16);
		put_attr(buf, &off, AIOTSEC_DEV_A_KEY, d->key, d->key_len);
		put_attr(buf, &off, AIOTSEC_DEV_A_POLICY, &policy, 1);
		put_attr(buf, &off, AIOTSEC_DEV_A_GROUP, d->group, 8);
		nest_end(buf, off, one);
	}
	nest_end(buf, off, all);
	nlh->nlmsg_len = (uint32_t)off;
	nlh->nlmsg_type = c->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++c->seq;
	n = send(c->fd, buf, off, 0);
	memset(buf, 0, off);		/* the keys */
	if (n != (ssize_t)off)
		return -1;
	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_seq == c->seq) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				if (err)
					fprintf(stderr, "# ADD_DEVICES: %s\n",
						strerror(-err));
				return err ? -1 : 0;
			}
		}
	}
}

static int provision(void)
{
	int one = 1, ret = 0;
	struct run r;
	struct nlc c;
	size_t i;

	if (ctl(&r, NS_INV, 0, "reader", "add", IF_INV, NULL)) {
		fprintf(stderr, "# inventory reader: %s%s", r.out, r.err);
		run_free(&r);
		return -1;
	}
	run_free(&r);
	if (nlc_open(&c, NS_INV, 0, 0))
		return -1;
	/* No key in an error ACK. */
	setsockopt(c.fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	for (i = 0; i < NINV && !ret; i += 500)
		ret = add_devices(&c, i, i + 500 < NINV ? i + 500 : NINV);
	nlc_close(&c);
	return ret;
}

void inv_group_of(size_t i, uint8_t g[8])
{
	memset(g, 0, 8);
	if (i >= INV_ABSENT0) {
		g[0] = 0xb0;
	} else if (i >= INV_FAULT0) {
		g[0] = 0xc0;
	} else {
		g[0] = (uint8_t)(0xa0 | (i % 4));
		g[1] = (uint8_t)((i / 4 % 16) << 4);
		g[6] = (uint8_t)(i >> 8);
		g[7] = (uint8_t)i;
	}
}

/* Key store and groups files of inv.devs[lo..hi-1]. */
int inv_write_files(const char *keys, const char *groups, size_t lo,
		    size_t hi)
{
	char id[33], key[65], g[17];
	FILE *k, *f;
	int fd;
	size_t i;

	fd = open(keys, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	k = fd < 0 ? NULL : fdopen(fd, "w");
	f = fopen(groups, "w");
	if (!k || !f) {
		if (k)
			fclose(k);
		if (f)
			fclose(f);
		return -1;
	}
	for (i = lo; i < hi; i++) {
		hex_of(inv.devs[i].id, 16, id);
		hex_of(inv.devs[i].key, inv.devs[i].key_len, key);
		hex_of(inv.devs[i].group, 8, g);
		fprintf(k, "%s %s 0x%02x\n", id, key, INV_POLICY);
		fprintf(f, "%s %s\n", id, g);
	}
	return fclose(k) | fclose(f);
}

static int make_population(void)
{
	char id[33];
	uint32_t r;
	size_t i, j, *order;
	FILE *f;

	inv.devs = calloc(NINV, sizeof(*inv.devs));
	order = calloc(INV_FAULT0, sizeof(*order));
	if (!inv.devs || !order) {
		free(order);
		return -1;
	}
	for (i = 0; i < NINV; i++) {
		struct inv_dev *d = &inv.devs[i];

		d->id[0] = 0xe2;
		d->id[1] = 0x10;
		d->id[14] = (uint8_t)(i >> 8);
		d->id[15] = (uint8_t)i;
		d->key_len = i % 3 ? 16 : 32;
		if (getrandom(d->key, d->key_len, 0) != d->key_len) {
			free(order);
			return -1;
		}
		inv_group_of(i, d->group);
	}
	/* NINV_PRESENT of the a-groups at random (Fisher-Yates). */
	for (i = 0; i < INV_FAULT0; i++)
		order[i] = i;
	for (i = INV_FAULT0 - 1; i > 0; i--) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r)) {
			free(order);
			return -1;
		}
		j = r % (i + 1);
		r = (uint32_t)order[i];
		order[i] = order[j];
		order[j] = r;
	}
	f = fopen(inv.present, "w");
	if (!f) {
		free(order);
		return -1;
	}
	for (i = 0; i < NINV_PRESENT; i++) {
		inv.devs[order[i]].present = true;
		hex_of(inv.devs[order[i]].id, 16, id);
		fprintf(f, "%s\n", id);
	}
	free(order);
	if (fclose(f))
		return -1;
	return inv_write_files(inv.keys, inv.groups, 0, NINV);
}

static int topology(void)
{
	if (!access("/run/netns/" NS_INV, F_OK))
		sys("ip", "netns", "del", NS_INV, NULL);
	if (!access("/run/netns/" NS_INVD, F_OK))
		sys("ip", "netns", "del", NS_INVD, NULL);
	if (sys("ip", "netns", "add", NS_INV, NULL) ||
	    sys("ip", "netns", "add", NS_INVD, NULL) ||
	    sys("ip", "link", "add", IF_INV, "type", "veth", "peer", "name",
		IF_INVD, NULL) ||
	    sys("ip", "link", "set", IF_INV, "netns", NS_INV, NULL) ||
	    sys("ip", "link", "set", IF_INVD, "netns", NS_INVD, NULL) ||
	    sys("ip", "-n", NS_INV, "link", "set", IF_INV, "up", NULL) ||
	    sys("ip", "-n", NS_INVD, "link", "set", IF_INVD, "up", NULL))
		return -1;
	return 0;
}

pid_t inv_start_sim(const char *keys, const char *groups, const char *present,
		    const char *stats, const char *name, char *const *extra)
{
	char ready[300], log[300], *argv[32];
	unsigned int n = 0;
	pid_t pid;
	int ret;

	snprintf(ready, sizeof(ready), "%s/%s.ready", env.dir, name);
	snprintf(log, sizeof(log), "%s/%s.log", env.dir, name);
	unlink(ready);
	argv[n++] = (char *)env.aiotsim;
	argv[n++] = "-i";
	argv[n++] = IF_INVD;
	argv[n++] = "-k";
	argv[n++] = (char *)keys;
	argv[n++] = "--groups";
	argv[n++] = (char *)groups;
	argv[n++] = "--present";
	argv[n++] = (char *)present;
	argv[n++] = "--ready";
	argv[n++] = ready;
	argv[n++] = "--stats";
	argv[n++] = (char *)stats;
	while (extra && *extra && n < 30)
		argv[n++] = *extra++;
	argv[n] = NULL;
	pid = spawn_argv(NS_INVD, 0, log, argv);
	if (pid < 0)
		return -1;
	ret = wait_file(ready, pid, 120000);
	if (!ret)
		return pid;
	if (ret != -ECHILD) {
		kill(pid, SIGKILL);
		wait_status(pid, 10);
	} else {
		char *text = slurp(log, NULL);

		fprintf(stderr, "# aiotsim %s exited: %s\n", name, text ? text : "");
		free(text);
	}
	return -1;
}

int inv_setup(void)
{
	snprintf(inv.keys, sizeof(inv.keys), "%s/inv-keys.txt", env.dir);
	snprintf(inv.groups, sizeof(inv.groups), "%s/inv-groups.txt", env.dir);
	snprintf(inv.present, sizeof(inv.present), "%s/inv-present.txt", env.dir);
	snprintf(inv.stats, sizeof(inv.stats), "%s/inv-sim.stats", env.dir);
	if (make_population()) {
		fprintf(stderr, "# cannot write the inventory population\n");
		return -1;
	}
	if (topology() || provision()) {
		fprintf(stderr, "# inventory topology or provisioning failed\n");
		return -1;
	}
	inv.sim_pid = inv_start_sim(inv.keys, inv.groups, inv.present,
				    inv.stats, "inv-sim", NULL);
	return inv.sim_pid > 0 ? 0 : -1;
}

void inv_teardown(void)
{
	char log[300], *text;

	if (inv.sim_pid > 0) {
		kill(inv.sim_pid, SIGTERM);
		wait_status(inv.sim_pid, 10);
		inv.sim_pid = 0;
		snprintf(log, sizeof(log), "%s/inv-sim.log", env.dir);
		text = slurp(log, NULL);
		if (text && *text)
			printf("# inventory %s", text);
		free(text);
	}
	if (!access("/run/netns/" NS_INV, F_OK))
		sys("ip", "netns", "del", NS_INV, NULL);
	if (!access("/run/netns/" NS_INVD, F_OK))
		sys("ip", "netns", "del", NS_INVD, NULL);
	if (inv.devs) {
		memset(inv.devs, 0, NINV * sizeof(*inv.devs));
		free(inv.devs);
		inv.devs = NULL;
	}
	unlink(inv.keys);
}

int64_t inv_sim_stat(const char *name)
{
	return sim_stat_of(inv.sim_pid, inv.stats, name);
}

bool inv_matches(size_t i, uint8_t fbits, const uint8_t *filter)
{
	unsigned int b;

	for (b = 0; b < fbits; b++)
		if (((inv.devs[i].group[b / 8] ^ filter[b / 8]) >> (7 - b % 8)) & 1)
			return false;
	return true;
}

/* The index of the device with ID @hex (32 digits), or -1. */
static long index_of(const char *hex)
{
	char want[33];
	unsigned long i;

	if (strncmp(hex, "e210", 4))
		return -1;
	i = strtoul(hex + 28, NULL, 16);
	if (i >= NINV)
		return -1;
	hex_of(inv.devs[i].id, 16, want);
	return strncasecmp(hex, want, 32) ? -1 : (long)i;
}

int inv_run(struct inv_result *res, const char *filter, unsigned int window,
	    unsigned int stop, const char *mac)
{
	char w[16], s[16], *argv[20], *line, *save = NULL, *p;
	unsigned int n = 0;
	uint64_t t0;
	struct run r;
	long i;

	memset(res, 0, sizeof(*res));
	res->found = calloc(NINV, sizeof(*res->found));
	if (!res->found)
		return -1;
	snprintf(w, sizeof(w), "%u", window);
	snprintf(s, sizeof(s), "%u", stop);
	argv[n++] = (char *)env.aiotctl;
	argv[n++] = "-j";
	argv[n++] = "inventory";
	argv[n++] = "reader";
	argv[n++] = IF_INV;
	argv[n++] = "window";
	argv[n++] = w;
	if (filter) {
		argv[n++] = "filter";
		argv[n++] = (char *)filter;
	}
	if (stop) {
		argv[n++] = "stop";
		argv[n++] = s;
	}
	if (mac) {
		argv[n++] = "mac";
		argv[n++] = (char *)mac;
	}
	argv[n] = NULL;
	t0 = now_ms();
	run_argv(&r, NS_INV, 0, (int)(window / 1000) + 120, argv);
	res->ms = now_ms() - t0;
	res->status = r.status;
	snprintf(res->err, sizeof(res->err), "%s", r.err ? r.err : "");
	for (line = r.out ? strtok_r(r.out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "\"found\"") && (p = strstr(line, "\"id\":\""))) {
			i = index_of(p + 6);
			if (i < 0)
				res->strangers++;
			else
				res->found[i]++;
			res->lines++;
		} else if (strstr(line, "\"done\"")) {
			uint64_t v;

			res->done = true;
			if (json_u64(line, "candidates", &v))
				res->candidates = v;
			if (json_u64(line, "found", &v))
				res->nfound = v;
			if (json_u64(line, "unknown_rids", &v))
				res->unknown_rids = v;
			if (json_u64(line, "failed_macs", &v))
				res->failed_macs = v;
			if (json_u64(line, "replays", &v))
				res->replays = v;
			p = strstr(line, "\"end\":\"");
			if (p)
				snprintf(res->end, sizeof(res->end), "%.*s",
					 (int)strcspn(p + 7, "\""), p + 7);
		}
	}
	run_free(&r);
	return 0;
}

void inv_result_free(struct inv_result *res)
{
	free(res->found);
	res->found = NULL;
}

unsigned int inv_check_found(const struct inv_result *res, uint8_t fbits,
			     const uint8_t *filter, const bool *present,
			     unsigned int *want)
{
	unsigned int bad = 0;
	size_t i;

	*want = 0;
	for (i = 0; i < NINV; i++) {
		bool here = present ? present[i] : inv.devs[i].present;
		unsigned int expect = here && inv_matches(i, fbits, filter);

		*want += expect;
		if (res->found[i] != expect) {
			if (bad < 5)
				fprintf(stderr, "# device %zu: found %u times, want %u\n",
					i, res->found[i], expect);
			bad++;
		}
	}
	return bad + res->strangers;
}

unsigned int inv_candidates(uint8_t fbits, const uint8_t *filter)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < NINV; i++)
		n += inv_matches(i, fbits, filter);
	return n;
}
