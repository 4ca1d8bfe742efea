// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl [-j] OBJECT COMMAND ...: options, the object table, messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"

bool opt_json;
const char *prog = "aiotctl";

#define VERSION "1"

static const char usage_main[] =
"usage: aiotctl [-j|--json] [-h|--help] [-V|--version] OBJECT COMMAND ...\n"
"\n"
"  reader  add DEV | del DEV | show\n"
"  device  add ID key FILE|- policy P [min P] | replace ... | del ID...\n"
"          | show [ID] | flush\n"
"  load    FILE [replace] [batch N]\n"
"  sync    FILE [dry-run] [batch N]\n"
"  auth    ID [reader DEV] [policy P] [timeout MS]\n"
"  command ID PAYLOAD [hex|text] [policy P] [reader DEV] [timeout MS]\n"
"          [dest MAC]\n"
"  monitor [count N]\n"
"  stats   [device ID]\n"
"  config  show | set [timeout MS] [max-pending N] [max-devices N]\n"
"\n"
"-j prints JSON. 'aiotctl OBJECT help' shows an object's commands.\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 timeout, 4 verification failed.\n"
"See aiotctl(8).\n";

static void vmsg(const char *pfx, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", prog, pfx);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int usage_err(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int help_out(const char *usage)
{
	fputs(usage, stdout);
	return EXIT_OK;
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

bool wants_help(int argc, char **argv)
{
	int i;

	if (argc && is_help(argv[0]))
		return true;
	if (argc > 1 && is_help(argv[1]))
		return true;
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "reader", cmd_reader },
	{ "device", cmd_device },
	{ "load", cmd_load },
	{ "sync", cmd_sync },
	{ "auth", cmd_auth },
	{ "command", cmd_command },
	{ "monitor", cmd_monitor },
	{ "stats", cmd_stats },
	{ "config", cmd_config },
};

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	argv++;
	argc--;
	for (; argc && argv[0][0] == '-'; argv++, argc--) {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			opt_json = true;
		} else if (!strcmp(argv[0], "-h") ||
			   !strcmp(argv[0], "--help")) {
			return help_out(usage_main);
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
			return usage_err(usage_main, "unknown option '%s'",
					 argv[0]);
		}
	}
	if (!argc)
		return usage_err(usage_main, "an OBJECT is required");
	if (!strcmp(argv[0], "help"))
		return help_out(usage_main);
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (strcmp(argv[0], objects[i].name))
			continue;
		ret = objects[i].fn(argc - 1, argv + 1);
		if (fflush(stdout) && ret == EXIT_OK) {
			err_msg("writing the output failed");
			ret = EXIT_ERR;
		}
		return ret;
	}
	return usage_err(usage_main, "unknown object '%s'", argv[0]);
}
