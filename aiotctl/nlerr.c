// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What the library's netlink failures say to the operator (see nlerr.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "nlerr.h"

const char *ctl_msg(const struct anl *a)
{
	static char m[ANL_EXTACK_MAX];

	snprintf(m, sizeof(m), "%s", a->last.msg);
	anl_words(m, sizeof(m));
	return m;
}

int ctl_open(struct anl *a, bool events)
{
	struct anl_open_err oe;

	if (!anl_open(a, events, &oe))
		return 0;
	switch (oe.stage) {
	case ANL_OPEN_NOMEM:
		err_msg("out of memory");
		break;
	case ANL_OPEN_SOCKET:
		err_msg("generic netlink socket: %s", oe.detail);
		break;
	case ANL_OPEN_NO_MODULE:
		err_msg("aiotsec module not loaded (modprobe aiotsec / insmod aiotsec.ko)");
		break;
	case ANL_OPEN_FAMILY:
		err_msg("resolving the aiotsec family: %s", oe.detail);
		break;
	case ANL_OPEN_GROUP:
		err_msg("resolving the events group: %s", oe.detail);
		break;
	case ANL_OPEN_JOIN:
		if (oe.err == EPERM || oe.err == EACCES)
			err_msg("joining the events group needs CAP_NET_ADMIN");
		else
			err_msg("joining the events group: %s", strerror(oe.err));
		break;
	default:
		err_msg("netlink socket: extended, capped acks: %s",
			strerror(oe.err));
		break;
	}
	return -1;
}

int ctl_dump(struct anl *a, struct dev_list *l)
{
	int ret = dev_dump(a, l);

	if (ret == -ENOMEM)
		err_msg("out of memory");
	else if (ret == -EAGAIN && !a->last.err)
		err_msg("device dump: the table kept changing (NLM_F_DUMP_INTR or repeated entries %d times)",
			DEV_DUMP_TRIES);
	else if (ret)
		anl_perror(a, "device dump", ret);
	return ret;
}

void anl_perror(const struct anl *a, const char *what, int ret)
{
	int e = ret < 0 ? -ret : ret;

	/* Generic netlink's own EPERM has no message; the module's says why. */
	if (e == EPERM && !a->last.msg[0]) {
		err_msg("%s: needs CAP_NET_ADMIN (%s)", what, strerror(e));
		return;
	}
	/* What the policy allows, and a missing attribute, when it said. */
	char extra[160] = "";

	if (a->last.policy[0])
		snprintf(extra, sizeof(extra), " [allowed: %s]", a->last.policy);
	else if (a->last.has_miss)
		snprintf(extra, sizeof(extra), " [missing attribute %" PRIu32 "]",
			 a->last.miss_type);
	if (a->last.msg[0])
		err_msg("%s: %s%s (%s)", what, ctl_msg(a), extra, strerror(e));
	else
		err_msg("%s: %s%s", what, strerror(e), extra);
}

int ctl_request(struct anl *a, struct nl_msg *msg, anl_reply_fn cb,
		void *arg, const char *what)
{
	int ret = msg ? anl_request(a, msg, cb, arg) : -ENOMEM;

	if (ret)
		anl_perror(a, what, ret);
	return ret;
}

int ctl_once(uint8_t cmd, int flags, anl_reply_fn cb, void *arg,
	     const char *what)
{
	struct anl a;
	int ret;

	if (ctl_open(&a, false))
		return EXIT_ERR;
	ret = ctl_request(&a, anl_msg(&a, cmd, flags, 0), cb, arg, what);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
