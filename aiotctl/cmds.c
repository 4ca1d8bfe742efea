// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The command table, and everything made from it: the dispatch, every
 * help text (aiotctl --help, aiotctl help OBJECT [COMMAND], OBJECT help)
 * and the synopsis after a usage error. A command's text is written once,
 * here; tests/agent/test_cmds.c checks that the help shows every form and
 * that aiotctl(8) names every command and keyword of the table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "hex.h"

const char *prog = "aiotctl";

const struct cmd_form cmd_forms[] = {
	{ "reader", "add", NULL, "DEV", false,
	  "bind interface DEV as a reader", reader_add },
	{ "reader", "del", "delete", "DEV", false,
	  "unbind interface DEV", reader_del },
	{ "reader", "show", "list", "", true,
	  "list the readers", reader_show },
	{ "device", "add", NULL, "ID key FILE|- policy P [min P] [group HEX]", false,
	  "add a device; an existing ID is an error", device_add },
	{ "device", "replace", NULL, "ID key FILE|- policy P [min P] [group HEX]", false,
	  "add a device, or replace it (counters stay)", device_replace },
	{ "device", "del", "delete", "ID [ID...]", false,
	  "delete devices, all or none", device_del },
	{ "device", "show", "list", "[ID]", true,
	  "the device table or one device, counters too", device_show },
	{ "device", "flush", NULL, "", false,
	  "delete every device", device_flush },
	{ "load", NULL, NULL, "FILE|- [replace] [batch N] [check]", true,
	  "add every device of a key-store file", cmd_load },
	{ "sync", NULL, NULL, "FILE|- [dry-run] [batch N]", true,
	  "make the device table equal to a key store", cmd_sync },
	{ "auth", NULL, NULL,
	  "ID [ID...]|-|file FILE [reader DEV] [policy P] [timeout MS] [window N [fixed]]",
	  true, "page devices, wait for their authentication", cmd_auth },
	{ "command", NULL, NULL,
	  "ID PAYLOAD|ID [ID...]|-|file FILE payload PAYLOAD [hex|text] [policy P] [reader DEV] [timeout MS] [dest MAC] [window N [fixed]]",
	  true, "send a COMMAND, print the verified response",
	  cmd_command },
	{ "inventory", NULL, NULL,
	  "[reader DEV] [filter HEX[/BITS]] [mac 4|8|16] [window MS] [stop N]",
	  true, "which devices are here: one inventory round", cmd_inventory },
	{ "monitor", NULL, NULL, "[count N] [timeout MS]", true,
	  "print every event, one line each", cmd_monitor },
	{ "stats", NULL, NULL, "[device ID]", true,
	  "the namespace's counters, or one device's", cmd_stats },
	{ "config", "show", NULL, "", true,
	  "the namespace's settings", config_show },
	{ "config", "set", NULL,
	  "[timeout MS] [max-pending N] [max-devices N] [max-rejects N] [min-group N] [max-rounds N]",
	  false, "change the namespace's settings", config_set },
};

const size_t cmd_nforms = sizeof(cmd_forms) / sizeof(cmd_forms[0]);

