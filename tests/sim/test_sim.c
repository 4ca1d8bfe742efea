// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of the simulator core: requests built with the AIoTF role go
 * through sim_rx(), and what comes out of the transmit queue is verified
 * with the AIoTF role again: every policy, the application protocol,
 * each fault mode, the count of non-target checks, hostile input; the
 * inventory in test_inv.c. TAP.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim.h"
#include "tap.h"
#include "vec.h"

#define NPOL		24
#define NEXTRA		40
#define MAXOUT		16

static const u8 src[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };

/* Every valid COMMAND policy: IDP x PC x (PI|MI) x ML. */
static u8 policies[NPOL];

static struct sim sim;
static u8 keys[NPOL + NEXTRA][32];
static u8 ids[NPOL + NEXTRA][AIOTSEC_ID_LEN];
static struct aiot_hkey hks[NPOL + NEXTRA];

/* What sim_flush() handed over. */
static struct {
	u8 dst[6];
	u8 buf[SIM_FRAME_MAX];
	size_t len;
} out[MAXOUT];
static unsigned int nout;

static int capture(void *ctx, const u8 dst[6], const u8 *buf, size_t len)
{
	(void)ctx;
	if (nout < MAXOUT) {
		memcpy(out[nout].dst, dst, 6);
		memcpy(out[nout].buf, buf, len);
		out[nout].len = len;
	}
	nout++;
	return 0;
}

static u8 rnd_state = 1;

static int test_random(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--)
		*p++ = rnd_state = (u8)(rnd_state * 75 + 74);
	return 0;
}

static void hex(const u8 *p, size_t n, char *o)
{
	while (n--)
		o += sprintf(o, "%02x", *p++);
}

/* Devices 0..23: one per policy; then NEXTRA more, half with 32-byte keys. */
static int make_population(void)
{
	static char store[(NPOL + NEXTRA) * 160];
	char err[256], idh[33], kh[65];
	size_t n = 0, i, klen;
	unsigned int j = 0, idp, pc, integ, ml;

	for (idp = 1; idp <= 2; idp++)
		for (pc = 0; pc <= 1; pc++)
			for (integ = 0; integ <= 1; integ++)
				for (ml = 0; ml <= 2; ml++)
					policies[j++] = (u8)(idp | pc << 2 |
						(integ ? AIOTSEC_POL_MI : AIOTSEC_POL_PI) |
						ml << AIOTSEC_POL_ML_SHIFT);
	for (i = 0; i < NPOL + NEXTRA; i++) {
		klen = i % 2 ? 32 : 16;
		memset(ids[i], 0, AIOTSEC_ID_LEN);
		ids[i][0] = 0xe2;
		ids[i][14] = (u8)(i >> 8);
		ids[i][15] = (u8)i;
		for (j = 0; j < klen; j++)
			keys[i][j] = (u8)(i * 31 + j * 7 + 1);
		hex(ids[i], AIOTSEC_ID_LEN, idh);
		hex(keys[i], klen, kh);
		n += (size_t)snprintf(store + n, sizeof(store) - n,
				      "%s %s 0x%02x\n", idh, kh,
				      i < NPOL ? policies[i] : 0x2a);
		if (aiot_hkey_init(&hks[i], keys[i], klen))
			return -1;
	}
	if (sim_init(&sim) ||
	    sim_load_buf(&sim, "test", store, n, err, sizeof(err))) {
		tap_diag("loading the population: %s", err);
		return -1;
	}
	sim.random = test_random;
	return 0;
}

static struct aiot_cred cred(unsigned int i)
{
	struct aiot_cred c = { .id = ids[i], .hk = &hks[i] };

	return c;
}

static void nn_for(u8 *nn, unsigned int salt)
{
	unsigned int i;

	for (i = 0; i < AIOT_NONCE_LEN; i++)
		nn[i] = (u8)(salt * 13 + i * 101 + 7);
	/* Distinct salts, distinct NNs (the pattern repeats after 256). */
	nn[8] ^= (u8)(salt >> 8);
	nn[9] ^= (u8)(salt >> 16);
}

/* A new NN for every COMMAND, as an AIoTF sends them: none is a replay. */
static void fresh(u8 *nn)
{
	static unsigned int salt = 20000;

	nn_for(nn, salt++);
}

