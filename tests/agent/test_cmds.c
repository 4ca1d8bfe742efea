// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of aiotctl's command table (aiotctl/cmds.c): every form shows
 * in aiotctl --help and in its object's help, and the man page names
 * every object, command, alias and keyword of the table, in its SYNOPSIS
 * (the keywords on the form's own line) and in OBJECTS AND COMMANDS. So
 * the help, the parser's table and aiotctl(8) cannot drift apart again.
 *   test_cmds AIOTCTL.8
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"
#include "out.h"
#include "show.h"
#include "tap.h"

#define WORDS_MAX	8192
#define WORD_LEN	40

struct words {
	char w[WORDS_MAX][WORD_LEN];
	int n;
};

static char *out;
static size_t outlen;

static FILE *open_out(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static const char *synopsis(const struct cmd_form *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", c->object, c->name ? " " : "",
		 c->name ? c->name : "", c->args[0] ? " " : "", c->args);
	return buf;
}

static void test_help(void)
{
	const struct cmd_form *c;
	char syn[200], want[220];
	size_t i;
	FILE *f;

	f = open_out();
	help_main(f);
	fclose(f);
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		snprintf(want, sizeof(want), "\n  %s", synopsis(c, syn,
								sizeof(syn)));
		if (!tap_ok(strstr(out, want) && strstr(out, c->desc),
			    "--help shows '%s' and its description", syn))
			tap_diag("%s", out);
	}
	tap_ok(strstr(out, "monitor [count N] [timeout MS]") != NULL,
	       "--help has monitor's timeout");
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		synopsis(c, syn, sizeof(syn));
		f = open_out();
		tap_ok(!help_object(f, c->object, NULL), "help %s", c->object);
		fclose(f);
		tap_ok(strstr(out, syn) && strstr(out, c->desc),
		       "help %s shows '%s'", c->object, syn);
		f = open_out();
		tap_ok(!help_object(f, c->object, c->name) &&
		       !fclose(f) && !strncmp(out, "usage: aiotctl ", 15) &&
		       strstr(out, syn), "help %s %s: its usage", c->object,
		       c->name ? c->name : "");
		if (!c->alias)
			continue;
		f = open_out();
		tap_ok(!help_object(f, c->object, c->alias) && !fclose(f) &&
		       strstr(out, syn), "help %s %s: the alias", c->object,
		       c->alias);
	}
	for (i = 0; i < cmd_nobjects; i++) {
		size_t k;

		for (k = 0; k < cmd_nforms; k++)
			if (!strcmp(cmd_forms[k].object, cmd_objects[i].name))
				break;
		tap_ok(k < cmd_nforms, "object %s has a command",
		       cmd_objects[i].name);
	}
	f = open_out();
	tap_ok(help_object(f, "device", "frob") == -1 &&
	       help_object(f, "frob", NULL) == -1, "help of unknown names fails");
	fclose(f);
}

/* ---- the man page ----------------------------------------------------------- */

/* The words of @text, troff escapes and request names left out. */
static void split(const char *text, struct words *w)
{
	const char *p = text;
	size_t k;
	int bol = 1;

	w->n = 0;
	while (*p) {
		if (bol && *p == '.') {		/* a request: skip its name */
			while (*p && *p != ' ' && *p != '\n')
				p++;
		}
		bol = 0;
		if (*p == '\n')
			bol = 1;
		if (*p == '\\') {
			p++;
			if (*p == 'f' && p[1]) {	/* \fB \fI \fR \fP */
				p += 2;
				continue;
			}
			if (*p == '-') {
				/* a hyphen inside a word: keep the word whole */
				if (w->n && p - 2 >= text &&
				    isalnum((unsigned char)p[-2]) &&
				    isalnum((unsigned char)p[1])) {
					k = strlen(w->w[w->n - 1]);
					if (k + 1 < WORD_LEN) {
						w->w[w->n - 1][k] = '-';
						w->w[w->n - 1][k + 1] = '\0';
					}
					p++;
					/* and the rest of it */
					k++;
					while (isalnum((unsigned char)*p) &&
					       k + 1 < WORD_LEN)
						w->w[w->n - 1][k++] = *p++;
					w->w[w->n - 1][k] = '\0';
					continue;
				}
			}
			if (*p)
				p++;
			continue;
		}
		if (isalnum((unsigned char)*p) || *p == '_') {
			if (w->n == WORDS_MAX)
				return;
			k = 0;
			while ((isalnum((unsigned char)*p) || *p == '_' ||
				*p == '-' || *p == '=') && k + 1 < WORD_LEN)
				w->w[w->n][k++] = *p++;
			w->w[w->n][k] = '\0';
			w->n++;
			continue;
		}
		p++;
	}
}

/* The text of section @name (".SH NAME" to the next .SH), or NULL. */
static char *section(const char *page, const char *name)
{
	char head[64];
	const char *s, *e;

	snprintf(head, sizeof(head), "\n.SH %s\n", name);
	s = strstr(page, head);
	if (!s)
		return NULL;
	s += strlen(head);
	e = strstr(s, "\n.SH ");
	if (!e)
		e = s + strlen(s);
	return strndup(s, (size_t)(e - s));
}

