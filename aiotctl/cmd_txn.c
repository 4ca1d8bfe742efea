// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotctl auth | command: words into a transaction spec, the library's
 * engine (txn.h) to run it, a line per device. One device named: one
 * request and its result. Many (arguments, a file or standard input):
 * the engine's window of transactions, a line per device as it completes.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiotctl.h"
#include "args.h"
#include "dev.h"
#include "events.h"
#include "hex.h"
#include "idlist.h"
#include "nlerr.h"
#include "out.h"
#include "policy.h"
#include "show.h"
#include "txn.h"

#define GRACE_MS	3000	/* after the timeout, for the result event */
#define PACK_MAX	256	/* IDs per message: a reply of about 11 KiB */

struct txn {
	struct txn_spec s;		/* what applies to every device */
	uint8_t id[AIOTSEC_ID_LEN];	/* the one device, or the one reported */
	struct idlist ids;		/* the many */
	struct anl a;
	struct txn_engine *e;
	int worst;
};

static const char *what_of(const struct txn *t)
{
	return t->s.type == AIOTSEC_CMD_AUTH ? "auth" : "command";
}

static void worsen(struct txn *t, int status)
{
	if (status > t->worst)
		t->worst = status;
}

/* A result event: its line, and the exit status it means. */
static int finish(const struct txn *t, const struct event *ev, uint32_t ms)
{
	const char *what = what_of(t);

	if (ev->cmd != AIOTSEC_CMD_EVENT_TIMEOUT &&
	    ev->cmd != AIOTSEC_CMD_EVENT_REJECTED) {
		event_print(ev, PRINT_ANY);
		return EXIT_OK;
	}
	/* -j shows the failure event; the plain output only the message. */
	event_print(ev, PRINT_JSON);
	if (ev->cmd == AIOTSEC_CMD_EVENT_REJECTED) {
		err_msg("%s %s: ended after %u responses failed verification (max-rejects)",
			what, show_id(t->id), ev->rejects);
		return EXIT_VERIFY;
	}
	if (ev->rejects) {
		err_msg("%s %s: no valid response within %u ms: %u response%s failed verification",
			what, show_id(t->id), ms, ev->rejects,
			ev->rejects == 1 ? "" : "s");
		return EXIT_VERIFY;
	}
	err_msg("%s %s: no response within %u ms", what, show_id(t->id), ms);
	return EXIT_TIMEOUT;
}

/* The kernel's message in CLI words, or the errno's. */
static const char *refusal(const struct txn_result *r, char *buf, size_t size)
{
	if (!r->msg[0])
		return strerror(r->err);
	snprintf(buf, size, "%s", r->msg);
	anl_words(buf, size);
	return buf;
}

/* The socket and the engine of @t, saying why on failure. 0 or -1. */
static int txn_open(struct txn *t, const struct txn_conf *c)
{
	if (ctl_open(&t->a, false))
		return -1;
	t->e = txn_new(&t->a, c);
	if (!t->e) {
		err_msg("out of memory");
		anl_close(&t->a);
		return -1;
	}
	return 0;
}

/* ---- one device ------------------------------------------------------------- */

static void one_result(const struct txn_result *r, void *arg)
{
	const char *what;
	struct txn *t = arg;

	what = what_of(t);
	switch (r->outcome) {
	case TXN_EVENT:
		worsen(t, finish(t, r->ev, r->timeout_ms));
		break;
	case TXN_REFUSED:
		if (r->err == ENOENT)
			err_msg("%s: no such device ID %s", what, show_id(t->id));
		else if (r->err == EBADMSG && !strcmp(r->msg, "the reply had no cookie"))
			err_msg("%s: the reply had no cookie", what);
		else if (r->err == ENOMEM)
			err_msg("out of memory");
		else
			anl_perror(&t->a, what, -r->err);
		worsen(t, EXIT_ERR);
		break;
	default:
		err_msg("%s %s: no result event within %u ms%s", what,
			show_id(t->id), r->timeout_ms + GRACE_MS,
			txn_counts(t->e)->overruns ?
			" (events were lost: receive buffer overrun)" : "");
		worsen(t, EXIT_TIMEOUT);
		break;
	}
}

