// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl monitor: every event of the namespace, one line each. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "dev.h"
#include "events.h"
#include "nlerr.h"
#include "out.h"

struct mon {
	unsigned long seen;
	int failed;
};

static void on_event(const struct nlmsghdr *nlh, void *arg)
{
	struct mon *m = arg;
	struct event ev;

	if (event_parse(nlh, &ev))
		return;
	event_print(&ev, PRINT_ANY);
	if (fflush(stdout))
		m->failed = 1;
	m->seen++;
}

int cmd_monitor(int argc, char **argv)
{
	struct kw kws[] = { KW("count", KW_ARG), KW("timeout", KW_ARG),
			    KW_END };
	uint32_t count = 0, timeout = 0;
	struct mon m = { 0 };
	double deadline = 0;
	bool overrun = false;
	struct anl a;
	int ret, left;

	if (cmd_kw(kws, "keyword", argc, argv, &ret))
		return ret;
	if ((kws[0].seen && cmd_u32(&kws[0], UINT32_MAX, &count)) ||
	    (kws[1].seen && cmd_u32(&kws[1], UINT32_MAX, &timeout)))
		return EXIT_USAGE;
	if (ctl_open(&a, true))
		return EXIT_ERR;
	a.on_event = on_event;
	a.event_arg = &m;
	if (timeout)
		deadline = now_secs() + timeout / 1000.0;
	while (!m.failed && (!count || m.seen < count)) {
		left = -1;
		if (timeout) {
			left = (int)((deadline - now_secs()) * 1000);
			if (left <= 0)
				break;
		}
		ret = anl_poll(&a, left);
		if (ret < 0) {
			err_msg("monitor: %s", strerror(-ret));
			anl_close(&a);
			return EXIT_ERR;
		}
		if (a.overrun && !overrun)
			warn_msg("events lost: the receive buffer overran");
		overrun = a.overrun;
		a.overrun = false;
	}
	anl_close(&a);
	if (m.failed) {
		err_msg("monitor: writing the output failed");
		return EXIT_ERR;
	}
	if (count && m.seen < count) {
		err_msg("monitor: timed out after %" PRIu32 " ms with %lu of %" PRIu32 " events seen",
			timeout, m.seen, count);
		return EXIT_TIMEOUT;
	}
	return EXIT_OK;
}
