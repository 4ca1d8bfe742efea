// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame codec against PROTOCOL.md "Messages", "Security policy byte" and
 * "Transport": the layout of every vector message, and every way to make
 * one malformed (truncation, policy, version, suite, type, PLEN, CAPLEN,
 * trailing bytes). Every parse reads an exact-size heap copy.
 */
#include <stdio.h>
#include <stdlib.h>

#include "thelp.h"

static struct pvec *vec;
static size_t nvec;

/* The policy rules of PROTOCOL.md, written independently of codec.c. */
static bool ref_policy_valid(unsigned int p, unsigned int type)
{
	unsigned int idp = p & 3, pc = p >> 2 & 1, pi = p >> 3 & 1;
	unsigned int mi = p >> 4 & 1, ml = p >> 5 & 3;

	if (p & 0x80 || idp == 0 || idp == 3 || ml == 3)
		return false;
	if (type == AIOT_MSG_PAGING || type == AIOT_MSG_AUTH_RESP)
		return !pc && !pi && !mi;
	return pi + mi == 1;
}

static const char *tname(int t)
{
	return pv_msg_name[t];
}

/* Expected offsets of each field, from the layout table. */
static bool layout_ok(int t, const struct pvec *v, const struct aiot_msg *m,
		      const u8 *b)
{
	size_t maclen = (size_t)4 << (v->policy >> 5 & 3);
	size_t len = v->msglen[t];

	if (m->type != th_type[t] || m->len != len || m->hdr != b ||
	    m->maclen != maclen)
		return false;
	switch (t) {
	case PV_PAGING:
		return len == 35 && m->nn == b + 3 && m->pid == b + 19 &&
		       !memcmp(m->nn, v->nn, 16);
	case PV_AUTH_RESP:
		return m->ct == b + 3 && m->dn == b + 7 && m->pid == b + 23 &&
		       m->caplen == v->caplen && m->cap == b + 40 &&
		       !memcmp(m->cap, v->cap, v->caplen) &&
		       !memcmp(m->ct, v->nn, 4) &&
		       !memcmp(m->dn, v->dn, 16) &&
		       m->mac == b + 40 + v->caplen &&
		       len == 40 + v->caplen + maclen;
	case PV_COMMAND:
		return m->nn == b + 3 && m->pid == b + 19 &&
		       m->plen_p == b + 35 && m->sp == b + 37 &&
		       m->plen == v->plen && m->mac == b + 37 + v->plen &&
		       len == 37 + v->plen + maclen &&
		       ((v->policy & AIOTSEC_POL_PC) ||
			!memcmp(m->sp, v->payload, v->plen));
	default:
		return m->ct == b + 3 && m->dn == b + 7 &&
		       m->plen_p == b + 23 && m->sp == b + 25 &&
		       m->plen == v->rlen && m->mac == b + 25 + v->rlen &&
		       len == 25 + v->rlen + maclen &&
		       !memcmp(m->dn, v->dn2, 16) &&
		       ((v->policy & AIOTSEC_POL_PC) ||
			!memcmp(m->sp, v->resp, v->rlen));
	}
}

static void test_layout(void)
{
	size_t i;
	int t;

	for (i = 0; i < nvec; i++) {
		bool pass = true;

		for (t = 0; t < PV_NMSG; t++) {
			struct aiot_msg m;
			enum aiotsec_drop err;
			u8 *b;

			err = th_parse(vec[i].msg[t], vec[i].msglen[t], &m, &b);
			if (err || !layout_ok(t, &vec[i], &m, b)) {
				tap_diag("%s: drop %d or wrong layout",
					 tname(t), err);
				pass = false;
			}
			free(b);
		}
		tap_ok(pass, "record %s: the 4 messages parse with the layout "
		       "of PROTOCOL.md", vec[i].count);
	}
}

static void test_truncation(void)
{
	size_t i, len, n;
	int t;

	for (i = 0; i < nvec; i++) {
		bool pass = true;

		for (t = 0, n = 0; t < PV_NMSG; t++) {
			for (len = 0; len < vec[i].msglen[t]; len++, n++) {
				struct aiot_msg m;
				enum aiotsec_drop err;
				u8 *b;

				err = th_parse(vec[i].msg[t], len, &m, &b);
				free(b);
				if (err != AIOTSEC_DROP_SHORT) {
					tap_diag("%s cut to %zu bytes: drop %d",
						 tname(t), len, err);
					pass = false;
				}
			}
		}
		tap_ok(pass, "record %s: all %zu truncations dropped as short",
		       vec[i].count, n);
	}
}

