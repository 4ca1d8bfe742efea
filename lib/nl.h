/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The aiotsec generic netlink socket: family and group resolved by name,
 * messages built with libnl, replies read by our own loop so that the
 * kernel's extended ack (message, offset of the attribute at fault) and
 * NLM_F_DUMP_INTR are seen.
 */
#ifndef _AIOTSEC_NL_H
#define _AIOTSEC_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../uapi/linux/aiotsec.h"

#define ANL_EXTACK_MAX	256

/* What the kernel said about a request that failed. */
struct anl_err {
	int err;			/* positive errno */
	char msg[ANL_EXTACK_MAX];	/* extack message, or "" */
	bool has_off;
	uint32_t off;			/* offset of the bad attribute */
	char policy[96];		/* NLMSGERR_ATTR_POLICY, decoded, or "" */
	bool has_miss;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
};

/*
 * Fill @e from the NLMSG_ERROR message @nlh: errno, message, offset, and
 * what the rejecting policy allows ("1 to 600000", "length at most 16").
 * 0, or -EBADMSG for a truncated message.
 */
int anl_error_parse(const struct nlmsghdr *nlh, struct anl_err *e);

/* Called with each message that answers no request (events). */
typedef void (*anl_event_fn)(const struct nlmsghdr *nlh, void *arg);

/* Called with each reply message; a negative return stops the request. */
typedef int (*anl_reply_fn)(const struct nlmsghdr *nlh, void *arg);

struct anl {
	struct nl_sock *sk;
	int fd;
	int family;
	unsigned char *buf;
	size_t cap;
	anl_event_fn on_event;
	void *event_arg;
	bool dump_intr;			/* a reply was flagged NLM_F_DUMP_INTR */
	bool overrun;			/* ENOBUFS: events were lost */
	unsigned int replies;		/* reply messages of the last request */
	uint32_t lost_seq;		/* the last request whose reply was lost */
	struct anl_err last;
};

/* Where anl_open() failed, for the caller to word. */
enum anl_open_stage {
	ANL_OPEN_OK,
	ANL_OPEN_NOMEM,
	ANL_OPEN_SOCKET,		/* no generic netlink socket */
	ANL_OPEN_NO_MODULE,		/* no aiotsec family: module not loaded */
	ANL_OPEN_FAMILY,		/* resolving the family failed otherwise */
	ANL_OPEN_GROUP,			/* resolving the events group failed */
	ANL_OPEN_JOIN,			/* joining it failed (EPERM: no CAP_NET_ADMIN) */
	ANL_OPEN_SOCKOPT,		/* anl_sock_opts() failed */
};

struct anl_open_err {
	enum anl_open_stage stage;
	int err;			/* positive errno */
	char detail[128];		/* libnl's reason, or "" */
};

/*
 * Open the socket and resolve the family; with @events also join the
 * events group (which needs CAP_NET_ADMIN). 0, or a negative errno with
 * the failure in @oe (may be NULL).
 */
int anl_open(struct anl *a, bool events, struct anl_open_err *oe);
/* Close the socket and free its buffer; @a is zeroed. */
void anl_close(struct anl *a);

/*
 * What anl_open() sets on every socket: NETLINK_EXT_ACK (errors carry the
 * kernel's message and the offset of the attribute at fault) and
 * NETLINK_CAP_ACK (an error ack carries only the header of the request,
 * never the request itself, which may hold keys). 0 or -errno.
 */
int anl_sock_opts(int fd);

/* A request of command @cmd with @flags (NLM_F_DUMP, ...), @size bytes. */
struct nl_msg *anl_msg(struct anl *a, uint8_t cmd, int flags, size_t size);

/*
 * Send @msg (freed) and read until its ack or NLMSG_DONE, handing every
 * reply to @cb. Returns 0 or a negative errno; a->last has the details.
 * -ENOBUFS: the socket overran and the reply was dropped, but the module
 * carried the request out (a->lost_seq: its results carry that
 * AIOTSEC_A_SEQ); an error ACK, in contrast, means nothing was sent.
 */
int anl_request(struct anl *a, struct nl_msg *msg, anl_reply_fn cb,
		void *arg);

/*
 * Read whatever arrives for up to @ms milliseconds (-1: no limit) and
 * hand it to the event hook. Returns 1 if something was read, 0 on
 * timeout, a negative errno on error.
 */
int anl_poll(struct anl *a, int ms);

/* Attributes of a generic netlink message, by type (tb[max + 1]). */
int anl_parse(const struct nlmsghdr *nlh, struct nlattr **tb, int max);

/*
 * The module's limits (AIOTSEC_A_LIMITS of AIOTSEC_CMD_GET_CONFIG), by
 * enum aiotsec_limit_attr; 0 where the module reports none (a module
 * older than the attribute).
 */
struct anl_limits {
	uint32_t v[AIOTSEC_LIM_A_MAX + 1];
};

/* From the AIOTSEC_A_LIMITS nest @nest (NULL: none) of a reply. */
void anl_limits_parse(const struct nlattr *nest, struct anl_limits *l);

/* Ask the module for its limits. 0 or a negative errno (a->last). */
int anl_limits(struct anl *a, struct anl_limits *l);

#endif /* _AIOTSEC_NL_H */
