/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * AIoT areas: what this AIOTF serves. Each configured area (TS 29.571
 * AiotAreaId: plmnId {mcc, mnc}, optional nid, 3-octet aiotAreaCode) names
 * the reader interfaces that cover it; an InventoryReq's targetArea runs
 * its round over them. The configuration line (key "area"):
 *
 *   area MCC-MNC[:NID]/CODE READER [READER...]
 *   area 001-01/0a0b0c rd0
 *   area 001-001:0123456789a/00ff01 rd1 rd2
 *
 * MCC 3 digits, MNC 2 or 3 (TS 29.571 Mcc, Mnc; "01" and "001" are two
 * PLMNs), NID 11 hex digits, CODE 6 hex digits (case ignored; the label
 * in logs and /metrics is lower case, as written above). No I/O but
 * if_nametoindex(): the host test and the fuzzer link it.
 */
#ifndef _AIOTD_AREA_H
#define _AIOTD_AREA_H

#include <stdbool.h>
#include <stddef.h>

#define AREA_READERS_MAX	16
#define AREA_LABEL_MAX		32	/* "001-001:0123456789a/abcdef" */

struct area {
	char mcc[4], mnc[4];
	char nid[12];			/* "" when none; lower case */
	char code[7];			/* lower case */
	char label[AREA_LABEL_MAX];
	size_t nreaders;
	char *readers[AREA_READERS_MAX];
	unsigned int ifindex[AREA_READERS_MAX];	/* area_resolve() */
	unsigned int line;		/* of the configuration */
};

struct area_tab {
	size_t n;
	struct area *a;
};

/*
 * Add the area of a configuration line's value @v (after the key),
 * from line @line. 0, or -1 with the reason in @err (a bad field, a
 * reader named twice, an area defined twice: "already defined on line N").
 */
int area_add(struct area_tab *t, const char *v, unsigned int line, char *err,
	     size_t errlen);
/*
 * Each reader's interface index. 0, or -1 with the first missing reader
 * in @err ("area LABEL: reader NAME: no such interface").
 */
int area_resolve(struct area_tab *t, char *err, size_t errlen);
/*
 * The area of these AiotAreaId fields (@nid NULL when absent), or NULL.
 * Case is ignored in @nid and @code.
 */
const struct area *area_find(const struct area_tab *t, const char *mcc,
			     const char *mnc, const char *nid,
			     const char *code);
void area_free(struct area_tab *t);

/* A reader of an inventory, and the area it is named for. */
struct area_rd {
	unsigned int ifindex;		/* 0: the module's first reader */
	const char *name;		/* NULL with ifindex 0 */
	const char *label;		/* "none" outside every area */
};

/*
 * The readers an inventory runs over, each once, in order: those of the
 * @nsel areas @sel (a reader shared by two areas goes under the first);
 * without any, those of every area of @all; without areas at all, the
 * one reader @fallback (its name @fbname; 0: the module's first). At most
 * @max; the number.
 */
size_t area_readers(const struct area_tab *all, const struct area *const *sel,
		    size_t nsel, unsigned int fallback, const char *fbname,
		    struct area_rd *out, size_t max);

/* The field checks of TS 29.571 (Mcc, Mnc, Nid, AiotAreaCode patterns). */
bool area_mcc_ok(const char *s);
bool area_mnc_ok(const char *s);
bool area_nid_ok(const char *s);
bool area_code_ok(const char *s);

#endif /* _AIOTD_AREA_H */
