// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl [-j] OBJECT COMMAND ...: the global options; the commands and
 * their help are in the table of cmds.c.
 */
#include <stdio.h>
#include <string.h>

#include "aiotctl.h"
#include "out.h"
#include "keystore.h"

/* The running module's version, as MODULE_VERSION put it in sysfs. */
#define MODULE_VERSION_FILE "/sys/module/aiotsec/version"

static void print_version(void)
{
	char buf[64];
	FILE *f;

	printf("aiotctl %s (aiotsec generic netlink version %d)\n",
	       AIOTSEC_VERSION, AIOTSEC_GENL_VERSION);
	f = fopen(MODULE_VERSION_FILE, "re");
	if (!f) {
		printf("module: not loaded\n");
		return;
	}
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		printf("module: aiotsec %s%s\n", buf,
		       strcmp(buf, AIOTSEC_VERSION) ? " (differs from aiotctl's)" : "");
	} else {
		printf("module: loaded, version unreadable\n");
	}
	fclose(f);
}

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
			print_version();
			return EXIT_OK;
		} else if (!strcmp(argv[0], "--insecure-keys")) {
			ks_insecure_ok = true;
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
