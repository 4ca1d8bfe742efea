// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotd's link to aiotsec.ko (see module.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "aiotd.h"
#include "module.h"
#include "mono.h"
#include "ops.h"
#include "rounds.h"

#define GRACE_MS	2000	/* past the module's timeout: result lost */
#define RETRY_S		1.0	/* module absent: try again after this */
#define READ_MAX	4096	/* messages read per turn */

static struct anl nl;
static struct txn_engine *eng;
static struct inv_set *invset;
static uint64_t overruns_said;
static double last_try;		/* mono() of the last attempt to connect */
static bool said_absent;

bool module_up(void)
{
	struct txn_conf c = { .window = (uint32_t)cf.max_inflight,
			      .grace_ms = GRACE_MS, .pack = TXN_PACK_MAX,
			      .fallback = true, .slow_halves = true,
			      .cb = ops_result };
	struct inv_conf ic = { .grace_ms = GRACE_MS, .found = rounds_found,
			       .done = rounds_done };
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
	/* after the engine: the set hands it every other event */
	invset = eng ? inv_new(&nl, &ic) : NULL;
	if (!invset) {
		txn_free(eng);
		eng = NULL;
		anl_close(&nl);
		return false;
	}
	/*
	 * Its devices are aiotsec.service's (aiotsec.conf's key store):
	 * aiotd never adds or deletes one, and says how many there are.
	 */
	logm("module: connected, transaction timeout %" PRIu32 " ms",
	     txn_ns_timeout(eng));
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

struct inv_set *module_invset(void)
{
	return invset;
}

const char *module_last_msg(void)
{
	return eng ? nl.last.msg : "";
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

int module_stats(struct aiot_stats *s)
{
	return eng ? stats_get(&nl, s) : -ENOTCONN;
}

void module_close(void)
{
	if (!eng)
		return;
	inv_free(invset);	/* forgotten: the state file has them */
	invset = NULL;
	txn_free(eng);
	eng = NULL;
	anl_close(&nl);
}
