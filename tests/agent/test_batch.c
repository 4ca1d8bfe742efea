// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of aiotctl's batch parts (lib/idlist.c): the ID list from
 * words and files, the adaptive window, and which ID an extack offset of
 * the kernel names.
 */
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "idlist.h"
#include "window.h"
#include "tap.h"

static FILE *text_file(const char *s)
{
	FILE *f = tmpfile();

	if (f) {
		fputs(s, f);
		rewind(f);
	}
	return f;
}

static void test_idlist(void)
{
	static const uint8_t one[AIOTSEC_ID_LEN] = { [15] = 0x01 };
	static const uint8_t ab[AIOTSEC_ID_LEN] = { [14] = 0x0a, [15] = 0xbc };
	struct idlist l = { 0 };
	char err[BATCH_ERR_MAX];
	FILE *f;
	int i;

	tap_ok(!idlist_add(&l, "01", 2, err, sizeof(err)) && l.n == 1 &&
	       !memcmp(l.id[0], one, AIOTSEC_ID_LEN), "an ID left-padded");
	tap_ok(idlist_add(&l, "zz", 2, err, sizeof(err)) && l.n == 1,
	       "not hex refused: %s", err);
	idlist_free(&l);

	f = text_file("# devices\n\n  01  \n0abc # the second\n\t0a0b\n");
	tap_ok(f && !idlist_read(&l, f, err, sizeof(err)) && l.n == 3,
	       "comments, blanks and blank lines skipped (%zu IDs)", l.n);
	tap_ok(l.n == 3 && !memcmp(l.id[0], one, AIOTSEC_ID_LEN) &&
	       !memcmp(l.id[1], ab, AIOTSEC_ID_LEN), "IDs in file order");
	if (f)
		fclose(f);
	idlist_free(&l);

	f = text_file("01\n02\nxyz\n04\n");
	tap_ok(f && idlist_read(&l, f, err, sizeof(err)) &&
	       !strncmp(err, "line 3: ", 8), "a bad line named: %s", err);
	if (f)
		fclose(f);
	idlist_free(&l);

	/* Growth past the first allocation. */
	for (i = 0; i < 1000; i++) {
		char w[8];

		snprintf(w, sizeof(w), "%04x", i + 1);
		if (idlist_add(&l, w, strlen(w), err, sizeof(err)))
			break;
	}
	tap_ok(l.n == 1000 && l.id[999][14] == 0x03 && l.id[999][15] == 0xe8,
	       "1000 IDs kept in order");
	idlist_free(&l);
}

static void test_window(void)
{
	struct window w;
	uint64_t s;
	int i;

	window_init(&w, 64, false);
	tap_ok(w.cur == WINDOW_START, "starts small (%u)", w.cur);
	for (i = 0; i < 4; i++)
		window_result(&w);
	tap_ok(w.cur == 8, "slow start: doubles in a round (%u)", w.cur);
	for (i = 0; i < 200; i++)
		window_result(&w);
	tap_ok(w.cur == 64, "never above the maximum (%u)", w.cur);

	for (i = 0; i < 64; i++)
		window_sent(&w);
	s = w.sent - 1;
	window_timeout(&w, s);
	tap_ok(w.cur == 32, "a timeout halves it (%u)", w.cur);
	window_timeout(&w, s - 10);
	window_timeout(&w, s);
	tap_ok(w.cur == 32, "timeouts of the same round halve it once (%u)",
	       w.cur);
	s = window_sent(&w);
	window_timeout(&w, s);
	tap_ok(w.cur == 16, "a timeout of a later request halves it again (%u)",
	       w.cur);
	for (i = 0; i < 15; i++)
		window_result(&w);
	tap_ok(w.cur == 16, "then additive: not +1 before a window of results");
	window_result(&w);
	tap_ok(w.cur == 17, "+1 after a window of results (%u)", w.cur);

	for (i = 0; i < 20; i++)
		window_timeout(&w, window_sent(&w));
	tap_ok(w.cur == 1, "never below 1 (%u)", w.cur);

	window_init(&w, 512, true);
	tap_ok(w.cur == 512, "fixed: the maximum at once");
	window_timeout(&w, window_sent(&w));
	window_result(&w);
	tap_ok(w.cur == 512, "fixed: neither timeouts nor results move it");

	window_init(&w, 2, false);
	tap_ok(w.cur == 2, "a maximum below the start is the start");
}

static void test_entry_at(void)
{
	uint32_t first = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN;

	tap_ok(batch_entry_at(first, 4) == 0, "offset of the first entry");
	tap_ok(batch_entry_at(first + 2 * 20, 4) == 2, "the third entry");
	tap_ok(batch_entry_at(first + 4 * 20, 4) == -1, "past the last: none");
	tap_ok(batch_entry_at(first + 10, 4) == -1, "inside an entry: none");
	tap_ok(batch_entry_at(NLMSG_HDRLEN + GENL_HDRLEN, 4) == -1,
	       "the nest itself: none");
}

int main(void)
{
	test_idlist();
	test_window();
	test_entry_at();
	return tap_done();
}