/* Every policy byte in a message of each type. */
static void test_policy(void)
{
	static const unsigned int want_valid[PV_NMSG] = { 6, 6, 24, 24 };
	u8 seen[256] = { 0 };
	unsigned int p, nvalid;
	size_t i;
	int t;
	bool pass;

	for (t = 0; t < PV_NMSG; t++) {
		const struct pvec *v = &vec[0];

		pass = true;
		nvalid = 0;
		for (p = 0; p < 256; p++) {
			bool valid = ref_policy_valid(p, th_type[t]);
			enum aiotsec_drop err, chk;
			struct aiot_msg m;
			u8 *b = th_dup(v->msg[t], v->msglen[t]);

			b[2] = (u8)p;
			err = aiot_parse(b, v->msglen[t], &m);
			chk = aiot_policy_check((u8)p, th_type[t]);
			free(b);
			nvalid += valid;
			if (valid ? (chk || err == AIOTSEC_DROP_POLICY) :
				    (chk != AIOTSEC_DROP_POLICY ||
				     err != AIOTSEC_DROP_POLICY)) {
				tap_diag("policy %02x: parse %d, check %d",
					 p, err, chk);
				pass = false;
			}
		}
		tap_ok(pass && nvalid == want_valid[t],
		       "%s: %u valid policy bytes accepted, the %u others "
		       "dropped as invalid policy", tname(t), nvalid,
		       256 - nvalid);
	}

	/* PROTOCOL.md: records 0-23 cover every valid policy. */
	pass = nvec >= 24;
	for (i = 0; i < 24 && i < nvec; i++)
		seen[vec[i].policy]++;
	for (p = 0; p < 256; p++) {
		if (seen[p] != ref_policy_valid(p, AIOT_MSG_COMMAND))
			pass = false;
	}
	tap_ok(pass, "records 0-23 have each valid COMMAND policy once");
}

/* Each wrong version, type or suite in the header; expect @want. */
static void test_header(const char *what, enum aiotsec_drop want)
{
	unsigned int x, n, max = want == AIOTSEC_DROP_SUITE ? 255 : 15;
	int t;

	for (t = 0; t < PV_NMSG; t++) {
		const struct pvec *v = &vec[0];
		bool pass = true;

		for (x = 0, n = 0; x <= max; x++) {
			enum aiotsec_drop err;
			struct aiot_msg m;
			u8 *b;

			if ((want == AIOTSEC_DROP_VERSION &&
			     x == AIOT_VERSION) ||
			    (want == AIOTSEC_DROP_TYPE &&
			     x >= AIOT_MSG_PAGING &&
			     x <= AIOT_MSG_TYPE_LAST) ||
			    (want == AIOTSEC_DROP_SUITE &&
			     x == AIOT_SUITE_1))
				continue;
			b = th_dup(v->msg[t], v->msglen[t]);
			if (want == AIOTSEC_DROP_VERSION)
				b[0] = (u8)(x << 4 | (b[0] & 0x0f));
			else if (want == AIOTSEC_DROP_TYPE)
				b[0] = (u8)(AIOT_VERSION << 4 | x);
			else
				b[1] = (u8)x;
			n++;
			err = aiot_parse(b, v->msglen[t], &m);
			free(b);
			if (err != want) {
				tap_diag("%s %02x: drop %d", what, x, err);
				pass = false;
			}
		}
		tap_ok(pass, "%s: each of %u wrong %s values dropped",
		       tname(t), n, what);
	}
}

/* PLEN over 1024 in a buffer of the length it claims, and 1024 itself. */
static void test_plen(void)
{
	static u8 big[AIOT_MSG_MAX + 65536];
	u8 out[AIOT_MSG_MAX], payload[AIOTSEC_PLEN_MAX + 1];
	const struct pvec *v = &vec[0];
	struct pvec_dev d;
	struct aiot_msg m;
	unsigned int plen;
	int t, ret;

	for (t = PV_COMMAND; t <= PV_CMD_RESP; t++) {
		size_t head = t == PV_COMMAND ? 37 : 25;
		size_t body = t == PV_COMMAND ? v->plen : v->rlen;
		size_t mac = v->msglen[t] - head - body;
		bool pass = true;

		memcpy(big, v->msg[t], head);
		for (plen = AIOTSEC_PLEN_MAX + 1; plen <= 0xffff; plen++) {
			put_unaligned_be16((u16)plen, big + head - 2);
			if (aiot_parse(big, head + plen + mac, &m) !=
			    AIOTSEC_DROP_PLEN)
				pass = false;
		}
		tap_ok(pass, "%s: every PLEN from 1025 to 65535 dropped",
		       tname(t));
	}

	th_random(payload, sizeof(payload));
	pvec_dev_init(&d, v);
	ret = aiotf_command(&d.cred, v->nn2, v->policy, payload,
			    AIOTSEC_PLEN_MAX, out);
	tap_ok(ret == (int)aiot_command_len(v->policy, AIOTSEC_PLEN_MAX) &&
	       !aiot_parse(out, ret, &m) && m.plen == AIOTSEC_PLEN_MAX &&
	       !aiotdev_command_open(&d.cred, &m, big),
	       "COMMAND with PLEN 1024 is built, parsed and opened");
	ret = aiotdev_cmd_resp(&d.cred, v->nn2, v->dn2, v->policy, payload,
			       AIOTSEC_PLEN_MAX, out);
	tap_ok(ret > 0 && !aiot_parse(out, ret, &m) &&
	       !aiotf_cmd_resp(&d.cred, v->nn2, v->policy, &m, big),
	       "CMD_RESP with PLEN 1024 is built, parsed and verified");
	tap_ok(aiotf_command(&d.cred, v->nn2, v->policy, payload,
			     AIOTSEC_PLEN_MAX + 1, out) == -EINVAL &&
	       aiotdev_cmd_resp(&d.cred, v->nn2, v->dn2, v->policy,
				payload, AIOTSEC_PLEN_MAX + 1, out) == -EINVAL,
	       "builders refuse PLEN 1025");
	pvec_dev_wipe(&d);
}