static int find(const struct words *w, int from, int to, const char *word)
{
	int i;

	for (i = from; i < to && i < w->n; i++)
		if (!strcmp(w->w[i], word))
			return i;
	return -1;
}

/* The lower-case words of a synopsis: the keywords ("key", "dry-run"). */
static int keywords(const char *args, char kw[][WORD_LEN], int max)
{
	const char *p = args;
	int n = 0;
	size_t k;

	while (*p && n < max) {
		if (!islower((unsigned char)*p) ||
		    (p > args && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))) {
			p++;
			continue;
		}
		k = 0;
		while ((islower((unsigned char)*p) || *p == '-') &&
		       k + 1 < WORD_LEN)
			kw[n][k++] = *p++;
		kw[n][k] = '\0';
		if (!isupper((unsigned char)*p))
			n++;
	}
	return n;
}

/*
 * In the SYNOPSIS, a line of @c's: "aiotctl OBJECT" up to the next
 * "aiotctl", holding the form's name (or the object alone) and every
 * keyword of its synopsis.
 */
static void check_synopsis(const struct words *w, const struct cmd_form *c)
{
	char kw[16][WORD_LEN];
	int i, j, end, n, k, good = 0;
	char missing[64] = "";

	n = keywords(c->args, kw, 16);
	for (i = 0; i < w->n && !good; i++) {
		if (strcmp(w->w[i], "aiotctl") || i + 1 == w->n ||
		    strcmp(w->w[i + 1], c->object))
			continue;
		end = find(w, i + 1, w->n, "aiotctl");
		if (end < 0)
			end = w->n;
		if (c->name && find(w, i + 2, end, c->name) < 0)
			continue;
		for (k = 0; k < n; k++) {
			j = find(w, i + 2, end, kw[k]);
			if (j < 0) {
				snprintf(missing, sizeof(missing), "%s", kw[k]);
				break;
			}
		}
		good = k == n;
	}
	if (!tap_ok(good, "aiotctl.8 SYNOPSIS: '%s%s%s' with its %d keywords",
		    c->object, c->name ? " " : "", c->name ? c->name : "", n))
		tap_diag("no line has them all%s%s", missing[0] ? "; missing " : "",
			 missing);
}

static void test_manpage(const char *path)
{
	static struct words syn, cmds;
	char *page, *s;
	const struct cmd_form *c;
	size_t i, len;
	FILE *f;
	int j;

	f = fopen(path, "r");
	if (!tap_ok(f != NULL, "read %s", path))
		return;
	page = malloc(1 << 20);
	len = page ? fread(page, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!page)
		return;
	page[len] = '\0';
	s = section(page, "SYNOPSIS");
	tap_ok(s != NULL, "aiotctl.8 has a SYNOPSIS");
	split(s ? s : "", &syn);
	free(s);
	s = section(page, "OBJECTS AND COMMANDS");
	tap_ok(s != NULL, "aiotctl.8 has OBJECTS AND COMMANDS");
	split(s ? s : "", &cmds);
	free(s);
	for (i = 0; i < cmd_nforms; i++) {
		c = &cmd_forms[i];
		check_synopsis(&syn, c);
		/* "OBJECT NAME" as the head of an entry, the alias nearby. */
		for (j = 0; j + 1 < cmds.n; j++)
			if (!strcmp(cmds.w[j], c->object) &&
			    (!c->name || !strcmp(cmds.w[j + 1], c->name)))
				break;
		tap_ok(j + 1 < cmds.n, "aiotctl.8 describes '%s%s%s'",
		       c->object, c->name ? " " : "", c->name ? c->name : "");
		if (c->alias)
			tap_ok(find(&cmds, j, j + 200, c->alias) >= 0,
			       "aiotctl.8 names '%s %s' as '%s %s' too",
			       c->object, c->name, c->object, c->alias);
	}
	free(page);
}

/*
 * device show: the header says the IDs' padding, and an ID written short
 * (a 96-bit EPC) is shown as the module keeps it, its columns aligned
 * with the header's.
 */
static void test_show_header(void)
{
	struct dev_info d = { .key_len = 16, .policy = 0x01, .min_policy = 0x01 };
	static const uint8_t epc[12] = { 0xe2, 0x80, 0x11, 0x60, 0x60, 0x00,
					 0x02, 0x04, 0x00, 0x00, 0xa1, 0xb2 };
	FILE *f = open_out();
	char *nl;

	memcpy(d.id + sizeof(d.id) - sizeof(epc), epc, sizeof(epc));
	out_init(false, f);
	show_devices(&d, 1);
	fclose(f);
	nl = out ? strchr(out, '\n') : NULL;
	tap_ok(nl && !strncmp(out, "ID (16 BYTES, ZERO-PADDED)", 26) &&
	       !strncmp(nl + 1, "00000000e2801160600002040000a1b2  ", 34) &&
	       !strncmp(out + 34, "KEY", 3) && nl[1 + 34] != ' ',
	       "device show: the header says the padding; a 12-byte EPC shows left-padded, aligned");
	if (out && !nl)
		tap_diag("%s", out);
}

int main(int argc, char **argv)
{
	test_help();
	test_show_header();
	if (argc > 1)
		test_manpage(argv[1]);
	else
		tap_ok(0, "usage: test_cmds AIOTCTL.8");
	free(out);
	return tap_done();
}
