// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * End-to-end tests of aiotsec.ko, driven through aiotctl against a
 * population of simulated devices (aiotsim), kselftest-harness style.
 *
 *   aiotsec_e2e AIOTCTL AIOTSIM [harness options]
 *
 * E2E_PROFILE=quick in the environment (tests/qemu/guest/e2e.sh quick) trims the
 * number of aiotctl processes for slow kernels (KASAN under TCG: about two
 * seconds each): one authentication and one command size per policy (the
 * sizes rotate over the policies), 20 of the 1,000 devices authenticated,
 * 10 commands in parallel instead of 100.
 *
 * Topology (e2e_env.c): the module's reader rd0 in netns aiot-rd, its
 * veth peer sim0 with aiotsim in netns aiot-dev. Run as root in a
 * scratch machine: it creates and deletes namespaces and, last of all,
 * unloads aiotsec (tests/qemu/guest/e2e.sh loads it).
 *
 * This file holds the tests only; their helpers are declared in e2e.h.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "e2e.h"

static bool quick;		/* E2E_PROFILE=quick */

/* ---- 24 policies -------------------------------------------------------- */

/*
 * E2E_ONLY=NAME[,NAME...] in the environment: run only the tests whose
 * name holds one of them, the others reported skipped (the 6.1 harness
 * has no filter of its own). For a quick look at a few cases in QEMU.
 */
static void only(const struct __test_metadata *m)
{
	const char *list = getenv("E2E_ONLY"), *p;
	char want[64];
	size_t len;

	if (!list || !*list)
		return;
	for (p = list; *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (!len || len >= sizeof(want))
			continue;
		memcpy(want, p, len);
		want[len] = '\0';
		if (strstr(m->name, want))
			return;
	}
	_exit(255);	/* the harness's SKIP */
}

FIXTURE(pol) {
	uint8_t policy;
	unsigned int index;
};

FIXTURE_VARIANT(pol) {
	unsigned int index;
};

#define POL_VARIANT(n) FIXTURE_VARIANT_ADD(pol, p##n) { .index = n }
POL_VARIANT(0); POL_VARIANT(1); POL_VARIANT(2); POL_VARIANT(3);
POL_VARIANT(4); POL_VARIANT(5); POL_VARIANT(6); POL_VARIANT(7);
POL_VARIANT(8); POL_VARIANT(9); POL_VARIANT(10); POL_VARIANT(11);
POL_VARIANT(12); POL_VARIANT(13); POL_VARIANT(14); POL_VARIANT(15);
POL_VARIANT(16); POL_VARIANT(17); POL_VARIANT(18); POL_VARIANT(19);
POL_VARIANT(20); POL_VARIANT(21); POL_VARIANT(22); POL_VARIANT(23);

FIXTURE_SETUP(pol)
{
	only(_metadata);
	self->index = variant->index;
	self->policy = env.policies[variant->index];
	TH_LOG("policy 0x%02x", self->policy);
}

FIXTURE_TEARDOWN(pol)
{
}

/*
 * The device's own policy (the module pages with its IDP and ML), then
 * the same asked for explicitly: a PAGING carries only IDP and ML.
 */
TEST_F_TIMEOUT(pol, auth, 120)
{
	char id[33], p[8];
	struct snap a, b;
	struct run r;

	pol_arg(self->policy & 0x63, p);
	id_of(G_POLICY, self->index, id);
	ASSERT_TRUE(quick || snap(NS_READER, &a));
	ctl(&r, NS_READER, 0, "-j", "auth", id, "timeout", "10000", NULL);
	EXPECT_EQ(0, r.status) TH_LOG("auth: %s%s", r.out, r.err);
	EXPECT_TRUE(contains(r.out, "\"auth\"")) TH_LOG("output: %s", r.out);
	run_free(&r);
	if (quick)
		return;
	ctl(&r, NS_READER, 0, "-j", "auth", id, "policy", p, "timeout", "10000",
	    NULL);
	EXPECT_EQ(0, r.status) TH_LOG("auth policy %s: %s%s", p, r.out, r.err);
	run_free(&r);
	ASSERT_TRUE(snap(NS_READER, &b));
	EXPECT_EQ(2, delta(&a, &b, S_AUTH_OK));
	EXPECT_EQ(0, delta(&a, &b, S_AUTH_FAIL));
}

TEST_F_TIMEOUT(pol, command, 300)
{
	static const size_t sizes[] = { 0, 1, 16, 17, 1024 };
	char id[33], p[8], hex[2049], want[2049];
	size_t i, first = 0, last = 5;
	uint8_t payload[1024];
	struct snap a, b;
	struct run r;

	if (quick) {
		first = self->index % 5;
		last = first + 1;
	}
	pol_arg(self->policy, p);
	id_of(G_POLICY, self->index, id);
	ASSERT_TRUE(quick || snap(NS_READER, &a));
	for (i = first; i < last; i++) {
		pattern(payload, sizes[i], self->index);
		hex_of(payload, sizes[i], hex);
		reversed_hex(payload, sizes[i], want);
		ctl(&r, NS_READER, 0, "-j", "command", id,
		    sizes[i] ? hex : "", "hex", "policy", p, "timeout", "10000",
		    NULL);
		EXPECT_EQ(0, r.status) TH_LOG("%zu bytes: %s%s", sizes[i],
					      r.out, r.err);
		EXPECT_TRUE(contains(lower(r.out), want))
			TH_LOG("%zu bytes: want %s reversed in: %s", sizes[i],
			       hex, r.out);
		run_free(&r);
	}
	if (quick)
		return;
	ASSERT_TRUE(snap(NS_READER, &b));
	EXPECT_EQ(5, delta(&a, &b, S_CMD_OK));
	EXPECT_EQ(0, delta(&a, &b, S_CMD_FAIL));
}

/* ---- faults, errors, scale ---------------------------------------------- */

FIXTURE(e2e) {
	struct snap before, after;
	char id[33];
};

FIXTURE_SETUP(e2e)
{
	only(_metadata);
}

FIXTURE_TEARDOWN(e2e)
{
}

/* Run `aiotctl -j auth|command` on fault device @fd; its exit status. */
static int fault_txn(const char *what, enum fault_dev fd, const char *timeout,
		     struct run *r)
{
	char id[33];

	id_of(G_FAULT, fd, id);
	if (!strcmp(what, "auth"))
		return ctl(r, NS_READER, 0, "-j", "auth", id, "timeout", timeout,
			   NULL);
	return ctl(r, NS_READER, 0, "-j", "command", id, "0102030405", "hex",
		   "timeout", timeout, NULL);
}

/*
 * A response that fails verification: the transaction stays pending and
 * times out with rejects (exit 4, a timeout event), counted as a failure
 * and as a drop for @reason.
 */
static void expect_rejected(struct __test_metadata *_metadata,
			    enum fault_dev fd, int reason, bool with_command)
{
	const char *whats[] = { "auth", "command" };
	const int fail[] = { S_AUTH_FAIL, S_CMD_FAIL };
	const int ok[] = { S_AUTH_OK, S_CMD_OK };
	struct snap a, b;
	struct run r;
	int i;

