// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Naiotf_AIoT request bodies, reports and ProblemDetails (req.h). Every
 * refusal names the attribute as a JSON pointer (TS 29.571 InvalidParam).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "req.h"
#include "uri.h"

const char *const dev_result_names[DR_NUM] = {
	[DR_OK] = "ok",
	[DR_UNKNOWN] = "unknown_device",
	[DR_TIMEOUT] = "timeout",
	[DR_VERIFY] = "verify_failed",
	[DR_TXERR] = "tx_error",
	[DR_PARAMS] = "params_invalid",
	[DR_NOTIMPL] = "not_implemented",
};

/* ---- ProblemDetails ------------------------------------------------------ */

void problem_set(struct problem *p, int status, const char *title,
		 const char *cause, const char *fmt, ...)
{
	va_list ap;

	memset(p, 0, sizeof(*p));
	p->status = status;
	p->title = title;
	p->cause = cause;
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
}

void problem_param(struct problem *p, const char *param, const char *fmt, ...)
{
	va_list ap;

	p->ninv_total++;
	if (p->ninv == AIOTD_INVALID_MAX)
		return;
	snprintf(p->inv[p->ninv].param, sizeof(p->inv[0].param), "%s", param);
	va_start(ap, fmt);
	vsnprintf(p->inv[p->ninv].reason, sizeof(p->inv[0].reason), fmt, ap);
	va_end(ap);
	p->ninv++;
}

char *problem_json(const struct problem *p)
{
	json_t *o = json_object(), *a;
	char *s;
	size_t i;

	if (!o)
		return NULL;
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "status", json_integer(p->status));
	if (p->detail[0])
		json_object_set_new(o, "detail", json_string(p->detail));
	if (p->cause)
		json_object_set_new(o, "cause", json_string(p->cause));
	if (p->ninv) {
		a = json_array();
		for (i = 0; a && i < p->ninv; i++) {
			json_t *e = json_object();

			json_object_set_new(e, "param",
					    json_string(p->inv[i].param));
			json_object_set_new(e, "reason",
					    json_string(p->inv[i].reason));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "invalidParams", a);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* ---- base64 ---------------------------------------------------------------- */

static const char b64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_enc_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = b64_chars[v >> 18];
		*out++ = b64_chars[(v >> 12) & 63];
		*out++ = b64_chars[(v >> 6) & 63];
		*out++ = b64_chars[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		*out++ = b64_chars[v >> 18];
		*out++ = b64_chars[(v >> 12) & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*out++ = b64_chars[v >> 18];
		*out++ = b64_chars[(v >> 12) & 63];
		*out++ = b64_chars[(v >> 6) & 63];
		*out++ = '=';
	}
	*out = 0;
}

static int b64_val(char c)
{
	const char *p;

	if (!c)
		return -1;
	p = strchr(b64_chars, c);
	return p ? (int)(p - b64_chars) : -1;
}

long b64_decode(const char *in, size_t len, uint8_t *out, size_t max)
{
	size_t i, n = 0, pad = 0;
	int v[4], k;

	if (len % 4)
		return -1;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == len && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -1;	/* data after '=' */
			v[k] = b64_val(in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		/* the unused bits of the last character must be zero */
		if ((pad == 1 && (v[2] & 3)) || (pad == 2 && (v[1] & 15)))
			return -1;
		if (n + 3 - pad > max)
			return -1;
		out[n++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] = (uint8_t)(v[1] << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (uint8_t)(v[2] << 6 | v[3]);
	}
	return (long)n;
}

int devid_from_perm(const char *s, uint8_t id[AIOTD_ID_LEN])
{
	uint8_t b[AIOTD_ID_LEN];
	long n = b64_decode(s, strlen(s), b, sizeof(b));

	if (n < 1)
		return -1;
	memset(id, 0, AIOTD_ID_LEN);
	memcpy(id + AIOTD_ID_LEN - n, b, (size_t)n);
	return 0;
}

void devid_to_perm(const uint8_t id[AIOTD_ID_LEN], char out[25])
{
	size_t z = 0;

	while (z < AIOTD_ID_LEN - 1 && !id[z])
		z++;
	b64_encode(id + z, AIOTD_ID_LEN - z, out);
}

int inv_refusal(int err, const char *kmsg, bool has_filter, const char *reader,
		const char *label, struct problem *p, bool *retry)
{
	const char *r = reader ? reader : "the module's first reader";

	*retry = false;
	switch (err) {
	case ENOENT:
		return 0;
	case EPERM:
		if (has_filter) {
			problem_set(p, 403, "Forbidden", "INVENTORY_FILTER_TOO_NARROW",
				    "filteringInfo matches fewer provisioned devices than the module's MIN_GROUP: an inventory would single out a handful of devices (%s)",
				    kmsg[0] ? kmsg : "EPERM");
			problem_param(p, "/targetDevices/filteringInfo",
				      "matches fewer devices than MIN_GROUP: give fewer bytes");
			return 1;
		}
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "the module refused the inventory on %s (area %s): %s",
			    r, label, kmsg[0] ? kmsg : strerror(err));
		return 1;
	case EBUSY:
		problem_set(p, 503, "Service Unavailable", "NF_CONGESTION",
			    "the module runs as many inventory rounds as it allows (max-rounds); reader %s (area %s): %s",
			    r, label, kmsg[0] ? kmsg : strerror(err));
		*retry = true;
		return 1;
	case ENODEV:
		problem_set(p, 503, "Service Unavailable", "SYSTEM_FAILURE",
			    "reader %s (area %s) is not bound to the module: %s",
			    r, label, kmsg[0] ? kmsg : strerror(err));
		*retry = true;
		return 1;
	default:
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "the module refused the inventory on %s (area %s): %s%s%s",
			    r, label, strerror(err), kmsg[0] ? ": " : "", kmsg);
		return 1;
	}
}

