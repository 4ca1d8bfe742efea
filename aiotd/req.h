/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotd's Naiotf_AIoT (TS 29.569) bodies: parsing and checking of
 * InventoryReq and CommandReq, ProblemDetails, the device application
 * protocol of commands (proto/APP.md) and the per-device reports.
 * No I/O here: the host test and the libFuzzer harness drive it.
 */
#ifndef _AIOTD_REQ_H
#define _AIOTD_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "area.h"

#define AIOTD_ID_LEN		16
#define AIOTD_PLEN_MAX		1024	/* AIOTSEC_PLEN_MAX */
#define AIOTD_URI_MAX		2048
#define AIOTD_INVALID_MAX	16	/* invalidParams entries reported */
#define AIOTD_FILTER_MAX	8	/* the device group: AIOTSEC_GROUP_LEN */
#define AIOTD_AREAS_MAX		64	/* areaIds per request */

enum op_kind { OP_INV, OP_CMD };
/*
 * What a request-inv targets: a device list (AUTH of each; on the
 * readers of targetArea's areas if it has one), or an inventory round
 * (targetArea and/or filteringInfo without a list).
 */
enum op_target { TGT_DEVICES, TGT_ROUND };
enum cmd_type { CT_NONE, CT_READ, CT_WRITE, CT_DISABLE };

/* A checked request: what the backend needs. */
struct op_req {
	enum op_kind kind;
	enum cmd_type cmd;
	char *af_id;
	char *notif_uri;
	size_t ndev;
	uint8_t (*ids)[AIOTD_ID_LEN];	/* left-padded device IDs */
	char **dev_str;			/* each as the AF wrote it */
	uint32_t timeout_ms;		/* from timeInterval; 0: the module's */
	size_t plen;			/* COMMAND payload (kind OP_CMD) */
	uint8_t payload[AIOTD_PLEN_MAX];
	uint32_t read_len;		/* CT_READ: bytes asked for */
	enum op_target target;
	size_t narea;			/* targetArea's, in its order */
	const struct area **areas;	/* into req_limits.areas */
	bool has_filter;		/* filteringInfo */
	size_t flen;			/* its bytes: the group's first 8*flen bits */
	uint8_t filter[AIOTD_FILTER_MAX];
	uint32_t num_devices;		/* numDevices; 0: absent */
};

/* Why a request is refused: an HTTP status and a ProblemDetails. */
struct problem {
	int status;
	const char *title;
	char detail[256];
	const char *cause;		/* ProblemDetails.cause, or NULL */
	size_t ninv;
	struct {
		char param[64];
		char reason[128];
	} inv[AIOTD_INVALID_MAX];
	size_t ninv_total;		/* including those not listed */
};

struct req_limits {
	size_t max_devices;		/* per request */
	const struct area_tab *areas;	/* served; NULL: none */
};

/*
 * Parse and check a request body of @kind. 0 and @r filled (free with
 * op_req_free()), or -1 and @p says why (status 400).
 */
int req_parse(enum op_kind kind, const char *body, size_t len,
	      const struct req_limits *lim, struct op_req *r,
	      struct problem *p);
void op_req_free(struct op_req *r);

/* A problem without invalid parameters. */
void problem_set(struct problem *p, int status, const char *title,
		 const char *cause, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Append an invalid parameter (a JSON pointer) and its reason. */
void problem_param(struct problem *p, const char *param, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
/* The ProblemDetails JSON (malloc'ed, compact). */
char *problem_json(const struct problem *p);

/* RFC 4648 base64 (standard alphabet, padded). */
size_t b64_enc_len(size_t n);
void b64_encode(const uint8_t *in, size_t n, char *out);	/* NUL-ended */
/* Strict decode; the number of bytes, or -1. @out holds @max bytes. */
long b64_decode(const char *in, size_t len, uint8_t *out, size_t max);

/*
 * AiotDevPermId (base64 of 1 to 16 bytes) to the 16-byte device ID,
 * left-padded with zeros. 0 or -1.
 */
int devid_from_perm(const char *s, uint8_t id[AIOTD_ID_LEN]);

/*
 * A device ID of the module as an AiotDevPermId: base64 of its 16 bytes
 * without the leading zero bytes (at least one byte kept), the shortest
 * form that devid_from_perm() maps back to it. @out holds 25 bytes.
 */
void devid_to_perm(const uint8_t id[AIOTD_ID_LEN], char out[25]);

/*
 * The answer to a request-inv whose round the module refused with -@err
 * (its extack @kmsg, maybe ""), on reader @reader of area @label: 0 when
 * it is no refusal of the request (ENOENT: no candidate, an inventory that
 * finds nothing), else 1 and @p (403 for a filter that matches fewer than
 * MIN_GROUP devices, 503 with *@retry for rounds in flight or a reader
 * not bound, 500 otherwise).
 */
int inv_refusal(int err, const char *kmsg, bool has_filter, const char *reader,
		const char *label, struct problem *p, bool *retry);

/* What became of one device. */
enum dev_result {
	DR_OK,
	DR_UNKNOWN,		/* not in the module's table */
	DR_TIMEOUT,		/* no valid response in time */
	DR_VERIFY,		/* responses failed verification */
	DR_TXERR,		/* could not be sent (reader down, ...) */
	DR_PARAMS,		/* device: range outside its memory */
	DR_NOTIMPL,		/* device: answer not of the application */
	DR_NUM
};
extern const char *const dev_result_names[DR_NUM];

/* The AIoTDevFailCause of a result (NULL for DR_OK). */
const char *dev_fail_cause(enum dev_result res);

/*
 * The result of a command from the device's reply @rsp (@rlen bytes):
 * DR_OK (then, for a read, the bytes read in @data/@dlen, pointing into
 * @rsp), DR_PARAMS or DR_NOTIMPL.
 */
enum dev_result command_result(enum cmd_type ct, const uint8_t *rsp, size_t rlen,
			  const uint8_t **data, size_t *dlen);

/* One DevicesRepInfo (new reference). */
json_t *rep_entry(const char *dev_str, enum dev_result res,
		  const uint8_t *read, size_t rlen, bool has_read);

/*
 * The operation-level FailureCause of a finished operation: NULL when
 * some device succeeded, else AUTH_FAILURE if a device failed
 * verification, else NO_SUCC_INV_RESP.
 */
const char *op_fail_cause(size_t ok, size_t verify_failed);

/* An AIoTNotif body (malloc'ed): reports (may be NULL), last, cause. */
char *notif_json(const char *trans_id, json_t *reports, bool last,
		 const char *fail_cause);

#endif /* _AIOTD_REQ_H */
