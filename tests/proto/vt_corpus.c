// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vectool corpus: fuzzing seeds from vector files. "codec" writes each
 * message of each profile record (built when the file has only inputs) as
 * DIR/NAME-COUNT-TYPE.bin; "rsp" writes the file (as parsed) and each of
 * its blocks as DIR/NAME.rsp and DIR/NAME-BLOCK-block.rsp.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vec.h"
#include "vectool.h"

static int write_file(const char *dir, const char *name, const char *id,
		      const char *what, const char *ext, const void *p,
		      size_t len)
{
	char path[4096];
	FILE *fp;
	bool ok;
	int n;

	if (what)
		n = snprintf(path, sizeof(path), "%s/%s-%s-%s%s", dir, name,
			     id, what, ext);
	else
		n = snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "vectool: %s: path too long\n", dir);
		return -1;
	}
	fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		return -1;
	}
	ok = !len || fwrite(p, 1, len, fp) == len;
	if (fclose(fp))
		ok = false;
	if (!ok) {
		perror(path);
		return -1;
	}
	return 0;
}

static int corpus_codec(const char *dir, struct rsp_file *f,
			const char *name)
{
	static u8 msg[PV_NMSG][AIOT_MSG_MAX];
	size_t len[PV_NMSG], i;
	struct pvec v;
	int t;

	for (i = 0; i < f->nblk; i++) {
		const struct rsp_block *b = &f->blk[i];

		if (!b->nfield || rsp_find(b, "ALG", 0))
			continue;
		if (pvec_read(f, b, &v))
			return -1;
		if (pvec_build(&v, msg, len))
			return rsp_error(f, b->lineno, "building failed");
		for (t = 0; t < PV_NMSG; t++) {
			/* COUNT is made of hex digits: a safe name. */
			if (write_file(dir, name, v.count, pv_msg_name[t],
				       ".bin", msg[t], len[t]))
				return -1;
		}
	}
	return 0;
}

static void put_block(FILE *out, const struct rsp_block *b)
{
	size_t i;

	for (i = 0; i < b->nline; i++) {
		const struct rsp_line *l = &b->line[i];

		if (l->name)
			fprintf(out, "%s = %s\n", l->name, l->text);
		else
			fprintf(out, "%s\n", l->text);
	}
}

/* Blocks @from to @to - 1 as one text, in DIR/NAME[-IDX-block].rsp. */
static int write_blocks(const char *dir, const char *name,
			const struct rsp_file *f, size_t from, size_t to,
			bool whole)
{
	char *text = NULL, id[32];
	size_t size = 0, i;
	FILE *out;
	int ret;

	snprintf(id, sizeof(id), "%zu", from);
	out = open_memstream(&text, &size);
	if (!out) {
		perror("vectool");
		return -1;
	}
	for (i = from; i < to; i++) {
		put_block(out, &f->blk[i]);
		fputc('\n', out);
	}
	if (fclose(out)) {
		perror("vectool");
		free(text);
		return -1;
	}
	ret = write_file(dir, name, id, whole ? NULL : "block", ".rsp",
			 text, size);
	free(text);
	return ret;
}

static int corpus_rsp(const char *dir, struct rsp_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nblk; i++) {
		if (write_blocks(dir, name, f, i, i + 1, false))
			return -1;
	}
	return write_blocks(dir, name, f, 0, f->nblk, true);
}

int cmd_corpus(const char *kind, const char *dir, int argc, char **argv)
{
	struct rsp_file f;
	int i, ret = 0;

	for (i = 0; !ret && i < argc; i++) {
		char name[256];
		size_t n;

		snprintf(name, sizeof(name), "%s", base_name(argv[i]));
		n = strlen(name);
		if (n > 4 && !strcmp(name + n - 4, ".rsp"))
			name[n - 4] = '\0';
		if (rsp_load(&f, argv[i]))
			ret = -1;
		else if (!strcmp(kind, "codec"))
			ret = corpus_codec(dir, &f, name);
		else
			ret = corpus_rsp(dir, &f, name);
		if (ret && f.err[0])
			fprintf(stderr, "vectool: %s\n", f.err);
		rsp_free(&f);
	}
	return ret ? 1 : 0;
}
