// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl reader add|del|show: the interfaces bound as readers. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "json.h"
#include "nl.h"

static const char usage[] =
"usage: aiotctl reader add DEV    bind interface DEV as a reader\n"
"       aiotctl reader del DEV    unbind it\n"
"       aiotctl [-j] reader show  list the readers\n";

static int reader_change(int argc, char **argv, uint8_t cmd)
{
	const char *what = cmd == AIOTSEC_CMD_ADD_READER ? "reader add" :
			   "reader del";
	struct nl_msg *msg;
	struct anl a;
	int ret;

	if (argc != 1)
		return usage_err(usage, "%s: want one interface name", what);
	if (strlen(argv[0]) >= IFNAMSIZ || !argv[0][0])
		return usage_err(usage, "%s: '%s' is not an interface name",
				 what, argv[0]);
	if (anl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, cmd, 0, 64);
	if (!msg || nla_put_string(msg, AIOTSEC_A_IFNAME, argv[0])) {
		err_msg("out of memory");
		anl_close(&a);
		return EXIT_ERR;
	}
	ret = anl_request(&a, msg, NULL, NULL);
	if (ret == -ENODEV && !a.last.msg[0])
		err_msg("%s: %s: no such interface", what, argv[0]);
	else if (ret)
		anl_perror(&a, what, ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

struct show {
	struct json j;
	unsigned int n;
};

static int show_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	struct show *s = arg;
	uint32_t ifindex;
	const char *name;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_IFINDEX])
		return 0;
	ifindex = nla_get_u32(tb[AIOTSEC_A_IFINDEX]);
	name = tb[AIOTSEC_A_IFNAME] ? nla_get_string(tb[AIOTSEC_A_IFNAME]) :
	       "?";
	if (opt_json) {
		json_obj_begin(&s->j, NULL);
		json_u64(&s->j, "ifindex", ifindex);
		json_str(&s->j, "name", name);
		json_obj_end(&s->j);
	} else {
		if (!s->n)
			printf("%-8s %s\n", "IFINDEX", "NAME");
		printf("%-8u %s\n", ifindex, name);
	}
	s->n++;
	return 0;
}

static int reader_show(int argc, char **argv)
{
	struct nl_msg *msg;
	struct show s = { .n = 0 };
	struct anl a;
	int ret;

	(void)argv;
	if (argc)
		return usage_err(usage, "reader show: no arguments");
	if (anl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, AIOTSEC_CMD_GET_READER, NLM_F_DUMP, 0);
	if (!msg) {
		anl_close(&a);
		return EXIT_ERR;
	}
	json_init(&s.j, stdout);
	if (opt_json)
		json_arr_begin(&s.j, NULL);
	ret = anl_request(&a, msg, show_cb, &s);
	if (opt_json) {
		json_arr_end(&s.j);
		json_end(&s.j);
	}
	if (ret)
		anl_perror(&a, "reader show", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int cmd_reader(int argc, char **argv)
{
	if (!argc)
		return usage_err(usage, "reader: a command is required");
	if (wants_help(argc, argv))
		return help_out(usage);
	if (!strcmp(argv[0], "add"))
		return reader_change(argc - 1, argv + 1, AIOTSEC_CMD_ADD_READER);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return reader_change(argc - 1, argv + 1, AIOTSEC_CMD_DEL_READER);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return reader_show(argc - 1, argv + 1);
	return usage_err(usage, "reader: unknown command '%s'", argv[0]);
}
