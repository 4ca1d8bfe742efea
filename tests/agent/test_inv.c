// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of the library's inventory rounds (lib/inv.c) without a
 * module: the socket is one end of a datagram socketpair, and the test
 * writes the module's events (INV_FOUND, INV_DONE, others) to the other
 * end, built as the uapi header describes them. Checked: matching by
 * cookie, adoption by sequence number (a lost reply), a callback per
 * device and one per round with the summary's counters, events of other
 * rounds counted and ignored, other messages handed to the hook that was
 * there before, a round without its summary ended as lost at its window
 * plus the grace, abandon, and the filter of bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "inv.h"
#include "tap.h"

#define FAMILY	0x30

struct seen {
	int nfound, ndone, nother;
	struct inv_found f[8];
	struct inv_done d[8];
};

static void found_cb(const struct inv_found *f, void *arg)
{
	struct seen *s = arg;

	if (s->nfound < 8)
		s->f[s->nfound] = *f;
	s->nfound++;
}

static void done_cb(const struct inv_done *d, void *arg)
{
	struct seen *s = arg;

	if (s->ndone < 8)
		s->d[s->ndone] = *d;
	s->ndone++;
}

static void other_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	((struct seen *)arg)->nother++;
}

static int peer;

/* Send one event of @cmd; @id, @seq (0: none) and the summary's values. */
static void send_ev(uint8_t cmd, uint64_t cookie, uint8_t idb, uint32_t seq,
		    uint32_t found)
{
	struct nl_msg *m = nlmsg_alloc();
	uint8_t id[AIOTSEC_ID_LEN] = { 0 }, cap[3] = { 0xca, 0xfe, idb };

	id[15] = idb;
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, cmd, AIOTSEC_GENL_VERSION);
	nla_put_u64(m, AIOTSEC_A_COOKIE, cookie);
	nla_put_u32(m, AIOTSEC_A_IFINDEX, 5);
	if (cmd == AIOTSEC_CMD_EVENT_INV_FOUND || cmd == AIOTSEC_CMD_EVENT_AUTH) {
		nla_put(m, AIOTSEC_A_DEV_ID, AIOTSEC_ID_LEN, id);
		nla_put_u8(m, AIOTSEC_A_POLICY, 0x40);
		nla_put(m, AIOTSEC_A_CAP, sizeof(cap), cap);
		nla_put_u32(m, AIOTSEC_A_REJECTS, idb == 2 ? 1 : 0);
	} else {
		nla_put_u32(m, AIOTSEC_A_CANDIDATES, 20);
		nla_put_u32(m, AIOTSEC_A_FOUND, found);
		nla_put_u32(m, AIOTSEC_A_UNKNOWN_RIDS, 3);
		nla_put_u32(m, AIOTSEC_A_FAILED_MACS, 4);
		nla_put_u32(m, AIOTSEC_A_REPLAYS, 6);
		nla_put_u32(m, AIOTSEC_A_INV_END, AIOTSEC_INV_END_ALL);
	}
	if (seq)
		nla_put_u32(m, AIOTSEC_A_SEQ, seq);
	if (send(peer, nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len, 0) < 0)
		perror("send");
	nlmsg_free(m);
}

/* Read everything queued. */
static void drain(struct inv_set *s)
{
	while (inv_poll(s, 0, 64) > 0)
		;
}

