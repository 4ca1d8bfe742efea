// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vectool: known answers of profile v1 from the shared protocol core and
 * the OpenSSL primitives.
 *
 *   vectool fill FILE            complete input-only records with PAGING,
 *                                AUTH_RESP, COMMAND and CMD_RESP, and
 *                                inventory records (v1.1) with INVENTORY,
 *                                MATCH, RID and INV_RESP
 *   vectool check FILE...        recompute every output and verify every
 *                                message the other way; TAP, one line per
 *                                record (profile or primitive records)
 *   vectool corpus codec DIR FILE...   each message as a fuzzing seed
 *   vectool corpus rsp DIR FILE...     each file and record as a seed
 */
#include <stdio.h>
#include <stdlib.h>

#include "ivec.h"
#include "tap.h"
#include "vec.h"
#include "vectool.h"

const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* ---- fill -------------------------------------------------------------- */

static void put_hex(FILE *out, const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(out, "%02x", p[i]);
}

/* The inputs of @b as written, comments included; outputs left out. */
static void put_inputs(const struct rsp_block *b, FILE *out)
{
	size_t i;

	for (i = 0; i < b->nline; i++) {
		const struct rsp_line *l = &b->line[i];

		if (!l->name)
			fprintf(out, "%s\n", l->text);
		else if (!pvec_is_output(l->name) && !ivec_is_output(l->name))
			fprintf(out, "%s = %s\n", l->name, l->text);
	}
}

static int fill_inventory(struct rsp_file *f, const struct rsp_block *b,
			  FILE *out)
{
	static u8 msg[IV_NOUT][IV_OUT_MAX];
	size_t len[IV_NOUT];
	struct ivec v;
	int t, ret;

	if (ivec_read(f, b, &v))
		return -1;
	ret = ivec_build(&v, msg, len);
	if (ret)
		return rsp_error(f, b->lineno, "building failed (%d)", ret);
	put_inputs(b, out);
	for (t = 0; t < IV_NOUT; t++) {
		fprintf(out, "%s = ", iv_out_name[t]);
		put_hex(out, msg[t], len[t]);
		fputc('\n', out);
	}
	fputc('\n', out);
	return 0;
}

static int fill_block(struct rsp_file *f, const struct rsp_block *b,
		      FILE *out)
{
	static u8 msg[PV_NMSG][AIOT_MSG_MAX];
	size_t len[PV_NMSG];
	struct pvec v;
	int t, ret;

	if (b->nfield && ivec_is_record(b))
		return fill_inventory(f, b, out);
	if (b->nfield) {
		if (pvec_read(f, b, &v))
			return -1;
		ret = pvec_build(&v, msg, len);
		if (ret)
			return rsp_error(f, b->lineno, "building failed (%d)",
					 ret);
	}
	put_inputs(b, out);
	for (t = 0; b->nfield && t < PV_NMSG; t++) {
		fprintf(out, "%s = ", pv_msg_name[t]);
		put_hex(out, msg[t], len[t]);
		fputc('\n', out);
	}
	fputc('\n', out);
	return 0;
}

/* Output goes to memory first: nothing is printed for a broken file. */
static int cmd_fill(const char *path)
{
	struct rsp_file f;
	char *text = NULL;
	size_t size = 0, i;
	FILE *out;
	int ret = 1;

	out = open_memstream(&text, &size);
	if (!out) {
		perror("vectool");
		return 1;
	}
	if (rsp_load(&f, path))
		goto done;
	for (i = 0; i < f.nblk; i++) {
		if (fill_block(&f, &f.blk[i], out))
			goto done;
	}
	ret = 0;
done:
	if (fclose(out) && !ret) {
		perror("vectool");
		ret = 1;
	}
	if (ret && f.err[0])
		fprintf(stderr, "vectool: %s\n", f.err);
	if (!ret && (fwrite(text, 1, size, stdout) != size ||
		     fflush(stdout))) {
		perror("vectool");
		ret = 1;
	}
	free(text);
	rsp_free(&f);
	return ret;
}

/* ---- check ------------------------------------------------------------- */

static int cmd_check(int argc, char **argv)
{
	struct rsp_file f;
	int i;

	for (i = 0; i < argc; i++) {
		const char *name = base_name(argv[i]);
		size_t j, nrec = 0;

		if (rsp_load(&f, argv[i])) {
			tap_ok(false, "%s: cannot be read", name);
			tap_diag("%s", f.err);
			rsp_free(&f);
			continue;
		}
		for (j = 0; j < f.nblk; j++) {
			const struct rsp_block *b = &f.blk[j];
			const struct rsp_line *count = rsp_find(b, "COUNT", 0);
			const struct rsp_line *alg = rsp_find(b, "ALG", 0);
			bool pass;

			if (!b->nfield)
				continue;
			nrec++;
			f.err[0] = '\0';
			if (alg)
				pass = check_prim(&f, b, alg->text);
			else if (ivec_is_record(b))
				pass = check_inventory(&f, b);
			else
				pass = check_profile(&f, b);
			tap_ok(pass, "%s:%u COUNT %s%s%s", name, b->lineno,
			       count ? count->text : "?", alg ? " " : "",
			       alg ? alg->text : "");
			if (f.err[0])
				tap_diag("%s", f.err);
		}
		if (!nrec)
			tap_ok(false, "%s: no records", name);
		rsp_free(&f);
	}
	return tap_done();
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vectool fill FILE\n"
		"       vectool check FILE...\n"
		"       vectool corpus codec|rsp DIR FILE...\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return cmd_fill(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "corpus") &&
	    (!strcmp(argv[2], "codec") || !strcmp(argv[2], "rsp")))
		return cmd_corpus(argv[2], argv[3], argc - 4, argv + 4);
	return usage();
}