/* Send a PAGING for device @i, collect what is due by @now + @wait. */
static void page(unsigned int i, u8 policy, const u8 *nn, u64 wait)
{
	struct aiot_cred c = cred(i);
	u8 f[AIOT_MSG_MAX];
	int len;

	len = aiotf_paging(&c, nn, policy, f);
	nout = 0;
	sim.now_ms = 1000;
	if (len > 0)
		sim_rx(&sim, src, f, (size_t)len);
	sim_flush(&sim, 1000 + wait, capture, NULL);
}

static void command(unsigned int i, u8 policy, const u8 *nn, const u8 *p,
		    u16 plen, u64 wait)
{
	struct aiot_cred c = cred(i);
	u8 f[AIOT_MSG_MAX];
	int len;

	len = aiotf_command(&c, nn, policy, p, plen, f);
	nout = 0;
	sim.now_ms = 1000;
	if (len > 0)
		sim_rx(&sim, src, f, (size_t)len);
	sim_flush(&sim, 1000 + wait, capture, NULL);
}

static enum aiotsec_drop auth_verdict(unsigned int i, unsigned int k,
				      const u8 *nn, u8 policy, u8 min)
{
	struct aiot_cred c = cred(i);
	struct aiot_msg m;
	enum aiotsec_drop e;

	e = aiot_parse(out[k].buf, out[k].len, &m);
	if (e)
		return e;
	return aiotf_auth_resp(&c, nn, policy, min, &m);
}

static enum aiotsec_drop cmd_verdict(unsigned int i, unsigned int k,
				     const u8 *nn, u8 min, u8 *payload,
				     u16 *plen)
{
	struct aiot_cred c = cred(i);
	struct aiot_msg m;
	enum aiotsec_drop e;

	e = aiot_parse(out[k].buf, out[k].len, &m);
	if (e)
		return e;
	*plen = m.plen;
	return aiotf_cmd_resp(&c, nn, min, &m, payload);
}

static void test_auth_policies(void)
{
	u8 nn[AIOT_NONCE_LEN];
	unsigned int i;
	u64 before;
	u8 p;

	for (i = 0; i < NPOL; i++) {
		p = policies[i] & AIOTSEC_POL_AUTH_MASK;
		nn_for(nn, i);
		before = sim.st.nontarget_checks;
		page(i, p, nn, 0);
		tap_ok(nout == 1 && !memcmp(out[0].dst, src, 6) &&
		       auth_verdict(i, 0, nn, p, policies[i]) == AIOTSEC_DROP_NONE &&
		       sim.st.nontarget_checks - before == sim.ndev - 1,
		       "PAGING under policy 0x%02x: one AUTH_RESP that verifies, %zu non-target checks",
		       policies[i], sim.ndev - 1);
	}
}

static void test_command_policies(void)
{
	static const u16 sizes[] = { 0, 1, 16, 17, 1024 };
	u8 nn[AIOT_NONCE_LEN], p[AIOTSEC_PLEN_MAX], r[AIOTSEC_PLEN_MAX];
	unsigned int i, s, j;
	bool ok;
	u16 rlen;

	for (i = 0; i < NPOL; i++) {
		ok = true;
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			for (j = 0; j < sizes[s]; j++)
				p[j] = (u8)(j * 37 + 11 + i);
			nn_for(nn, 100 + i * 8 + s);
			command(i, policies[i], nn, p, sizes[s], 0);
			ok = ok && nout == 1 &&
			     cmd_verdict(i, 0, nn, policies[i], r, &rlen) ==
			     AIOTSEC_DROP_NONE && rlen == sizes[s];
			for (j = 0; ok && j < sizes[s]; j++)
				ok = r[j] == p[sizes[s] - 1 - j];
		}
		tap_ok(ok, "COMMAND under policy 0x%02x: 0, 1, 16, 17, 1024 bytes come back reversed",
		       policies[i]);
	}
}

/* One application request to device @i; the reply payload in @r. */
static u16 app(unsigned int i, const u8 *p, u16 plen, u8 *r, bool *ok)
{
	static unsigned int salt = 900;
	u8 nn[AIOT_NONCE_LEN];
	u16 rlen = 0;

	/* A fresh NN each time, as from an AIoTF: no replay. */
	nn_for(nn, salt++);
	command(i, 0x2a, nn, p, plen, 0);
	*ok = nout == 1 &&
	      cmd_verdict(i, 0, nn, 0x2a, r, &rlen) == AIOTSEC_DROP_NONE;
	return rlen;
}