	for (i = 0; i < (with_command ? 2 : 1); i++) {
		int allowed[] = { fail[i], reason, S_TIMEOUTS };

		ASSERT_TRUE(snap(NS_READER, &a));
		fault_txn(whats[i], fd, "1000", &r);
		EXPECT_EQ(4, r.status) TH_LOG("%s: %s%s", whats[i], r.out, r.err);
		EXPECT_TRUE(contains(r.out, "\"timeout\"") &&
			    contains(r.out, "\"rejects\""))
			TH_LOG("%s: want a timeout event with rejects: %s",
			       whats[i], r.out);
		run_free(&r);
		ASSERT_TRUE(snap(NS_READER, &b));
		EXPECT_EQ(0, delta(&a, &b, ok[i]));
		EXPECT_EQ(1, delta(&a, &b, fail[i]));
		EXPECT_EQ(1, delta(&a, &b, reason));
		EXPECT_EQ(1, delta(&a, &b, S_TIMEOUTS));
		EXPECT_TRUE(only_changed(&a, &b, allowed, 3));
	}
}

TEST_F_TIMEOUT(e2e, wrong_key, 60)
{
	expect_rejected(_metadata, FD_WRONG_KEY, S_MAC, true);
}

TEST_F_TIMEOUT(e2e, forged_mac, 60)
{
	expect_rejected(_metadata, FD_BAD_MAC, S_MAC, true);
}

TEST_F_TIMEOUT(e2e, wrong_protected_id, 60)
{
	expect_rejected(_metadata, FD_WRONG_ID, S_ID, false);
}

TEST_F_TIMEOUT(e2e, downgraded_policy, 60)
{
	expect_rejected(_metadata, FD_DOWNGRADE, S_DOWNGRADE, true);
}

/* No valid response at all: a plain timeout (exit 3), no rejects. */
static void expect_timeout(struct __test_metadata *_metadata, const char *what,
			   enum fault_dev fd, const char *timeout,
			   struct snap *a, struct snap *b)
{
	struct run r;

	ASSERT_TRUE(snap(NS_READER, a));
	fault_txn(what, fd, timeout, &r);
	EXPECT_EQ(3, r.status) TH_LOG("%s: %s%s", what, r.out, r.err);
	EXPECT_TRUE(contains(r.out, "\"timeout\""))
		TH_LOG("%s: want a timeout event: %s", what, r.out);
	run_free(&r);
	ASSERT_TRUE(snap(NS_READER, b));
	EXPECT_EQ(1, delta(a, b, S_TIMEOUTS));
	EXPECT_EQ(0, delta(a, b, S_AUTH_OK));
	EXPECT_EQ(0, delta(a, b, S_CMD_OK));
	EXPECT_EQ(0, delta(a, b, S_AUTH_FAIL));
	EXPECT_EQ(0, delta(a, b, S_CMD_FAIL));
}

TEST_F_TIMEOUT(e2e, silent_device, 60)
{
	int allowed[] = { S_TIMEOUTS };

	expect_timeout(_metadata, "auth", FD_SILENT, "500", &self->before,
		       &self->after);
	EXPECT_TRUE(only_changed(&self->before, &self->after, allowed, 1));
}

TEST_F_TIMEOUT(e2e, late_answer, 60)
{
	int allowed[] = { S_TIMEOUTS, S_UNKNOWN_CT };
	struct snap c;

	/* aiotsim answers SIM_LATE_MS late: after the 500 ms timeout. */
	expect_timeout(_metadata, "auth", FD_LATE, "500", &self->before,
		       &self->after);
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_UNKNOWN_CT, 1,
				 SIM_LATE_MS + 5000, &c))
		TH_LOG("the late answer never arrived");
	EXPECT_EQ(0, delta(&self->before, &c, S_AUTH_OK));
	EXPECT_TRUE(only_changed(&self->before, &c, allowed, 2));
}

TEST_F_TIMEOUT(e2e, replayed_response, 60)
{
	int allowed[] = { S_AUTH_OK, S_UNKNOWN_CT };
	struct snap c;
	struct run r;

	ASSERT_TRUE(snap(NS_READER, &self->before));
	fault_txn("auth", FD_REPLAY, "5000", &r);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	/* The copy comes 20 ms after the original: no transaction left. */
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_UNKNOWN_CT, 1,
				 5000, &c));
	EXPECT_EQ(1, delta(&self->before, &c, S_AUTH_OK));
	EXPECT_TRUE(only_changed(&self->before, &c, allowed, 2));
}

TEST_F_TIMEOUT(e2e, stale_response, 60)
{
	int allowed[] = { S_TIMEOUTS, S_UNKNOWN_CT };
	struct snap c;

	/* First: kept by the device, not sent. Second: answered with it. */
	expect_timeout(_metadata, "auth", FD_STALE, "300", &self->before,
		       &self->after);
	expect_timeout(_metadata, "auth", FD_STALE, "300", &self->after, &c);
	EXPECT_EQ(1, delta(&self->after, &c, S_UNKNOWN_CT));
	EXPECT_TRUE(only_changed(&self->before, &c, allowed, 2));
}

TEST_F_TIMEOUT(e2e, malformed_frames, 60)
{
	static const int reasons[] = {
		S_VERSION, S_SUITE, S_TYPE, S_POLICY, S_SHORT, S_TRAILING,
		S_NOT_RESPONSE,
	};
	int allowed[] = { S_TIMEOUTS, S_VERSION, S_SUITE, S_TYPE, S_POLICY,
			  S_SHORT, S_TRAILING, S_NOT_RESPONSE, S_CAPLEN, S_PLEN };
	struct snap c, d;
	size_t i;

	expect_timeout(_metadata, "auth", FD_MALFORMED, "500", &self->before,
		       &self->after);
	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		EXPECT_EQ(1, delta(&self->before, &self->after, reasons[i]))
			TH_LOG("%s", stat_names[reasons[i]]);
	EXPECT_EQ(1, delta(&self->before, &self->after, S_CAPLEN));
	EXPECT_TRUE(only_changed(&self->before, &self->after, allowed, 10));

	expect_timeout(_metadata, "command", FD_MALFORMED, "500", &c, &d);
	EXPECT_EQ(1, delta(&c, &d, S_PLEN));
	EXPECT_EQ(0, delta(&c, &d, S_CAPLEN));
	EXPECT_TRUE(only_changed(&c, &d, allowed, 10));
}

/* `aiotctl -j command ID HEX hex` to an application device. */
static int app_cmd(struct run *r, unsigned int dev, const char *hex)
{
	char id[33];

	return ctl(r, NS_READER, 0, "-j", "command", id_of(G_APP, dev, id), hex,
		   "hex", NULL);
}

TEST_F_TIMEOUT(e2e, user_memory, 60)
{
	static const char text[] = "aiotsec!";
	char req[64], want[64], data[20];
	struct run r;

	hex_of((const uint8_t *)text, 8, data);
	/* write 8 bytes at 8, then read them back */
	snprintf(req, sizeof(req), "ad0208%s", data);
	app_cmd(&r, 0, req);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.out), "\"ad8200\"")) TH_LOG("write: %s", r.out);
	run_free(&r);
	app_cmd(&r, 0, "ad010808");
	snprintf(want, sizeof(want), "\"ad8100%s\"", data);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.out), want)) TH_LOG("read: %s", r.out);
	run_free(&r);
	/* Past the end of the 64 bytes: status 1, nothing written. */
	app_cmd(&r, 0, "ad023f0102");
	EXPECT_EQ(0, r.status);
	EXPECT_TRUE(contains(lower(r.out), "\"ad8201\"")) TH_LOG("range: %s", r.out);
	run_free(&r);
	app_cmd(&r, 0, "ad013f01");
	EXPECT_TRUE(contains(lower(r.out), "\"ad810000\"")) TH_LOG("range: %s", r.out);
	run_free(&r);
	/* Another device's memory is its own. */
	app_cmd(&r, 1, "ad010808");
	EXPECT_EQ(0, r.status);
	EXPECT_TRUE(contains(lower(r.out), "\"ad81000000000000000000\""))
		TH_LOG("other device: %s", r.out);
	run_free(&r);
}

