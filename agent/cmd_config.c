// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl config show|set: the namespace's settings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
#include "json.h"
#include "nl.h"

static const char usage[] =
"usage: aiotctl [-j] config show\n"
"       aiotctl config set [timeout MS] [max-pending N] [max-devices N]\n"
"timeout: default transaction timeout (1 to 600000 ms); max-pending:\n"
"transactions at once; max-devices: size of the device table.\n";

static const struct {
	const char *kw;		/* for set */
	const char *name;	/* for show */
	uint16_t attr;
} fields[] = {
	{ "timeout", "timeout_ms", AIOTSEC_A_TIMEOUT_MS },
	{ "max-pending", "max_pending", AIOTSEC_A_MAX_PENDING },
	{ "max-devices", "max_devices", AIOTSEC_A_MAX_DEVICES },
	{ NULL, "num_devices", AIOTSEC_A_NUM_DEVICES },
	{ NULL, "num_pending", AIOTSEC_A_NUM_PENDING },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int show_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct json j;
	uint32_t v;
	size_t i;

	(void)arg;
	if (anl_parse(nlh, tb, AIOTSEC_A_MAX))
		return -EBADMSG;
	json_init(&j, stdout);
	if (opt_json)
		json_obj_begin(&j, NULL);
	for (i = 0; i < NFIELDS; i++) {
		v = tb[fields[i].attr] ? nla_get_u32(tb[fields[i].attr]) : 0;
		if (opt_json)
			json_u64(&j, fields[i].name, v);
		else
			printf("%-12s %u\n", fields[i].name, v);
	}
	if (opt_json) {
		json_obj_end(&j);
		json_end(&j);
	}
	return 0;
}

static int config_show(int argc)
{
	struct nl_msg *msg;
	struct anl a;
	int ret;

	if (argc)
		return usage_err(usage, "config show: no arguments");
	if (anl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, AIOTSEC_CMD_GET_CONFIG, 0, 0);
	ret = msg ? anl_request(&a, msg, show_cb, NULL) : -ENOMEM;
	if (ret)
		anl_perror(&a, "config show", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

static int config_set(int argc, char **argv)
{
	uint32_t val[NFIELDS];
	bool given[NFIELDS] = { false };
	char err[ARGS_ERR_MAX];
	struct nl_msg *msg;
	struct anl a;
	size_t f;
	int i, ret;

	if (!argc)
		return usage_err(usage, "config set: nothing to set");
	for (i = 0; i < argc; i += 2) {
		for (f = 0; f < NFIELDS; f++)
			if (fields[f].kw && !strcmp(argv[i], fields[f].kw))
				break;
		if (f == NFIELDS)
			return usage_err(usage, "config set: unknown setting '%s'",
					 argv[i]);
		if (i + 1 == argc)
			return usage_err(usage, "config set: %s needs a value",
					 argv[i]);
		if (parse_u32(argv[i + 1], UINT32_MAX, &val[f], err,
			      sizeof(err)))
			return usage_err(usage, "config set: %s: %s", argv[i],
					 err);
		given[f] = true;
	}
	if (anl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, AIOTSEC_CMD_SET_CONFIG, 0, 64);
	for (f = 0; msg && f < NFIELDS; f++) {
		if (given[f] && nla_put_u32(msg, fields[f].attr, val[f])) {
			nlmsg_free(msg);
			msg = NULL;
		}
	}
	ret = msg ? anl_request(&a, msg, NULL, NULL) : -ENOMEM;
	if (ret)
		anl_perror(&a, "config set", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int cmd_config(int argc, char **argv)
{
	if (!argc)
		return usage_err(usage, "config: a command is required");
	if (wants_help(argc, argv))
		return help_out(usage);
	if (!strcmp(argv[0], "show"))
		return config_show(argc - 1);
	if (!strcmp(argv[0], "set"))
		return config_set(argc - 1, argv + 1);
	return usage_err(usage, "config: unknown command '%s'", argv[0]);
}
