// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Inventory of unknown devices (PROTOCOL.md v1.1): INVENTORY and INV_RESP
 * in the codec (layout, policy, FBITS and FILTER, CAPLEN, truncation),
 * the group match against a bit-by-bit reference, and the AIoTF's
 * verifier against every way an INV_RESP can be wrong. The records of
 * DIR/profile-v1.1-inventory.rsp, DIR being argv[1].
 */
#include <stdio.h>
#include <stdlib.h>

#include "ivec.h"
#include "thelp.h"

static struct ivec vec[256];
static size_t nvec;

static int load(const char *dir, struct rsp_file *f)
{
	char path[4096];
	size_t i;

	snprintf(path, sizeof(path), "%s/profile-v1.1-inventory.rsp", dir);
	if (rsp_load(f, path))
		return -1;
	for (i = 0; i < f->nblk && nvec < ARRAY_SIZE(vec); i++) {
		if (!f->blk[i].nfield)
			continue;
		if (ivec_read(f, &f->blk[i], &vec[nvec]))
			return -1;
		nvec++;
	}
	return nvec ? 0 : -1;
}

/* The match of PROTOCOL.md, bit by bit, written apart from codec.c. */
static bool ref_match(const u8 *group, unsigned int fbits, const u8 *filter)
{
	unsigned int i;

	for (i = 0; i < fbits; i++) {
		if ((group[i / 8] >> (7 - i % 8) & 1) !=
		    (filter[i / 8] >> (7 - i % 8) & 1))
			return false;
	}
	return true;
}

static void test_layout(void)
{
	bool pass = true;
	size_t i, nmatch = 0;

	for (i = 0; i < nvec; i++) {
		const struct ivec *v = &vec[i];
		struct aiot_msg m;
		u8 *b;

		if (th_parse(v->out[IV_INVENTORY], v->outlen[IV_INVENTORY],
			     &m, &b) ||
		    m.type != AIOT_MSG_INVENTORY || m.nn != b + 3 ||
		    m.fbits != v->fbits || m.filter != b + 20 ||
		    m.len != 20 + v->flen || m.mac || m.policy != v->policy)
			pass = false;
		free(b);
		if (!v->outlen[IV_INV_RESP])
			continue;
		nmatch++;
		if (th_parse(v->out[IV_INV_RESP], v->outlen[IV_INV_RESP],
			     &m, &b) ||
		    m.type != AIOT_MSG_INV_RESP || m.ct != b + 3 ||
		    m.dn != b + 7 || m.rid != b + 23 || m.caplen != v->caplen ||
		    m.cap != b + 32 || m.mac != b + 32 + v->caplen ||
		    m.len != 32 + v->caplen + m.maclen ||
		    memcmp(m.rid, v->out[IV_RID], AIOT_RID_LEN))
			pass = false;
		free(b);
	}
	tap_ok(pass && nmatch > 0 && nmatch < nvec,
	       "layout of %zu INVENTORY and %zu INV_RESP vectors", nvec,
	       nmatch);
}

static void test_policy(void)
{
	unsigned int p, t, n[2] = { 0, 0 };
	bool pass = true;

	for (t = AIOT_MSG_INVENTORY; t <= AIOT_MSG_INV_RESP; t++) {
		for (p = 0; p < 256; p++) {
			bool ok = !aiot_policy_check(p, t);
			bool want = !(p & ~0x60u) && p != 0x60;

			pass &= ok == want;
			n[t - AIOT_MSG_INVENTORY] += ok;
		}
	}
	tap_ok(pass && n[0] == 3 && n[1] == 3,
	       "INVENTORY and INV_RESP: only the 3 ML-only policies are valid");
}