TEST_F_TIMEOUT(e2e, disabled_device, 60)
{
	char id[33];
	struct run r;

	id_of(G_APP, 3, id);
	ctl(&r, NS_READER, 0, "-j", "command", id, "ad03", "hex", NULL);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.out), "ad8300"));
	run_free(&r);
	ctl(&r, NS_READER, 0, "auth", id, "timeout", "500", NULL);
	EXPECT_EQ(3, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
}

/* `aiotctl -j command ID HEX hex`. */
static int id_cmd(struct run *r, const char *id, const char *hex)
{
	return ctl(r, NS_READER, 0, "-j", "command", id, hex, "hex", NULL);
}

/*
 * Record a WRITE COMMAND to device @id on the wire, overwrite, send the
 * recording again; the aiotsim that plays @id (@pid, counters in
 * @stats) must ignore it if @defence. @v is the byte the recording
 * writes, @w the one written after it.
 */
static void replay_write(struct __test_metadata *_metadata, const char *id,
			 pid_t pid, const char *stats, bool defence,
			 const char *v, const char *w)
{
	uint8_t rec[1600];
	char req[32], want[32];
	int64_t replayed, answers;
	struct snap a, b;
	struct wire wr;
	struct run r;
	ssize_t len;
	uint64_t end;

	ASSERT_EQ(0, wire_open(&wr, NS_READER, IF_READER));
	snprintf(req, sizeof(req), "ad0220%s", v);
	id_cmd(&r, id, req);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	len = wire_take(&wr, 3, rec, sizeof(rec), 5000);	/* COMMAND */
	ASSERT_GT(len, 0) TH_LOG("no COMMAND recorded on %s", IF_READER);
	snprintf(req, sizeof(req), "ad0220%s", w);
	id_cmd(&r, id, req);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);

	replayed = sim_stat_of(pid, stats, "cmd_replayed");
	answers = sim_stat_of(pid, stats, "cmd_answers");
	ASSERT_GE(replayed, 0);
	ASSERT_TRUE(snap(NS_READER, &a));
	ASSERT_EQ(0, wire_send(&wr, rec, (size_t)len));
	/* The device has decided once it counted the copy. */
	for (end = now_ms() + 5000; now_ms() < end; sleep_ms(50))
		if (sim_stat_of(pid, stats, "cmd_replayed") > replayed)
			break;
	EXPECT_EQ(replayed + 1, sim_stat_of(pid, stats, "cmd_replayed"))
		TH_LOG("the recorded COMMAND was not seen as a replay");
	EXPECT_EQ(answers + (defence ? 0 : 1),
		  sim_stat_of(pid, stats, "cmd_answers"));
	if (!defence) {
		/* Its answer finds no transaction. */
		EXPECT_TRUE(wait_counter(NS_READER, &a, S_UNKNOWN_CT, 1, 5000, &b));
	} else {
		sleep_ms(300);
		ASSERT_TRUE(snap(NS_READER, &b));
		EXPECT_EQ(0, delta(&a, &b, S_UNKNOWN_CT));
	}
	EXPECT_EQ(0, delta(&a, &b, S_CMD_OK));
	wire_close(&wr);

	id_cmd(&r, id, "ad012001");
	snprintf(want, sizeof(want), "\"ad8100%s\"", defence ? w : v);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.out), want))
		TH_LOG("%s: want %s after the replay: %s",
		       defence ? "defence on" : "defence off", want, r.out);
	run_free(&r);
}

/*
 * The device replay defence (PROTOCOL.md, Procedures): a COMMAND
 * recorded on the wire and sent again is ignored and counted; a second
 * aiotsim with --no-replay-defence, playing a device of its own, lets the
 * same attack re-apply the WRITE.
 */
TEST_F_TIMEOUT(e2e, replayed_command, 120)
{
	char id[33], keys[300], stats[300], key[33], line[120];
	uint8_t k[16];
	struct run r;
	pid_t pid;
	FILE *f;

	replay_write(_metadata, id_of(G_APP, 2, id), env.sim_pid,
		     env.sim_stats, true, "aa", "bb");

	/* A device only the second aiotsim knows. */
	snprintf(id, sizeof(id), "e20b0000000000000000000000000001");
	ASSERT_EQ(sizeof(k), (size_t)getrandom(k, sizeof(k), 0));
	hex_of(k, sizeof(k), key);
	snprintf(keys, sizeof(keys), "%s/replay.ks", env.dir);
	snprintf(stats, sizeof(stats), "%s/replay.stats", env.dir);
	snprintf(line, sizeof(line), "%s %s 0x2a\n", id, key);
	f = fopen(keys, "w");
	ASSERT_NE(NULL, f);
	fputs(line, f);
	fclose(f);
	chmod(keys, 0600);
	ctl(&r, NS_READER, 0, "load", keys, NULL);
	ASSERT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	pid = env_extra_sim(keys, stats, "--no-replay-defence");
	ASSERT_GT(pid, 0);
	replay_write(_metadata, id, pid, stats, false, "cc", "dd");
	kill(pid, SIGTERM);
	EXPECT_EQ(0, wait_status(pid, 10));
	ctl(&r, NS_READER, 0, "device", "del", id, NULL);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	unlink(keys);
}

/* aiotecho rate ARGS... in NS_READER on rd0: its output line (free it). */
static char *echo_rate(const char *w, const char *keys)
{
	char *argv[] = { env.aiotecho, "rate", "-i", IF_READER, "-w", (char *)w,
			 "-t", "500", keys ? "--paging" : NULL, (char *)keys,
			 NULL };
	struct run r;
	char *out;

	run_argv(&r, NS_READER, 0, 60, argv);
	out = r.status ? NULL : r.out;
	if (!out)
		fprintf(stderr, "# aiotecho rate: exit %d: %s%s\n", r.status,
			r.out, r.err);
	else
		r.out = NULL;
	run_free(&r);
	return out;
}

static uint64_t field_of(const char *line, const char *name)
{
	const char *p = line ? strstr(line, name) : NULL;

	return p ? strtoull(p + strlen(name), NULL, 10) : 0;
}

/*
 * The benchmark's round-trip tools (make bench, part batch) stay
 * working: aiotecho's echo over the test veth, and its PAGINGs answered
 * by aiotsim, each with every answer back.
 */
