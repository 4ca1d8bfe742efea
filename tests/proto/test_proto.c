// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Both roles against each other beyond the vectors: every valid policy with
 * payloads and capabilities of every interesting length, the wrong device,
 * the wrong transaction, type confusion, downgrades, invalid requests to
 * the builders (PROTOCOL.md "Procedures" and "Security policy byte").
 */
#include <stdlib.h>

#include "thelp.h"

struct dev {
	u8 k[32], id[16];
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

static void dev_init(struct dev *d, size_t klen)
{
	th_random(d->k, sizeof(d->k));
	th_random(d->id, sizeof(d->id));
	d->cred.id = d->id;
	d->cred.hk = &d->hk;
	aiot_hkey_init(&d->hk, d->k, klen);
}

static bool valid_cmd_policy(unsigned int p)
{
	return !aiot_policy_check((u8)p, AIOT_MSG_COMMAND);
}

/*
 * One full exchange with @policy; true when every step succeeds. Each
 * message has its own buffer: a response is built from the parsed request.
 */
static bool exchange(const struct dev *d, u8 policy, size_t plen,
		     size_t caplen)
{
	static u8 out[PV_NMSG][AIOT_MSG_MAX];
	u8 nn[16], dn[16], nn2[16], dn2[16], p[AIOTSEC_PLEN_MAX];
	u8 cap[AIOTSEC_CAPLEN_MAX], got[AIOTSEC_PLEN_MAX];
	u8 ap = policy & AIOTSEC_POL_AUTH_MASK;
	const struct aiot_cred *c = &d->cred;
	struct aiot_msg m[PV_NMSG];
	int len[PV_NMSG];

	th_random(nn, 16);
	th_random(dn, 16);
	th_random(nn2, 16);
	th_random(dn2, 16);
	th_random(p, plen);
	th_random(cap, caplen);

	len[0] = aiotf_paging(c, nn, ap, out[0]);
	if (len[0] != 35 || aiot_parse(out[0], len[0], &m[0]) ||
	    aiotdev_paging_match(c, &m[0]))
		return false;
	len[1] = aiotdev_auth_resp(c, m[0].nn, dn, m[0].policy, cap,
				   (u8)caplen, out[1]);
	if (len[1] != (int)aiot_auth_resp_len(ap, (u8)caplen) ||
	    aiot_parse(out[1], len[1], &m[1]) ||
	    aiotf_auth_resp(c, nn, ap, ap, &m[1]))
		return false;
	len[2] = aiotf_command(c, nn2, policy, p, (u16)plen, out[2]);
	if (len[2] != (int)aiot_command_len(policy, (u16)plen) ||
	    aiot_parse(out[2], len[2], &m[2]) ||
	    aiotdev_command_open(c, &m[2], got) || m[2].plen != plen ||
	    memcmp(got, p, plen))
		return false;
	/* Payload confidentiality: no plaintext on the wire. */
	if ((policy & AIOTSEC_POL_PC) && plen >= 8 &&
	    !memcmp(m[2].sp, p, plen))
		return false;
	len[3] = aiotdev_cmd_resp(c, m[2].nn, dn2, m[2].policy, p, (u16)plen,
				  out[3]);
	if (len[3] != (int)aiot_cmd_resp_len(policy, (u16)plen) ||
	    aiot_parse(out[3], len[3], &m[3]) ||
	    aiotf_cmd_resp(c, nn2, policy, &m[3], got) ||
	    memcmp(got, p, plen))
		return false;
	return true;
}

static void test_roundtrip(void)
{
	static const size_t plens[] = { 0, 1, 15, 16, 17, 46, 1023, 1024 };
	static const size_t caplens[] = { 0, 1, 16, 32 };
	unsigned int p, n;
	size_t i, kl;

	for (kl = 16; kl <= 32; kl += 16) {
		struct dev d;
		bool pass = true;

		dev_init(&d, kl);
		for (p = 0, n = 0; p < 256; p++) {
			if (!valid_cmd_policy(p))
				continue;
			for (i = 0; i < ARRAY_SIZE(plens); i++, n++) {
				if (!exchange(&d, (u8)p, plens[i],
					      caplens[i % 4])) {
					tap_diag("policy %02x, PLEN %zu", p,
						 plens[i]);
					pass = false;
				}
			}
		}
		aiot_hkey_wipe(&d.hk);
		tap_ok(pass, "%zu-byte K: %u exchanges over all valid policies",
		       kl, n);
	}
}

/* A device with another ID, or another key, is not addressed. */
static void test_wrong_device(void)
{
	u8 nn[16], dn[16], out[AIOT_MSG_MAX], got[AIOTSEC_PLEN_MAX];
	struct dev d, other;
	struct aiot_msg m;
	bool pass = true;
	unsigned int p;
	int len, which;

	dev_init(&d, 16);
	for (which = 0; which < 2; which++) {
		other = d;
		other.cred.id = other.id;
		other.cred.hk = &other.hk;
		if (which)
			other.id[15] ^= 1;
		else
			aiot_hkey_init(&other.hk, (const u8 *)"another key.....",
				       16);
		for (p = 0; p < 256; p++) {
			u8 ap = p & AIOTSEC_POL_AUTH_MASK;

			if (!valid_cmd_policy(p))
				continue;
			th_random(nn, 16);
			th_random(dn, 16);
			len = aiotf_paging(&d.cred, nn, ap, out);
			aiot_parse(out, len, &m);
			pass &= aiotdev_paging_match(&other.cred, &m) ==
				AIOTSEC_DROP_ID;
			len = aiotf_command(&d.cred, nn, (u8)p, nn, 16, out);
			aiot_parse(out, len, &m);
			pass &= aiotdev_command_open(&other.cred, &m, got) ==
				AIOTSEC_DROP_ID;
			/* The network expects @d; @other answers. */
			len = aiotdev_auth_resp(&other.cred, nn, dn, ap, NULL,
						0, out);
			aiot_parse(out, len, &m);
			pass &= aiotf_auth_resp(&d.cred, nn, ap, ap, &m) ==
				(which ? AIOTSEC_DROP_ID : AIOTSEC_DROP_MAC);
			len = aiotdev_cmd_resp(&other.cred, nn, dn, (u8)p, nn,
					       16, out);
			aiot_parse(out, len, &m);
			pass &= aiotf_cmd_resp(&d.cred, nn, (u8)p, &m,
					       got) ==
				(which ? AIOTSEC_DROP_NONE : AIOTSEC_DROP_MAC);
		}
		tap_ok(pass, "a device with another %s: PAGING and COMMAND "
		       "not for it, its AUTH_RESP%s dropped",
		       which ? "ID" : "key",
		       which ? "" : " and CMD_RESP");
	}
	aiot_hkey_wipe(&d.hk);
}

/* Responses to another transaction (CT), and every type mix-up. */
static void test_ct_and_type(void)
{
	u8 nn[16], nn_other[16], dn[16], out[4][AIOT_MSG_MAX];
	u8 got[AIOTSEC_PLEN_MAX], ap = 0x01, pol = 0x09;
	struct aiot_msg m[4];
	struct dev d;
	bool pass;
	int t, len[4];

	dev_init(&d, 16);
	th_random(nn, 16);
	th_random(dn, 16);
	memcpy(nn_other, nn, 16);
	nn_other[3] ^= 0x80;
	len[0] = aiotf_paging(&d.cred, nn, ap, out[0]);
	len[1] = aiotdev_auth_resp(&d.cred, nn, dn, ap, NULL, 0, out[1]);
	len[2] = aiotf_command(&d.cred, nn, pol, dn, 16, out[2]);
	len[3] = aiotdev_cmd_resp(&d.cred, nn, dn, pol, dn, 16, out[3]);
	for (t = 0; t < 4; t++)
		aiot_parse(out[t], len[t], &m[t]);

	tap_ok(aiotf_auth_resp(&d.cred, nn_other, ap, ap, &m[1]) ==
	       AIOTSEC_DROP_UNKNOWN_CT &&
	       aiotf_cmd_resp(&d.cred, nn_other, pol, &m[3], got) ==
	       AIOTSEC_DROP_UNKNOWN_CT,
	       "responses carrying another transaction's CT dropped");

	pass = true;
	for (t = 0; t < 4; t++) {
		if (t != 0)
			pass &= aiotdev_paging_match(&d.cred, &m[t]) ==
				AIOTSEC_DROP_TYPE;
		if (t != 1)
			pass &= aiotf_auth_resp(&d.cred, nn, ap, ap,
						&m[t]) == AIOTSEC_DROP_TYPE;
		if (t != 2)
			pass &= aiotdev_command_open(&d.cred, &m[t], got) ==
				AIOTSEC_DROP_TYPE;
		if (t != 3)
			pass &= aiotf_cmd_resp(&d.cred, nn, pol, &m[t],
					       got) == AIOTSEC_DROP_TYPE;
	}
	tap_ok(pass, "each verifier drops the 3 other message types");
	aiot_hkey_wipe(&d.hk);
}

/* The reference of PROTOCOL.md: PC, MI where the minimum has them, ML. */
static bool ref_meets(unsigned int p, unsigned int min, bool auth)
{
	if ((p >> 5 & 3) < (min >> 5 & 3))
		return false;
	if (auth)
		return true;
	return !((min & 0x04) && !(p & 0x04)) && !((min & 0x10) && !(p & 0x10));
}

/* Every response policy against every minimum, through the verifiers. */
static void test_downgrade(void)
{
	u8 nn[16], dn[16], out[AIOT_MSG_MAX], got[AIOTSEC_PLEN_MAX];
	unsigned int p, min, n = 0;
	struct aiot_msg m;
	struct dev d;
	bool pass = true;
	int len;

	dev_init(&d, 32);
	th_random(nn, 16);
	th_random(dn, 16);
	for (p = 0; p < 256; p++) {
		if (!valid_cmd_policy(p))
			continue;
		len = aiotdev_cmd_resp(&d.cred, nn, dn, (u8)p, dn, 16, out);
		aiot_parse(out, len, &m);
		for (min = 0; min < 256; min++) {
			enum aiotsec_drop want;

			if (!valid_cmd_policy(min))
				continue;
			want = ref_meets(p, min, false) ? AIOTSEC_DROP_NONE :
			       AIOTSEC_DROP_DOWNGRADE;
			n++;
			if (aiotf_cmd_resp(&d.cred, nn, (u8)min, &m, got) !=
			    want) {
				tap_diag("CMD_RESP %02x, minimum %02x", p, min);
				pass = false;
			}
		}
	}
	tap_ok(pass, "CMD_RESP: %u policy / minimum pairs; dropped exactly "
	       "when PC, MI or MAC length falls short", n);

	pass = true;
	n = 0;
	for (p = 0; p < 128; p++) {
		u8 pp = (u8)p;

		if (aiot_policy_check(pp, AIOT_MSG_AUTH_RESP))
			continue;
		len = aiotdev_auth_resp(&d.cred, nn, dn, pp, NULL, 0, out);
		aiot_parse(out, len, &m);
		for (min = 0; min < 128; min++) {
			u8 pg = (u8)min;
			enum aiotsec_drop want = AIOTSEC_DROP_NONE;

			if (aiot_policy_check(pg, AIOT_MSG_PAGING))
				continue;
			/* The PAGING's policy is also the minimum here. */
			if ((pp & 3) != (pg & 3) || !ref_meets(pp, pg, true))
				want = AIOTSEC_DROP_DOWNGRADE;
			n++;
			if (aiotf_auth_resp(&d.cred, nn, pg, pg, &m) !=
			    want) {
				tap_diag("AUTH_RESP %02x, PAGING %02x", pp, pg);
				pass = false;
			}
		}
	}
	tap_ok(pass, "AUTH_RESP: %u policy / PAGING pairs; dropped exactly "
	       "when IDP differs or the MAC is shorter", n);
	aiot_hkey_wipe(&d.hk);
}

/* Builders refuse every invalid policy, and keys of a wrong size. */
static void test_builders(void)
{
	u8 nn[16] = { 0 }, out[AIOT_MSG_MAX], p8[8] = { 0 };
	struct aiot_hkey hk;
	unsigned int p;
	struct dev d;
	bool pass = true;

	dev_init(&d, 16);
	for (p = 0; p < 256; p++) {
		u8 pp = (u8)p;
		bool auth_ok = !aiot_policy_check(pp, AIOT_MSG_PAGING);
		bool cmd_ok = valid_cmd_policy(p);

		pass &= (aiotf_paging(&d.cred, nn, pp, out) > 0) == auth_ok;
		pass &= (aiotdev_auth_resp(&d.cred, nn, nn, pp, NULL, 0,
					   out) > 0) == auth_ok;
		pass &= (aiotf_command(&d.cred, nn, pp, p8, 8, out) > 0) ==
			cmd_ok;
		pass &= (aiotdev_cmd_resp(&d.cred, nn, nn, pp, p8, 8,
					  out) > 0) == cmd_ok;
	}
	tap_ok(pass, "the 4 builders refuse exactly the invalid policies");
	tap_ok(aiot_hkey_init(&hk, d.k, 0) == -EINVAL &&
	       aiot_hkey_init(&hk, d.k, 65) == -EINVAL,
	       "keys of 0 and 65 bytes refused");
	aiot_hkey_wipe(&d.hk);
}

int main(void)
{
	test_roundtrip();
	test_wrong_device();
	test_ct_and_type();
	test_downgrade();
	test_builders();
	return tap_done();
}
