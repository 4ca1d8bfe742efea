// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the device group (profile v1.1) between the key store and
 * the kernel: what batch_add() puts in the message (lib/dev.c), what the
 * sync plan calls a change (lib/sync.c), and the table and JSON of
 * aiotctl device show (aiotctl/show.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "dev.h"
#include "jsonv.h"
#include "out.h"
#include "show.h"
#include "sync.h"
#include "tap.h"

static const uint8_t grp[8] = { 'M', 'A', 'I', 'N', 0, 0, 0, 0x01 };

/* A device of key 00..0f, policy enc,pi; @g NULL: group zero. */
static struct ks_entry entry(uint8_t last, const uint8_t *g)
{
	struct ks_entry e;
	int i;

	memset(&e, 0, sizeof(e));
	e.id[15] = last;
	for (i = 0; i < 16; i++)
		e.key[i] = (uint8_t)i;
	e.key_len = 16;
	e.policy = e.min_policy = 0x09;
	if (g)
		memcpy(e.group, g, 8);
	return e;
}

/* The kernel's view of entry(@last, @g): the fingerprint of 00..0f. */
static struct dev_info info(uint8_t last, const uint8_t *g)
{
	struct dev_info d;

	memset(&d, 0, sizeof(d));
	d.id[15] = last;
	d.fp = 0xf8d991e3e7e59fdaull;	/* the kernel's, tests/qemu/guest */
	d.key_len = 16;
	d.policy = d.min_policy = 0x09;
	if (g)
		memcpy(d.group, g, 8);
	return d;
}

/* The GROUP attribute of each device nest of a batch's message. */
static void test_batch(void)
{
	struct ks_entry e0 = entry(1, NULL), e1 = entry(2, grp);
	struct nlattr *devs = NULL, *d, *a;
	const struct nlattr *g[2] = { NULL, NULL };
	struct genlmsghdr *gh;
	struct anl an;
	struct batch b;
	int rem, rem2, n = 0, ngrp = 0;

	memset(&an, 0, sizeof(an));
	batch_init(&b, &an, AIOTSEC_CMD_ADD_DEVICES, AIOTSEC_F_REPLACE, 0);
	tap_ok(!batch_add(&b, &e0, 0) && !batch_add(&b, &e1, 1) && b.n == 2,
	       "two devices queued");
	if (!b.msg)
		return;
	nla_nest_end(b.msg, b.nest);
	gh = nlmsg_data(nlmsg_hdr(b.msg));
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem)
		if (nla_type(a) == AIOTSEC_A_DEVICES)
			devs = a;
	tap_ok(devs != NULL, "one AIOTSEC_A_DEVICES");
	if (devs) {
		nla_for_each_nested(d, devs, rem) {
			nla_for_each_nested(a, d, rem2)
				if (nla_type(a) == AIOTSEC_DEV_A_GROUP && n < 2) {
					g[n] = a;
					ngrp++;
				}
			n++;
		}
	}
	tap_ok(n == 2, "two device nests (%d)", n);
	tap_ok(!g[0], "group zero: no AIOTSEC_DEV_A_GROUP (the kernel's default)");
	tap_ok(g[1] && nla_len(g[1]) == 8 && !memcmp(nla_data(g[1]), grp, 8) &&
	       ngrp == 1, "a group: AIOTSEC_DEV_A_GROUP, its 8 bytes as given");
	batch_free(&b);
}

static void test_differs(void)
{
	struct ks_entry e = entry(1, grp), z = entry(1, NULL);
	struct dev_info d = info(1, NULL), dg = info(1, grp);

	tap_ok(sync_differs(&z, &d) == 0, "same key, policies, group 0: no change");
	tap_ok(sync_differs(&e, &dg) == 0, "same group: no change");
	tap_ok(sync_differs(&e, &d) == SYNC_D_GROUP, "only the group differs");
	tap_ok(sync_differs(&z, &dg) == SYNC_D_GROUP, "a group dropped is a change");
	e.group[7] ^= 0x80;
	tap_ok(sync_differs(&e, &dg) == SYNC_D_GROUP, "the last bit of a group");
	e.policy = 0x29;
	e.key[0] = 1;
	tap_ok(sync_differs(&e, &dg) == (SYNC_D_GROUP | SYNC_D_POLICY | SYNC_D_KEY),
	       "group, policy and key together");
}

static void test_plan(void)
{
	struct ks_entry e[3] = { entry(1, NULL), entry(2, grp), entry(3, grp) };
	struct dev_info v[3] = { info(1, NULL), info(2, NULL), info(4, grp) };
	struct keystore ks = { .e = e, .n = 3, .cap = 3 };
	struct dev_list l = { .v = v, .n = 3, .cap = 3 };
	struct sync_plan p;

	if (!tap_ok(!sync_plan_make(&ks, &l, &p), "a plan"))
		return;
	tap_ok(p.same == 1 && p.nrep == 1 && p.rep[0] == 1,
	       "02, whose group changed, is replaced; 01 unchanged");
	tap_ok(p.nadd == 1 && p.add[0] == 2 && p.ndel == 1 && p.del[0] == 2,
	       "03 added, 04 deleted");
	sync_plan_free(&p);
}

static char *show(bool json, const struct dev_info *v, size_t n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fflush(stdout);
	out_init(json, f);
	show_devices(v, n);
	fclose(f);
	return buf;
}

static void test_show(void)
{
	struct dev_info v[2] = { info(1, NULL), info(2, grp) };
	char *buf, err[128];
	size_t len;
	long n = 0;

	buf = show(false, v, 2, &len);
	if (!tap_ok(buf && strstr(buf, "  MIN               GROUP             AUTH_OK"),
		    "table header: GROUP after MIN"))
		tap_diag("%s", buf);
	tap_ok(buf && strstr(buf, "\n00000000000000000000000000000001  128  "
			     "f8d991e3e7e59fda  enc,pi,mac=4      enc,pi,mac=4      "
			     "0000000000000000  0 "),
	       "row of 01: group 0000000000000000");
	tap_ok(buf && strstr(buf, "\n00000000000000000000000000000002  128  "
			     "f8d991e3e7e59fda  enc,pi,mac=4      enc,pi,mac=4      "
			     "4d41494e00000001  0 "),
	       "row of 02: group 4d41494e00000001");
	free(buf);
	buf = show(true, v, 2, &len);
	tap_ok(buf && !jsonv_check(buf, len, &n, err, sizeof(err)) && n == 2,
	       "JSON: valid, two objects");
	tap_ok(buf && strstr(buf, "\"min_policy\":\"enc,pi,mac=4\",\"group\":\"0000000000000000\""),
	       "JSON of 01: \"group\":\"0000000000000000\"");
	if (!tap_ok(buf && strstr(buf, "\"group\":\"4d41494e00000001\""),
		    "JSON of 02: \"group\":\"4d41494e00000001\""))
		tap_diag("%s", buf);
	free(buf);
}

int main(void)
{
	test_batch();
	test_differs();
	test_plan();
	test_show();
	return tap_done();
}
