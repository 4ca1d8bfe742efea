// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host test of aiotd's inventories by area and by filter, under
 * ASan+UBSan: the "area" configuration lines (area.c), the readers an
 * inventory runs over, request-inv bodies with targetArea and
 * filteringInfo (req.c: what each combination becomes, every refusal
 * with the JSON pointer it names), the module's refusals as
 * ProblemDetails (their status, cause and body), and the deviceId of a
 * device found by a round. Expectations are written out by hand from
 * TS 29.571 (AiotAreaId, Bytes) and aiotd/README.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../../aiotd/area.h"
#include "../../aiotd/req.h"

#define HEAD "{\"afId\":\"af\",\"notifUri\":\"http://127.0.0.1:1/cb\","
#define AREA1 "{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"01\"},\"aiotAreaCode\":\"0a0b0c\"}"
#define AREA2 "{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"001\"},\"nid\":\"0123456789A\",\"aiotAreaCode\":\"00FF01\"}"
#define AREA3 "{\"plmnId\":{\"mcc\":\"999\",\"mnc\":\"99\"},\"aiotAreaCode\":\"abcdef\"}"

static struct area_tab tab;
static struct req_limits lim = { .max_devices = 4, .areas = &tab };

static int parse(enum op_kind k, const char *body, struct op_req *r,
		 struct problem *p)
{
	return req_parse(k, body, strlen(body), &lim, r, p);
}

/* @body refused with 400 whose first invalidParam is @param, reason containing @why. */
static void refused(enum op_kind k, const char *body, const char *param,
		    const char *why, const char *what)
{
	struct op_req r;
	struct problem p;
	char *js;
	int ret = parse(k, body, &r, &p);

	js = ret ? problem_json(&p) : NULL;
	if (!tap_ok(ret && p.status == 400 && p.cause &&
		    !strcmp(p.cause, "MANDATORY_IE_INCORRECT") && p.ninv &&
		    !strcmp(p.inv[0].param, param) &&
		    (!why || strstr(p.inv[0].reason, why)) && js &&
		    strstr(js, "\"invalidParams\""),
		    "refused: %s", what))
		tap_diag("got %d: %s", ret, js ? js : "(accepted)");
	if (!ret)
		op_req_free(&r);
	free(js);
}

static void test_conf_lines(void)
{
	char err[256];
	int ret;

	ret = area_add(&tab, "001-01/0A0B0C rd0", 1, err, sizeof(err));
	tap_ok(!ret && !strcmp(tab.a[0].label, "001-01/0a0b0c") &&
	       tab.a[0].nreaders == 1,
	       "area: MCC-MNC/CODE READER, label in lower case (%s)",
	       ret ? err : tab.a[0].label);
	tap_ok(!area_add(&tab, "001-001:0123456789A/00ff01  rd1\trd2", 2, err, sizeof(err)) &&
	       !strcmp(tab.a[1].label, "001-001:0123456789a/00ff01") &&
	       tab.a[1].nreaders == 2 && !strcmp(tab.a[1].readers[1], "rd2"),
	       "area with a NID and two readers");
	tap_ok(!area_add(&tab, "999-99/abcdef rd3 rd0", 3, err, sizeof(err)),
	       "a reader may serve two areas");
	tap_ok(!area_add(&tab, "001-001/0a0b0c rd4", 4, err, sizeof(err)),
	       "MNC 001 is another PLMN than MNC 01");
	tap_ok(area_add(&tab, "001-01/0a0b0C rd5", 5, err, sizeof(err)) &&
	       strstr(err, "already defined on line 1"), "defined twice: %s", err);
	tap_ok(area_add(&tab, "001-001:0123456789a/00FF01 rd5", 6, err, sizeof(err)) &&
	       strstr(err, "already defined on line 2"), "defined twice, with NID: %s", err);
	tap_ok(area_add(&tab, "01-01/0a0b0c rd0", 7, err, sizeof(err)) &&
	       strstr(err, "MCC"), "MCC of 2 digits: %s", err);
	tap_ok(area_add(&tab, "001-1/0a0b0c rd0", 7, err, sizeof(err)) &&
	       strstr(err, "MNC"), "MNC of 1 digit: %s", err);
	tap_ok(area_add(&tab, "001-01:0123/0a0b0c rd0", 7, err, sizeof(err)) &&
	       strstr(err, "NID"), "NID of 4 digits: %s", err);
	tap_ok(area_add(&tab, "001-01/0a0b0g rd0", 7, err, sizeof(err)) &&
	       strstr(err, "CODE"), "CODE not hex: %s", err);
	tap_ok(area_add(&tab, "001-01/0a0b0c0d rd0", 7, err, sizeof(err)) &&
	       strstr(err, "CODE"), "CODE of 4 octets: %s", err);
	tap_ok(area_add(&tab, "002-01/0a0b0c", 7, err, sizeof(err)) &&
	       strstr(err, "no reader"), "no reader: %s", err);
	tap_ok(area_add(&tab, "002-01/0a0b0c rd0 rd0", 7, err, sizeof(err)) &&
	       strstr(err, "named twice"), "a reader twice: %s", err);
	tap_ok(area_add(&tab, "002-01 rd0", 7, err, sizeof(err)) &&
	       strstr(err, "MCC-MNC"), "no code: %s", err);
	tap_ok(tab.n == 4, "only the good lines kept (%zu)", tab.n);
	tap_ok(area_resolve(&tab, err, sizeof(err)) &&
	       strstr(err, "001-01/0a0b0c: reader rd0: no such interface"),
	       "area_resolve names the area and the missing reader: %s", err);
	tap_ok(area_find(&tab, "001", "001", "0123456789A", "00FF01") == &tab.a[1] &&
	       !area_find(&tab, "001", "001", NULL, "00ff01") &&
	       !area_find(&tab, "001", "01", "0123456789a", "0a0b0c") &&
	       area_find(&tab, "001", "01", NULL, "0A0B0C") == &tab.a[0],
	       "area_find: case ignored, a NID given or not is another area");
}

