// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of the simulator's frame handler (sim_rx) and what it
 * sends back. Input: a control byte, then
 *   raw mode (bit 7 clear): the frame payload as received;
 *   built mode (bit 7 set): a policy byte, then the COMMAND payload; the
 *     harness builds a valid PAGING (bit 5 set) or COMMAND for device
 *     (bit 6) with the AIoTF role, so the application and the fault paths
 *     are reached with fuzzed payloads. With bit 5 set and the policy
 *     byte's bit 7 set it builds an INVENTORY instead: ML from the policy
 *     byte, FBITS from the next byte (mod 65), the filter from the bytes
 *     after it (bits past FBITS cleared).
 * Bits 0-3 pick a fault mode for device 0 (0: none, 1-10: one each).
 * The two devices have groups (01 23 45 67 89 ab cd ef and 01 23 ff ...).
 *
 * Beyond the sanitizers' checks, it traps when, without a fault, an
 * answer to a built request does not verify with the AIoTF role, or a
 * raw frame that is not a request gets an answer.
 *
 * With AIOTSIM_SEEDS=DIR in the environment it writes seed inputs to DIR
 * and exits (mk/sim.mk makes the seed corpus this way).
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim.h"

#define CHECK(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static const char store[] =
	"# fuzz_sim population\n"
	"00000000000000000000000000000001 000102030405060708090a0b0c0d0e0f tid,pc,mi,mac=8\n"
	"0a0b0c0d 101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f enc,pi,mac=4\n";

static const unsigned int fault_of[16] = {
	0, SIM_F_WRONG_KEY, SIM_F_BAD_MAC, SIM_F_WRONG_ID, SIM_F_REPLAY,
	SIM_F_STALE, SIM_F_LATE, SIM_F_DOWNGRADE, SIM_F_MALFORMED,
	SIM_F_SILENT, SIM_F_FORGE,
};

static const char groups[] =
	"00000000000000000000000000000001 0123456789abcdef\n"
	"0a0b0c0d 0123ff0000000000\n";

static const u8 nn_fixed[AIOT_NONCE_LEN] = {
	0x5a, 0x17, 0x00, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
};

static const u8 src_mac[6] = { 0x02, 0, 0, 0, 0, 1 };

static struct sim sim;
static u8 raw_keys[2][32];
static size_t raw_len[2] = { 16, 32 };
static struct aiot_hkey hk[2];

/* The current input's request, for the send callback. */
static struct {
	u8 type;		/* PAGING, COMMAND, INVENTORY; 0: none */
	u8 policy;
	u8 fbits;		/* INVENTORY */
	const u8 *filter;
	unsigned int want;	/* INVENTORY: devices that match */
	const u8 *nn;
	bool faulty;		/* a fault mode may bend the answers */
	unsigned int answers;
} cur;

static int fixed_random(void *buf, size_t len)
{
	memset(buf, 0x42, len);
	return 0;
}

static void setup(void)
{
	char err[256];
	int i;

	CHECK(!sim_init(&sim));
	CHECK(!sim_load_buf(&sim, "fuzz", store, sizeof(store) - 1, err,
			    sizeof(err)));
	CHECK(sim.ndev == 2);
	CHECK(!sim_groups_buf(&sim, "fuzz", groups, sizeof(groups) - 1, err,
			      sizeof(err)));
	sim.random = fixed_random;
	for (i = 0; i < 32; i++) {
		raw_keys[0][i] = (u8)i;
		raw_keys[1][i] = (u8)(0x10 + i);
	}
	for (i = 0; i < 2; i++)
		CHECK(!aiot_hkey_init(&hk[i], raw_keys[i], raw_len[i]));
}

/* Does @m answer the current request for device @i? */
static bool verifies(int i, const struct aiot_msg *m)
{
	u8 payload[AIOTSEC_PLEN_MAX], rid[AIOT_RID_LEN];
	struct aiot_cred c = { .id = sim.dev[i].id, .hk = &hk[i] };

	if (cur.type == AIOT_MSG_INVENTORY)
		return aiot_group_match(sim.dev[i].group, cur.fbits, cur.filter) &&
		       !aiot_rid(&c, cur.nn, rid) &&
		       !aiotf_inv_resp(&c, cur.nn, cur.policy, cur.policy, rid, m);
	if (cur.type == AIOT_MSG_PAGING)
		return !aiotf_auth_resp(&c, cur.nn, cur.policy,
					cur.policy & AIOTSEC_POL_ML_MASK, m);
	return !aiotf_cmd_resp(&c, cur.nn, cur.policy, m, payload);
}

