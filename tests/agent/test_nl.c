// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of aiotctl's netlink socket options (lib/nl.c): with
 * anl_sock_opts(), an error ack does not echo the request (which, for
 * ADD_DEVICES, holds keys) and carries the extended ack. Observed on the
 * host's own generic netlink controller, which needs no module: a
 * GETFAMILY of a name longer than a family name can be is refused
 * (EINVAL, by its policy); the name stands for a key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "nlerr.h"
#include "tap.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define SECRET	"k3y-00112233445566778899aabbccddeeff"

static int getopt_int(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (getsockopt(fd, SOL_NETLINK, opt, &v, &len))
		return -1;
	return v;
}

/*
 * Send the failing request on @fd; the error ack into @buf. Its length,
 * or -1 with errno.
 */
static ssize_t failing_request(int fd, unsigned char *buf, size_t cap)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		struct nlattr a;
		char name[sizeof(SECRET) + 3];
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = sizeof(req);
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.n.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	req.a.nla_type = CTRL_ATTR_FAMILY_NAME;
	req.a.nla_len = (unsigned short)(NLA_HDRLEN + sizeof(SECRET));
	memcpy(req.name, SECRET, sizeof(SECRET));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -1;
	return recv(fd, buf, cap, 0);
}

static bool contains(const unsigned char *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(p + i, s, n))
			return true;
	return false;
}

static void run(bool opts)
{
	const char *what = opts ? "with anl_sock_opts()" : "a bare socket";
	unsigned char buf[8192];
	const struct nlmsghdr *n = (const void *)buf;
	const struct nlmsgerr *e = NLMSG_DATA(n);
	ssize_t len;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (!tap_ok(fd >= 0, "%s: a generic netlink socket", what)) {
		tap_diag("socket: %s", strerror(errno));
		return;
	}
	if (opts) {
		tap_ok(anl_sock_opts(fd) == 0, "anl_sock_opts() succeeds");
		tap_ok(getopt_int(fd, NETLINK_CAP_ACK) == 1,
		       "NETLINK_CAP_ACK is set");
		tap_ok(getopt_int(fd, NETLINK_EXT_ACK) == 1,
		       "NETLINK_EXT_ACK is set");
	}
	len = failing_request(fd, buf, sizeof(buf));
	close(fd);
	if (!tap_ok(len >= (ssize_t)NLMSG_LENGTH(sizeof(*e)) &&
		    n->nlmsg_type == NLMSG_ERROR && e->error < 0,
		    "%s: the request fails with an error ack", what)) {
		tap_diag("len %zd type %u error %d", len,
			 len > 0 ? n->nlmsg_type : 0, len > 0 ? e->error : 0);
		return;
	}
	if (opts) {
		tap_ok(n->nlmsg_flags & NLM_F_CAPPED,
		       "the error ack is capped (NLM_F_CAPPED)");
		tap_ok(!contains(buf, (size_t)len, SECRET),
		       "the error ack does not echo the request's payload");
		tap_ok(n->nlmsg_flags & NLM_F_ACK_TLVS,
		       "the error ack carries the extended ack");
		/* The controller's policy: a family name of 1 to GENL_NAMSIZ - 1. */
		struct anl_err ae;
		int pr = anl_error_parse(n, &ae);

		tap_ok(pr == 0 && ae.err == EINVAL,
		       "anl_error_parse: EINVAL (%d, errno %d)", pr, ae.err);
		tap_ok(strstr(ae.policy, "length") &&
		       strstr(ae.policy, "15 bytes"),
		       "NLMSGERR_ATTR_POLICY decoded: '%s'", ae.policy);
	} else {
		/* The control: the same request, echoed whole. */
		tap_ok(!(n->nlmsg_flags & NLM_F_CAPPED) &&
		       contains(buf, (size_t)len, SECRET),
		       "control: without the options the ack echoes it");
	}
}

/* anl_words: the module's uapi names become the words aiotctl takes. */
static void words(const char *in, const char *want)
{
	char m[ANL_EXTACK_MAX];

	snprintf(m, sizeof(m), "%s", in);
	anl_words(m, sizeof(m));
	if (!tap_ok(!strcmp(m, want), "words: '%s'", in))
		tap_diag("got '%s', want '%s'", m, want);
}

int main(void)
{
	words("AIOTSEC_DEV_A_ID: exists (AIOTSEC_F_REPLACE replaces it)",
	      "ID: exists (use 'load FILE replace' or 'device replace')");
	words("aiotsec: AIOTSEC_A_IFINDEX: interface is not a reader", "interface not bound as a reader");
	words("AIOTSEC_A_POLICY: below the device's AIOTSEC_DEV_A_MIN_POLICY",
	      "policy: below the device's min");
	words("AIOTSEC_A_MAX_REJECTS: above AIOTSEC_MAX_REJECTS_DEFAULT needs CAP_NET_ADMIN",
	      "max-rejects: above its default needs CAP_NET_ADMIN");
	words("AIOTSEC_A_UNKNOWN_THING: kept", "AIOTSEC_A_UNKNOWN_THING: kept");
	words("AIOTSEC_A_DEVICES: more devices than", "devices: more devices than");
	words("AIOTSEC_A_MIN_GROUP: below AIOTSEC_MIN_GROUP_DEFAULT needs CAP_NET_ADMIN",
	      "min-group: below its default needs CAP_NET_ADMIN");
	words("AIOTSEC_A_MAX_ROUNDS: above AIOTSEC_MAX_ROUNDS_DEFAULT needs CAP_NET_ADMIN",
	      "max-rounds: above its default needs CAP_NET_ADMIN");
	words("AIOTSEC_A_FILTER: matches fewer devices than AIOTSEC_A_MIN_GROUP",
	      "filter: matches fewer devices than min-group");
	words("AIOTSEC_DEV_A_GROUP: want 8 bytes", "group: want 8 bytes");
	run(false);
	run(true);
	return tap_done();
}
