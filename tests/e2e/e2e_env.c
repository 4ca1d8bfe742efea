// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The end-to-end topology: network namespace NS_READER holds the module's
 * reader (one end of a veth pair), NS_DEVICES the other end and aiotsim.
 * One key store with fresh random keys describes every device; aiotsim
 * loads it (with a fault mode for each G_FAULT device) and aiotctl
 * provisions the module from it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

struct e2e_env env;

static const char *const fault_name[FD_NUM] = {
	[FD_WRONG_KEY] = "wrong-key", [FD_BAD_MAC] = "bad-mac",
	[FD_WRONG_ID] = "wrong-id", [FD_REPLAY] = "replay",
	[FD_STALE] = "stale", [FD_LATE] = "late",
	[FD_DOWNGRADE] = "downgrade", [FD_MALFORMED] = "malformed",
	[FD_SILENT] = "silent",
};

void hex_of(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	while (n--) {
		*out++ = digits[*p >> 4];
		*out++ = digits[*p++ & 15];
	}
	*out = '\0';
}

void env_id_hex(const struct e2e_dev *d, char *hex)
{
	hex_of(d->id, sizeof(d->id), hex);
}

const struct e2e_dev *env_dev(enum dev_group g, unsigned int index)
{
	size_t i;

	for (i = 0; i < env.ndevs; i++) {
		const struct e2e_dev *d = &env.devs[i];

		if (d->id[1] == g && (unsigned int)(d->id[14] << 8 | d->id[15]) == index)
			return d;
	}
	return NULL;
}

