/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The key-store file: one device per line, shared by aiotctl (load, sync,
 * device add) and the device simulator.
 *
 *   # comment, to the end of the line; blank lines are ignored
 *   # ID (hex, 1-16 bytes)    KEY (hex, 16 or 32 bytes)         POLICY          [MIN]        [group GROUP]
 *   e2801160600002040000a1b2  000102030405060708090a0b0c0d0e0f  tid,pc,mi,mac=8  tid,mi,mac=8  group 4d41494e00000000
 *
 * Fields are separated by blanks or tabs. ID is left-padded with zero
 * bytes to 16 (a 96-bit EPC fits). POLICY and MIN use the policy syntax of
 * policy.h; MIN defaults to POLICY. The word "group" and GROUP, exactly 16
 * hex digits, come last when present: the device's public inventory group
 * of profile v1.1, its 8 bytes in wire order (default: all zero, so a file
 * written before groups loads as it did). Every error names the file, the
 * line and what is wrong. Keys are wiped when the store is freed.
 */
#ifndef _AIOT_KEYSTORE_H
#define _AIOT_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#define KS_ID_LEN	16
#define KS_KEY_MAX	32
#define KS_GROUP_LEN	8

struct ks_entry {
	uint8_t id[KS_ID_LEN];
	uint8_t key[KS_KEY_MAX];
	uint8_t key_len;		/* 16 or 32 */
	uint8_t policy;			/* default request policy */
	uint8_t min_policy;		/* weakest response accepted */
	uint8_t group[KS_GROUP_LEN];	/* public inventory group (v1.1) */
	unsigned int line;		/* where it came from */
};

struct keystore {
	struct ks_entry *e;
	size_t n;
	size_t cap;
};

/*
 * Parse @len bytes of @buf (named @name in messages). On error returns -1
 * and writes "name:line: what" into @err (size @errlen); the store is then
 * empty. Duplicate IDs are an error.
 */
int ks_parse(struct keystore *ks, const char *name, const char *buf,
	     size_t len, char *err, size_t errlen);

/*
 * Key custody, as ssh does for private keys: a regular file that holds
 * keys must be owned by the effective user and neither readable nor
 * writable by its group or others. With @allow (aiotctl --insecure-keys)
 * such a file draws a warning on @warn instead. 0 if it may be used, else
 * -1 with "NAME: what is wrong" in @err. Pipes and terminals pass.
 */
int ks_custody(int fd, const char *name, bool allow, FILE *warn, char *err,
	       size_t errlen);

/* aiotctl --insecure-keys: ks_load and key files take what ks_custody refuses. */
extern bool ks_insecure_ok;

/*
 * Read and parse a file ("-" for standard input). With @warn (aiotctl's
 * callers) the file's custody is checked (ks_custody, refusing unless
 * ks_insecure_ok); NULL skips it (test helpers). The buffers that hold
 * keys are locked in memory (mlock, where the limit allows) and wiped.
 */
int ks_load(struct keystore *ks, const char *path, FILE *warn, char *err,
	    size_t errlen);

/* Wipe the keys and free the store. */
void ks_free(struct keystore *ks);

#endif /* _AIOT_KEYSTORE_H */
