/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotctl: configure and drive aiotsec.ko, over the library (lib/aiotsec.h).
 * One file per concern: main.c (options), cmds.c (the command table, help,
 * usage errors, messages), args.c (words and keywords), out.c (plain and
 * JSON output, over the streaming writer json.c), nlerr.c and words.c (the
 * library's failures in aiotctl's words), events.c, show.c, bulk.c, and a
 * cmd_*.c per object.
 */
#ifndef _AIOTCTL_H
#define _AIOTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../uapi/linux/aiotsec.h"

/* Exit codes (aiotctl.8, EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_ERR = 1,
	EXIT_USAGE = 2,
	EXIT_TIMEOUT = 3,
	EXIT_VERIFY = 4,
};

extern const char *prog;

/*
 * The command table (cmds.c), from which every help text and usage error
 * is made. An object ("device") has one or more forms; a form has a name
 * ("add"), or none when the object is the command ("load FILE").
 */
typedef int (*cmd_fn)(int argc, char **argv);

struct cmd_form {
	const char *object;
	const char *name;		/* NULL: the object alone */
	const char *alias;		/* another name, or NULL */
	const char *args;		/* synopsis after the name */
	bool json;			/* -j changes its output */
	const char *desc;		/* one line */
	cmd_fn fn;			/* given the words after the name */
};

struct cmd_object {
	const char *name;
	const char *notes;		/* what its help adds, or NULL */
};

extern const struct cmd_form cmd_forms[];
extern const size_t cmd_nforms;
extern const struct cmd_object cmd_objects[];
extern const size_t cmd_nobjects;

/* Run the words after the global options. Returns the exit status. */
int cmd_run(int argc, char **argv);

/* The synopsis of all commands (aiotctl --help) to @f. */
void help_main(FILE *f);
/* The help of @object, or of its form @form (NULL: every form), to @f. */
int help_object(FILE *f, const char *object, const char *form);

/* "aiotctl: ..." on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * For the command running: its name ("device add"), a usage error (the
 * message, then its synopsis, on stderr; returns EXIT_USAGE) and its
 * help on stdout (returns EXIT_OK).
 */
const char *cmd_what(void);
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int help_out(void);

/*
 * kw_parse() for the command running, with its errors as usage errors.
 * Returns true when the command must return *@ret at once (its help was
 * asked for, or a usage error was printed).
 */
struct kw;
bool cmd_kw(struct kw *kws, const char *noun, int argc, char **argv,
	    int *ret);
/* Usage errors of a keyword's value: "CMD: KW: @why ('VALUE')". */
int cmd_invalid(const struct kw *k, const char *why);
/* The value of @k as a number up to @max; 0 or cmd_invalid()'s. */
int cmd_u32(const struct kw *k, uint32_t max, uint32_t *out);

/* A device ID word into @id (AIOTSEC_ID_LEN); 0 or a usage error. */
int cmd_id(const char *s, uint8_t *id);

/* The commands (cmd_*.c), given the words after their names. */
int reader_add(int argc, char **argv);
int reader_del(int argc, char **argv);
int reader_show(int argc, char **argv);
int device_add(int argc, char **argv);
int device_replace(int argc, char **argv);
int device_del(int argc, char **argv);
int device_show(int argc, char **argv);
int device_flush(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_auth(int argc, char **argv);
int cmd_command(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int config_show(int argc, char **argv);
int config_set(int argc, char **argv);

#endif /* _AIOTCTL_H */