TEST_F_TIMEOUT(e2e, bench_echo_smoke, 120)
{
	char out[300], ready[300], *line;
	char *argv[] = { env.aiotecho, "serve", "-i", IF_DEVICES, "--ready",
			 ready, NULL };
	pid_t pid;

	snprintf(out, sizeof(out), "%s/echo.out", env.dir);
	snprintf(ready, sizeof(ready), "%s/echo.ready", env.dir);
	unlink(ready);
	pid = spawn_argv(NS_DEVICES, 0, out, argv);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(0, wait_file(ready, 0, 10000)) TH_LOG("aiotecho serve not ready");
	line = echo_rate("8", NULL);
	EXPECT_NE(NULL, line);
	TH_LOG("echo: %s", line ? line : "");
	EXPECT_GT(field_of(line, "completed="), 0);
	EXPECT_EQ(0, field_of(line, "lost="));
	free(line);
	kill(pid, SIGTERM);
	EXPECT_EQ(0, wait_status(pid, 10));

	line = echo_rate("4", env.keys);
	EXPECT_NE(NULL, line);
	TH_LOG("PAGINGs to aiotsim: %s", line ? line : "");
	EXPECT_GT(field_of(line, "completed="), 0);
	EXPECT_EQ(0, field_of(line, "lost="));
	free(line);
}

TEST_F_TIMEOUT(e2e, unknown_device, 30)
{
	struct run r;

	ASSERT_TRUE(snap(NS_READER, &self->before));
	ctl(&r, NS_READER, 0, "auth", "e2ff0000000000000000000000000001", NULL);
	EXPECT_EQ(1, r.status);
	EXPECT_TRUE(contains(lower(r.err), "no such device")) TH_LOG("%s", r.err);
	run_free(&r);
	ctl(&r, NS_READER, 0, "command", "e2ff0000000000000000000000000001",
	    "hello", NULL);
	EXPECT_EQ(1, r.status);
	EXPECT_TRUE(contains(lower(r.err), "no such device")) TH_LOG("%s", r.err);
	run_free(&r);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_TX));
}

#define NS_NOREADER	"aiot-nr"

TEST_F_TIMEOUT(e2e, unbound_reader, 60)
{
	char keyfile[300], id[33];
	struct run r;

	snprintf(keyfile, sizeof(keyfile), "%s/k1", env.dir);
	write_key_file(keyfile);
	ASSERT_EQ(0, sys("ip", "netns", "add", NS_NOREADER, NULL));
	ctl(&r, NS_NOREADER, 0, "device", "add", id_of(G_POLICY, 0, id), "key",
	    keyfile, "policy", "tid,pi,mac=8", NULL);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	ctl(&r, NS_NOREADER, 0, "auth", id, "timeout", "500", NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.err), "reader")) TH_LOG("%s", r.err);
	run_free(&r);
	ctl(&r, NS_NOREADER, 0, "reader", "add", "nosuchif0", NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.err), "no such interface"))
		TH_LOG("%s", r.err);
	run_free(&r);
	/* A reader bound in one namespace is not one in another. */
	ctl(&r, NS_NOREADER, 0, "auth", id, "reader", "lo", NULL);
	EXPECT_NE(0, r.status);
	run_free(&r);
	EXPECT_EQ(0, stat_of(NS_NOREADER, "tx_frames"));
	EXPECT_EQ(0, sys("ip", "netns", "del", NS_NOREADER, NULL));
}

TEST_F_TIMEOUT(e2e, full_pending_table, 60)
{
	struct snap c;
	char id[33];
	struct run r;
	char *argv[] = { (char *)env.aiotctl, "auth", id, "timeout", "15000",
			 NULL };
	char out[300];
	pid_t bg;
	int st;

	id_of(G_FAULT, FD_SILENT, id);
	ASSERT_TRUE(snap(NS_READER, &self->before));
	ctl(&r, NS_READER, 0, "config", "set", "max-pending", "1", NULL);
	ASSERT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	snprintf(out, sizeof(out), "%s/pending.out", env.dir);
	bg = spawn_argv(NS_READER, 0, out, argv);
	ASSERT_GT(bg, 0);
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_TX, 1, 10000, &c));
	ctl(&r, NS_READER, 0, "auth", id_of(G_POLICY, 0, id), NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s%s", r.out, r.err);
	EXPECT_TRUE(contains(lower(r.err), "pending")) TH_LOG("%s", r.err);
	run_free(&r);
	ctl(&r, NS_READER, 0, "config", "set", "max-pending", "65536", NULL);
	EXPECT_EQ(0, r.status);
	run_free(&r);
	st = wait_status(bg, 30);
	EXPECT_EQ(3, st);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(1, delta(&self->before, &self->after, S_TX));
}

TEST_F_TIMEOUT(e2e, without_cap_net_admin, 120)
{
	char id[33], keyfile[300], *status;
	int64_t ndev, maxp;
	struct run r;
	size_t i;
	char *const cmds[][10] = {
		{ "reader", "add", IF_READER },
		{ "reader", "del", IF_READER },
		{ "config", "set", "max-pending", "1" },
		{ "device", "flush" },
		{ "device", "del", id },
		{ "device", "add", "e2ff0000000000000000000000000002", "key",
		  keyfile, "policy", "tid,pi,mac=8" },
		{ "load", env.keys, "replace" },
		{ "auth", id, "timeout", "300" },
		{ "command", id, "hello", "timeout", "300" },
		{ "monitor", "count", "1" },
	};
	char *argv[12];

	id_of(G_POLICY, 0, id);
	snprintf(keyfile, sizeof(keyfile), "%s/k2", env.dir);
	write_key_file(keyfile);

	/* The capability drop itself works: nothing left after exec. */
	{
		char *cat[] = { "cat", "/proc/self/status", NULL };

		run_argv(&r, NS_READER, RUN_NOCAPS, 30, cat);
		status = strstr(r.out, "CapEff:");
		ASSERT_NE(NULL, status);
		EXPECT_EQ(0, strncmp(status, "CapEff:\t0000000000000000", 24))
			TH_LOG("%.40s", status);
		status = strstr(r.out, "CapPrm:");
		ASSERT_NE(NULL, status);
		EXPECT_EQ(0, strncmp(status, "CapPrm:\t0000000000000000", 24));
		run_free(&r);
	}
	ASSERT_TRUE(snap(NS_READER, &self->before));
	ndev = config_of(NS_READER, "num_devices");
	maxp = config_of(NS_READER, "max_pending");
	EXPECT_GE(ndev, (int64_t)env.ndevs);

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		int n = 0, j;

		argv[n++] = (char *)env.aiotctl;
		for (j = 0; j < 10 && cmds[i][j]; j++)
			argv[n++] = cmds[i][j];
		argv[n] = NULL;
		run_argv(&r, NS_READER, RUN_NOCAPS, 60, argv);
		EXPECT_EQ(1, r.status) TH_LOG("aiotctl %s %s: exit %d: %s%s",
					      argv[1], argv[2], r.status, r.out,
					      r.err);
		EXPECT_TRUE(contains(lower(r.err), "cap_net_admin"))
			TH_LOG("aiotctl %s %s: %s", argv[1], argv[2], r.err);
		run_free(&r);
	}
	/* Reading is admin-only too: IDs and activity are secrets. */
	ctl(&r, NS_READER, RUN_NOCAPS, "-j", "stats", NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s", r.err);
	EXPECT_TRUE(contains(lower(r.err), "cap_net_admin")) TH_LOG("%s", r.err);
	run_free(&r);
	ctl(&r, NS_READER, RUN_NOCAPS, "-j", "device", "show", NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s", r.err);
	run_free(&r);

	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_TX));
	EXPECT_EQ(ndev, config_of(NS_READER, "num_devices"));
	EXPECT_EQ(maxp, config_of(NS_READER, "max_pending"));
	ctl(&r, NS_READER, 0, "-j", "reader", "show", NULL);
	EXPECT_TRUE(contains(r.out, IF_READER)) TH_LOG("%s", r.out);
	run_free(&r);
}