static void test_readers(void)
{
	const struct area *sel[2] = { &tab.a[2], &tab.a[0] };
	struct area_rd rd[8];
	struct area_tab none = { 0 };
	size_t n;

	/* as if resolved: rd0 1, rd1 2, rd2 3, rd3 4, rd4 5 */
	tab.a[0].ifindex[0] = 1;
	tab.a[1].ifindex[0] = 2;
	tab.a[1].ifindex[1] = 3;
	tab.a[2].ifindex[0] = 4;
	tab.a[2].ifindex[1] = 1;
	tab.a[3].ifindex[0] = 5;
	n = area_readers(&tab, sel, 2, 9, "rdx", rd, 8);
	tap_ok(n == 2 && rd[0].ifindex == 4 && rd[1].ifindex == 1 &&
	       !strcmp(rd[1].label, "999-99/abcdef"),
	       "two areas sharing rd0: rd3 and rd0 once, under the first area named");
	n = area_readers(&tab, NULL, 0, 9, "rdx", rd, 8);
	tap_ok(n == 5 && rd[0].ifindex == 1 && !strcmp(rd[0].label, "001-01/0a0b0c") &&
	       rd[3].ifindex == 4 && rd[4].ifindex == 5,
	       "no area named (a filter alone): every area's readers, each once (%zu)", n);
	n = area_readers(&none, NULL, 0, 9, "rdx", rd, 8);
	tap_ok(n == 1 && rd[0].ifindex == 9 && !strcmp(rd[0].name, "rdx") &&
	       !strcmp(rd[0].label, "none"),
	       "no areas configured: the reader key's reader, area \"none\"");
	n = area_readers(&none, NULL, 0, 0, NULL, rd, 8);
	tap_ok(n == 1 && rd[0].ifindex == 0 && !rd[0].name,
	       "nor a reader key: the module's first reader");
}