int ctl(struct run *r, const char *ns, int flags, ...)
{
	char *argv[64];
	va_list ap;
	int n = 0;

	argv[n++] = (char *)env.aiotctl;
	va_start(ap, flags);
	while (n < 63 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(r, ns, flags, 120, argv);
}

int64_t stat_of(const char *ns, const char *path)
{
	struct run r;
	uint64_t v;
	int64_t ret = -1;

	if (!ctl(&r, ns, 0, "-j", "stats", NULL) && json_u64(r.out, path, &v))
		ret = (int64_t)v;
	else
		fprintf(stderr, "# no counter %s in `aiotctl -j stats` (exit %d): %s%s",
			path, r.status, r.out, r.err);
	run_free(&r);
	return ret;
}

int64_t sim_stat(const char *name)
{
	return sim_stat_of(env.sim_pid, env.sim_stats, name);
}

int64_t sim_stat_of(pid_t pid, const char *stats, const char *name)
{
	char *text, *p, key[64];
	uint64_t end = now_ms() + 10000;
	int64_t v = -1;
	size_t n;

	unlink(stats);
	if (kill(pid, SIGUSR1))
		return -1;
	while (access(stats, R_OK) && now_ms() < end)
		sleep_ms(10);
	text = slurp(stats, NULL);
	if (!text)
		return -1;
	n = (size_t)snprintf(key, sizeof(key), "%s=", name);
	for (p = text; (p = strstr(p, key)); p += n) {
		if (p == text || p[-1] == ' ') {
			v = strtoll(p + n, NULL, 10);
			break;
		}
	}
	free(text);
	return v;
}

char *kernel_log(void)
{
	char *argv[] = { "dmesg", NULL };
	struct run r;
	char *out;

	run_argv(&r, NULL, 0, 30, argv);
	out = r.out;
	r.out = NULL;
	run_free(&r);
	return out;
}

/* ---- the key store ----------------------------------------------------- */

static int add_dev(enum dev_group g, unsigned int index, uint8_t policy)
{
	struct e2e_dev *d = &env.devs[env.ndevs++];

	memset(d, 0, sizeof(*d));
	d->id[0] = 0xe2;
	d->id[1] = (uint8_t)g;
	d->id[14] = (uint8_t)(index >> 8);
	d->id[15] = (uint8_t)index;
	d->key_len = env.ndevs % 2 ? 16 : 32;
	d->policy = policy;
	if (getrandom(d->key, d->key_len, 0) != d->key_len)
		return -1;
	return 0;
}

static int make_store(void)
{
	size_t max = NPOL + FD_NUM + NBULK + NSPARE + NAPP;
	char id[33], key[65];
	unsigned int i, idp, pc, mi, ml, n = 0;
	FILE *f;
	int fd;

	for (idp = 1; idp <= 2; idp++)
		for (pc = 0; pc <= 1; pc++)
			for (mi = 0; mi <= 1; mi++)
				for (ml = 0; ml <= 2; ml++)
					env.policies[n++] = (uint8_t)(idp | pc << 2 |
						(mi ? 0x10 : 0x08) | ml << 5);
	env.devs = calloc(max, sizeof(*env.devs));
	if (!env.devs)
		return -1;
	for (i = 0; i < NPOL; i++)
		if (add_dev(G_POLICY, i, env.policies[i]))
			return -1;
	for (i = 0; i < FD_NUM; i++)
		if (add_dev(G_FAULT, i, i == FD_DOWNGRADE ? 0x56 : 0x2a))
			return -1;
	for (i = 0; i < NBULK; i++)
		if (add_dev(G_BULK, i, env.policies[i % NPOL]))
			return -1;
	for (i = 0; i < NSPARE; i++)
		if (add_dev(G_SPARE, i, 0x2a))
			return -1;
	for (i = 0; i < NAPP; i++)
		if (add_dev(G_APP, i, env.policies[(i * 7) % NPOL]))
			return -1;

	fd = open(env.keys, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return -1;
	fprintf(f, "# aiotsec e2e population: %zu devices\n", env.ndevs);
	for (i = 0; i < env.ndevs; i++) {
		hex_of(env.devs[i].id, 16, id);
		hex_of(env.devs[i].key, env.devs[i].key_len, key);
		fprintf(f, "%s %s 0x%02x\n", id, key, env.devs[i].policy);
	}
	return fclose(f);
}

/* ---- the simulator ----------------------------------------------------- */

static int start_sim(void)
{
	char *argv[64], ready[300], log[300], faults[FD_NUM + NSPARE][64];
	char delay[16], id[33];
	unsigned int i, n = 0, nf = 0;
	int ret;

	snprintf(ready, sizeof(ready), "%s/sim.ready", env.dir);
	snprintf(log, sizeof(log), "%s/sim.log", env.dir);
	snprintf(delay, sizeof(delay), "%u", SIM_LATE_MS);
	unlink(ready);
	argv[n++] = (char *)env.aiotsim;
	argv[n++] = "-i";
	argv[n++] = IF_DEVICES;
	argv[n++] = "-k";
	argv[n++] = env.keys;
	argv[n++] = "--ready";
	argv[n++] = ready;
	argv[n++] = "--stats";
	argv[n++] = env.sim_stats;
	argv[n++] = "--delay-ms";
	argv[n++] = delay;
	for (i = 0; i < FD_NUM; i++) {
		env_id_hex(env_dev(G_FAULT, i), id);
		snprintf(faults[nf], sizeof(faults[nf]), "%s:%s", fault_name[i], id);
		argv[n++] = "--fault";
		argv[n++] = faults[nf++];
	}
	for (i = 0; i < NSPARE; i++) {
		env_id_hex(env_dev(G_SPARE, i), id);
		snprintf(faults[nf], sizeof(faults[nf]), "silent:%s", id);
		argv[n++] = "--fault";
		argv[n++] = faults[nf++];
	}
	argv[n] = NULL;
	env.sim_pid = spawn_argv(NS_DEVICES, 0, log, argv);
	if (env.sim_pid < 0)
		return -1;
	ret = wait_file(ready, env.sim_pid, 60000);
	if (ret == -ECHILD) {
		char *text = slurp(log, NULL);

		fprintf(stderr, "# aiotsim exited: %s\n", text ? text : "");
		free(text);
		env.sim_pid = 0;
		return -1;
	}
	if (ret) {
		fprintf(stderr, "# aiotsim not ready after 60 s\n");
		return -1;
	}
	return 0;
}

/* ---- setup and teardown ------------------------------------------------ */

static int topology(void)
{
	/* Leftovers of an earlier run go first. */
	if (!access("/run/netns/" NS_READER, F_OK))
		sys("ip", "netns", "del", NS_READER, NULL);
	if (!access("/run/netns/" NS_DEVICES, F_OK))
		sys("ip", "netns", "del", NS_DEVICES, NULL);
	if (sys("ip", "netns", "add", NS_READER, NULL) ||
	    sys("ip", "netns", "add", NS_DEVICES, NULL) ||
	    sys("ip", "link", "add", IF_READER, "type", "veth", "peer", "name",
		IF_DEVICES, NULL) ||
	    sys("ip", "link", "set", IF_READER, "netns", NS_READER, NULL) ||
	    sys("ip", "link", "set", IF_DEVICES, "netns", NS_DEVICES, NULL) ||
	    sys("ip", "-n", NS_READER, "link", "set", IF_READER, "up", NULL) ||
	    sys("ip", "-n", NS_DEVICES, "link", "set", IF_DEVICES, "up", NULL) ||
	    sys("ip", "-n", NS_READER, "link", "set", "lo", "up", NULL) ||
	    sys("ip", "-n", NS_DEVICES, "link", "set", "lo", "up", NULL))
		return -1;
	return 0;
}

static int provision(void)
{
	struct run r;
	int ret = 0;

	if (ctl(&r, NS_READER, 0, "reader", "add", IF_READER, NULL) ||
	    (run_free(&r), ctl(&r, NS_READER, 0, "load", env.keys, NULL))) {
		fprintf(stderr, "# provisioning failed (exit %d): %s%s",
			r.status, r.out, r.err);
		ret = -1;
	}
	run_free(&r);
	return ret;
}

int env_setup(const char *aiotctl, const char *aiotsim)
{
	const char *slash = strrchr(aiotsim, '/');

	env.aiotctl = aiotctl;
	env.aiotsim = aiotsim;
	snprintf(env.aiotecho, sizeof(env.aiotecho), "%.*saiotecho",
		 slash ? (int)(slash - aiotsim + 1) : 0, aiotsim);
	snprintf(env.dir, sizeof(env.dir), "/tmp/aiotsec-e2e");
	mkdir(env.dir, 0700);
	snprintf(env.keys, sizeof(env.keys), "%s/keys.txt", env.dir);
	snprintf(env.sim_stats, sizeof(env.sim_stats), "%s/sim.stats", env.dir);
	if (make_store()) {
		fprintf(stderr, "# cannot write the key store %s\n", env.keys);
		return -1;
	}
	if (topology() || start_sim() || provision())
		return -1;
	return inv_setup();
}

pid_t env_extra_sim(const char *keys, const char *stats, const char *extra)
{
	char ready[300], log[300];
	char *argv[] = { (char *)env.aiotsim, "-i", IF_DEVICES, "-k", (char *)keys,
			 "--ready", ready, "--stats", (char *)stats,
			 (char *)extra, NULL };
	pid_t pid;
	int ret;

	snprintf(ready, sizeof(ready), "%s/extra.ready", env.dir);
	snprintf(log, sizeof(log), "%s/extra.log", env.dir);
	unlink(ready);
	pid = spawn_argv(NS_DEVICES, 0, log, argv);
	if (pid < 0)
		return -1;
	ret = wait_file(ready, pid, 30000);
	if (!ret)
		return pid;
	if (ret == -ECHILD)
		return -1;
	kill(pid, SIGKILL);
	wait_status(pid, 10);
	return -1;
}

void env_teardown(void)
{
	char log[300], *text;

	inv_teardown();
	if (env.sim_pid > 0) {
		kill(env.sim_pid, SIGTERM);
		wait_status(env.sim_pid, 10);
		env.sim_pid = 0;
		/* Its last words: the counters, non-target checks among them. */
		snprintf(log, sizeof(log), "%s/sim.log", env.dir);
		text = slurp(log, NULL);
		if (text && *text)
			printf("# %s", text);
		free(text);
	}
	sys("ip", "netns", "del", NS_READER, NULL);
	sys("ip", "netns", "del", NS_DEVICES, NULL);
	if (env.devs) {
		memset(env.devs, 0, env.ndevs * sizeof(*env.devs));
		free(env.devs);
		env.devs = NULL;
	}
	unlink(env.keys);
}

/* Start @n authentications that stay pending, in @ns; wait until sent. */
int start_pending(const char *ns, unsigned int n, pid_t *pids,
		  enum dev_group g)
{
	int64_t tx0 = stat_of(ns, "tx_frames"), tx;
	uint64_t end;
	unsigned int i;
	char out[300], id[33];

	for (i = 0; i < n; i++) {
		char *argv[] = { (char *)env.aiotctl, "auth", id, "timeout",
				 "600000", NULL };

		id_of(g, i % NSPARE, id);
		snprintf(out, sizeof(out), "%s/pend-%u.out", env.dir, i);
		pids[i] = spawn_argv(ns, 0, out, argv);
	}
	for (end = now_ms() + 30000; now_ms() < end; sleep_ms(100)) {
		tx = stat_of(ns, "tx_frames");
		if (tx >= tx0 + n)
			return 0;
	}
	return -1;
}