static void make_auth(unsigned int i, char **argv, char *out)
{
	static char id[33];

	id_of(G_BULK, i, id);
	argv[0] = (char *)env.aiotctl;
	argv[1] = "auth";
	argv[2] = id;
	argv[3] = "timeout";
	argv[4] = "30000";
	argv[5] = NULL;
	snprintf(out, 300, "%s/bulk-%u.out", env.dir, i);
}

static bool check_auth(unsigned int i, int status, const char *out)
{
	if (status)
		fprintf(stderr, "# auth of bulk device %u: exit %d: %s\n", i,
			status, out);
	return !status;
}

TEST_F_TIMEOUT(e2e, auth_1000_devices, 1500)
{
	unsigned int n = quick ? 20 : NBULK;
	int64_t checks0, checks1, nt0, nt1;
	uint64_t t0;
	int failed;

	ASSERT_TRUE(snap(NS_READER, &self->before));
	checks0 = sim_stat("checks");
	nt0 = sim_stat("nontarget_checks");
	t0 = now_ms();
	failed = run_pool(n, 6, make_auth, check_auth);
	TH_LOG("%d of %u provisioned devices authenticated in %.1f s",
	       (int)n - failed, NBULK, (now_ms() - t0) / 1000.0);
	EXPECT_EQ(0, failed);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(n, delta(&self->before, &self->after, S_AUTH_OK));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_AUTH_FAIL));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_TIMEOUTS));
	checks1 = sim_stat("checks");
	nt1 = sim_stat("nontarget_checks");
	TH_LOG("aiotsim: %lld PAGING checks by %zu devices, %lld by non-targets",
	       (long long)(checks1 - checks0), env.ndevs,
	       (long long)(nt1 - nt0));
	/* Every device checked every PAGING; only the target matched. */
	EXPECT_GE(nt1 - nt0, (int64_t)n * (int64_t)(env.ndevs - 2));
	EXPECT_EQ(checks1 - checks0 - (nt1 - nt0), n);
}

static void make_cmd(unsigned int i, char **argv, char *out)
{
	static char id[33], hex[80];
	uint8_t p[24];

	id_of(G_BULK, i * 7 % NBULK, id);
	pattern(p, sizeof(p), i);
	p[0] = (uint8_t)i;	/* distinct payloads, never the app's 0xad */
	hex_of(p, sizeof(p), hex);
	argv[0] = (char *)env.aiotctl;
	argv[1] = "-j";
	argv[2] = "command";
	argv[3] = id;
	argv[4] = hex;
	argv[5] = "hex";
	argv[6] = "timeout";
	argv[7] = "30000";
	argv[8] = NULL;
	snprintf(out, 300, "%s/par-%u.out", env.dir, i);
}

static bool check_cmd(unsigned int i, int status, const char *out)
{
	char want[80], *text = strdup(out);
	uint8_t p[24];
	bool ok;

	pattern(p, sizeof(p), i);
	p[0] = (uint8_t)i;
	reversed_hex(p, sizeof(p), want);
	ok = !status && text && strstr(lower(text), want);
	if (!ok)
		fprintf(stderr, "# command %u: exit %d, want %s in: %s\n", i,
			status, want, out);
	free(text);
	return ok;
}

TEST_F_TIMEOUT(e2e, commands_100_in_parallel, 600)
{
	unsigned int n = quick ? 10 : 100;
	int failed;

	ASSERT_TRUE(snap(NS_READER, &self->before));
	failed = run_pool(n, n, make_cmd, check_cmd);
	EXPECT_EQ(0, failed);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(n, delta(&self->before, &self->after, S_CMD_OK));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_CMD_FAIL));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_EVENTS_LOST));
}

TEST_F_TIMEOUT(e2e, state_is_per_namespace, 60)
{
	char id[33];
	struct run r;

	/* init_net: no device, no reader of the test namespace. */
	ctl(&r, NULL, 0, "-j", "device", "show", NULL);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_FALSE(contains(lower(r.out), id_of(G_POLICY, 0, id)));
	run_free(&r);
	ctl(&r, NULL, 0, "auth", id, "timeout", "300", NULL);
	EXPECT_EQ(1, r.status) TH_LOG("%s%s", r.out, r.err);
	run_free(&r);
	ctl(&r, NULL, 0, "-j", "reader", "show", NULL);
	EXPECT_FALSE(contains(r.out, IF_READER));
	run_free(&r);
}

TEST_F_TIMEOUT(e2e, keys_never_shown, 300)
{
	char id[33], *log;
	struct run r;

	ctl(&r, NS_READER, 0, "-j", "device", "show", NULL);
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	/* The dump is real: every device is in it. */
	EXPECT_TRUE(contains(lower(r.out), id_of(G_BULK, NBULK - 1, id)));
	EXPECT_GE(json_count_key(r.out, "key_fp"), env.ndevs);
	EXPECT_FALSE(leaks_key(r.out, "aiotctl -j device show"));
	run_free(&r);
	ctl(&r, NS_READER, 0, "device", "show", NULL);
	EXPECT_FALSE(leaks_key(r.out, "aiotctl device show"));
	run_free(&r);
	ctl(&r, NS_READER, 0, "-j", "device", "show", id_of(G_POLICY, 5, id),
	    NULL);
	EXPECT_FALSE(leaks_key(r.out, "aiotctl -j device show ID"));
	run_free(&r);
	log = kernel_log();
	ASSERT_NE(NULL, log);
	EXPECT_FALSE(leaks_key(log, "the kernel log"));
	free(log);
}

/* ---- teardown with transactions pending --------------------------------- */

/* ---- batches: AIOTSEC_A_DEV_IDS, results to their requester ------------ */

/* aiotctl with many IDs: one socket, every device its own result line. */
TEST_F_TIMEOUT(e2e, batch_aiotctl, 120)
{
	enum { N = 40 };
	static char ids[N][33];
	char *argv[N + 8];
	unsigned int i, lines;
	struct run r;
	char *p;

	argv[0] = (char *)env.aiotctl;
	argv[1] = "-j";
	argv[2] = "auth";
	for (i = 0; i < N; i++)
		argv[3 + i] = (char *)id_of(G_BULK, 200 + i, ids[i]);
	argv[3 + N] = "window";
	argv[4 + N] = "8";
	argv[5 + N] = NULL;
	ASSERT_TRUE(snap(NS_READER, &self->before));
	run_argv(&r, NS_READER, 0, 120, argv);
	EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
	lines = 0;
	for (p = r.out; (p = strstr(p, "\"event\":\"auth\"")); p++)
		lines++;
	EXPECT_EQ(N, lines) TH_LOG("%s", r.out);
	for (i = 0; i < N; i++)
		EXPECT_TRUE(contains(r.out, ids[i])) TH_LOG("no line for %s", ids[i]);
	run_free(&r);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(N, delta(&self->before, &self->after, S_AUTH_OK));
}

/*
 * Four requesters at once, three batches each: each gets exactly its own
 * results, once each, and none before the reply that names its cookie
 * (such a result, like another's, is one whose cookie it does not know).
 */