static void test_bodies(void)
{
	struct op_req r;
	struct problem p;
	int ret;

	ret = parse(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[" AREA1 "]}}", &r, &p);
	tap_ok(!ret && r.target == TGT_ROUND && r.narea == 1 &&
	       r.areas[0] == &tab.a[0] && !r.has_filter && !r.ndev &&
	       !r.num_devices && !r.timeout_ms,
	       "targetArea alone: a round over the area, no filter");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[" AREA2 "," AREA1 "]},\"numDevices\":5,\"timeInterval\":3}",
		    &r, &p);
	tap_ok(!ret && r.target == TGT_ROUND && r.narea == 2 &&
	       r.areas[0] == &tab.a[1] && r.areas[1] == &tab.a[0] &&
	       r.num_devices == 5 && r.timeout_ms == 3000,
	       "two areas (NID in upper case matches), numDevices the stop count, timeInterval the window");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":\"pVo=\"}}", &r, &p);
	tap_ok(!ret && r.target == TGT_ROUND && !r.narea && r.has_filter &&
	       r.flen == 2 && r.filter[0] == 0xa5 && r.filter[1] == 0x5a,
	       "filteringInfo alone: 2 bytes, the group's first 16 bits, every area");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":\"AQIDBAUGBwg=\"},\"targetArea\":{\"areaIds\":[" AREA3 "]}}",
		    &r, &p);
	tap_ok(!ret && r.target == TGT_ROUND && r.narea == 1 &&
	       r.areas[0] == &tab.a[2] && r.flen == 8 && r.filter[7] == 8,
	       "filteringInfo of 8 bytes (the whole group) with targetArea: one round, both");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_INV, HEAD "\"targetDevices\":{\"devices\":[\"AQ==\",\"Ag==\"]},\"targetArea\":{\"areaIds\":[" AREA1 "]}}",
		    &r, &p);
	tap_ok(!ret && r.target == TGT_DEVICES && r.ndev == 2 && r.narea == 1 &&
	       r.areas[0] == &tab.a[0],
	       "devices with targetArea: the list, on the area's readers");
	if (!ret)
		op_req_free(&r);
	ret = parse(OP_INV, HEAD "\"targetDevices\":{\"devices\":[\"AQ==\"]},\"numDevices\":1}", &r, &p);
	tap_ok(!ret && r.target == TGT_DEVICES && !r.narea && r.ndev == 1,
	       "a device list alone: as before");
	if (!ret)
		op_req_free(&r);

	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[" AREA1 ",{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"02\"},\"aiotAreaCode\":\"0a0b0c\"}]}}",
		"/targetArea/areaIds/1", "does not serve (001-02/0a0b0c)",
		"an area not served: named by its index");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"001\"},\"aiotAreaCode\":\"00ff01\"}]}}",
		"/targetArea/areaIds/0", "does not serve",
		"an area served only with its NID, given without");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[" AREA1 "," AREA3 "," AREA1 "]}}",
		"/targetArea/areaIds/2", "the same area", "an area named twice");
	refused(OP_INV, HEAD "\"targetArea\":{}}", "/targetArea/areaIds", "required",
		"targetArea without areaIds");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[]}}", "/targetArea/areaIds",
		"at least 1", "areaIds empty");
	refused(OP_INV, HEAD "\"targetArea\":[1]}", "/targetArea", "AiotArea",
		"targetArea not an object");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"aiotAreaCode\":\"0a0b0c\"}]}}",
		"/targetArea/areaIds/0/plmnId", "required", "plmnId missing");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"0x1\",\"mnc\":\"01\"},\"aiotAreaCode\":\"0a0b0c\"}]}}",
		"/targetArea/areaIds/0/plmnId/mcc", "3 digits", "mcc not 3 digits");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"001\",\"mnc\":1},\"aiotAreaCode\":\"0a0b0c\"}]}}",
		"/targetArea/areaIds/0/plmnId/mnc", "2 or 3 digits", "mnc a number");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"01\"},\"nid\":\"12\",\"aiotAreaCode\":\"0a0b0c\"}]}}",
		"/targetArea/areaIds/0/nid", "11 hex digits", "nid of 2 digits");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"01\"},\"aiotAreaCode\":\"0a0b\"}]}}",
		"/targetArea/areaIds/0/aiotAreaCode", "6 hex digits", "aiotAreaCode of 2 octets");
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[{\"plmnId\":{\"mcc\":\"001\",\"mnc\":\"01\"}}]}}",
		"/targetArea/areaIds/0/aiotAreaCode", "required", "aiotAreaCode missing");
	refused(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":\"AQIDBAUGBwgJ\"}}",
		"/targetDevices/filteringInfo", "9 bytes: longer than the device group (8 bytes)",
		"filteringInfo of 9 bytes: longer than the group");
	refused(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":\"\"}}",
		"/targetDevices/filteringInfo", "1 to 8 bytes", "filteringInfo empty");
	refused(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":\"pV=o\"}}",
		"/targetDevices/filteringInfo", "base64", "filteringInfo not base64");
	refused(OP_INV, HEAD "\"targetDevices\":{\"filteringInfo\":165}}",
		"/targetDevices/filteringInfo", "Bytes", "filteringInfo a number");
	refused(OP_INV, HEAD "\"targetDevices\":{\"devices\":[\"AQ==\"],\"filteringInfo\":\"pQ==\"}}",
		"/targetDevices", "oneOf", "devices and filteringInfo together (AIoTDevices: oneOf)");
	refused(OP_INV, HEAD "\"targetDevices\":{}}", "/targetDevices/devices",
		"or filteringInfo", "targetDevices empty");
	refused(OP_INV, HEAD "\"numDevices\":0,\"targetArea\":{\"areaIds\":[" AREA1 "]}}",
		"/numDevices", "at least 1", "numDevices 0");
	refused(OP_INV, HEAD "\"notifUri2\":1}", "/targetDevices",
		"targetDevices or targetArea", "neither target");
	refused(OP_CMD, HEAD "\"commandType\":\"READ\",\"length\":1,\"targetArea\":{\"areaIds\":[" AREA1 "]}}",
		"/targetArea", "request-cmd", "request-cmd: targetArea");
	lim.areas = NULL;
	refused(OP_INV, HEAD "\"targetArea\":{\"areaIds\":[" AREA1 "]}}",
		"/targetArea/areaIds/0", "does not serve", "no area configured: every area unknown");
	lim.areas = &tab;
}