static void test_app(void)
{
	unsigned int d = NPOL + 2;
	u8 r[AIOTSEC_PLEN_MAX], nn[AIOT_NONCE_LEN];
	const u8 wr[] = { SIM_APP_MAGIC, SIM_APP_WRITE, 60, 'a', 'b', 'c', 'd' };
	const u8 rd[] = { SIM_APP_MAGIC, SIM_APP_READ, 59, 5 };
	const u8 bad_wr[] = { SIM_APP_MAGIC, SIM_APP_WRITE, 61, 1, 2, 3, 4 };
	const u8 bad_rd[] = { SIM_APP_MAGIC, SIM_APP_READ, 0, 65 };
	const u8 not_app[] = { SIM_APP_MAGIC, SIM_APP_READ, 1 };
	const u8 off[] = { SIM_APP_MAGIC, SIM_APP_DISABLE };
	bool ok;
	u16 n;

	n = app(d, wr, sizeof(wr), r, &ok);
	tap_ok(ok && n == 3 && r[0] == SIM_APP_MAGIC &&
	       r[1] == (SIM_APP_WRITE | SIM_APP_REPLY) && r[2] == SIM_APP_OK,
	       "app: write 4 bytes at 60: status ok");
	n = app(d, rd, sizeof(rd), r, &ok);
	tap_ok(ok && n == 8 && r[1] == (SIM_APP_READ | SIM_APP_REPLY) &&
	       r[2] == SIM_APP_OK && r[3] == 0 && !memcmp(r + 4, "abcd", 4),
	       "app: read 5 bytes at 59 gives them back");
	n = app(d, bad_wr, sizeof(bad_wr), r, &ok);
	tap_ok(ok && n == 3 && r[2] == SIM_APP_RANGE,
	       "app: write past the memory: range error");
	n = app(d, bad_rd, sizeof(bad_rd), r, &ok);
	tap_ok(ok && n == 3 && r[2] == SIM_APP_RANGE,
	       "app: read past the memory: range error");
	n = app(d, not_app, sizeof(not_app), r, &ok);
	tap_ok(ok && n == 3 && r[0] == 1 && r[2] == SIM_APP_MAGIC,
	       "app: a read of the wrong length is no request: reversed");
	n = app(d, off, sizeof(off), r, &ok);
	tap_ok(ok && n == 3 && r[1] == (SIM_APP_DISABLE | SIM_APP_REPLY),
	       "app: disable is answered");
	nn_for(nn, 77);
	page(d, 0x22, nn, 0);
	tap_ok(nout == 0, "app: a disabled device answers no PAGING");
	n = app(d, rd, sizeof(rd), r, &ok);
	tap_ok(!ok && nout == 0, "app: ... and no COMMAND");
}

/* A PAGING of @policy to device @d: one AUTH_RESP, its verdict @want. */
static void fault_page(unsigned int d, u8 policy, const u8 *nn,
		       enum aiotsec_drop want, const char *what)
{
	page(d, policy, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, policy, policy) == want,
	       "%s", what);
}

/* A COMMAND of @policy to device @d, a fresh NN in @nn: one CMD_RESP, @want. */
static void fault_command(unsigned int d, u8 policy, u8 *nn,
			  enum aiotsec_drop want, const char *what)
{
	static const u8 pl[] = { 1, 2, 3 };
	u8 r[AIOTSEC_PLEN_MAX];
	u16 rlen;

	fresh(nn);
	command(d, policy, nn, pl, 3, 0);
	tap_ok(nout == 1 && cmd_verdict(d, 0, nn, policy, r, &rlen) == want,
	       "%s", what);
}