static void test_caplen(void)
{
	u8 big[256 + 64], out[AIOT_MSG_MAX], cap[AIOTSEC_CAPLEN_MAX + 1];
	const struct pvec *v = &vec[0];
	u8 ap = pvec_auth_policy(v);
	struct pvec_dev d;
	struct aiot_msg m;
	unsigned int c;
	bool pass = true;
	int ret;

	memset(big, 0, sizeof(big));
	memcpy(big, v->msg[PV_AUTH_RESP], 39);
	for (c = AIOTSEC_CAPLEN_MAX + 1; c <= 255; c++) {
		big[39] = (u8)c;
		if (aiot_parse(big, aiot_auth_resp_len(ap, (u8)c), &m) !=
		    AIOTSEC_DROP_CAPLEN)
			pass = false;
	}
	tap_ok(pass, "AUTH_RESP: every CAPLEN from 33 to 255 dropped");

	th_random(cap, sizeof(cap));
	pvec_dev_init(&d, v);
	ret = aiotdev_auth_resp(&d.cred, v->nn, v->dn, ap, cap,
				AIOTSEC_CAPLEN_MAX, out);
	tap_ok(ret > 0 && !aiot_parse(out, ret, &m) &&
	       m.caplen == AIOTSEC_CAPLEN_MAX &&
	       !aiotf_auth_resp(&d.cred, v->nn, ap, ap, &m),
	       "AUTH_RESP with CAPLEN 32 is built, parsed and verified");
	tap_ok(aiotdev_auth_resp(&d.cred, v->nn, v->dn, ap, cap,
				 AIOTSEC_CAPLEN_MAX + 1, out) == -EINVAL,
	       "builder refuses CAPLEN 33");
	pvec_dev_wipe(&d);
}

/*
 * Trailing bytes are Ethernet padding only when the whole payload is at
 * most 46 bytes; a padded message must still verify.
 */
static void test_padding(void)
{
	u8 payload[AIOTSEC_PLEN_MAX];
	size_t i, extra;
	int t;

	for (t = 0; t < PV_NMSG; t++) {
		unsigned int accepted = 0, dropped = 0;
		bool pass = true;

		for (i = 0; i < nvec; i++) {
			const struct pvec *v = &vec[i];
			struct pvec_dev d;

			pvec_dev_init(&d, v);
			for (extra = 1; extra <= 64; extra++) {
				size_t len = v->msglen[t] + extra;
				enum aiotsec_drop err, want;
				struct aiot_msg m;
				u8 *b = malloc(len);

				memcpy(b, v->msg[t], v->msglen[t]);
				memset(b + v->msglen[t], extra & 1 ? 0 : 0xa5,
				       extra);
				want = len <= AIOT_PAD_PAYLOAD_MAX ?
				       AIOTSEC_DROP_NONE :
				       AIOTSEC_DROP_TRAILING;
				err = aiot_parse(b, len, &m);
				if (!err && (m.len != v->msglen[t] ||
					     th_receive(t, v, &d.cred,
							pvec_auth_policy(v),
							v->policy, &m,
							payload)))
					err = __AIOTSEC_DROP_MAX;
				if (err != want) {
					tap_diag("record %s + %zu bytes: %d",
						 v->count, extra, err);
					pass = false;
				}
				accepted += !err;
				dropped += !!err;
				free(b);
			}
			pvec_dev_wipe(&d);
		}
		tap_ok(pass, "%s + 1 to 64 trailing bytes: %u padded frames "
		       "(<= 46 bytes) accepted and verified, %u dropped",
		       tname(t), accepted, dropped);
	}
}

static void test_tiny(void)
{
	static const u8 hdr[3] = { 0x11, 0x01, 0x01 };
	bool pass = true;
	size_t len;

	for (len = 0; len < 3; len++) {
		struct aiot_msg m;
		u8 *b;

		if (th_parse(hdr, len, &m, &b) != AIOTSEC_DROP_SHORT)
			pass = false;
		free(b);
	}
	tap_ok(pass, "frames of 0 to 2 bytes dropped as short");
}

int main(int argc, char **argv)
{
	struct rsp_file f;

	if (th_load(argc, argv, &f, &vec, &nvec))
		return 1;
	test_layout();
	test_truncation();
	test_policy();
	test_header("version", AIOTSEC_DROP_VERSION);
	test_header("suite", AIOTSEC_DROP_SUITE);
	test_header("type", AIOTSEC_DROP_TYPE);
	test_plen();
	test_caplen();
	test_padding();
	test_tiny();
	th_unload(&f, vec);
	return tap_done();
}