/* ---- requests -------------------------------------------------------------- */

void op_req_free(struct op_req *r)
{
	size_t i;

	if (r->dev_str)
		for (i = 0; i < r->ndev; i++)
			free(r->dev_str[i]);
	free(r->dev_str);
	free(r->ids);
	free(r->af_id);
	free(r->notif_uri);
	free(r->areas);
	memset(r, 0, sizeof(*r));
}

/* A Uinteger attribute: 1 if present (in @v), 0 if absent, -1 if bad. */
static int get_uint(json_t *o, const char *name, uint64_t max, uint64_t *v,
		    struct problem *p)
{
	json_t *j = json_object_get(o, name);
	char ptr[64];

	if (!j)
		return 0;
	snprintf(ptr, sizeof(ptr), "/%s", name);
	if (!json_is_integer(j) || json_integer_value(j) < 0) {
		problem_param(p, ptr, "must be an unsigned integer (Uinteger)");
		return -1;
	}
	if ((uint64_t)json_integer_value(j) > max) {
		problem_param(p, ptr, "at most %llu here",
			      (unsigned long long)max);
		return -1;
	}
	*v = (uint64_t)json_integer_value(j);
	return 1;
}

static bool uri_ok(const char *s)
{
	const char *h;
	size_t i;

	if (!strncmp(s, "http://", 7))
		h = s + 7;
	else if (!strncmp(s, "https://", 8))
		h = s + 8;
	else
		return false;
	if (!*h || *h == '/')
		return false;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static int cmp_id(const void *a, const void *b, void *arg)
{
	const uint8_t (*ids)[AIOTD_ID_LEN] = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = memcmp(ids[x], ids[y], AIOTD_ID_LEN);

	return c ? c : (x > y) - (x < y);
}

/*
 * filteringInfo (AiotFilteringInformation, Bytes) into the round's
 * filter: its bytes are the first bytes of the 8-byte device group, in
 * order (FBITS = 8 x its length). 1 to 8 bytes.
 */
static int parse_filter(json_t *j, struct op_req *r, struct problem *p)
{
	const char *s = json_is_string(j) ? json_string_value(j) : NULL;
	size_t len = s ? strlen(s) : 0;
	uint8_t *buf;
	long n;

	if (!s || !len) {
		problem_param(p, "/targetDevices/filteringInfo",
			      "must be Bytes: base64 (RFC 4648, padded) of 1 to %d bytes",
			      AIOTD_FILTER_MAX);
		return -1;
	}
	buf = malloc(len / 4 * 3 + 3);
	if (!buf)
		return -2;
	n = b64_decode(s, len, buf, len / 4 * 3 + 3);
	if (n > 0 && n <= AIOTD_FILTER_MAX) {
		memcpy(r->filter, buf, (size_t)n);
		r->flen = (size_t)n;
		r->has_filter = true;
	}
	free(buf);
	if (n < 1) {
		problem_param(p, "/targetDevices/filteringInfo",
			      "must be Bytes: base64 (RFC 4648, padded) of 1 to %d bytes",
			      AIOTD_FILTER_MAX);
		return -1;
	}
	if (n > AIOTD_FILTER_MAX) {
		problem_param(p, "/targetDevices/filteringInfo",
			      "%ld bytes: longer than the device group (%d bytes) it filters on",
			      n, AIOTD_FILTER_MAX);
		return -1;
	}
	return 0;
}

/* A string attribute of an AiotAreaId: 1 (in *@v), or 0 with @p told. */
static int area_str(json_t *o, const char *name, const char *base,
		    bool (*ok)(const char *), const char *what,
		    const char **v, struct problem *p)
{
	json_t *j = json_object_get(o, name);
	char ptr[96];

	snprintf(ptr, sizeof(ptr), "%s/%s", base, name);
	if (!j) {
		problem_param(p, ptr, "required");
		return 0;
	}
	if (!json_is_string(j) || !ok(json_string_value(j))) {
		problem_param(p, ptr, "must be %s", what);
		return 0;
	}
	*v = json_string_value(j);
	return 1;
}

/*
 * targetArea (AiotArea): each AiotAreaId checked against TS 29.571's
 * patterns, then looked up among the areas this AIOTF serves: one it
 * does not serve is refused by its index, and so is one named twice.
 */
static int parse_area(json_t *ta, const struct req_limits *lim,
		      struct op_req *r, struct problem *p)
{
	json_t *ids = json_is_object(ta) ? json_object_get(ta, "areaIds") : NULL;
	const char *mcc, *mnc, *nid, *code;
	const struct area *a;
	size_t i, k, n;
	char base[64];
	json_t *e, *plmn;
	int good;

	if (!json_is_object(ta)) {
		problem_param(p, "/targetArea", "must be an AiotArea object");
		return -1;
	}
	n = json_is_array(ids) ? json_array_size(ids) : 0;
	if (!n) {
		problem_param(p, "/targetArea/areaIds",
			      ids ? "must be an array of at least 1 AiotAreaId" : "required");
		return -1;
	}
	if (n > AIOTD_AREAS_MAX) {
		problem_param(p, "/targetArea/areaIds", "at most %d areas per request",
			      AIOTD_AREAS_MAX);
		return -1;
	}
	r->areas = calloc(n, sizeof(*r->areas));
	if (!r->areas)
		return -2;
	json_array_foreach(ids, i, e) {
		snprintf(base, sizeof(base), "/targetArea/areaIds/%zu", i);
		if (!json_is_object(e)) {
			problem_param(p, base, "must be an AiotAreaId object");
			continue;
		}
		plmn = json_object_get(e, "plmnId");
		nid = NULL;
		good = 1;
		if (!json_is_object(plmn)) {
			char ptr[96];

			snprintf(ptr, sizeof(ptr), "%s/plmnId", base);
			problem_param(p, ptr, plmn ? "must be a PlmnId object" : "required");
			good = 0;
		} else {
			char pb[80];

			snprintf(pb, sizeof(pb), "%s/plmnId", base);
			good &= area_str(plmn, "mcc", pb, area_mcc_ok, "3 digits (Mcc)", &mcc, p);
			good &= area_str(plmn, "mnc", pb, area_mnc_ok, "2 or 3 digits (Mnc)", &mnc, p);
		}
		if (json_object_get(e, "nid"))
			good &= area_str(e, "nid", base, area_nid_ok, "11 hex digits (Nid)", &nid, p);
		good &= area_str(e, "aiotAreaCode", base, area_code_ok,
				 "6 hex digits (AiotAreaCode, 3 octets)", &code, p);
		if (!good)
			continue;
		a = lim->areas ? area_find(lim->areas, mcc, mnc, nid, code) : NULL;
		if (!a) {
			problem_param(p, base, "an area this AIOTF does not serve (%s-%s%s%s/%s)",
				      mcc, mnc, nid ? ":" : "", nid ? nid : "", code);
			continue;
		}
		for (k = 0; k < r->narea; k++)
			if (r->areas[k] == a)
				break;
		if (k < r->narea) {
			problem_param(p, base, "the same area as an earlier entry (%s)",
				      a->label);
			continue;
		}
		r->areas[r->narea++] = a;
	}
	return p->ninv_total ? -1 : 0;
}

static int parse_devices(json_t *root, const struct req_limits *lim,
			 struct op_req *r, struct problem *p)
{
	json_t *td = json_object_get(root, "targetDevices"), *devs, *d;
	size_t i, n, *ord;
	char ptr[64];
	int bad = 0;

	if (!td)
		return 0;	/* targetArea alone (parse_root checked) */
	if (!json_is_object(td)) {
		problem_param(p, "/targetDevices", "must be an AIoTDevices object");
		return -1;
	}
	devs = json_object_get(td, "devices");
	if (json_object_get(td, "filteringInfo")) {
		if (r->kind == OP_CMD) {
			problem_param(p, "/targetDevices/filteringInfo",
				      "not supported for request-cmd: give targetDevices/devices");
			return -1;
		}
		if (devs) {
			problem_param(p, "/targetDevices",
				      "devices and filteringInfo are alternatives (AIoTDevices: oneOf)");
			return -1;
		}
		return parse_filter(json_object_get(td, "filteringInfo"), r, p);
	}
	if (!devs) {
		problem_param(p, "/targetDevices/devices",
			      r->kind == OP_INV ? "required (or filteringInfo)" : "required");
		return -1;
	}
	n = json_is_array(devs) ? json_array_size(devs) : 0;
	if (!json_is_array(devs) || !n) {
		problem_param(p, "/targetDevices/devices",
			      "must be an array of at least 1 AiotDevPermId");
		return -1;
	}
	if (n > lim->max_devices) {
		problem_param(p, "/targetDevices/devices",
			      "at most %zu devices per request", lim->max_devices);
		return -1;
	}
	r->ids = calloc(n, sizeof(*r->ids));
	r->dev_str = calloc(n, sizeof(*r->dev_str));
	if (!r->ids || !r->dev_str)
		return -2;
	r->ndev = n;
	json_array_foreach(devs, i, d) {
		if (!json_is_string(d) ||
		    devid_from_perm(json_string_value(d), r->ids[i])) {
			snprintf(ptr, sizeof(ptr), "/targetDevices/devices/%zu", i);
			problem_param(p, ptr,
				      "must be an AiotDevPermId: base64 (RFC 4648, padded) of 1 to 16 bytes");
			bad = 1;
			continue;
		}
		r->dev_str[i] = strdup(json_string_value(d));
		if (!r->dev_str[i])
			return -2;
	}
	if (bad)
		return -1;
	ord = malloc(n * sizeof(*ord));
	if (!ord)
		return -2;
	for (i = 0; i < n; i++)
		ord[i] = i;
	qsort_r(ord, n, sizeof(*ord), cmp_id, r->ids);
	for (i = 1; i < n; i++) {
		if (!memcmp(r->ids[ord[i]], r->ids[ord[i - 1]], AIOTD_ID_LEN)) {
			snprintf(ptr, sizeof(ptr), "/targetDevices/devices/%zu",
				 ord[i]);
			problem_param(p, ptr, "the same device as /targetDevices/devices/%zu",
				      ord[i - 1]);
			bad = 1;
		}
	}
	free(ord);
	return bad ? -1 : 0;
}

/* The command-specific attributes into the application payload. */
static int parse_command(json_t *root, struct op_req *r, struct problem *p)
{
	json_t *ct = json_object_get(root, "commandType"), *jd;
	uint64_t off = 0, len = 0;
	int has_off, has_len;
	const char *s;
	long dl;

	if (!ct) {
		problem_param(p, "/commandType", "required");
		return -1;
	}
	if (!json_is_string(ct)) {
		problem_param(p, "/commandType", "must be a string (CommandType)");
		return -1;
	}
	s = json_string_value(ct);
	if (!strcmp(s, "READ")) {
		r->cmd = CT_READ;
	} else if (!strcmp(s, "WRITE")) {
		r->cmd = CT_WRITE;
	} else if (!strcmp(s, "PERMANENT_DISABLE")) {
		r->cmd = CT_DISABLE;
	} else {
		problem_param(p, "/commandType",
			      "not supported: READ, WRITE or PERMANENT_DISABLE");
		return -1;
	}
	has_off = get_uint(root, "offset", 255, &off, p);
	has_len = get_uint(root, "length", 255, &len, p);
	jd = json_object_get(root, "data");
	if (has_off < 0 || has_len < 0)
		return -1;
	switch (r->cmd) {
	case CT_READ:
		if (!has_len) {
			problem_param(p, "/length", "required for READ");
			return -1;
		}
		if (jd) {
			problem_param(p, "/data", "not used with READ");
			return -1;
		}
		r->payload[0] = 0xad;
		r->payload[1] = 0x01;
		r->payload[2] = (uint8_t)off;
		r->payload[3] = (uint8_t)len;
		r->plen = 4;
		r->read_len = (uint32_t)len;
		return 0;
	case CT_WRITE:
		if (!jd) {
			problem_param(p, "/data", "required for WRITE");
			return -1;
		}
		s = json_is_string(jd) ? json_string_value(jd) : "";
		dl = b64_decode(s, strlen(s), r->payload + 3,
				AIOTD_PLEN_MAX - 3);
		if (!json_is_string(jd) || dl < 1) {
			problem_param(p, "/data",
				      "must be Bytes: base64 (RFC 4648, padded) of 1 to %d bytes",
				      AIOTD_PLEN_MAX - 3);
			return -1;
		}
		if (has_len && len != (uint64_t)dl) {
			problem_param(p, "/length",
				      "%llu, but data holds %ld bytes",
				      (unsigned long long)len, dl);
			return -1;
		}
		r->payload[0] = 0xad;
		r->payload[1] = 0x02;
		r->payload[2] = (uint8_t)off;
		r->plen = 3 + (size_t)dl;
		return 0;
	default:
		if (has_off || has_len || jd) {
			problem_param(p, has_off ? "/offset" :
				      has_len ? "/length" : "/data",
				      "not used with PERMANENT_DISABLE");
			return -1;
		}
		r->payload[0] = 0xad;
		r->payload[1] = 0x03;
		r->plen = 2;
		return 0;
	}
}

static int parse_root(enum op_kind kind, json_t *root,
		      const struct req_limits *lim, struct op_req *r,
		      struct problem *p)
{
	const char *why;
	struct uri u;
	json_t *j;
	uint64_t v;
	int ret;

	r->kind = kind;
	j = json_object_get(root, "afId");
	if (!j)
		problem_param(p, "/afId", "required");
	else if (!json_is_string(j) || !json_string_length(j))
		problem_param(p, "/afId", "must be a non-empty string");
	else if (!(r->af_id = strdup(json_string_value(j))))
		return -2;
	j = json_object_get(root, "notifUri");
	if (!j)
		problem_param(p, "/notifUri", "required");
	else if (!json_is_string(j) || json_string_length(j) > AIOTD_URI_MAX ||
		 !uri_ok(json_string_value(j)))
		problem_param(p, "/notifUri",
			      "must be an absolute http or https URI (RFC 3986) of at most %d characters",
			      AIOTD_URI_MAX);
	else if (uri_parse(json_string_value(j), &u, &why))
		problem_param(p, "/notifUri", "cannot be used: %s", why);
	else if (!(r->notif_uri = strdup(json_string_value(j))))
		return -2;
	if (kind == OP_CMD && json_object_get(root, "targetArea"))
		problem_param(p, "/targetArea",
			      "not supported for request-cmd: give targetDevices/devices");
	else if (!json_object_get(root, "targetDevices") &&
		 !json_object_get(root, "targetArea"))
		problem_param(p, "/targetDevices",
			      kind == OP_INV ? "targetDevices or targetArea required" :
			      "required");
	j = json_object_get(root, "devLocReqInd");
	if (j)
		problem_param(p, "/devLocReqInd",
			      json_is_true(j) ? "device location is not supported by this AIOTF" :
			      "only true may be given (TS 29.569)");
	j = json_object_get(root, "suppFeat");
	if (j && (!json_is_string(j) ||
		  strspn(json_string_value(j), "0123456789abcdefABCDEF") !=
		  json_string_length(j) || !json_string_length(j)))
		problem_param(p, "/suppFeat", "must be SupportedFeatures (hex digits)");
	ret = get_uint(root, "numDevices", UINT32_MAX, &v, p);
	if (ret < 0)
		return -1;
	if (ret > 0 && !v) {
		problem_param(p, "/numDevices", "at least 1");
		return -1;
	}
	r->num_devices = ret > 0 ? (uint32_t)v : 0;
	ret = get_uint(root, "timeInterval", 600, &v, p);
	if (ret < 0)
		return -1;
	if (ret > 0) {
		if (!v) {
			problem_param(p, "/timeInterval", "at least 1 second");
			return -1;
		}
		r->timeout_ms = (uint32_t)v * 1000;
	}
	if (kind == OP_CMD) {
		if (get_uint(root, "msgSize", UINT32_MAX, &v, p) < 0)
			return -1;
		if (p->ninv_total)
			return -1;
		ret = parse_command(root, r, p);
		if (ret)
			return ret;
	}
	if (p->ninv_total)
		return -1;
	j = json_object_get(root, "targetArea");
	if (j) {
		ret = parse_area(j, lim, r, p);
		if (ret)
			return ret;
	}
	ret = parse_devices(root, lim, r, p);
	if (ret)
		return ret;
	r->target = r->ndev ? TGT_DEVICES : TGT_ROUND;
	return 0;
}

int req_parse(enum op_kind kind, const char *body, size_t len,
	      const struct req_limits *lim, struct op_req *r,
	      struct problem *p)
{
	const char *what = kind == OP_INV ? "InventoryReq" : "CommandReq";
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(r, 0, sizeof(*r));
	problem_set(p, 400, "Bad Request", "MANDATORY_IE_INCORRECT", "%s", "");
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		problem_set(p, 400, "Malformed request syntax",
			    "INVALID_MSG_FORMAT",
			    "the body is not JSON: %s at line %d, column %d",
			    jerr.text, jerr.line, jerr.column);
		return -1;
	}
	if (!json_is_object(root)) {
		problem_set(p, 400, "Malformed request syntax",
			    "INVALID_MSG_FORMAT", "the body must be a %s object",
			    what);
		json_decref(root);
		return -1;
	}
	ret = parse_root(kind, root, lim, r, p);
	json_decref(root);
	if (ret == -2) {
		problem_set(p, 500, "Internal Server Error", "SYSTEM_FAILURE",
			    "out of memory");
		op_req_free(r);
		return -1;
	}
	if (ret) {
		snprintf(p->detail, sizeof(p->detail),
			 "%s: %zu invalid attribute%s", what, p->ninv_total,
			 p->ninv_total == 1 ? "" : "s");
		op_req_free(r);
		return -1;
	}
	return 0;
}