static int check_send(void *ctx, const u8 dst[6], const u8 *buf, size_t len)
{
	struct aiot_msg m;

	(void)ctx;
	CHECK(!memcmp(dst, src_mac, 6));
	CHECK(len <= SIM_FRAME_MAX);
	cur.answers++;
	/* Only requests are answered. */
	CHECK(cur.type == AIOT_MSG_PAGING || cur.type == AIOT_MSG_COMMAND ||
	      cur.type == AIOT_MSG_INVENTORY);
	if (cur.faulty)
		return 0;
	CHECK(!aiot_parse(buf, len, &m));
	CHECK(verifies(0, &m) || verifies(1, &m));
	return 0;
}

static void reset(unsigned int fault)
{
	char err[256];
	size_t i;

	for (i = 0; i < sim.ndev; i++) {
		sim.dev[i].faults = 0;
		sim.dev[i].disabled = false;
		sim.dev[i].last_len = 0;
		memset(sim.dev[i].mem, 0, SIM_MEM_SIZE);
		/* Every input a fresh device: its fixed NN is no replay. */
		memset(&sim.dev[i].replay, 0, sizeof(sim.dev[i].replay));
		memset(&sim.dev[i].inv_nn, 0, sizeof(sim.dev[i].inv_nn));
	}
	if (fault)
		CHECK(!sim_set_fault(&sim, fault, "00000000000000000000000000000001",
				     err, sizeof(err)));
	memset(&cur, 0, sizeof(cur));
}

/* Build the request of built mode into @out; its length or -1. */
static int build(const u8 *data, size_t size, u8 ctrl, u8 *out)
{
	int dev = ctrl & 0x40 ? 1 : 0;
	struct aiot_cred c = { .id = sim.dev[dev].id, .hk = &hk[dev] };
	size_t plen;

	if (size < 1)
		return -1;
	cur.nn = nn_fixed;
	if ((ctrl & 0x20) && (data[0] & 0x80)) {
		static u8 filter[8];
		size_t flen;
		unsigned int i;

		cur.type = AIOT_MSG_INVENTORY;
		cur.policy = data[0] & AIOTSEC_POL_ML_MASK;
		if ((cur.policy & AIOTSEC_POL_ML_MASK) == AIOTSEC_POL_ML_MASK)
			cur.policy = 0;
		cur.fbits = size > 1 ? data[1] % 65 : 0;
		flen = aiot_filter_len(cur.fbits);
		memset(filter, 0, sizeof(filter));
		for (i = 0; i < flen && 2 + i < size; i++)
			filter[i] = data[2 + i];
		if (cur.fbits % 8)
			filter[flen - 1] &= (u8)(0xff << (8 - cur.fbits % 8));
		cur.filter = filter;
		for (i = 0; i < 2; i++)
			cur.want += aiot_group_match(sim.dev[i].group, cur.fbits,
						     filter);
		return aiotf_inventory(nn_fixed, cur.policy, cur.fbits, filter,
				       out);
	}
	if (ctrl & 0x20) {
		cur.type = AIOT_MSG_PAGING;
		cur.policy = data[0] & AIOTSEC_POL_AUTH_MASK;
		return aiotf_paging(&c, nn_fixed, cur.policy, out);
	}
	plen = size - 1;
	if (plen > AIOTSEC_PLEN_MAX)
		plen = AIOTSEC_PLEN_MAX;
	cur.type = AIOT_MSG_COMMAND;
	cur.policy = data[0];
	return aiotf_command(&c, nn_fixed, data[0], data + 1, (u16)plen,
			     out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 frame[SIM_FRAME_MAX];
	unsigned int fault;
	u8 ctrl;
	int len;

	if (!sim.txq)
		setup();
	if (size < 1)
		return 0;
	ctrl = data[0];
	fault = fault_of[ctrl & 0x0f];
	reset(fault);
	data++;
	size--;
	cur.faulty = fault != 0;
	sim.now_ms = 1000;
	if (ctrl & 0x80) {
		len = build(data, size, ctrl, frame);
		if (len < 0)
			return 0;
		sim_rx(&sim, src_mac, frame, (size_t)len);
		sim_flush(&sim, UINT64_MAX, check_send, NULL);
		/* Without a fault: exactly one answer (per matching device). */
		CHECK(cur.faulty || cur.answers ==
		      (cur.type == AIOT_MSG_INVENTORY ? cur.want : 1));
		/* The same INVENTORY again: every device remembers its NN. */
		if (cur.type == AIOT_MSG_INVENTORY) {
			cur.answers = 0;
			sim_rx(&sim, src_mac, frame, (size_t)len);
			sim_flush(&sim, UINT64_MAX, check_send, NULL);
			CHECK(cur.answers == 0);
		}
	} else {
		struct aiot_msg m;

		if (!aiot_parse(data, size, &m) &&
		    (m.type == AIOT_MSG_PAGING ||
		     m.type == AIOT_MSG_COMMAND ||
		     m.type == AIOT_MSG_INVENTORY)) {
			cur.type = m.type;
			cur.policy = m.policy;
			cur.nn = m.nn;
			cur.fbits = m.fbits;
			cur.filter = m.filter;
		}
		sim_rx(&sim, src_mac, data, size);
		sim_flush(&sim, UINT64_MAX, check_send, NULL);
	}
	CHECK(!sim.txq_used);
	return 0;
}

static void write_seed(const char *dir, const char *name, const u8 *p,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f);
	CHECK(fwrite(p, 1, len, f) == len);
	CHECK(!fclose(f));
}

