/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotctl: configure and drive aiotsec.ko over generic netlink. One file
 * per concern: main.c (dispatch), nl.c (socket, errors), args.c (argument
 * parsing), json.c (output), devtab.c (device dump and batches), and a
 * cmd_*.c per object.
 */
#ifndef _AIOTCTL_H
#define _AIOTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../uapi/linux/aiotsec.h"

/* Exit codes (aiotctl.8, EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_ERR = 1,
	EXIT_USAGE = 2,
	EXIT_TIMEOUT = 3,
	EXIT_VERIFY = 4,
};

extern bool opt_json;
extern const char *prog;

/* "aiotctl: ..." on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A command's help: @usage is its synopsis, printed on stdout for --help
 * (returns EXIT_OK) or after @fmt on stderr for a usage error (returns
 * EXIT_USAGE).
 */
int usage_err(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int help_out(const char *usage);
bool is_help(const char *arg);
/* "help" as a command's first or second word, or -h/--help anywhere. */
bool wants_help(int argc, char **argv);

/* Each object's entry point, given the words after the object's name. */
int cmd_reader(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_auth(int argc, char **argv);
int cmd_command(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_config(int argc, char **argv);

#endif /* _AIOTCTL_H */
