// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of the simulator core: requests built with the AIoTF role go
 * through sim_rx(), and what comes out of the transmit queue is verified
 * with the AIoTF role again: every policy, the application protocol,
 * each fault mode, the count of non-target checks, hostile input. TAP.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim.h"
#include "tap.h"

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
	u8 nn[AIOT_NONCE_LEN];
	u16 rlen = 0;

	nn_for(nn, 900 + p[1]);
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

/* Device @d with fault @f answers PAGING and COMMAND: check each. */
static void test_faults(void)
{
	u8 nn[AIOT_NONCE_LEN], nn2[AIOT_NONCE_LEN], r[AIOTSEC_PLEN_MAX];
	const u8 pl[] = { 1, 2, 3 };
	unsigned int d = NPOL + 10, k;
	u8 strong = 0x56;	/* tid, pc, mi, mac=16 */
	char idh[33], err[256];
	struct aiot_msg m;
	u16 rlen;
	bool ok;

	hex(ids[d], AIOTSEC_ID_LEN, idh);
	nn_for(nn, 1);
	nn_for(nn2, 2);

	sim_set_fault(&sim, SIM_F_WRONG_KEY, idh, err, sizeof(err));
	page(d, 0x22, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, 0x22, 0x22) == AIOTSEC_DROP_MAC,
	       "wrong-key: AUTH_RESP fails its MAC");
	command(d, strong, nn, pl, 3, 0);
	tap_ok(nout == 1 && cmd_verdict(d, 0, nn, strong, r, &rlen) == AIOTSEC_DROP_MAC,
	       "wrong-key: CMD_RESP fails its MAC");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_BAD_MAC, idh, err, sizeof(err));
	page(d, 0x22, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, 0x22, 0x22) == AIOTSEC_DROP_MAC,
	       "bad-mac: AUTH_RESP fails its MAC");
	command(d, strong, nn, pl, 3, 0);
	tap_ok(nout == 1 && cmd_verdict(d, 0, nn, strong, r, &rlen) == AIOTSEC_DROP_MAC,
	       "bad-mac: CMD_RESP fails its MAC");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_WRONG_ID, idh, err, sizeof(err));
	page(d, 0x21, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, 0x21, 0x21) == AIOTSEC_DROP_ID,
	       "wrong-id: AUTH_RESP has a valid MAC but fails the PID* check");
	sim.dev[d].faults = 0;

	sim_set_fault(&sim, SIM_F_DOWNGRADE, idh, err, sizeof(err));
	page(d, 0x42, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, 0x42, 0x42) == AIOTSEC_DROP_DOWNGRADE,
	       "downgrade: AUTH_RESP with a shorter MAC is refused");
	page(d, 0x02, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d, 0, nn, 0x02, 0x02) == AIOTSEC_DROP_DOWNGRADE,
	       "downgrade: AUTH_RESP of the weakest policy switches IDP: refused");
	command(d, strong, nn, pl, 3, 0);
	tap_ok(nout == 1 && cmd_verdict(d, 0, nn, strong, r, &rlen) == AIOTSEC_DROP_DOWNGRADE,
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
	command(d, 0x2a, nn, NULL, 0, 0);
	ok = nout == 8 &&
	     aiot_parse(out[4].buf, out[4].len, &m) == AIOTSEC_DROP_SHORT &&
	     aiot_parse(out[5].buf, out[5].len, &m) == AIOTSEC_DROP_TRAILING &&
	     aiot_parse(out[6].buf, out[6].len, &m) == AIOTSEC_DROP_PLEN;
	tap_ok(ok, "malformed: CMD_RESP variants, PLEN over the limit among them");
	sim.dev[d].faults = 0;

	/* A fault for one device leaves the others alone. */
	sim_set_fault(&sim, SIM_F_BAD_MAC, idh, err, sizeof(err));
	page(d + 1, 0x22, nn, 0);
	tap_ok(nout == 1 && auth_verdict(d + 1, 0, nn, 0x22, 0x22) == AIOTSEC_DROP_NONE,
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

int main(void)
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
	test_hostile();
	tap_diag("counters: checks %llu, non-target %llu",
		 (unsigned long long)sim.st.checks,
		 (unsigned long long)sim.st.nontarget_checks);
	sim_free(&sim);
	return tap_done();
}
