/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The parts of vectool (see vectool.c). */
#ifndef _AIOT_VECTOOL_H
#define _AIOT_VECTOOL_H

#include <stdbool.h>

#include "rsp.h"

const char *base_name(const char *path);

/* Check one record; on failure false, with diagnostics or f->err. */
bool check_profile(struct rsp_file *f, const struct rsp_block *b);
bool check_inventory(struct rsp_file *f, const struct rsp_block *b);
bool check_prim(struct rsp_file *f, const struct rsp_block *b,
		const char *alg);

int cmd_corpus(const char *kind, const char *dir, int argc, char **argv);

#endif /* _AIOT_VECTOOL_H */
