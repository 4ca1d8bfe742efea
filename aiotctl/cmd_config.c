// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl config show|set: the namespace's settings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
#include "nlerr.h"
#include "out.h"

/*
 * The settings, in the order config show prints them. Those with a
 * keyword can be set; a max of 0 leaves the range to the kernel, whose
 * policy says it (min-group and max-rounds, profile v1.1).
 */
static const struct {
	const char *kw;		/* for set */
	const char *name;	/* for show */
	uint16_t attr;
	uint16_t lim;		/* the range is 1 to the module's limit */
	const char *unit;
} fields[] = {
	{ "timeout", "timeout_ms", AIOTSEC_A_TIMEOUT_MS, AIOTSEC_LIM_A_TIMEOUT_MS, " ms" },
	{ "max-pending", "max_pending", AIOTSEC_A_MAX_PENDING, AIOTSEC_LIM_A_MAX_PENDING, "" },
	{ "max-devices", "max_devices", AIOTSEC_A_MAX_DEVICES, AIOTSEC_LIM_A_MAX_DEVICES, "" },
	{ "max-rejects", "max_rejects", AIOTSEC_A_MAX_REJECTS, AIOTSEC_LIM_A_MAX_REJECTS, "" },
	/* the module's policy gives their range, and its message names it */
	{ "min-group", "min_group", AIOTSEC_A_MIN_GROUP, 0, "" },
	{ "max-rounds", "max_rounds", AIOTSEC_A_MAX_ROUNDS, 0, "" },
	{ NULL, "num_devices", AIOTSEC_A_NUM_DEVICES, 0, NULL },
	{ NULL, "num_pending", AIOTSEC_A_NUM_PENDING, 0, NULL },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define NSET	6	/* the first NSET fields can be set */

static int show_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	uint32_t v;
	size_t i;

	(void)arg;
	if (anl_parse(nlh, tb, AIOTSEC_A_MAX))
		return -EBADMSG;
	open_obj(PRINT_JSON, NULL, NULL);
	for (i = 0; i < NFIELDS; i++) {
		v = tb[fields[i].attr] ? nla_get_u32(tb[fields[i].attr]) : 0;
		print_u64_line(PRINT_ANY, "", 12, fields[i].name, v);
	}
	close_obj(PRINT_JSON);
	return 0;
}

int config_show(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_err("config show: no arguments");
	return ctl_once(AIOTSEC_CMD_GET_CONFIG, 0, show_cb, NULL, "config show");
}

/*
 * "config set: KW" for the setting the kernel's error points at, unless
 * its message names it already (the policy's "integer out of range" does
 * not).
 */
static const char *culprit(const struct anl *a, const uint32_t *offs,
			   const struct kw *kws, char *buf, size_t len)
{
	size_t f;

	for (f = 0; a->last.has_off && f < NSET; f++)
		if (kws[f].seen && offs[f] == a->last.off &&
		    strncmp(ctl_msg(a), fields[f].kw, strlen(fields[f].kw))) {
			snprintf(buf, len, "config set: %s", fields[f].kw);
			return buf;
		}
	return "config set";
}

int config_set(int argc, char **argv)
{
	struct kw kws[NSET + 1] = { { 0 } };
	uint32_t val[NSET], offs[NSET] = { 0 }, max;
	struct anl_limits lim;
	struct nl_msg *msg;
	char what[64];
	struct anl a;
	size_t f;
	int ret;

	if (!argc)
		return usage_err("config set: nothing to set");
	for (f = 0; f < NSET; f++)
		kws[f] = (struct kw){ .name = fields[f].kw, .type = KW_ARG };
	if (cmd_kw(kws, "setting", argc, argv, &ret))
		return ret;
	for (f = 0; f < NSET; f++) {
		if (kws[f].seen && cmd_u32(&kws[f], UINT32_MAX, &val[f]))
			return EXIT_USAGE;
		if (kws[f].seen && fields[f].lim && val[f] < 1)
			return usage_err("config set: %s: at least 1%s ('%s')",
					 fields[f].kw, fields[f].unit, kws[f].val);
	}
	if (ctl_open(&a, false))
		return EXIT_ERR;
	/*
	 * How far each setting goes is the module's (AIOTSEC_A_LIMITS); one
	 * that does not say leaves the range to its policy.
	 */
	ret = anl_limits(&a, &lim);
	if (ret) {
		anl_perror(&a, "config set: reading the module's limits", ret);
		anl_close(&a);
		return EXIT_ERR;
	}
	for (f = 0; f < NSET; f++) {
		max = lim.v[fields[f].lim];
		if (kws[f].seen && max && val[f] > max) {
			anl_close(&a);
			return usage_err("config set: %s: 1 to %u%s, the module's limit ('%s')",
					 fields[f].kw, (unsigned int)max,
					 fields[f].unit, kws[f].val);
		}
	}
	msg = anl_msg(&a, AIOTSEC_CMD_SET_CONFIG, 0, 64);
	for (f = 0; msg && f < NSET; f++) {
		if (!kws[f].seen)
			continue;
		/* Where the attribute starts: the kernel's error offset. */
		offs[f] = nlmsg_hdr(msg)->nlmsg_len;
		if (nla_put_u32(msg, fields[f].attr, val[f])) {
			nlmsg_free(msg);
			msg = NULL;
		}
	}
	ret = msg ? anl_request(&a, msg, NULL, NULL) : -ENOMEM;
	if (ret)
		anl_perror(&a, culprit(&a, offs, kws, what, sizeof(what)), ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