/* ---- results and reports ------------------------------------------------- */

const char *dev_fail_cause(enum dev_result res)
{
	switch (res) {
	case DR_OK:
		return NULL;
	case DR_PARAMS:
		return "COMMAND_TYPE_SPECIFIC_PARAMETERS_INVALID";
	case DR_NOTIMPL:
		return "MESSAGE_TYPE_NON_EXISTENT_OR_NOT_IMPLEMENTED";
	default:
		/* TS 29.569 has no cause for these: aiotd/README.md */
		return "ERROR_UNSPECIFIED";
	}
}

enum dev_result command_result(enum cmd_type ct, const uint8_t *rsp, size_t rlen,
			  const uint8_t **data, size_t *dlen)
{
	*data = NULL;
	*dlen = 0;
	if (rlen < 3 || rsp[0] != 0xad || rsp[2] > 1)
		return DR_NOTIMPL;
	switch (ct) {
	case CT_READ:
		if (rsp[1] != 0x81)
			return DR_NOTIMPL;
		if (rsp[2])
			return rlen == 3 ? DR_PARAMS : DR_NOTIMPL;
		*data = rsp + 3;
		*dlen = rlen - 3;
		return DR_OK;
	case CT_WRITE:
		if (rsp[1] != 0x82 || rlen != 3)
			return DR_NOTIMPL;
		return rsp[2] ? DR_PARAMS : DR_OK;
	case CT_DISABLE:
		return rsp[1] == 0x83 && rlen == 3 && !rsp[2] ? DR_OK : DR_NOTIMPL;
	default:
		return DR_NOTIMPL;
	}
}