/* Device @d with fault @f answers PAGING and COMMAND: check each. */
static void test_faults(void)
{
	u8 nn[AIOT_NONCE_LEN], nn2[AIOT_NONCE_LEN], r[AIOTSEC_PLEN_MAX];
	const u8 pl[] = { 1, 2, 3 };
	static const struct {
		unsigned int fault;
		const char *name;
	} mac_faults[] = {
		{ SIM_F_WRONG_KEY, "wrong-key" },
		{ SIM_F_BAD_MAC, "bad-mac" },
	};
	unsigned int d = NPOL + 10, i, k;
	u8 strong = 0x56;	/* tid, pc, mi, mac=16 */
	char idh[33], err[256], what[64];
	struct aiot_msg m;
	u16 rlen;
	bool ok;

	hex(ids[d], AIOTSEC_ID_LEN, idh);
	nn_for(nn, 1);
	nn_for(nn2, 2);

	/* Both answers of these fail their MAC. */
	for (i = 0; i < ARRAY_SIZE(mac_faults); i++) {
		sim_set_fault(&sim, mac_faults[i].fault, idh, err, sizeof(err));
		snprintf(what, sizeof(what), "%s: AUTH_RESP fails its MAC",
			 mac_faults[i].name);
		fault_page(d, 0x22, nn, AIOTSEC_DROP_MAC, what);
		snprintf(what, sizeof(what), "%s: CMD_RESP fails its MAC",
			 mac_faults[i].name);
		fault_command(d, strong, nn, AIOTSEC_DROP_MAC, what);
		sim.dev[d].faults = 0;
	}

	sim_set_fault(&sim, SIM_F_WRONG_ID, idh, err, sizeof(err));
	fault_page(d, 0x21, nn, AIOTSEC_DROP_ID,
		   "wrong-id: AUTH_RESP has a valid MAC but fails the PID* check");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_DOWNGRADE, idh, err, sizeof(err));
	fault_page(d, 0x42, nn, AIOTSEC_DROP_DOWNGRADE,
		   "downgrade: AUTH_RESP with a shorter MAC is refused");
	fault_page(d, 0x02, nn, AIOTSEC_DROP_DOWNGRADE,
		   "downgrade: AUTH_RESP of the weakest policy switches IDP: refused");
	fault_command(d, strong, nn, AIOTSEC_DROP_DOWNGRADE,
		      "downgrade: CMD_RESP without PC and MI is refused");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_REPLAY, idh, err, sizeof(err));
	page(d, 0x22, nn, 0);
	k = nout;
	sim_flush(&sim, 1000 + SIM_REPLAY_MS, capture, NULL);
	tap_ok(k == 1 && nout == 2 && out[0].len == out[1].len &&
	       !memcmp(out[0].buf, out[1].buf, out[0].len) &&
	       auth_verdict(d, 0, nn, 0x22, 0x22) == AIOTSEC_DROP_NONE,
	       "replay: a valid AUTH_RESP, the same again %u ms later", SIM_REPLAY_MS);
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_STALE, idh, err, sizeof(err));
	page(d, 0x22, nn, 0);
	k = nout;
	page(d, 0x22, nn2, 0);
	tap_ok(k == 0 && nout == 1 && !memcmp(out[0].buf + 3, nn, 4) &&
	       auth_verdict(d, 0, nn, 0x22, 0x22) == AIOTSEC_DROP_NONE,
	       "stale: the second PAGING gets the answer to the first");
	sim.dev[d].faults = 0;

	sim.delay_ms = 700;
	sim_set_fault(&sim, SIM_F_LATE, idh, err, sizeof(err));
	fresh(nn);
	command(d, 0x2a, nn, pl, 3, 699);
	k = nout;
	sim_flush(&sim, 1700, capture, NULL);
	tap_ok(k == 0 && nout == 1 &&
	       cmd_verdict(d, 0, nn, 0x2a, r, &rlen) == AIOTSEC_DROP_NONE,
	       "late: the answer is due 700 ms later, not before");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_SILENT, idh, err, sizeof(err));
	page(d, 0x22, nn, 10000);
	k = nout;
	fresh(nn);
	command(d, 0x2a, nn, pl, 3, 10000);
	tap_ok(k == 0 && nout == 0, "silent: no answer at all");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_MALFORMED, idh, err, sizeof(err));
	page(d, 0x22, nn, 0);
	ok = nout == 8 &&
	     aiot_parse(out[0].buf, out[0].len, &m) == AIOTSEC_DROP_VERSION &&
	     aiot_parse(out[1].buf, out[1].len, &m) == AIOTSEC_DROP_SUITE &&
	     aiot_parse(out[2].buf, out[2].len, &m) == AIOTSEC_DROP_TYPE &&
	     aiot_parse(out[3].buf, out[3].len, &m) == AIOTSEC_DROP_POLICY &&
	     aiot_parse(out[4].buf, out[4].len, &m) == AIOTSEC_DROP_SHORT &&
	     aiot_parse(out[5].buf, out[5].len, &m) == AIOTSEC_DROP_TRAILING &&
	     aiot_parse(out[6].buf, out[6].len, &m) == AIOTSEC_DROP_CAPLEN &&
	     !aiot_parse(out[7].buf, out[7].len, &m) &&
	     m.type == AIOT_MSG_PAGING;
	tap_ok(ok, "malformed: 8 AUTH_RESP variants, one per drop reason");
	fresh(nn);
	command(d, 0x2a, nn, NULL, 0, 0);
	ok = nout == 8 &&
	     aiot_parse(out[4].buf, out[4].len, &m) == AIOTSEC_DROP_SHORT &&
	     aiot_parse(out[5].buf, out[5].len, &m) == AIOTSEC_DROP_TRAILING &&
	     aiot_parse(out[6].buf, out[6].len, &m) == AIOTSEC_DROP_PLEN;
	tap_ok(ok, "malformed: CMD_RESP variants, PLEN over the limit among them");
	sim.dev[d].faults = 0;

	/* A fault for one device leaves the others alone. */
	sim_set_fault(&sim, SIM_F_BAD_MAC, idh, err, sizeof(err));
	fault_page(d + 1, 0x22, nn, AIOTSEC_DROP_NONE,
		   "a fault of one device does not touch another");
	sim.dev[d].faults = 0;
	tap_ok(sim_set_fault(&sim, SIM_F_SILENT, "ffee", err, sizeof(err)) == -1 &&
	       sim_set_fault(&sim, SIM_F_SILENT, "xyz", err, sizeof(err)) == -1,
	       "a fault for an unknown or invalid ID is refused");
}