int main(void)
{
	struct seen sn = { 0 };
	struct inv_conf c = { .grace_ms = 0, .found = found_cb,
			      .done = done_cb, .arg = &sn };
	int tag1 = 1, tag2 = 2, tag3 = 3, sv[2];
	struct inv_spec sp = { 0 };
	struct anl a = { 0 };
	struct inv_set *s;
	uint8_t g[AIOTSEC_GROUP_LEN] = { 0xa5, 0x5a, 1, 2, 3, 4, 5, 6 };
	uint8_t nine[9] = { 0 };
	struct timespec t0, t1;
	double el;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	peer = sv[1];
	a.sk = nl_socket_alloc();
	a.fd = sv[0];
	a.family = FAMILY;
	a.cap = 65536;
	a.buf = malloc(a.cap);
	a.on_event = other_cb;
	a.event_arg = &sn;
	s = inv_new(&a, &c);
	tap_ok(s && a.event_arg == s, "inv_new takes the socket's hook");

	/* A round by cookie: two devices, an event of another round, the end. */
	inv_track(s, &tag1, 7, 100, 60000);
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 7, 1, 100, 0);
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 9, 8, 0, 0);
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 7, 2, 100, 0);
	send_ev(AIOTSEC_CMD_EVENT_AUTH, 7, 3, 100, 0);
	drain(s);
	tap_ok(sn.nfound == 2 && sn.f[0].tag == &tag1 && sn.f[1].tag == &tag1,
	       "two devices found, each with its round's tag (%d)", sn.nfound);
	tap_ok(sn.f[0].id[15] == 1 && sn.f[0].id[0] == 0 && sn.f[1].id[15] == 2 &&
	       sn.f[0].ifindex == 5 && sn.f[0].policy == 0x40,
	       "found: ID, reader and policy of the event");
	tap_ok(sn.f[1].caplen == 3 && sn.f[1].cap[0] == 0xca && sn.f[1].cap[2] == 2 &&
	       sn.f[1].has_rejects && sn.f[1].rejects == 1,
	       "found: capability and rejects");
	tap_ok(inv_counts(s)->unmatched == 1,
	       "an event of another round counted, not reported");
	tap_ok(sn.nother == 1, "a non-inventory event handed to the earlier hook");
	tap_ok(sn.ndone == 0 && inv_running(s) == 1, "no end before INV_DONE");
	send_ev(AIOTSEC_CMD_EVENT_INV_DONE, 7, 0, 100, 2);
	drain(s);
	tap_ok(sn.ndone == 1 && sn.d[0].tag == &tag1 &&
	       sn.d[0].outcome == INV_SUMMARY && inv_running(s) == 0,
	       "INV_DONE ends the round, once");
	tap_ok(sn.d[0].candidates == 20 && sn.d[0].found == 2 &&
	       sn.d[0].unknown_rids == 3 && sn.d[0].failed_macs == 4 &&
	       sn.d[0].replays == 6 && sn.d[0].end == AIOTSEC_INV_END_ALL &&
	       sn.d[0].devices == 2 && sn.d[0].cookie == 7 && sn.d[0].ifindex == 5,
	       "the summary's counters, the devices seen, the cookie");
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 7, 4, 100, 0);
	drain(s);
	tap_ok(sn.nfound == 2 && inv_counts(s)->unmatched == 2,
	       "an event after the end is nobody's");

	/* A lost reply: the round is known by its request's sequence number. */
	inv_track(s, &tag2, 0, 42, 60000);
	inv_track(s, &tag3, 0, 43, 60000);
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 11, 5, 42, 0);
	send_ev(AIOTSEC_CMD_EVENT_INV_FOUND, 12, 6, 43, 0);
	send_ev(AIOTSEC_CMD_EVENT_INV_DONE, 11, 0, 0, 1);
	drain(s);
	tap_ok(sn.nfound == 4 && sn.f[2].tag == &tag2 && sn.f[2].cookie == 11 &&
	       sn.f[3].tag == &tag3 && sn.f[3].cookie == 12,
	       "adopted rounds matched by sequence number, cookies learnt");
	tap_ok(sn.ndone == 2 && sn.d[1].tag == &tag2 && inv_running(s) == 1,
	       "the adopted round's end matched by the cookie learnt");

	/* No summary: lost at the window plus the grace. */
	inv_abandon(s);
	tap_ok(sn.ndone == 3 && sn.d[2].tag == &tag3 &&
	       sn.d[2].outcome == INV_ABANDONED && inv_running(s) == 0,
	       "inv_abandon ends what runs");
	inv_track(s, &tag1, 21, 0, 150);
	tap_ok(inv_next_ms(s) > 100 && inv_next_ms(s) <= 151,
	       "next deadline: the window (%d ms)", inv_next_ms(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (inv_running(s))
		inv_poll(s, -1, 64);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	tap_ok(sn.ndone == 4 && sn.d[3].outcome == INV_LOST &&
	       inv_counts(s)->lost == 1 && el >= 0.14 && el < 1.0,
	       "no summary: lost after its window (%.3f s)", el);

	/* Filters of bytes. */
	tap_ok(!inv_filter_bytes(&sp, g, 2) && sp.fbits == 16 &&
	       sp.filter[0] == 0xa5 && sp.filter[1] == 0x5a && !sp.filter[2],
	       "2 bytes: the group's first 16 bits");
	tap_ok(inv_filter_match(&sp, g), "a group with those bytes matches");
	g[1] ^= 1;
	tap_ok(!inv_filter_match(&sp, g), "one bit off: no match");
	g[1] ^= 1;
	tap_ok(!inv_filter_bytes(&sp, g, 8) && sp.fbits == 64 &&
	       inv_filter_match(&sp, g), "8 bytes: the whole group");
	tap_ok(inv_filter_bytes(&sp, nine, 9) && sp.fbits == 64,
	       "9 bytes: refused, the spec untouched");
	tap_ok(!inv_filter_bytes(&sp, NULL, 0) && !sp.fbits &&
	       inv_filter_match(&sp, nine), "no bytes: every group");
	sp.fbits = 4;
	sp.filter[0] = 0xa0;
	tap_ok(inv_filter_match(&sp, g) && (g[0] = 0xb5, !inv_filter_match(&sp, g)),
	       "4 bits: the first nibble decides");

	inv_free(s);
	tap_ok(a.on_event == other_cb && a.event_arg == &sn,
	       "inv_free gives the hook back");
	nl_socket_free(a.sk);
	free(a.buf);
	close(sv[0]);
	close(sv[1]);
	return tap_done();
}
