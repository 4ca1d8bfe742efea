// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Every single-bit flip of every vector message, as its receiver sees it:
 * the network must drop each flipped AUTH_RESP and CMD_RESP, the device
 * each flipped COMMAND and PAGING. A frame counts as dropped when the
 * codec or the verifier drops it.
 *
 * One exception, by design of the profile: a PAGING has no MAC, so the ML
 * field of its policy (the MAC length asked of the AUTH_RESP) is not
 * protected. For those flips the device answers, and the network must
 * then drop the answer when its MAC is shorter than the device's minimum.
 */
#include <stdlib.h>

#include "thelp.h"

static struct pvec *vec;
static size_t nvec;

static bool is_paging_ml_bit(int t, size_t bit)
{
	return t == PV_PAGING && bit / 8 == 2 &&
	       (1u << (bit % 8)) & AIOTSEC_POL_ML_MASK;
}

/*
 * A PAGING with a flipped ML bit: the device answers it; the network,
 * expecting the original PAGING's policy as minimum, accepts the answer
 * only if its MAC is not shorter. Returns true when all of that holds.
 */
static bool paging_ml_flip(const struct pvec *v, const struct pvec_dev *d,
			   const struct aiot_msg *pg)
{
	u8 ap = pvec_auth_policy(v), out[AIOT_MSG_MAX];
	enum aiotsec_drop err, want;
	struct aiot_msg m;
	int len;

	if (aiotdev_paging_match(&d->cred, pg))
		return true;		/* dropped anyway */
	len = aiotdev_auth_resp(&d->cred, pg->nn, v->dn, pg->policy, v->cap,
				(u8)v->caplen, out);
	if (len < 0 || aiot_parse(out, (size_t)len, &m))
		return false;
	err = aiotf_auth_resp(&d->cred, v->nn, ap, ap, &m);
	want = aiot_mac_len(pg->policy) < aiot_mac_len(ap) ?
	       AIOTSEC_DROP_DOWNGRADE : AIOTSEC_DROP_NONE;
	if (err != want)
		tap_diag("PAGING policy %02x -> %02x: answer gives %d",
			 ap, pg->policy, err);
	return err == want;
}

/*
 * Flip each bit of message @t of @v; the network's minimum is @min_auth
 * for AUTH_RESP and @min_cmd for CMD_RESP. Counts the flips in *n.
 */
static bool flip_all(int t, const struct pvec *v, u8 min_auth, u8 min_cmd,
		     unsigned int *n)
{
	u8 payload[AIOTSEC_PLEN_MAX], canary[AIOTSEC_PLEN_MAX];
	size_t len = v->msglen[t], bit;
	struct pvec_dev d;
	bool pass = true;

	pvec_dev_init(&d, v);
	th_random(canary, sizeof(canary));
	for (bit = 0; bit < 8 * len; bit++) {
		enum aiotsec_drop err;
		struct aiot_msg m;
		u8 *b = th_dup(v->msg[t], len);

		b[bit / 8] ^= (u8)(1u << (bit % 8));
		memcpy(payload, canary, sizeof(payload));
		err = aiot_parse(b, len, &m);
		if (!err && is_paging_ml_bit(t, bit)) {
			if (!paging_ml_flip(v, &d, &m))
				pass = false;
		} else if (!err) {
			err = th_receive(t, v, &d.cred, min_auth, min_cmd, &m,
					 payload);
			if (!err) {
				tap_diag("%s bit %zu flipped: accepted",
					 pv_msg_name[t], bit);
				pass = false;
			} else if (memcmp(payload, canary, sizeof(payload))) {
				/* Nothing is written for a dropped frame. */
				tap_diag("%s bit %zu flipped: payload written",
					 pv_msg_name[t], bit);
				pass = false;
			}
		}
		free(b);
		(*n)++;
	}
	pvec_dev_wipe(&d);
	return pass;
}

/* The unmodified messages are accepted: the flips test something. */
static bool all_accepted(const struct pvec *v, u8 min_auth, u8 min_cmd)
{
	u8 payload[AIOTSEC_PLEN_MAX];
	struct pvec_dev d;
	bool pass = true;
	int t;

	pvec_dev_init(&d, v);
	for (t = 0; t < PV_NMSG; t++) {
		struct aiot_msg m;
		u8 *b;

		if (th_parse(v->msg[t], v->msglen[t], &m, &b) ||
		    th_receive(t, v, &d.cred, min_auth, min_cmd, &m, payload))
			pass = false;
		free(b);
	}
	pvec_dev_wipe(&d);
	return pass;
}

static void test_flips(const char *what, bool weakest)
{
	size_t i;
	int t;

	for (i = 0; i < nvec; i++) {
		const struct pvec *v = &vec[i];
		u8 min_auth = pvec_auth_policy(v), min_cmd = v->policy;
		unsigned int n = 0;
		bool pass;

		if (weakest) {
			/* Only IDP: 4-byte MAC, no PC, either integrity. */
			min_auth &= AIOTSEC_POL_IDP_MASK;
			min_cmd &= AIOTSEC_POL_IDP_MASK;
		}
		pass = all_accepted(v, min_auth, min_cmd);
		for (t = 0; t < PV_NMSG; t++)
			pass &= flip_all(t, v, min_auth, min_cmd, &n);
		tap_ok(pass, "record %s (policy %02x): all %u bit flips "
		       "dropped, %s", v->count, v->policy, n, what);
	}
}

int main(int argc, char **argv)
{
	struct rsp_file f;

	if (th_load(argc, argv, &f, &vec, &nvec))
		return 1;
	test_flips("minimum = the record's policy", false);
	test_flips("weakest minimum", true);
	th_unload(&f, vec);
	return tap_done();
}