/* The same work shared among threads gives the same answers and counts. */
static void test_threads(void)
{
	u8 nn[AIOT_NONCE_LEN], r[AIOTSEC_PLEN_MAX];
	const u8 pl[] = { 9, 8, 7, 6 };
	u64 checks = sim.st.checks, nt = sim.st.nontarget_checks;
	u64 skips = sim.st.disabled_skips;
	unsigned int i, good = 0;
	u16 rlen;

	if (sim_par_start(&sim, 3) || !sim.par) {
		tap_ok(false, "3 threads start");
		return;
	}
	for (i = 0; i < NPOL; i++) {
		nn_for(nn, 300 + i);
		page(i, policies[i] & AIOTSEC_POL_AUTH_MASK, nn, 0);
		good += nout == 1 &&
			auth_verdict(i, 0, nn, policies[i] & AIOTSEC_POL_AUTH_MASK,
				     policies[i]) == AIOTSEC_DROP_NONE;
		command(i, policies[i], nn, pl, sizeof(pl), 0);
		good += nout == 1 &&
			cmd_verdict(i, 0, nn, policies[i], r, &rlen) ==
			AIOTSEC_DROP_NONE && rlen == 4 && r[0] == 6 && r[3] == 9;
	}
	tap_ok(good == 2 * NPOL, "3 threads: every PAGING and COMMAND answered right");
	checks = sim.st.checks - checks;
	tap_ok(checks + sim.st.disabled_skips - skips == 2 * NPOL * sim.ndev &&
	       sim.st.nontarget_checks - nt == checks - 2 * NPOL,
	       "3 threads: every device checked every request once");
	sim_par_stop(&sim);
	tap_ok(!sim.par, "threads stop");
}

/* The window itself (proto/aiotdev.c): exactly the last 64 NNs. */
static void test_replay_window(void)
{
	static struct aiotdev_replay w;
	u8 nn[70][AIOT_NONCE_LEN], zero[AIOT_NONCE_LEN] = { 0 };
	unsigned int i;
	bool pass = true;

	for (i = 0; i < 70; i++)
		nn_for(nn[i], 5000 + i);
	pass &= !aiotdev_replay_seen(&w, zero) && !aiotdev_replay_seen(&w, nn[0]);
	aiotdev_replay_note(&w, nn[0]);
	pass &= aiotdev_replay_seen(&w, nn[0]) && !aiotdev_replay_seen(&w, nn[1]) &&
		!aiotdev_replay_seen(&w, zero);
	for (i = 1; i < AIOTDEV_REPLAY_WINDOW; i++)
		aiotdev_replay_note(&w, nn[i]);
	for (i = 0; i < AIOTDEV_REPLAY_WINDOW; i++)
		pass &= aiotdev_replay_seen(&w, nn[i]);
	tap_ok(pass, "replay window: empty sees nothing (not even a zero NN), "
	       "then holds 64 NNs");
	aiotdev_replay_note(&w, nn[64]);
	pass = !aiotdev_replay_seen(&w, nn[0]) && aiotdev_replay_seen(&w, nn[1]) &&
	       aiotdev_replay_seen(&w, nn[64]);
	for (i = 65; i < 70; i++)
		aiotdev_replay_note(&w, nn[i]);
	for (i = 0; i < 70; i++)
		pass &= aiotdev_replay_seen(&w, nn[i]) == (i >= 6);
	tap_ok(pass, "replay window: the 65th NN pushes out the oldest, and so on");
}