/* FBITS over 64 and every filter bit past FBITS: AIOTSEC_DROP_FILTER. */
static void test_filter(void)
{
	u8 buf[64] = { 0x15, 0x01, 0x00 };
	unsigned int fbits, bit, n = 0;
	struct aiot_msg m;
	bool pass = true;

	for (fbits = 65; fbits < 256; fbits++) {
		buf[19] = (u8)fbits;
		pass &= aiot_parse(buf, 28, &m) == AIOTSEC_DROP_FILTER;
		n++;
	}
	for (fbits = 0; fbits <= 64; fbits++) {
		size_t flen = (fbits + 7) / 8;

		buf[19] = (u8)fbits;
		memset(buf + 20, 0, 8);
		pass &= aiot_parse(buf, 20 + flen, &m) == AIOTSEC_DROP_NONE &&
			m.len == 20 + flen;
		for (bit = fbits; bit < flen * 8; bit++) {
			memset(buf + 20, 0, 8);
			buf[20 + bit / 8] = (u8)(0x80 >> (bit % 8));
			pass &= aiot_parse(buf, 20 + flen, &m) ==
				AIOTSEC_DROP_FILTER;
			pass &= aiotf_inventory(buf + 3, 0, (u8)fbits,
						buf + 20, buf + 32) == -EINVAL;
			n++;
		}
		if (flen && fbits < 64) {
			/* One byte short of its FILTER. */
			u8 *b = th_dup(buf, 19 + flen);

			memset(b + 20, 0, flen - 1);
			pass &= aiot_parse(b, 19 + flen, &m) ==
				AIOTSEC_DROP_SHORT;
			free(b);
		}
	}
	tap_ok(pass, "%u INVENTORYs with FBITS over 64 or a bit past FBITS dropped and refused",
	       n);
}

static void test_match(void)
{
	unsigned int i, fbits, agree = 0, hits = 0, total = 0;
	u8 group[8], filter[8];

	for (i = 0; i < 2000; i++) {
		th_random(group, sizeof(group));
		memcpy(filter, group, sizeof(filter));
		if (i % 2) {
			unsigned int flip = i % 64;

			filter[flip / 8] ^= (u8)(0x80 >> (flip % 8));
		}
		for (fbits = 0; fbits <= 64; fbits++) {
			u8 f[8] = { 0 };

			memcpy(f, filter, (fbits + 7) / 8);
			if (fbits % 8)
				f[fbits / 8] &= (u8)(0xff << (8 - fbits % 8));
			agree += aiot_group_match(group, (u8)fbits, f) ==
				 ref_match(group, fbits, f);
			hits += ref_match(group, fbits, f);
			total++;
		}
	}
	tap_ok(agree == total && hits > 0 && hits < total,
	       "group match equals the bit-by-bit reference (%u cases, %u matches)",
	       total, hits);
}

static void test_truncation(void)
{
	bool pass = true;
	size_t i, len;

	for (i = 0; i < nvec; i++) {
		const struct ivec *v = &vec[i];
		int t;

		for (t = IV_INVENTORY; t <= IV_INV_RESP; t += 3) {
			for (len = 0; len < v->outlen[t]; len++) {
				struct aiot_msg m;
				u8 *b;

				if (th_parse(v->out[t], len, &m, &b) ==
				    AIOTSEC_DROP_NONE)
					pass = false;
				free(b);
			}
		}
	}
	tap_ok(pass, "every truncation of every vector message is dropped");
}

static void test_caplen(void)
{
	const struct ivec *v = &vec[0];
	u8 buf[128] = { 0 };
	struct aiot_msg m;
	unsigned int c;
	bool pass = true;

	memcpy(buf, v->out[IV_INV_RESP], 31);
	for (c = 0; c < 256; c++) {
		size_t len = 32 + c + 4;

		buf[31] = (u8)c;
		if (len > sizeof(buf))
			len = sizeof(buf);
		pass &= aiot_parse(buf, len, &m) == (c <= 32 ?
			AIOTSEC_DROP_NONE : AIOTSEC_DROP_CAPLEN);
	}
	tap_ok(pass && v->policy == 0,
	       "INV_RESP CAPLEN 0..32 parse, 33..255 dropped");
}

