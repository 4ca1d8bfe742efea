// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl [-j] OBJECT COMMAND ...: the global options; the commands and
 * their help are in the table of cmds.c.
 */
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "out.h"

#define VERSION "1"

int main(int argc, char **argv)
{
	bool json = false;
	int ret;

	argv++;
	argc--;
	for (; argc && argv[0][0] == '-'; argv++, argc--) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json = true;
		} else if (!strcmp(argv[0], "-h") ||
			   !strcmp(argv[0], "--help")) {
			help_main(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[0], "-V") ||
			   !strcmp(argv[0], "--version")) {
			printf("aiotctl %s (aiotsec generic netlink version %d)\n",
			       VERSION, AIOTSEC_GENL_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[0], "--")) {
			argv++;
			argc--;
			break;
		} else {
			err_msg("unknown option '%s'", argv[0]);
			help_main(stderr);
			return EXIT_USAGE;
		}
	}
	out_init(json, stdout);
	ret = cmd_run(argc, argv);
	if (fflush(stdout) && ret == EXIT_OK) {
		err_msg("writing the output failed");
		ret = EXIT_ERR;
	}
	return ret;
}