/* Send the frame @f again; what came out. */
static void resend(const u8 *f, size_t len)
{
	nout = 0;
	sim.now_ms = 1000;
	sim_rx(&sim, src, f, len);
	sim_flush(&sim, 1000, capture, NULL);
}

/*
 * The device replay defence through the simulator: a recorded COMMAND
 * sent again is ignored and counted; acted on again once 64 newer ones
 * pushed it out of the window, or with the defence off.
 */
static void test_replay(void)
{
	const unsigned int d = 7;
	const u8 wx[] = { SIM_APP_MAGIC, SIM_APP_WRITE, 10, 'x' };
	const u8 wy[] = { SIM_APP_MAGIC, SIM_APP_WRITE, 10, 'y' };
	const u8 rd[] = { SIM_APP_MAGIC, SIM_APP_READ, 10, 1 };
	u8 rec[AIOT_MSG_MAX], forged[AIOT_MSG_MAX], nn[AIOT_NONCE_LEN];
	u8 r[AIOTSEC_PLEN_MAX];
	struct aiot_cred c = cred(d);
	u64 replayed = sim.st.cmd_replayed, answers, rej;
	unsigned int i;
	int len;
	bool ok;
	u16 n;

	/* Recorded: write 'x'. Then the AIoTF writes 'y'. */
	nn_for(nn, 7000);
	len = aiotf_command(&c, nn, 0x2a, wx, sizeof(wx), rec);
	resend(rec, (size_t)len);
	ok = nout == 1;
	app(d, wy, sizeof(wy), r, &ok);
	answers = sim.st.cmd_answers;
	resend(rec, (size_t)len);
	n = app(d, rd, sizeof(rd), r, &ok);
	tap_ok(len > 0 && ok && n == 4 && r[3] == 'y' &&
	       sim.st.cmd_replayed == replayed + 1 &&
	       sim.st.cmd_answers == answers + 1,
	       "replay: a recorded WRITE sent again is ignored (no answer, "
	       "memory unchanged) and counted");

	/* A forgery with that NN is rejected, not counted as a replay. */
	memcpy(forged, rec, (size_t)len);
	forged[len - 1] ^= 1;
	rej = sim.st.cmd_rejected;
	resend(forged, (size_t)len);
	tap_ok(nout == 0 && sim.st.cmd_rejected == rej + 1 &&
	       sim.st.cmd_replayed == replayed + 1,
	       "replay: a forged copy is a rejected COMMAND, not a replay");

	resend(rec, (size_t)len);
	tap_ok(nout == 0 && sim.st.cmd_replayed == replayed + 2,
	       "replay: counted again at each copy");

	/* 62 more fresh COMMANDs: with 'y' and the read, 64 since 'x'. */
	for (i = 0; i < 61; i++)
		app(d, rd, sizeof(rd), r, &ok);
	resend(rec, (size_t)len);
	tap_ok(nout == 0 && sim.st.cmd_replayed == replayed + 3,
	       "replay: still ignored 63 COMMANDs later (in the window of 64)");
	app(d, rd, sizeof(rd), r, &ok);
	resend(rec, (size_t)len);
	n = app(d, rd, sizeof(rd), r, &ok);
	tap_ok(n == 4 && r[3] == 'x' && sim.st.cmd_replayed == replayed + 3,
	       "replay: 64 COMMANDs later it is out of the window: acted on");

	/* Off: re-executed, still counted. */
	app(d, wy, sizeof(wy), r, &ok);
	sim.no_replay_defence = true;
	answers = sim.st.cmd_answers;
	resend(rec, (size_t)len);
	ok = nout == 1 && sim.st.cmd_answers == answers + 1;
	sim.no_replay_defence = false;
	n = app(d, rd, sizeof(rd), r, &ok);
	tap_ok(ok && n == 4 && r[3] == 'x' &&
	       sim.st.cmd_replayed == replayed + 4,
	       "replay: with the defence off the copy is acted on again (and "
	       "counted)");
}