TEST_F_TIMEOUT(e2e, batch_many_requesters, 120)
{
	enum { NREQ = 4, NMSG = 3, PER = 4 };
	pid_t pid[NREQ];
	int c, st;

	for (c = 0; c < NREQ; c++) {
		pid[c] = fork();
		ASSERT_GE(pid[c], 0);
		if (!pid[c]) {
			char ids[NMSG * PER][33];
			struct nlc n;
			int m, i, bad;

			for (i = 0; i < NMSG * PER; i++)
				id_of(G_BULK, 300 + c * NMSG * PER + i, ids[i]);
			if (nlc_open(&n, NS_READER, 0, 0))
				_exit(10);
			for (m = 0; m < NMSG; m++)
				if (nlc_auth(&n, &ids[m * PER], PER, 5000))
					_exit(11);
			nlc_wait(&n, NMSG * PER, 20000);
			bad = n.replies != NMSG || nlc_done(&n) != NMSG * PER ||
			      nlc_twice(&n) || n.foreign || n.tx_errors ||
			      n.errors || n.auth_ok != NMSG * PER;
			if (bad)
				fprintf(stderr, "# requester %d: %u replies, %u of %u results, %u twice, %u foreign, %u ok, %u tx errors, %u errors\n",
					c, n.replies, nlc_done(&n), NMSG * PER,
					nlc_twice(&n), n.foreign, n.auth_ok,
					n.tx_errors, n.errors);
			nlc_close(&n);
			_exit(bad);
		}
	}
	for (c = 0; c < NREQ; c++) {
		st = wait_status(pid[c], 60);
		EXPECT_EQ(0, st) TH_LOG("requester %d", c);
	}
}

/*
 * A requester closes its socket with transactions pending: they expire
 * as usual, counted orphaned, and a socket that takes its portid gets
 * none of their results.
 */
TEST_F_TIMEOUT(e2e, batch_requester_gone, 60)
{
	char ids[NSPARE][33];
	int64_t orphaned;
	struct nlc a, b;
	uint32_t portid;
	unsigned int i;

	for (i = 0; i < NSPARE; i++)
		id_of(G_SPARE, i, ids[i]);
	orphaned = stat_of(NS_READER, "results_orphaned");
	ASSERT_GE(orphaned, 0);
	ASSERT_TRUE(snap(NS_READER, &self->before));
	ASSERT_EQ(0, nlc_open(&a, NS_READER, 0, 0));
	ASSERT_EQ(0, nlc_auth(&a, ids, NSPARE, 400));
	for (i = 0; i < 20 && !a.replies; i++)
		nlc_poll(&a, 100);
	ASSERT_EQ(1, a.replies);
	EXPECT_EQ(NSPARE, a.ncookies);
	portid = a.portid;
	nlc_close(&a);
	ASSERT_EQ(0, nlc_open(&b, NS_READER, 0, portid));
	EXPECT_EQ(portid, b.portid);
	for (i = 0; i < 15; i++)
		nlc_poll(&b, 100);
	EXPECT_EQ(0, b.events) TH_LOG("the portid's new socket got results");
	nlc_close(&b);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	EXPECT_EQ(NSPARE, delta(&self->before, &self->after, S_TIMEOUTS));
	EXPECT_EQ(orphaned + NSPARE, stat_of(NS_READER, "results_orphaned"));
	EXPECT_EQ(0, config_of(NS_READER, "num_pending"));
}

/*
 * A requester that does not read: its results are lost, and counted.
 * Then, its buffer still full, it sends a COMMAND and a batch of 64
 * AUTHs: their replies cannot be queued, but their frames are on the
 * air, so their transactions go ahead; each of their results reaches the
 * requester, naming its request by AIOTSEC_A_SEQ, or is counted lost.
 * Nothing is cancelled behind the devices' backs.
 */
TEST_F_TIMEOUT(e2e, batch_results_lost, 90)
{
	enum { N = 32, M = 64 };
	static const uint8_t reverse_me[3] = { 1, 2, 3 };
	char ids[N][33], more[M][33], cmd_id[1][33];
	int64_t lost0, lost;
	unsigned int i, later;
	struct nlc c;

	for (i = 0; i < N; i++)
		id_of(G_BULK, 400 + i, ids[i]);
	for (i = 0; i < M; i++)
		id_of(G_BULK, 440 + i, more[i]);
	id_of(G_BULK, 510, cmd_id[0]);
	lost0 = stat_of(NS_READER, "results_lost");
	ASSERT_GE(lost0, 0);
	ASSERT_TRUE(snap(NS_READER, &self->before));
	ASSERT_EQ(0, nlc_open(&c, NS_READER, 1, 0));	/* the minimum */
	ASSERT_EQ(0, nlc_auth(&c, ids, N, 5000));
	/*
	 * Every result verified while nothing is read: each finds the
	 * buffer full (lost) or is queued.
	 */
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_AUTH_OK, N, 30000,
				 &self->after));
	/* Still unread: a COMMAND and a batch, whose replies find no room. */
	ASSERT_EQ(0, nlc_command(&c, cmd_id, 1, 5000, reverse_me,
				 sizeof(reverse_me)));
	ASSERT_EQ(0, nlc_auth(&c, more, M, 5000));
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_AUTH_OK, N + M,
				 30000, &self->after));
	EXPECT_TRUE(wait_counter(NS_READER, &self->before, S_CMD_OK, 1, 30000,
				 &self->after));
	/* Then read what was queued. (After the close: orphaned instead.) */
	for (i = 0; i < 20; i++)
		nlc_poll(&c, 100);
	nlc_close(&c);
	ASSERT_TRUE(snap(NS_READER, &self->after));
	lost = stat_of(NS_READER, "results_lost") - lost0;
	EXPECT_EQ(N + M, delta(&self->before, &self->after, S_AUTH_OK));
	EXPECT_EQ(1, delta(&self->before, &self->after, S_CMD_OK));
	EXPECT_EQ(N + M + 1, delta(&self->before, &self->after, S_TX));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_UNKNOWN_CT));
	EXPECT_EQ(0, delta(&self->before, &self->after, S_TIMEOUTS));
	EXPECT_GE(lost, 1);
	later = c.by_seq[1] + c.by_seq[2];
	EXPECT_EQ(N + M + 1, c.by_seq[0] + later + lost)
		TH_LOG("%" PRId64 " lost, %u + %u + %u read by seq (%u replies)",
		       lost, c.by_seq[0], c.by_seq[1], c.by_seq[2], c.replies);
	EXPECT_EQ(c.events, c.by_seq[0] + later);
	EXPECT_GE(c.enobufs, 1);
}

/* ---- inventory (profile v1.1): 1,000 present of 10,000 ----------------- */

/* A round's window: the KASAN kernel under TCG needs longer. */
static unsigned int inv_window(void)
{
	return quick ? 20000 : 8000;
}

/* The summary as @want says, found exactly the present matching devices. */
static void expect_round(struct __test_metadata *_metadata,
			 const struct inv_result *r, uint8_t fbits,
			 const uint8_t *filter, const bool *present,
			 const char *end, unsigned int *found)
{
	unsigned int want, bad;

	EXPECT_EQ(0, r->status) TH_LOG("aiotctl inventory: %s", r->err);
	ASSERT_TRUE(r->done) TH_LOG("no summary: %s", r->err);
	bad = inv_check_found(r, fbits, filter, present, &want);
	EXPECT_EQ(0, bad) TH_LOG("%u devices found other than once each present match", bad);
	EXPECT_EQ(want, r->lines);
	EXPECT_EQ(want, r->nfound);
	EXPECT_EQ(inv_candidates(fbits, filter), r->candidates);
	EXPECT_STREQ(end, r->end);
	if (found)
		*found = want;
}