const struct cmd_object cmd_objects[] = {
	{ "reader", "DEV: a network interface; frames of EtherType 0x88B5 on it\n"
	  "go to the module, requests go out on it.\n" },
	{ "device", "ID: 1 to 16 bytes of hex. FILE holds the key as 32 or 64 hex digits\n"
	  "('-': standard input); keys are never taken from the command line.\n"
	  "P: a policy such as tid,pc,mi,mac=8 (aiotctl(8), POLICY SYNTAX);\n"
	  "min: the weakest response policy accepted (default: P).\n"
	  "group: the device's public inventory group, 16 hex digits (default 0).\n" },
	{ "load", "FILE: a key store (aiotctl(8), KEY-STORE FORMAT; '-': standard input).\n"
	  "replace: existing devices are replaced (AIOTSEC_F_REPLACE).\n"
	  "batch N: at most N devices per message (default: as many as fit).\n"
	  "check: only validate the file, offline (no module needed).\n" },
	{ "sync", "Add the missing devices, replace those whose key, policies or group\n"
	  "differ, delete the others. dry-run: only print what would change (and,\n"
	  "for a replacement, what differs).\n"
	  "batch N: at most N devices per message.\n" },
	{ "auth", "Prints the device's capability. reader: the interface to page on\n"
	  "(default: the first reader); policy: only ID protection (enc|tid) and\n"
	  "mac= apply to a PAGING; timeout: in ms (default: the namespace's).\n"
	  "Many IDs (or one per line from FILE, '-': standard input): one socket,\n"
	  "a line per device as it completes; window: at most N outstanding\n"
	  "(default 64), adapting to timeouts unless fixed.\n"
	  "Exit status 3: no response in time; 4: responses failed verification;\n"
	  "the worst of all devices.\n" },
	{ "command", "PAYLOAD: text by default, or hex; at most 1024 bytes. dest: unicast\n"
	  "to MAC instead of broadcast. policy, reader, timeout, window: as for\n"
	  "auth; with many IDs the PAYLOAD follows the keyword payload.\n"
	  "Exit status 3: no response in time; 4: responses failed verification.\n" },
	{ "inventory", "One round of profile v1.1's inventory: a line per device found, then\n"
	  "the summary. filter: the first BITS bits (default: all of HEX) of the\n"
	  "devices' group; at least min-group devices must match. mac: the\n"
	  "answers' MAC length (default 16); window: in ms (default 5000); stop:\n"
	  "end once N devices are found. Exit status 3: no summary in time.\n" },
	{ "monitor", "-j: one JSON object per line. count: stop after N events; timeout:\n"
	  "stop after MS milliseconds (exit status 3 if fewer than N events came).\n" },
	{ "stats", "Frames, results and drops by reason; a device's results.\n" },
	{ "config", "timeout: default transaction timeout (ms); max-pending: transactions\n"
	  "at once; max-devices: size of the device table; max-rejects: failed\n"
	  "verifications that end a pending transaction. Each from 1 to the module's limit.\n"
	  "min-group: the fewest devices a filtered inventory may match (default 16);\n"
	  "max-rounds: inventory rounds at once (default 4).\n" },
};

const size_t cmd_nobjects = sizeof(cmd_objects) / sizeof(cmd_objects[0]);

/* The command running, for its errors and help. */
static const struct cmd_form *cur;

/* ---- messages -------------------------------------------------------------- */

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

/* ---- help ------------------------------------------------------------------ */

static const struct cmd_object *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < cmd_nobjects; i++)
		if (!strcmp(cmd_objects[i].name, name))
			return &cmd_objects[i];
	return NULL;
}

static bool named(const char *object)
{
	size_t i;

	for (i = 0; i < cmd_nforms; i++)
		if (!strcmp(cmd_forms[i].object, object))
			return cmd_forms[i].name != NULL;
	return false;
}

static const struct cmd_form *find_form(const char *object, const char *name)
{
	const struct cmd_form *c;
	size_t i;

	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		if (strcmp(c->object, object))
			continue;
		if (!c->name || (name && (!strcmp(c->name, name) ||
					  (c->alias && !strcmp(c->alias, name)))))
			return c;
	}
	return NULL;
}

/* "device add ID key ..." into @buf. */
static const char *synopsis(const struct cmd_form *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", c->object, c->name ? " " : "",
		 c->name ? c->name : "", c->args[0] ? " " : "", c->args);
	return buf;
}