/*
 * A batch as the socket loop hands it over (sim_rx_batch), shared among
 * threads: junk between requests, every answer right, each device
 * checking each request once.
 */
static void test_batch(void)
{
	enum { NB = 12 };
	u8 f[2 * NB][AIOT_MSG_MAX], nn[NB][AIOT_NONCE_LEN], junk[8] = { 0x11 };
	struct sim_frame fr[3 * NB];
	u64 checks = sim.st.checks, skips = sim.st.disabled_skips;
	u64 mal = sim.st.rx_malformed;
	unsigned int i, k, n = 0, good = 0;
	bool matched[NB] = { false };

	if (sim_par_start(&sim, 3) || !sim.par) {
		tap_ok(false, "batch: 3 threads start");
		return;
	}
	for (i = 0; i < NB; i++) {
		struct aiot_cred c = cred(i);
		int len;

		nn_for(nn[i], 8000 + i);
		len = aiotf_paging(&c, nn[i], policies[i] & AIOTSEC_POL_AUTH_MASK,
				   f[i]);
		fr[n].buf = f[i];
		fr[n].len = len > 0 ? (size_t)len : 0;
		memcpy(fr[n++].src, src, 6);
		fr[n].buf = junk;
		fr[n].len = sizeof(junk);
		memcpy(fr[n++].src, src, 6);
	}
	nout = 0;
	sim.now_ms = 1000;
	sim_rx_batch(&sim, fr, n);
	sim_flush(&sim, 1000, capture, NULL);
	for (k = 0; k < nout && k < MAXOUT; k++) {
		for (i = 0; i < NB; i++) {
			if (!matched[i] &&
			    auth_verdict(i, k, nn[i],
					 policies[i] & AIOTSEC_POL_AUTH_MASK,
					 policies[i]) == AIOTSEC_DROP_NONE) {
				matched[i] = true;
				good++;
				break;
			}
		}
	}
	sim_par_stop(&sim);
	checks = sim.st.checks - checks;
	tap_ok(nout == NB && good == NB,
	       "batch of %u PAGINGs and junk, 3 threads: each answered right", NB);
	tap_ok(checks + sim.st.disabled_skips - skips == NB * sim.ndev &&
	       sim.st.rx_malformed == mal + NB,
	       "batch: every device checked every PAGING once, junk counted");
}

/* Fresh DNs of a vector record: DN for the PAGING, DN2 for the COMMAND. */
static const u8 *vec_dn[2];
static unsigned int vec_dn_next;

static int vec_random(void *buf, size_t len)
{
	if (len != AIOT_NONCE_LEN || vec_dn_next >= 2)
		return -1;
	memcpy(buf, vec_dn[vec_dn_next++], len);
	return 0;
}

/*
 * The profile vectors through the simulator (prepared keys, batches):
 * each record's PAGING and COMMAND, from the file, to a one-device
 * population with the record's key; the AUTH_RESP up to its capability
 * is the file's byte for byte (the simulator's capability is its own),
 * and both answers verify with the AIoTF role.
 */