TEST_F_TIMEOUT(e2e, inv_1000_of_10000, 900)
{
	int64_t crypto = inv_sim_stat("inv_crypto"), miss = inv_sim_stat("inv_filter_miss"),
		checks = inv_sim_stat("inv_checks"), found0 = stat_of(NS_INV, "inv_found");
	static const uint8_t all[1];
	struct inv_result r;
	unsigned int want;

	ASSERT_EQ(0, inv_run(&r, NULL, inv_window(), 0, NULL));
	expect_round(_metadata, &r, 0, all, NULL, "window", &want);
	EXPECT_EQ(NINV_PRESENT, want);
	EXPECT_EQ(NINV, r.candidates);
	EXPECT_EQ(0, r.unknown_rids);
	EXPECT_EQ(0, r.failed_macs);
	EXPECT_EQ(0, r.replays);
	inv_result_free(&r);
	/* aiotsim: each present device did the work once, nobody for free. */
	EXPECT_EQ(NINV_PRESENT, inv_sim_stat("inv_crypto") - crypto);
	EXPECT_EQ(NINV_PRESENT, inv_sim_stat("inv_checks") - checks);
	EXPECT_EQ(0, inv_sim_stat("inv_filter_miss") - miss);
	EXPECT_EQ(NINV_PRESENT, stat_of(NS_INV, "inv_found") - found0);

	/* The rate: a round that stops at the 1,000th device found. */
	ASSERT_EQ(0, inv_run(&r, NULL, inv_window() * 3, NINV_PRESENT, NULL));
	expect_round(_metadata, &r, 0, all, NULL, "stop", &want);
	if (r.ms)
		printf("# inventory e2e: %u of %u provisioned found through aiotctl in %llu ms: %.0f found/s\n",
		       (unsigned int)r.nfound, NINV, (unsigned long long)r.ms,
		       r.nfound * 1000.0 / (double)r.ms);
	fflush(stdout);
	inv_result_free(&r);
}

TEST_F_TIMEOUT(e2e, inv_group_filters, 600)
{
	static const struct {
		const char *arg;
		uint8_t fbits;
		uint8_t filter[2];
	} f[] = { { "a1/8", 8, { 0xa1 } }, { "a150/12", 12, { 0xa1, 0x50 } } };
	struct inv_result r;
	unsigned int i, want;
	int64_t crypto, miss;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		crypto = inv_sim_stat("inv_crypto");
		miss = inv_sim_stat("inv_filter_miss");
		ASSERT_EQ(0, inv_run(&r, f[i].arg, inv_window(), 0, NULL));
		TH_LOG("filter %s: %u candidates, %u found", f[i].arg,
		       (unsigned int)r.candidates, (unsigned int)r.nfound);
		expect_round(_metadata, &r, f[i].fbits, f[i].filter, NULL,
			     "window", &want);
		EXPECT_LT(0, want);
		inv_result_free(&r);
		/* Outside the filter: silent, no cryptography. */
		EXPECT_EQ(want, inv_sim_stat("inv_crypto") - crypto);
		EXPECT_EQ(NINV_PRESENT - want, inv_sim_stat("inv_filter_miss") - miss);
	}
}

TEST_F_TIMEOUT(e2e, inv_filter_none, 600)
{
	static const uint8_t b0[1] = { 0xb0 };
	int64_t rx = inv_sim_stat("rx_inventory"), rounds = stat_of(NS_INV, "inv_rounds");
	int64_t crypto, miss;
	char one[40], hex[17];
	struct inv_result r;

	/* No device matches: refused, nothing on the air. */
	ASSERT_EQ(0, inv_run(&r, "ff/8", inv_window(), 0, NULL));
	EXPECT_NE(0, r.status);
	EXPECT_FALSE(r.done);
	TH_LOG("ff/8: exit %d: %s", r.status, r.err);
	inv_result_free(&r);
	/* One device matches (fewer than MIN_GROUP): refused. */
	hex_of(inv.devs[5].group, 8, hex);
	snprintf(one, sizeof(one), "%s/64", hex);
	ASSERT_EQ(1, inv_candidates(64, inv.devs[5].group));
	ASSERT_EQ(0, inv_run(&r, one, inv_window(), 0, NULL));
	EXPECT_NE(0, r.status);
	EXPECT_FALSE(r.done);
	TH_LOG("%s: exit %d: %s", one, r.status, r.err);
	inv_result_free(&r);
	/* A MAC shorter than the devices' minimum (16 bytes): refused. */
	ASSERT_EQ(0, inv_run(&r, "a1/8", inv_window(), 0, "8"));
	EXPECT_NE(0, r.status);
	EXPECT_FALSE(r.done);
	inv_result_free(&r);
	EXPECT_EQ(rx, inv_sim_stat("rx_inventory"));
	EXPECT_EQ(rounds, stat_of(NS_INV, "inv_rounds"));

	/* 16 provisioned (MIN_GROUP), none present: the round finds nothing. */
	crypto = inv_sim_stat("inv_crypto");
	miss = inv_sim_stat("inv_filter_miss");
	ASSERT_EQ(0, inv_run(&r, "b0/8", inv_window(), 0, NULL));
	expect_round(_metadata, &r, 8, b0, NULL, "window", NULL);
	EXPECT_EQ(INV_NSMALL, r.candidates);
	EXPECT_EQ(0, r.nfound);
	inv_result_free(&r);
	EXPECT_EQ(rx + 1, inv_sim_stat("rx_inventory"));
	EXPECT_EQ(0, inv_sim_stat("inv_crypto") - crypto);
	EXPECT_EQ(NINV_PRESENT, inv_sim_stat("inv_filter_miss") - miss);
}

/*
 * Group c0 (16 provisioned, absent from the main aiotsim): a second
 * aiotsim plays two of them, one forging (an INV_RESP with a random RID,
 * one with its true RID and a random MAC), one replaying its answer.
 */