static int run_one(struct txn *t)
{
	struct txn_conf c = { .window = 1, .fixed = true, .grace_ms = GRACE_MS,
			      .pack = 1, .cb = one_result, .arg = t };
	int ret;

	if (txn_open(t, &c))
		return EXIT_ERR;
	txn_submit(t->e, &t->s, t, 0, (const uint8_t (*)[AIOTSEC_ID_LEN])t->id, 1);
	while (txn_outstanding(t->e)) {
		ret = txn_poll(t->e, -1, 1);
		if (ret < 0) {
			err_msg("%s: reading events: %s", what_of(t), strerror(-ret));
			txn_abandon(t->e);
		}
	}
	txn_free(t->e);
	anl_close(&t->a);
	return t->worst;
}

/* ---- many devices ------------------------------------------------------------- */

/* A device that got no transaction, or no result: say why. */
static void device_failed(struct txn *t, size_t idx, const char *why,
			  int status)
{
	const uint8_t *id = t->ids.id[idx];

	open_obj(PRINT_JSON, NULL, NULL);
	print_str(PRINT_JSON, "event", NULL, "error");
	print_hex(PRINT_JSON, "id", NULL, id, AIOTSEC_ID_LEN);
	print_str(PRINT_JSON, "error", NULL, why);
	print_nl(PRINT_JSON);
	close_obj(PRINT_JSON);
	err_msg("%s %s: %s", what_of(t), show_id(id), why);
	worsen(t, status);
}

static void batch_result(const struct txn_result *r, void *arg)
{
	char why[ANL_EXTACK_MAX];
	struct txn *t = arg;

	switch (r->outcome) {
	case TXN_EVENT:
		memcpy(t->id, t->ids.id[r->idx], AIOTSEC_ID_LEN);
		worsen(t, finish(t, r->ev, r->timeout_ms));
		fflush(stdout);
		break;
	case TXN_REFUSED:
		device_failed(t, r->idx, refusal(r, why, sizeof(why)), EXIT_ERR);
		break;
	case TXN_LOST:
		snprintf(why, sizeof(why), "no result event within %u ms%s",
			 r->timeout_ms + GRACE_MS, txn_counts(t->e)->overruns ?
			 " (results were lost: receive buffer overrun)" : "");
		device_failed(t, r->idx, why, EXIT_TIMEOUT);
		break;
	case TXN_ABANDONED:
		device_failed(t, r->idx, "no result (reading failed)", EXIT_ERR);
		break;
	}
}

static int run_batch(struct txn *t, uint32_t wmax, bool fixed)
{
	struct txn_conf c = { .window = wmax, .fixed = fixed,
			      .grace_ms = GRACE_MS, .pack = PACK_MAX,
			      .cb = batch_result, .arg = t };
	size_t next = 0, i;
	bool stop = false;
	ssize_t n;
	int ret;

	if (txn_open(t, &c))
		return EXIT_ERR;
	while ((!stop && next < t->ids.n) || txn_outstanding(t->e)) {
		if (!stop && next < t->ids.n && txn_room(t->e)) {
			n = txn_submit(t->e, &t->s, t, next, t->ids.id + next,
				       t->ids.n - next);
			if (n < 0) {
				anl_perror(&t->a, what_of(t), (int)n);
				stop = true;
			} else {
				next += (size_t)n;
			}
			continue;
		}
		ret = txn_poll(t->e, -1, 1);
		if (ret < 0) {
			err_msg("reading results: %s", strerror(-ret));
			break;
		}
	}
	/* What was never sent, or whose result never came. */
	txn_abandon(t->e);
	for (i = next; i < t->ids.n; i++)
		device_failed(t, i, "not sent", EXIT_ERR);
	txn_free(t->e);
	anl_close(&t->a);
	return t->worst;
}

/* The keywords both commands take, and those of command only. */
enum { K_READER, K_POLICY, K_TIMEOUT, K_WINDOW, K_FIXED, K_FILE, K_HEX,
       K_TEXT, K_DEST, K_PAYLOAD };