/* @err refused: status, cause, and the body holding @frag. */
static void refusal(int err, bool filter, int status, const char *cause,
		    bool retry, const char *frag, const char *what)
{
	struct problem p;
	bool rt = !retry;
	char *js = NULL;
	int ret;

	ret = inv_refusal(err, "the kernel's words", filter, "rd1",
			  "001-01/0a0b0c", &p, &rt);
	if (ret)
		js = problem_json(&p);
	if (!tap_ok(ret == 1 && p.status == status && p.cause &&
		    !strcmp(p.cause, cause) && rt == retry && js &&
		    strstr(js, frag) && strstr(js, "the kernel's words") &&
		    strstr(js, "\"title\""), "%s", what))
		tap_diag("%s", js ? js : "(none)");
	free(js);
}

static void test_refusals(void)
{
	struct problem p;
	bool rt = true;

	refusal(EPERM, true, 403, "INVENTORY_FILTER_TOO_NARROW", false,
		"{\"param\":\"/targetDevices/filteringInfo\",\"reason\":\"matches fewer devices than MIN_GROUP",
		"a filter under MIN_GROUP: 403, the cause, filteringInfo named");
	refusal(EBUSY, false, 503, "NF_CONGESTION", true, "max-rounds",
		"too many rounds in flight: 503 NF_CONGESTION with Retry-After");
	refusal(ENODEV, false, 503, "SYSTEM_FAILURE", true,
		"reader rd1 (area 001-01/0a0b0c) is not bound",
		"a reader not bound: 503 naming reader and area");
	refusal(EINVAL, true, 500, "SYSTEM_FAILURE", false, "Invalid argument",
		"anything else: 500 with the kernel's words");
	tap_ok(inv_refusal(ENOENT, "", true, "rd1", "x", &p, &rt) == 0 && !rt,
	       "no candidate: no refusal (an inventory that finds nothing)");
}

static void test_devid(void)
{
	uint8_t id[16] = { [13] = 1, 2, 3 }, back[16];
	uint8_t zero[16] = { 0 }, full[16];
	char s[25];
	int i;

	devid_to_perm(id, s);
	tap_ok(!strcmp(s, "AQID"), "deviceId: leading zero bytes dropped (%s)", s);
	devid_to_perm(zero, s);
	tap_ok(!strcmp(s, "AA=="), "the all-zero ID: one byte kept (%s)", s);
	for (i = 0; i < 16; i++)
		full[i] = (uint8_t)(0xf0 + i);
	devid_to_perm(full, s);
	tap_ok(strlen(s) == 24 && !devid_from_perm(s, back) && !memcmp(back, full, 16),
	       "16 bytes: 24 characters, read back to the same ID");
	id[4] = 0xe2;
	devid_to_perm(id, s);
	tap_ok(!devid_from_perm(s, back) && !memcmp(back, id, 16) && strlen(s) == 16,
	       "a 12-byte ID (96-bit EPC): 16 characters, read back (%s)", s);
}

int main(void)
{
	test_conf_lines();
	test_readers();
	test_bodies();
	test_refusals();
	test_devid();
	area_free(&tab);
	return tap_done();
}
