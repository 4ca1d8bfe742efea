// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * jsonchk [--lines]: is standard input valid JSON? Prints the element
 * count of a top-level array (1 for another value); with --lines, every
 * non-empty line must be one JSON value, and the count of lines is
 * printed. Exit status 0 if valid, 1 if not (the reason on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

static char *slurp(size_t *len)
{
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap), *nb;

	while (buf) {
		if (n == cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, stdin);
		if (!r) {
			*len = n;
			return buf;
		}
		n += r;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	int lines = argc > 1 && !strcmp(argv[1], "--lines");
	char *buf, *p, *eol, err[128];
	size_t len;
	long n = 0, k, line = 0;

	buf = slurp(&len);
	if (!buf) {
		fprintf(stderr, "jsonchk: out of memory\n");
		return 2;
	}
	if (!lines) {
		if (jsonv_check(buf, len, &n, err, sizeof(err))) {
			fprintf(stderr, "jsonchk: %s\n", err);
			free(buf);
			return 1;
		}
		printf("%ld\n", n);
		free(buf);
		return 0;
	}
	for (p = buf; p < buf + len; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(buf + len - p));
		if (!eol)
			eol = buf + len;
		line++;
		if (eol == p)
			continue;
		if (jsonv_check(p, (size_t)(eol - p), &k, err, sizeof(err))) {
			fprintf(stderr, "jsonchk: line %ld: %s\n", line, err);
			free(buf);
			return 1;
		}
		n++;
	}
	printf("%ld\n", n);
	free(buf);
	return 0;
}