/* Check the keywords' values into @t; 0 or the exit status. */
static int txn_values(struct txn *t, const struct kw *k)
{
	char why[ARGS_ERR_MAX];
	uint8_t p;

	if (k[K_TIMEOUT].seen) {
		if (cmd_u32(&k[K_TIMEOUT], UINT32_MAX, &t->s.timeout_ms))
			return EXIT_USAGE;
		if (!t->s.timeout_ms)
			return cmd_invalid(&k[K_TIMEOUT], "at least 1 ms");
	}
	if (k[K_POLICY].seen) {
		if (policy_parse(k[K_POLICY].val, t->s.type == AIOTSEC_CMD_AUTH ?
				 POLICY_MINIMUM : POLICY_REQUEST, &p, why,
				 sizeof(why)))
			return cmd_invalid(&k[K_POLICY], why);
		if (t->s.type == AIOTSEC_CMD_AUTH &&
		    (!(p & AIOTSEC_POL_IDP_MASK) || p & ~AIOTSEC_POL_AUTH_MASK))
			return cmd_invalid(&k[K_POLICY],
					   "a PAGING takes enc or tid, and mac= only");
		t->s.policy = p;
	}
	if (t->s.type == AIOTSEC_CMD_COMMAND && k[K_DEST].seen) {
		if (parse_mac(k[K_DEST].val, t->s.dest, why, sizeof(why)))
			return cmd_invalid(&k[K_DEST], why);
		t->s.has_dest = true;
	}
	if (k[K_READER].seen) {
		t->s.ifindex = if_nametoindex(k[K_READER].val);
		if (!t->s.ifindex) {
			err_msg("reader %s: no such interface",
				k[K_READER].val);
			return EXIT_ERR;
		}
	}
	return 0;
}

/*
 * Is @w a device ID (or, first, '-')? The IDs end at the first word that
 * is not: no keyword is hex, and a stray word is an unknown keyword.
 */
static bool is_id_word(const char *w, bool first)
{
	uint8_t id[AIOTSEC_ID_LEN];
	char err[ARGS_ERR_MAX];

	if (first && !strcmp(w, "-"))
		return true;
	return !hex_parse_id(w, strlen(w), id, err, sizeof(err));
}

/* Only hex digits (an ID's characters, whatever its length)? */
static bool looks_hex(const char *w)
{
	return *w && strspn(w, "0123456789abcdefABCDEF") == strlen(w);
}

/* Is @w one of @kws' keywords (or a request for help)? */
static bool is_keyword(const struct kw *kws, const char *w)
{
	if (!strcmp(w, "help") || !strcmp(w, "-h") || !strcmp(w, "--help"))
		return true;
	for (; kws->name; kws++)
		if (!strcmp(kws->name, w))
			return true;
	return false;
}

/* The IDs of a batch: the words @ids, "-" (standard input) or a file. */
static int batch_ids(struct txn *b, int nids, char **ids, const struct kw *file)
{
	char err[BATCH_ERR_MAX];
	const char *name = NULL;
	FILE *f = NULL;
	int i, ret;

	if (file->seen && nids)
		return usage_err("%s: IDs and file exclude each other", cmd_what());
	if (nids == 1 && !strcmp(ids[0], "-"))
		name = "-";
	else if (file->seen)
		name = file->val;
	if (!name) {
		if (!nids)
			return usage_err("%s: an ID, '-' or file FILE is required",
					 cmd_what());
		for (i = 0; i < nids; i++)
			if (idlist_add(&b->ids, ids[i], strlen(ids[i]), err,
				       sizeof(err)))
				return usage_err("'%s': %s", ids[i], err);
		return 0;
	}
	f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f) {
		err_msg("%s: %s", name, strerror(errno));
		return EXIT_ERR;
	}
	ret = idlist_read(&b->ids, f, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (ret) {
		err_msg("%s: %s", strcmp(name, "-") ? name : "standard input", err);
		return EXIT_ERR;
	}
	if (!b->ids.n) {
		err_msg("%s: no device IDs in it",
			strcmp(name, "-") ? name : "standard input");
		return EXIT_ERR;
	}
	return 0;
}

/*
 * auth ID... | command ID... payload P, or one ID from '-' or file FILE:
 * the words before the first keyword are IDs. command ID PAYLOAD (no
 * payload keyword) is one device.
 */