void help_main(FILE *f)
{
	const struct cmd_form *c;
	char syn[160];
	int n = 0, col;
	size_t i;

	fprintf(f, "usage: %s [-j|--json] [-h|--help] [-V|--version] [--insecure-keys]\n"
		   "               OBJECT COMMAND ...\n\n",
		prog);
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		synopsis(c, syn, sizeof(syn));
		if (strlen(syn) <= 32)
			fprintf(f, "  %-32s  %s\n", syn, c->desc);
		else
			fprintf(f, "  %s\n  %-32s  %s\n", syn, "", c->desc);
	}
	col = fprintf(f, "\n-j prints JSON of") - 1;
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		if (!c->json)
			continue;
		snprintf(syn, sizeof(syn), "%s%s%s", c->object,
			 c->name ? " " : "", c->name ? c->name : "");
		if (n++)
			col += fprintf(f, ",");
		if (col + 1 + (int)strlen(syn) > 76)
			col = fprintf(f, "\n ") - 1;
		col += fprintf(f, " %s", syn);
	}
	fprintf(f, ".\n'%s help OBJECT [COMMAND]' or '%s OBJECT help' shows more.\n",
		prog, prog);
	fputs("Exit status: 0 ok, 1 error, 2 usage, 3 timeout, 4 verification failed.\n"
	      "See aiotctl(8).\n", f);
}

/* The "usage:" lines of @object's forms (@only: that one). */
static void usage_lines(FILE *f, const char *object,
			const struct cmd_form *only)
{
	const struct cmd_form *c;
	char syn[160];
	size_t i;
	int n = 0;

	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		if (strcmp(c->object, object) || (only && c != only))
			continue;
		fprintf(f, "%s %s%s %s\n", n++ ? "      " : "usage:", prog,
			c->json ? " [-j]" : "", synopsis(c, syn, sizeof(syn)));
	}
}

int help_object(FILE *f, const char *object, const char *form)
{
	const struct cmd_object *o = find_object(object);
	const struct cmd_form *only = NULL, *c;
	char name[40];
	size_t i;

	if (!o)
		return -1;
	if (form && named(object)) {
		only = find_form(object, form);
		if (!only)
			return -1;
	}
	usage_lines(f, object, only);
	fputc('\n', f);
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		if (strcmp(c->object, object) || (only && c != only))
			continue;
		if (!c->name) {
			fprintf(f, "  %s\n", c->desc);
			continue;
		}
		snprintf(name, sizeof(name), "%s%s%s%s", c->name,
			 c->alias ? " (" : "", c->alias ? c->alias : "",
			 c->alias ? ")" : "");
		fprintf(f, "  %-14s  %s\n", name, c->desc);
	}
	if (o->notes)
		fprintf(f, "\n%s", o->notes);
	return 0;
}

/* ---- the command running --------------------------------------------------- */

const char *cmd_what(void)
{
	static char buf[64];

	if (!cur)
		return prog;
	snprintf(buf, sizeof(buf), "%s%s%s", cur->object, cur->name ? " " : "",
		 cur->name ? cur->name : "");
	return buf;
}

/* A usage error of @object (NULL: of aiotctl): the message, the synopsis. */
static int vusage(const char *object, const struct cmd_form *only,
		  const char *fmt, va_list ap)
{
	vmsg("", fmt, ap);
	if (object)
		usage_lines(stderr, object, only);
	else
		help_main(stderr);
	return EXIT_USAGE;
}

int usage_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vusage(cur ? cur->object : NULL, cur, fmt, ap);
	va_end(ap);
	return ret;
}