static void make_seeds(const char *dir)
{
	static const u8 app[][6] = {
		{ 0x80, 0x35, SIM_APP_MAGIC, SIM_APP_WRITE, 4, 0x77 },
		{ 0x80, 0x35, SIM_APP_MAGIC, SIM_APP_READ, 0, 8 },
		{ 0x80, 0x35, SIM_APP_MAGIC, SIM_APP_DISABLE },
	};
	static const size_t app_len[] = { 6, 5, 4 };
	u8 in[1 + SIM_FRAME_MAX];
	char name[64];
	unsigned int f;
	int len;
	size_t i;

	setup();
	for (f = 0; f < 11; f++) {
		reset(0);
		/* Raw PAGING and COMMAND for device 0, with fault f. */
		in[0] = (u8)f;
		len = build((const u8 *)"\x2a" "abc", 4, 0x20, in + 1);
		CHECK(len > 0);
		snprintf(name, sizeof(name), "raw-paging-%u", f);
		write_seed(dir, name, in, (size_t)len + 1);
		len = build((const u8 *)"\x35" "abc", 4, 0, in + 1);
		CHECK(len > 0);
		snprintf(name, sizeof(name), "raw-command-%u", f);
		write_seed(dir, name, in, (size_t)len + 1);
		/* Built INVENTORY: no filter, 12 bits of both groups, 64 bits. */
		memcpy(in, "\xa0\xc0\x00", 3);
		in[0] |= (u8)f;
		snprintf(name, sizeof(name), "built-inv-all-%u", f);
		write_seed(dir, name, in, 3);
		memcpy(in, "\xa0\xc0\x0c\x01\x20", 5);
		in[0] |= (u8)f;
		snprintf(name, sizeof(name), "built-inv-12-%u", f);
		write_seed(dir, name, in, 5);
		memcpy(in, "\xa0\xc0\x40\x01\x23\x45\x67\x89\xab\xcd\xef", 11);
		in[0] |= (u8)f;
		snprintf(name, sizeof(name), "built-inv-64-%u", f);
		write_seed(dir, name, in, 11);
		/* Built mode: each application request. */
		for (i = 0; i < ARRAY_SIZE(app); i++) {
			memcpy(in, app[i], app_len[i]);
			in[0] |= (u8)f;
			snprintf(name, sizeof(name), "built-app%zu-%u", i, f);
			write_seed(dir, name, in, app_len[i]);
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("AIOTSIM_SEEDS");

	(void)argc;
	(void)argv;
	if (dir) {
		make_seeds(dir);
		exit(0);
	}
	return 0;
}
