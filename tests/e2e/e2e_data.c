// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Data of the end-to-end suite (aiotsec_e2e.c): payload patterns, IDs,
 * policies and text as the tests write and compare them, key files, and
 * the search for a key in any output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

static void lower_n(char *s, size_t n)
{
	for (; n--; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

char *lower(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

void pattern(uint8_t *p, size_t n, unsigned int salt)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 37 + 11 + salt);
}

void reversed_hex(const uint8_t *p, size_t n, char *out)
{
	uint8_t r[1024];
	size_t i;

	for (i = 0; i < n; i++)
		r[i] = p[n - 1 - i];
	hex_of(r, n, out);
}

void pol_arg(uint8_t p, char *buf)
{
	sprintf(buf, "0x%02x", p);
}

const char *id_of(enum dev_group g, unsigned int i, char *buf)
{
	env_id_hex(env_dev(g, i), buf);
	return buf;
}

bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle);
}

void write_key_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "000102030405060708090a0b0c0d0e0f\n");
		fclose(f);
	}
	chmod(path, 0600);
}

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * Does @text hold any key in hex, either case? Every 16-byte half of every
 * key is a 32-digit window; each 32-digit window of the text is looked up
 * among them (the text may be a dump of thousands of devices).
 */
bool leaks_key(const char *text, const char *what)
{
	size_t i, n = 0, run = 0;
	char (*win)[32], hex[65], w[32];
	bool leak = false;

	win = calloc(env.ndevs * 2, 32);
	if (!win)
		return true;
	for (i = 0; i < env.ndevs; i++) {
		hex_of(env.devs[i].key, env.devs[i].key_len, hex);
		memcpy(win[n++], hex, 32);
		if (env.devs[i].key_len == 32)
			memcpy(win[n++], hex + 32, 32);
	}
	qsort(win, n, 32, cmp32);
	for (i = 0; text && text[i] && !leak; i++) {
		run = is_hex(text[i]) ? run + 1 : 0;
		if (run < 32)
			continue;
		memcpy(w, text + i - 31, 32);
		lower_n(w, 32);
		if (bsearch(w, win, n, 32, cmp32)) {
			fprintf(stderr, "# a key appears in %s: %.32s\n", what, w);
			leak = true;
		}
	}
	memset(win, 0, n * 32);
	free(win);
	return leak;
}
