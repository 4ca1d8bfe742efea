// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer harness of idlist_read() (aiotctl auth/command file FILE|-):
 * an accepted list holds one ID per line with a word on it (comments and
 * blanks aside); a refused one names a line that exists.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idlist.h"

#define check(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lines with something before any '#' but blanks: one ID each. */
static size_t lines_with_words(const uint8_t *data, size_t size)
{
	bool word = false, comment = false;
	size_t i, n = 0;

	for (i = 0; i < size; i++) {
		if (data[i] == '\n') {
			n += word;
			word = comment = false;
		} else if (data[i] == '#') {
			comment = true;
		} else if (!comment && !isspace(data[i])) {
			word = true;
		}
	}
	return n + word;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idlist l = { 0 };
	unsigned int lines = 1, line = 0;
	char err[BATCH_ERR_MAX];
	size_t i;
	FILE *f;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size) {
		fclose(f);
		return 0;
	}
	err[0] = '\0';
	if (idlist_read(&l, f, err, sizeof(err))) {
		check(sscanf(err, "line %u: ", &line) == 1 ||
		      !strcmp(err, "out of memory"));
		check(!line || line <= lines);
	} else {
		check(l.n == lines_with_words(data, size));
	}
	fclose(f);
	idlist_free(&l);
	return 0;
}