TEST_F_TIMEOUT(e2e, inv_forged_and_replayed, 600)
{
	static const uint8_t c0[1] = { 0xc0 };
	char keys[300], groups[300], present[300], stats[300], forge[64],
	     replay[64], id0[33], id1[33];
	char *extra[] = { "--fault", forge, "--fault", replay, NULL };
	int64_t urid = stat_of(NS_INV, "drops.unknown_rid"),
		rep = stat_of(NS_INV, "drops.replay"), mac = stat_of(NS_INV, "drops.mac"),
		crypto = inv_sim_stat("inv_crypto");
	bool here[NINV] = { false };
	struct inv_result r;
	FILE *f;
	pid_t pid;

	snprintf(keys, sizeof(keys), "%s/c0-keys.txt", env.dir);
	snprintf(groups, sizeof(groups), "%s/c0-groups.txt", env.dir);
	snprintf(present, sizeof(present), "%s/c0-present.txt", env.dir);
	snprintf(stats, sizeof(stats), "%s/c0.stats", env.dir);
	ASSERT_EQ(0, inv_write_files(keys, groups, INV_FAULT0, INV_FAULT0 + INV_NSMALL));
	hex_of(inv.devs[INV_FAULT0].id, 16, id0);
	hex_of(inv.devs[INV_FAULT0 + 1].id, 16, id1);
	f = fopen(present, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%s\n%s\n", id0, id1);
	fclose(f);
	snprintf(forge, sizeof(forge), "forge:%s", id0);
	snprintf(replay, sizeof(replay), "replay:%s", id1);
	pid = inv_start_sim(keys, groups, present, stats, "c0-sim", extra);
	ASSERT_LT(0, pid);
	here[INV_FAULT0 + 1] = true;

	ASSERT_EQ(0, inv_run(&r, "c0/8", inv_window(), 0, NULL));
	expect_round(_metadata, &r, 8, c0, here, "window", NULL);
	EXPECT_EQ(INV_NSMALL, r.candidates);
	EXPECT_EQ(1, r.nfound);
	EXPECT_EQ(0, r.found[INV_FAULT0]);	/* the forger: never reported */
	EXPECT_EQ(1, r.found[INV_FAULT0 + 1]);	/* the replayer: once */
	EXPECT_EQ(1, r.unknown_rids);
	EXPECT_EQ(1, r.failed_macs);
	EXPECT_EQ(1, r.replays);
	inv_result_free(&r);
	EXPECT_EQ(1, stat_of(NS_INV, "drops.unknown_rid") - urid);
	EXPECT_EQ(1, stat_of(NS_INV, "drops.replay") - rep);
	EXPECT_EQ(1, stat_of(NS_INV, "drops.mac") - mac);
	EXPECT_EQ(2, sim_stat_of(pid, stats, "inv_crypto"));
	EXPECT_EQ(0, inv_sim_stat("inv_crypto") - crypto);
	kill(pid, SIGTERM);
	wait_status(pid, 10);
}

/*
 * An INVENTORY recorded on the reader's wire and sent again: every
 * present device of its group stays silent, without cryptography.
 */
TEST_F_TIMEOUT(e2e, inv_replayed_nn, 600)
{
	static const uint8_t a2[1] = { 0xa2 };
	int64_t rep, crypto, miss, rx, uct;
	uint8_t frame[2048];
	struct inv_result r;
	unsigned int want;
	struct wire w;
	ssize_t n;
	uint64_t end;

	ASSERT_EQ(0, wire_open(&w, NS_INV, IF_INV));
	ASSERT_EQ(0, inv_run(&r, "a2/8", inv_window(), 0, NULL));
	expect_round(_metadata, &r, 8, a2, NULL, "window", &want);
	inv_result_free(&r);
	n = wire_take(&w, 5, frame, sizeof(frame), 5000);	/* INVENTORY */
	ASSERT_LT(0, n);
	rep = inv_sim_stat("inv_nn_repeat");
	crypto = inv_sim_stat("inv_crypto");
	miss = inv_sim_stat("inv_filter_miss");
	rx = inv_sim_stat("rx_inventory");
	uct = stat_of(NS_INV, "drops.unknown_ct");
	ASSERT_EQ(0, wire_send(&w, frame, (size_t)n));
	for (end = now_ms() + 20000; now_ms() < end; sleep_ms(200))
		if (inv_sim_stat("rx_inventory") > rx)
			break;
	sleep_ms(1000);
	wire_close(&w);
	EXPECT_EQ(rx + 1, inv_sim_stat("rx_inventory"));
	EXPECT_EQ(want, inv_sim_stat("inv_nn_repeat") - rep);
	EXPECT_EQ(0, inv_sim_stat("inv_crypto") - crypto);
	EXPECT_EQ(NINV_PRESENT - want, inv_sim_stat("inv_filter_miss") - miss);
	EXPECT_EQ(uct, stat_of(NS_INV, "drops.unknown_ct"));
}

FIXTURE(pending) {
};

FIXTURE_SETUP(pending)
{
	only(_metadata);
}

FIXTURE_TEARDOWN(pending)
{
}

#define NS_TMP	"aiot-tmp"

TEST_F_TIMEOUT(pending, delete_namespace, 300)
{
	pid_t pids[NSPARE];
	size_t from = log_len();
	struct run r;

	ASSERT_EQ(0, sys("ip", "netns", "add", NS_TMP, NULL));
	ASSERT_EQ(0, sys("ip", "-n", NS_TMP, "link", "add", "d0", "type",
			 "dummy", NULL));
	ASSERT_EQ(0, sys("ip", "-n", NS_TMP, "link", "set", "d0", "up", NULL));
	ctl(&r, NS_TMP, 0, "reader", "add", "d0", NULL);
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	run_free(&r);
	ctl(&r, NS_TMP, 0, "load", env.keys, NULL);
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	run_free(&r);
	EXPECT_EQ(0, start_pending(NS_TMP, NSPARE, pids, G_SPARE));
	ctl(&r, NS_TMP, 0, "-j", "config", "show", NULL);
	{
		uint64_t v = 0;

		EXPECT_TRUE(json_u64(r.out, "num_pending", &v));
		EXPECT_EQ(NSPARE, v) TH_LOG("%s", r.out);
	}
	run_free(&r);
	/* Their sockets would keep the namespace alive. */
	stop_all(pids, NSPARE);
	ASSERT_EQ(0, sys("ip", "netns", "del", NS_TMP, NULL));
	sleep_ms(2000);		/* cleanup_net runs from a workqueue */
	EXPECT_TRUE(log_clean(from));
	/* What it leaked, kmemleak finds in unload_module's scan. */
}

TEST_F_TIMEOUT(pending, unload_module, 300)
{
	pid_t pids[NSPARE];
	size_t from = log_len();
	char *argv[] = { "rmmod", "aiotsec", NULL };
	struct run r;
	char *leaks;

	EXPECT_EQ(0, start_pending(NS_READER, NSPARE, pids, G_SPARE));
	stop_all(pids, NSPARE);
	run_argv(&r, NULL, 0, 120, argv);
	EXPECT_EQ(0, r.status) TH_LOG("rmmod: %s%s", r.out, r.err);
	run_free(&r);
	EXPECT_NE(0, access("/sys/module/aiotsec", F_OK));
	EXPECT_TRUE(log_clean(from));
	/* One scan for this and delete_namespace: a scan is slow on KASAN. */
	if (!kmemleak_present()) {
		if (_metadata->passed)
			SKIP(return, "no kmemleak in this kernel: leaks not checked");
		return;
	}
	leaks = kmemleak_scan();
	EXPECT_TRUE(leaks && !*leaks) TH_LOG("kmemleak: %.2000s", leaks);
	free(leaks);
}

/* ---- main -------------------------------------------------------------- */

static pid_t main_pid;

static void cleanup(void)
{
	if (getpid() == main_pid)
		env_teardown();
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s AIOTCTL AIOTSIM [harness options]\n",
			argv[0]);
		return 2;
	}
	if (access(argv[1], X_OK) || access(argv[2], X_OK)) {
		printf("Bail out! %s or %s is missing\n", argv[1], argv[2]);
		return 1;
	}
	quick = getenv("E2E_PROFILE") && !strcmp(getenv("E2E_PROFILE"), "quick");
	main_pid = getpid();
	atexit(cleanup);
	if (env_setup(argv[1], argv[2])) {
		printf("Bail out! setting up the topology failed\n");
		return 1;
	}
	return test_harness_run(argc - 2, argv + 2);
}
