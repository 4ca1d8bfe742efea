// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl reader add|del|show: the interfaces bound as readers. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "nlerr.h"
#include "out.h"

/* A reader that is down sends nothing and hears nothing: say so. */
static void warn_if_down(const char *dev)
{
	struct ifreq ifr = { 0 };
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr) && !(ifr.ifr_flags & IFF_UP))
		warn_msg("reader %s is down: nothing is sent or received on it until 'ip link set %s up'",
			 dev, dev);
	close(fd);
}

static int reader_change(int argc, char **argv, uint8_t cmd)
{
	const char *what = cmd_what();
	char named[64];
	struct nl_msg *msg;
	struct anl a;
	int ret;

	if (argc != 1)
		return usage_err("%s: want one interface name", what);
	if (strlen(argv[0]) >= IFNAMSIZ || !argv[0][0])
		return usage_err("%s: '%s' is not an interface name", what,
				 argv[0]);
	if (ctl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, cmd, 0, 64);
	if (!msg || nla_put_string(msg, AIOTSEC_A_IFNAME, argv[0])) {
		err_msg("out of memory");
		anl_close(&a);
		return EXIT_ERR;
	}
	ret = anl_request(&a, msg, NULL, NULL);
	snprintf(named, sizeof(named), "%s %s", what, argv[0]);
	if (ret == -ENODEV && !a.last.msg[0])
		err_msg("%s: no such interface", named);
	else if (ret)
		anl_perror(&a, named, ret);
	else if (cmd == AIOTSEC_CMD_ADD_READER)
		warn_if_down(argv[0]);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int reader_add(int argc, char **argv)
{
	return reader_change(argc, argv, AIOTSEC_CMD_ADD_READER);
}

int reader_del(int argc, char **argv)
{
	return reader_change(argc, argv, AIOTSEC_CMD_DEL_READER);
}

static int show_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[AIOTSEC_A_MAX + 1];
	unsigned int *n = arg;
	uint32_t ifindex;
	const char *name;

	if (anl_parse(nlh, tb, AIOTSEC_A_MAX) || !tb[AIOTSEC_A_IFINDEX])
		return 0;
	ifindex = nla_get_u32(tb[AIOTSEC_A_IFINDEX]);
	name = tb[AIOTSEC_A_IFNAME] ? nla_get_string(tb[AIOTSEC_A_IFNAME]) :
	       "?";
	if (!(*n)++)
		print_plain("%-8s %s\n", "IFINDEX", "NAME");
	open_obj(PRINT_JSON, NULL, NULL);
	print_u64(PRINT_ANY, "ifindex", "%-8" PRIu64 " ", ifindex);
	print_str(PRINT_ANY, "name", "%s\n", name);
	close_obj(PRINT_JSON);
	return 0;
}

int reader_show(int argc, char **argv)
{
	struct nl_msg *msg;
	unsigned int n = 0;
	struct anl a;
	int ret;

	(void)argv;
	if (argc)
		return usage_err("reader show: no arguments");
	if (ctl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, AIOTSEC_CMD_GET_READER, NLM_F_DUMP, 0);
	if (!msg) {
		anl_close(&a);
		return EXIT_ERR;
	}
	open_arr(PRINT_JSON, NULL);
	ret = anl_request(&a, msg, show_cb, &n);
	close_arr(PRINT_JSON);
	if (ret)
		anl_perror(&a, "reader show", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
