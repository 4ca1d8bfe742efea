// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of the frame codec and both roles' verifiers. Any
 * input is parsed; a parsed message goes to every verifier (network and
 * device) under one fixed device, K and ID of profile-v1.rsp record 0, so
 * that the seeds made from that record reach the success paths. The CT of
 * a response is taken as the start of the expected NN, to get past the
 * transaction lookup to the MAC check.
 *
 * Beyond the sanitizers' checks, it traps when the parser's result is
 * inconsistent with the input, or when a verifier accepts a message that
 * the builders do not reproduce byte for byte from what was accepted.
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto.h"

static const u8 test_key[16] = {
	0x97, 0x42, 0xd1, 0x4d, 0x8a, 0xd6, 0x25, 0x2a,
	0x48, 0x64, 0x3c, 0xf3, 0xf1, 0x44, 0xec, 0x16,
};

static const u8 test_id[16] = {
	0xcb, 0x29, 0x76, 0x08, 0xf4, 0xea, 0x29, 0xbe,
	0x34, 0x0a, 0x95, 0xfe, 0xbd, 0xa6, 0x7d, 0x26,
};

/* Record 0's NN and NN2: the tail of the NN a response is checked with. */
static const u8 test_nn[16] = {
	0xb7, 0xb6, 0xcc, 0xd9, 0x07, 0x0d, 0x72, 0xdd,
	0xef, 0x84, 0xe1, 0x93, 0xbc, 0xa5, 0xf9, 0xad,
};

static const u8 test_nn2[16] = {
	0x86, 0x1b, 0xaa, 0xb4, 0xe2, 0xac, 0x44, 0x18,
	0xdc, 0x23, 0x50, 0xad, 0x14, 0x7c, 0x2b, 0x93,
};

#define CHECK(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static bool inside(const u8 *p, size_t n, const struct aiot_msg *m)
{
	return p >= m->hdr && p + n <= m->hdr + m->len;
}

static void check_parse(const u8 *data, size_t size, const struct aiot_msg *m)
{
	size_t want;

	CHECK(m->hdr == data && m->len <= size);
	CHECK(m->len == size || size <= AIOT_PAD_PAYLOAD_MAX);
	CHECK(!aiot_policy_check(m->policy, m->type));
	CHECK(m->maclen == aiot_mac_len(m->policy));
	switch (m->type) {
	case AIOT_MSG_PAGING:
		want = aiot_paging_len();
		CHECK(inside(m->nn, 16, m) && inside(m->pid, 16, m));
		break;
	case AIOT_MSG_AUTH_RESP:
		want = aiot_auth_resp_len(m->policy, m->caplen);
		CHECK(m->caplen <= AIOTSEC_CAPLEN_MAX);
		CHECK(inside(m->pid, 16, m) && inside(m->cap, m->caplen, m));
		break;
	case AIOT_MSG_COMMAND:
		want = aiot_command_len(m->policy, m->plen);
		CHECK(m->plen <= AIOTSEC_PLEN_MAX && inside(m->pid, 16, m));
		CHECK(inside(m->sp, m->plen, m));
		break;
	case AIOT_MSG_INVENTORY:
		want = aiot_inventory_len(m->fbits);
		CHECK(m->fbits <= 64 && inside(m->nn, 16, m));
		CHECK(inside(m->filter, aiot_filter_len(m->fbits), m));
		CHECK(aiot_filter_valid(m->fbits, m->filter));
		break;
	case AIOT_MSG_INV_RESP:
		want = aiot_inv_resp_len(m->policy, m->caplen);
		CHECK(m->caplen <= AIOTSEC_CAPLEN_MAX);
		CHECK(inside(m->rid, AIOT_RID_LEN, m) &&
		      inside(m->cap, m->caplen, m));
		break;
	default:
		CHECK(m->type == AIOT_MSG_CMD_RESP);
		want = aiot_cmd_resp_len(m->policy, m->plen);
		CHECK(m->plen <= AIOTSEC_PLEN_MAX);
		CHECK(inside(m->sp, m->plen, m));
		break;
	}
	CHECK(m->len == want);
	if (m->type != AIOT_MSG_PAGING && m->type != AIOT_MSG_INVENTORY)
		CHECK(inside(m->mac, m->maclen, m));
}

/* An accepted message must be exactly what the builder makes of it. */
static void check_rebuilt(const struct aiot_msg *m, int len, const u8 *out)
{
	CHECK(len == m->len && !memcmp(out, m->hdr, m->len));
}

static void run_verifiers(const struct aiot_cred *c,
			  const struct aiot_msg *m)
{
	static u8 payload[AIOTSEC_PLEN_MAX], out[AIOT_MSG_MAX];
	u8 nn[16], nn2[16], ap = m->policy & AIOTSEC_POL_AUTH_MASK;
	enum aiotsec_drop err;

	memcpy(nn, test_nn, 16);
	memcpy(nn2, test_nn2, 16);
	if (m->ct) {
		memcpy(nn, m->ct, AIOT_CT_LEN);
		memcpy(nn2, m->ct, AIOT_CT_LEN);
	}

	err = aiotdev_paging_match(c, m);
	if (!err)
		check_rebuilt(m, aiotf_paging(c, m->nn, m->policy, out),
			      out);
	err = aiotdev_command_open(c, m, payload);
	if (!err)
		check_rebuilt(m, aiotf_command(c, m->nn, m->policy, payload,
					       m->plen, out), out);
	err = aiotf_auth_resp(c, nn, ap, ap, m);
	if (!err)
		check_rebuilt(m, aiotdev_auth_resp(c, nn, m->dn, m->policy,
						   m->cap, m->caplen, out),
			      out);
	/* A strict minimum: 16-byte MAC, and PC and MI for CMD_RESP. */
	err = aiotf_auth_resp(c, nn, ap,
			      (ap & ~AIOTSEC_POL_ML_MASK) | 0x40, m);
	CHECK(err || aiot_mac_len(m->policy) == 16);
	err = aiotf_cmd_resp(c, nn2, m->policy, m, payload);
	if (!err)
		check_rebuilt(m, aiotdev_cmd_resp(c, nn2, m->dn, m->policy,
						  payload, m->plen, out),
			      out);
	err = aiotf_cmd_resp(c, nn2, 0x55, m, payload);
	CHECK(err || (m->policy & 0x54) == 0x54);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct aiot_hkey hk;
	static bool ready;
	struct aiot_cred c = { test_id, &hk };
	struct aiot_msg m;

	if (!ready) {
		if (aiot_hkey_init(&hk, test_key, sizeof(test_key)))
			abort();
		ready = true;
	}
	if (aiot_parse(data, size, &m))
		return 0;
	check_parse(data, size, &m);
	run_verifiers(&c, &m);
	return 0;
}