json_t *rep_entry(const char *dev_str, enum dev_result res,
		  const uint8_t *read, size_t rlen, bool has_read)
{
	json_t *o = json_object();
	const char *fc = dev_fail_cause(res);
	char *b;

	if (!o)
		return NULL;
	json_object_set_new(o, "deviceId", json_string(dev_str));
	if (res == DR_OK && has_read) {
		b = malloc(b64_enc_len(rlen) + 1);
		if (b) {
			b64_encode(read, rlen, b);
			json_object_set_new(o, "readCmdRep", json_string(b));
			free(b);
		}
	}
	if (fc)
		json_object_set_new(o, "failCause", json_string(fc));
	return o;
}

const char *op_fail_cause(size_t ok, size_t verify_failed)
{
	if (ok)
		return NULL;
	return verify_failed ? "AUTH_FAILURE" : "NO_SUCC_INV_RESP";
}

char *notif_json(const char *trans_id, json_t *reports, bool last,
		 const char *fail_cause)
{
	json_t *o = json_object();
	char *s;

	if (!o)
		return NULL;
	json_object_set_new(o, "transId", json_string(trans_id));
	if (reports && json_array_size(reports))
		json_object_set(o, "devicesRepData", reports);
	if (last)
		json_object_set_new(o, "lastRepInd", json_true());
	if (fail_cause)
		json_object_set_new(o, "failCause", json_string(fail_cause));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}
