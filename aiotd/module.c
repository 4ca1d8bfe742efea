// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's link to aiotsec.ko (see module.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "aiotd.h"
#include "dev.h"
#include "keystore.h"
#include "module.h"
#include "mono.h"
#include "ops.h"
#include "sync.h"

#define GRACE_MS	2000	/* past the module's timeout: result lost */
#define RETRY_S		1.0	/* module absent: try again after this */
#define READ_MAX	4096	/* messages read per turn */

static struct anl nl;
static struct txn_engine *eng;
static uint64_t overruns_said;
static double last_try;		/* mono() of the last attempt to connect */
static bool said_absent;
unsigned long long module_syncs, module_sync_fail;

/* The key store's sync, on a socket of its own; 0 or -1 (logged). */
static void sync_keystore(void)
{
	char err[512] = "", why[ANL_EXTACK_MAX + 64] = "";
	struct sync_run r = { 0 };
	struct sync_plan p;
	struct dev_list l;
	struct keystore ks;
	struct anl a;
	int ret;

	if (!cf.keystore)
		return;
	module_syncs++;
	if (ks_load(&ks, cf.keystore, stderr, err, sizeof(err))) {
		module_sync_fail++;
		logp(LOG_ERR, "key store %s: sync failed: %s", cf.keystore, err);
		return;
	}
	ret = anl_open(&a, false, NULL);
	if (!ret) {
		ret = dev_dump(&a, &l);
		if (!ret) {
			ret = sync_plan_make(&ks, &l, &p);
			if (!ret) {
				ret = sync_apply(&a, &p, &ks, &l, &r);
				if (!ret)
					logm("key store %s: synced: %zu added, %zu replaced, %zu deleted, %zu unchanged (%zu messages)",
					     cf.keystore, p.nadd, p.nrep, p.ndel,
					     p.same, r.msgs);
				sync_plan_free(&p);
			}
			dev_list_free(&l);
		}
		if (ret)
			snprintf(why, sizeof(why), "%s%s%s", strerror(-ret),
				 a.last.msg[0] ? ": " : "", a.last.msg);
		anl_close(&a);
	} else {
		snprintf(why, sizeof(why), "%s", strerror(-ret));
	}
	if (ret) {
		module_sync_fail++;
		logp(LOG_ERR, "key store %s: sync failed: %s", cf.keystore, why);
	}
	ks_free(&ks);
}

bool module_up(void)
{
	struct txn_conf c = { .window = (uint32_t)cf.max_inflight,
			      .grace_ms = GRACE_MS, .pack = TXN_PACK_MAX,
			      .fallback = true, .slow_halves = true,
			      .cb = ops_result };
	struct timeval tv = { .tv_sec = 3 };
	int rcvbuf = 16 << 20;

	if (eng)
		return true;
	/*
	 * Absent: at most one attempt (a socket, a family lookup, a module
	 * autoload) a second, whatever the request rate; the main loop tries
	 * on that timer too. Logged when it changes, not per attempt.
	 */
	if (last_try && mono() - last_try < RETRY_S)
		return false;
	last_try = mono();
	/*
	 * Not in the events group: the module unicasts the results of our
	 * own requests to this socket (after the reply naming their
	 * cookies); a member would see each of them twice.
	 */
	if (anl_open(&nl, false, NULL)) {
		if (!said_absent)
			logp(LOG_WARNING, "module: not loaded yet; requests get 503 until it is (looked for every %.0f s)",
			     RETRY_S);
		said_absent = true;
		return false;
	}
	said_absent = false;
	/*
	 * Room for the results of max_inflight transactions: a full socket
	 * drops events and, worse, the acks of our own requests. And never
	 * wait for an ack forever (SO_RCVTIMEO: anl_request() gets -EAGAIN).
	 */
	if (setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	eng = txn_new(&nl, &c);
	if (!eng) {
		anl_close(&nl);
		return false;
	}
	logm("module: connected, transaction timeout %" PRIu32 " ms",
	     txn_ns_timeout(eng));
	/* at start, and when the module came (back) later: its keys */
	sync_keystore();
	return true;
}

bool module_connected(void)
{
	return eng;
}

struct txn_engine *module_engine(void)
{
	return eng;
}

int module_fd(void)
{
	return nl.fd;
}

void module_read(void)
{
	const struct txn_counts *k;

	if (!eng)
		return;
	txn_poll(eng, 0, READ_MAX);
	k = txn_counts(eng);
	if (k->overruns != overruns_said) {
		overruns_said = k->overruns;
		logp(LOG_WARNING, "module: results lost (receive buffer overrun); their devices will be reported as timed out");
	}
}

void module_resync(void)
{
	if (eng)
		sync_keystore();
	else
		module_up();	/* syncs if it connects */
}

int module_stats(struct aiot_stats *s)
{
	return eng ? stats_get(&nl, s) : -ENOTCONN;
}

void module_close(void)
{
	if (!eng)
		return;
	txn_free(eng);
	eng = NULL;
	anl_close(&nl);
}