/* Each way an INV_RESP of a matching record can be wrong. */
static void test_verify(void)
{
	unsigned int ntested = 0;
	bool pass = true;
	size_t i;

	for (i = 0; i < nvec; i++) {
		const struct ivec *v = &vec[i];
		struct aiot_cred cred = { .id = v->id };
		u8 rid[AIOT_RID_LEN], nn[AIOT_NONCE_LEN];
		size_t len = v->outlen[IV_INV_RESP], j;
		struct aiot_hkey hk;
		struct aiot_msg m, inv;
		u8 *b, *ib;

		if (!len)
			continue;
		ntested++;
		aiot_hkey_init(&hk, v->k, v->klen);
		cred.hk = &hk;
		th_parse(v->out[IV_INVENTORY], v->outlen[IV_INVENTORY], &inv,
			 &ib);
		th_parse(v->out[IV_INV_RESP], len, &m, &b);
		pass &= aiotf_inv_resp(&cred, v->nn, v->policy, v->policy,
				       v->out[IV_RID], &m) == AIOTSEC_DROP_NONE;
		pass &= aiotf_inv_resp(&cred, v->nn, v->policy, v->policy,
				       v->out[IV_RID], &inv) ==
			AIOTSEC_DROP_TYPE;
		pass &= aiotdev_inventory_match(v->group, &m) ==
			AIOTSEC_DROP_TYPE;
		memcpy(nn, v->nn, sizeof(nn));
		nn[3] ^= 1;
		pass &= aiotf_inv_resp(&cred, nn, v->policy, v->policy,
				       v->out[IV_RID], &m) ==
			AIOTSEC_DROP_UNKNOWN_CT;
		/* Another ML than the INVENTORY's, or below the minimum. */
		pass &= aiotf_inv_resp(&cred, v->nn, v->policy ^ 0x20,
				       v->policy, v->out[IV_RID], &m) ==
			AIOTSEC_DROP_DOWNGRADE;
		if (v->policy != 0x40)
			pass &= aiotf_inv_resp(&cred, v->nn, v->policy, 0x40,
					       v->out[IV_RID], &m) ==
				AIOTSEC_DROP_DOWNGRADE;
		memcpy(rid, v->out[IV_RID], sizeof(rid));
		rid[7] ^= 0x80;
		pass &= aiotf_inv_resp(&cred, v->nn, v->policy, v->policy,
				       rid, &m) == AIOTSEC_DROP_ID;
		/* Every byte that the MAC covers, and the MAC, flipped. */
		for (j = 3; j < len; j++) {
			if (j >= 23 && j < 31)
				continue;	/* RID: its own check */
			b[j] ^= 0x01;
			pass &= aiotf_inv_resp(&cred, v->nn, v->policy,
					       v->policy, v->out[IV_RID], &m) ==
				(j < 7 ? AIOTSEC_DROP_UNKNOWN_CT :
					 AIOTSEC_DROP_MAC);
			b[j] ^= 0x01;
		}
		aiot_hkey_wipe(&hk);
		free(b);
		free(ib);
	}
	tap_ok(pass && ntested, "%u INV_RESPs: type, CT, policy, RID and every covered byte checked",
	       ntested);
}

/* Builders refuse what the profile forbids. */
static void test_builders(void)
{
	const struct ivec *v = &vec[0];
	struct aiot_cred cred = { .id = v->id };
	u8 out[AIOT_MSG_MAX], zero[8] = { 0 };
	struct aiot_hkey hk;
	bool pass = true;
	unsigned int p;

	aiot_hkey_init(&hk, v->k, v->klen);
	cred.hk = &hk;
	for (p = 0; p < 256; p++) {
		bool ok = !(p & ~0x60u) && p != 0x60;

		pass &= (aiotf_inventory(v->nn, (u8)p, 0, zero, out) > 0) == ok;
		pass &= (aiotdev_inv_resp(&cred, v->nn, v->dn, (u8)p, NULL, 0,
					  out) > 0) == ok;
	}
	pass &= aiotf_inventory(v->nn, 0, 65, zero, out) == -EINVAL;
	pass &= aiotdev_inv_resp(&cred, v->nn, v->dn, 0, zero, 33, out) ==
		-EINVAL;
	aiot_hkey_wipe(&hk);
	tap_ok(pass, "builders refuse bad policies, FBITS 65 and CAPLEN 33");
}

int main(int argc, char **argv)
{
	struct rsp_file f;

	if (argc != 2 || load(argv[1], &f)) {
		printf("Bail out! cannot read the inventory vectors%s%s\n",
		       argc == 2 ? ": " : "", argc == 2 ? f.err : "");
		return 1;
	}
	test_layout();
	test_policy();
	test_filter();
	test_match();
	test_truncation();
	test_caplen();
	test_verify();
	test_builders();
	rsp_free(&f);
	return tap_done();
}