static int txn_main(struct txn *t, int argc, char **argv)
{
	struct kw kws[] = {
		[K_READER] = KW("reader", KW_ARG),
		[K_POLICY] = KW("policy", KW_ARG),
		[K_TIMEOUT] = KW("timeout", KW_ARG),
		[K_WINDOW] = KW("window", KW_ARG),
		[K_FIXED] = KW("fixed", KW_FLAG),
		[K_FILE] = KW("file", KW_ARG),
		[K_HEX] = KW("hex", KW_FLAG),
		[K_TEXT] = KW("text", KW_FLAG),
		[K_DEST] = KW("dest", KW_ARG),
		[K_PAYLOAD] = KW("payload", KW_ARG),
		KW_END
	};
	char err[ARGS_ERR_MAX];
	const char *payload = NULL;
	long plen;
	uint32_t wmax = WINDOW_DEFAULT;
	int i, npos = 0, ret;
	bool batch;

	if (t->s.type == AIOTSEC_CMD_AUTH)
		kws[K_HEX] = (struct kw)KW_END;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "payload"))
			break;
	batch = t->s.type == AIOTSEC_CMD_AUTH || i < argc;
	if (batch) {
		while (npos < argc && is_id_word(argv[npos], !npos) &&
		       strcmp(argv[0], "-"))
			npos++;
		if (!npos && argc && !strcmp(argv[0], "-"))
			npos = 1;
	} else {
		if (argc < 2)
			return usage_err("command: an ID and a PAYLOAD are required");
		npos = 2;
		payload = argv[1];
	}
	/*
	 * Where an ID must stand (none yet), or a word of hex digits where
	 * one may: a bad ID, said as such (not an unknown keyword).
	 */
	if (batch && npos < argc && !is_keyword(kws, argv[npos]) &&
	    (!npos || looks_hex(argv[npos]))) {
		uint8_t id[AIOTSEC_ID_LEN];
		const char *why = err;

		hex_parse_id(argv[npos], strlen(argv[npos]), id, err, sizeof(err));
		if (!strncmp(why, "ID: ", 4))
			why += 4;
		return usage_err("%s: '%s' is not a device ID (%s)", cmd_what(),
				 argv[npos], why);
	}
	if (cmd_kw(kws, "keyword", argc - npos, argv + npos, &ret))
		return ret;
	if (kws[K_PAYLOAD].seen)
		payload = kws[K_PAYLOAD].val;
	t->s.policy = -1;
	if (t->s.type == AIOTSEC_CMD_COMMAND) {
		if (kws[K_HEX].seen && kws[K_TEXT].seen)
			return usage_err("command: hex and text exclude each other");
		plen = parse_payload(payload, kws[K_HEX].seen, t->s.payload,
				     sizeof(t->s.payload), err, sizeof(err));
		if (plen < 0)
			return usage_err("command: %s", err);
		t->s.plen = (size_t)plen;
	}
	if (kws[K_FIXED].seen && !kws[K_WINDOW].seen)
		return usage_err("%s: fixed goes with window N", cmd_what());
	if (kws[K_WINDOW].seen) {
		if (cmd_u32(&kws[K_WINDOW], 65536, &wmax))
			return EXIT_USAGE;
		if (!wmax)
			return cmd_invalid(&kws[K_WINDOW], "at least 1");
	}
	ret = txn_values(t, kws);
	if (ret)
		return ret;
	/* One device named on the command line: one request. */
	if (!batch || (npos == 1 && strcmp(argv[0], "-") &&
		       !kws[K_FILE].seen && !kws[K_WINDOW].seen)) {
		if (npos < 1)
			return usage_err("%s: an ID is required", cmd_what());
		if (cmd_id(argv[0], t->id))
			return EXIT_USAGE;
		return run_one(t);
	}
	ret = batch_ids(t, npos, argv, &kws[K_FILE]);
	if (!ret)
		ret = run_batch(t, wmax, kws[K_FIXED].seen);
	idlist_free(&t->ids);
	return ret;
}

/* AUTH or COMMAND (@type) with @argc words, at least @min of them. */
static int txn_cmd(uint8_t type, int argc, char **argv, int min,
		   const char *need)
{
	struct txn *t;
	int ret;

	if (argc < min)
		return usage_err("%s", need);
	t = calloc(1, sizeof(*t));
	if (!t)
		return EXIT_ERR;
	t->s.type = type;
	ret = txn_main(t, argc, argv);
	free(t);
	return ret;
}

int cmd_auth(int argc, char **argv)
{
	return txn_cmd(AIOTSEC_CMD_AUTH, argc, argv, 1,
		       "auth: an ID is required");
}

int cmd_command(int argc, char **argv)
{
	return txn_cmd(AIOTSEC_CMD_COMMAND, argc, argv, 2,
		       "command: an ID and a PAYLOAD are required");
}