static void test_vectors(const char *dir)
{
	char path[4096], line[200], idh[33], kh[65], err[256];
	u8 r[AIOTSEC_PLEN_MAX];
	struct rsp_file f = { 0 };
	struct pvec *v = NULL;
	size_t n = 0, i, good = 0, head = AIOT_HDR_LEN + AIOT_CT_LEN +
		AIOT_NONCE_LEN + AIOT_PID_LEN;

	snprintf(path, sizeof(path), "%s/profile-v1.rsp", dir);
	if (pvec_load_file(path, &f, &v, &n)) {
		tap_ok(false, "vectors: %s loads", path);
		free(v);
		rsp_free(&f);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct pvec *p = &v[i];
		struct pvec_dev dev;
		struct aiot_msg m;
		struct sim one;
		bool ok;
		u16 plen;

		hex(p->id, AIOTSEC_ID_LEN, idh);
		hex(p->k, p->klen, kh);
		snprintf(line, sizeof(line), "%s %s 0x%02x\n", idh, kh, p->policy);
		if (sim_init(&one) || sim_load_buf(&one, "vec", line, strlen(line),
						   err, sizeof(err)) ||
		    pvec_dev_init(&dev, p)) {
			tap_diag("vector line %u: %s", p->lineno, err);
			sim_free(&one);
			continue;
		}
		one.random = vec_random;
		vec_dn[0] = p->dn;
		vec_dn[1] = p->dn2;
		vec_dn_next = 0;

		nout = 0;
		sim_rx(&one, src, p->msg[PV_PAGING], p->msglen[PV_PAGING]);
		sim_flush(&one, UINT64_MAX, capture, NULL);
		ok = nout == 1 && out[0].len >= head &&
		     !memcmp(out[0].buf, p->msg[PV_AUTH_RESP], head) &&
		     !aiot_parse(out[0].buf, out[0].len, &m) &&
		     aiotf_auth_resp(&dev.cred, p->nn, pvec_auth_policy(p),
				     pvec_auth_policy(p), &m) == AIOTSEC_DROP_NONE;

		nout = 0;
		sim_rx(&one, src, p->msg[PV_COMMAND], p->msglen[PV_COMMAND]);
		sim_flush(&one, UINT64_MAX, capture, NULL);
		ok &= nout == 1 && !aiot_parse(out[0].buf, out[0].len, &m) &&
		      aiotf_cmd_resp(&dev.cred, p->nn2, p->policy, &m, r) ==
		      AIOTSEC_DROP_NONE;
		plen = m.plen;
		/* Not an application request: the payload comes back reversed. */
		if (ok && (!p->plen || p->payload[0] != SIM_APP_MAGIC)) {
			size_t j;

			ok = plen == p->plen;
			for (j = 0; ok && j < p->plen; j++)
				ok = r[j] == p->payload[p->plen - 1 - j];
		}
		good += ok;
		if (!ok)
			tap_diag("vector at line %u: not answered as the file says",
				 p->lineno);
		pvec_dev_wipe(&dev);
		sim_free(&one);
	}
	tap_ok(n > 0 && good == n, "vectors: %zu of %zu records answered by the "
	       "simulator as profile-v1.rsp says", good, n);
	free(v);
	rsp_free(&f);
}

void test_inventory(const char *vecdir);

static void test_hostile(void)
{
	u8 f[AIOT_MSG_MAX], nn[AIOT_NONCE_LEN];
	struct aiot_cred c = cred(3);
	u64 mal = sim.st.rx_malformed, rej = sim.st.cmd_rejected;
	unsigned int i, bad = 0;
	int len;

	nout = 0;
	for (i = 0; i < 2000; i++) {
		u8 junk[64];
		size_t n = i % sizeof(junk);

		test_random(junk, n);
		if (n > 2) {
			junk[0] = 0x10 | (i % 6);
			junk[1] = 1;
		}
		sim_rx(&sim, src, junk, n);
	}
	sim_flush(&sim, UINT64_MAX, capture, NULL);
	bad = nout;
	tap_ok(bad == 0 && sim.st.rx_malformed > mal,
	       "2000 junk frames: no answer, counted as malformed");

	nn_for(nn, 5);
	len = aiotf_command(&c, nn, policies[3], (const u8 *)"xy", 2, f);
	f[len - 1] ^= 0x80;
	nout = 0;
	sim_rx(&sim, src, f, (size_t)len);
	sim_flush(&sim, UINT64_MAX, capture, NULL);
	tap_ok(len > 0 && nout == 0 && sim.st.cmd_rejected == rej + 1,
	       "a COMMAND with a bad MAC is not acted on nor answered");
}

int main(int argc, char **argv)
{
	if (make_population()) {
		printf("Bail out! cannot build the population\n");
		return 1;
	}
	test_auth_policies();
	test_command_policies();
	test_app();
	test_faults();
	test_threads();
	test_replay_window();
	test_replay();
	test_batch();
	test_hostile();
	if (argc > 1) {
		test_vectors(argv[1]);
		test_inventory(argv[1]);
	} else {
		tap_ok(false, "vectors: usage: test_sim VECTOR_DIR");
	}
	tap_diag("counters: checks %llu, non-target %llu",
		 (unsigned long long)sim.st.checks,
		 (unsigned long long)sim.st.nontarget_checks);
	sim_free(&sim);
	return tap_done();
}