static int object_usage(const char *object, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int object_usage(const char *object, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vusage(object, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

int help_out(void)
{
	if (cur)
		help_object(stdout, cur->object, cur->name);
	else
		help_main(stdout);
	return EXIT_OK;
}

bool cmd_kw(struct kw *kws, const char *noun, int argc, char **argv,
	    int *ret)
{
	char err[ARGS_ERR_MAX];
	int r;

	r = kw_parse(kws, noun, argc, argv, err, sizeof(err));
	if (r == KW_HELP)
		*ret = help_out();
	else if (r)
		*ret = usage_err("%s: %s", cmd_what(), err);
	return r != 0;
}

int cmd_id(const char *s, uint8_t *id)
{
	char err[ARGS_ERR_MAX];

	if (hex_parse_id(s, strlen(s), id, err, sizeof(err)))
		return usage_err("'%s': %s", s, err);
	return 0;
}

int cmd_invalid(const struct kw *k, const char *why)
{
	char err[ARGS_ERR_MAX];

	kw_invalid(k, why, err, sizeof(err));
	return usage_err("%s: %s", cmd_what(), err);
}

int cmd_u32(const struct kw *k, uint32_t max, uint32_t *out)
{
	char err[ARGS_ERR_MAX];

	if (kw_u32(k, max, out, err, sizeof(err)))
		return usage_err("%s: %s", cmd_what(), err);
	return 0;
}

/* ---- dispatch -------------------------------------------------------------- */

static bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

/* "help" as the first or second word, or -h/--help anywhere. */
static bool wants_help(int argc, char **argv)
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

/* Edits between @a and @b (Levenshtein), capped at 9. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int d[2][17], i, j, la = strlen(a), lb = strlen(b);

	if (la > 16 || lb > 16)
		return 9;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		d[i & 1][0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int sub = d[(i - 1) & 1][j - 1] + (a[i - 1] != b[j - 1]);
			unsigned int del = d[(i - 1) & 1][j] + 1;
			unsigned int ins = d[i & 1][j - 1] + 1;

			d[i & 1][j] = sub < del ? (sub < ins ? sub : ins) :
						  (del < ins ? del : ins);
		}
	}
	return d[la & 1][lb] > 9 ? 9 : d[la & 1][lb];
}

/*
 * A word that names no object (@object NULL) or no command of @object:
 * one line, the nearest name if one is near, where the list is. Not
 * the whole usage: a typo is not a request for the manual.
 */
static int unknown_word(const char *object, const char *word)
{
	const char *best = NULL;
	unsigned int d, bestd = 3;
	size_t i;

	if (!object) {
		for (i = 0; i < cmd_nobjects; i++) {
			d = distance(word, cmd_objects[i].name);
			if (d < bestd) {
				bestd = d;
				best = cmd_objects[i].name;
			}
		}
		if (best)
			err_msg("unknown object '%s' (did you mean '%s'? 'aiotctl help' lists them)",
				word, best);
		else
			err_msg("unknown object '%s' ('aiotctl help' lists them)", word);
		return EXIT_USAGE;
	}
	for (i = 0; i < cmd_nforms; i++) {
		if (strcmp(cmd_forms[i].object, object) || !cmd_forms[i].name)
			continue;
		d = distance(word, cmd_forms[i].name);
		if (d < bestd) {
			bestd = d;
			best = cmd_forms[i].name;
		}
	}
	if (best)
		err_msg("%s: unknown command '%s' (did you mean '%s'? 'aiotctl help %s' lists them)",
			object, word, best, object);
	else
		err_msg("%s: unknown command '%s' ('aiotctl help %s' lists them)",
			object, word, object);
	return EXIT_USAGE;
}

/* aiotctl help [OBJECT [COMMAND]] */
static int run_help(int argc, char **argv)
{
	if (!argc) {
		help_main(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return object_usage(NULL, "help: at most OBJECT and COMMAND");
	if (!find_object(argv[0]))
		return object_usage(NULL, "help: unknown object '%s'", argv[0]);
	if (help_object(stdout, argv[0], argc > 1 ? argv[1] : NULL))
		return object_usage(argv[0], "help: %s has no command '%s'",
				    argv[0], argv[1]);
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	const struct cmd_object *o;
	const char *obj;

	cur = NULL;
	if (!argc)
		return object_usage(NULL, "an OBJECT is required");
	if (!strcmp(argv[0], "help"))
		return run_help(argc - 1, argv + 1);
	o = find_object(argv[0]);
	if (!o)
		return unknown_word(NULL, argv[0]);
	obj = o->name;
	argc--;
	argv++;
	if (named(obj)) {
		if (!argc)
			return object_usage(obj, "%s: a command is required", obj);
		if (is_help(argv[0])) {
			help_object(stdout, obj, NULL);
			return EXIT_OK;
		}
		cur = find_form(obj, argv[0]);
		if (!cur)
			return unknown_word(obj, argv[0]);
		argc--;
		argv++;
		if (argc && is_help(argv[0]))
			return help_out();
	} else {
		cur = find_form(obj, NULL);
	}
	if (wants_help(argc, argv))
		return help_out();
	return cur->fn(argc, argv);
}
