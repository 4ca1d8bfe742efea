// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Notifications to the AFs over HTTP/2 (cb.h), on h2cli.h. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/eventfd.h>

#include "aiotd.h"
#include "cb.h"
#include "h2cli.h"
#include "mono.h"
#include "state.h"
#include "uri.h"

#define REDIRECTS_MAX	3	/* 307/308 followed per attempt */
#define REFUSALS_MAX	8	/* refused streams resent per attempt */

struct job {
	char *uri;			/* where the attempt goes */
	char *home;			/* the notifUri, or where a 308 moved it */
	char *trans_id, *body;
	bool last, active;
	unsigned int attempts, redirects, refusals;
	char failure[64];		/* the last attempt's */
	double next;			/* monotonic seconds */
	struct job *next_job;
};

struct cb_stats cb_stats;

static struct cb_conf conf;
static pthread_t thr;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *head, **tail = &head;
static size_t nactive;
static struct h2cli *cli;		/* the thread's alone */
static int wake_fd = -1;
static atomic_bool stopping;
static struct job **go;		/* schedule()'s jobs to start */

static void job_free(struct job *j)
{
	free(j->uri);
	free(j->home);
	free(j->trans_id);
	free(j->body);
	free(j);
}

/* One wake-up per burst: set when written, cleared when the thread reads. */
static atomic_bool wake_pending;

static void wake(void)
{
	uint64_t one = 1;

	if (atomic_exchange(&wake_pending, true))
		return;
	if (write(wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		perror("aiotd: notification thread wake-up");
}

void cb_post(const char *uri, const char *trans_id, char *body, bool last)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j || !body || !(j->uri = strdup(uri)) || !(j->home = strdup(uri)) ||
	    !(j->trans_id = strdup(trans_id))) {
		logp(LOG_ERR, "notification for %s lost: out of memory", trans_id);
		free(body);
		if (j)
			job_free(j);
		atomic_fetch_add(&cb_stats.dropped, 1);
		return;
	}
	j->body = body;
	j->last = last;
	pthread_mutex_lock(&lock);
	*tail = j;
	tail = &j->next_job;
	atomic_fetch_add(&cb_stats.queued, 1);
	pthread_mutex_unlock(&lock);
	wake();
}

static void done(void *arg, int status, const char *err, const char *location);

/* An attempt of @j, marked active by schedule(): called without the lock. */
static void start(struct job *j)
{
	const char *why;

	/* j->uri and j->body change only in this thread: no lock needed */
	if (!h2cli_post(cli, j->uri, "application/json", j->body,
			strlen(j->body), done, j, &why))
		return;
	/* notifUri passed req.c's check, so only out of memory */
	pthread_mutex_lock(&lock);
	j->active = false;
	j->attempts--;
	nactive--;
	j->next = mono() + 1;
	pthread_mutex_unlock(&lock);
	logp(LOG_WARNING, "notification %s to %s: %s (retrying)", j->trans_id,
	     j->uri, why);
}

/*
 * The transIds met so far in one scan of the queue: a job may start only
 * when no earlier one of its transId is queued (one at a time, in order).
 */
static const char **seen;
static size_t seen_cap;

static size_t tid_hash(const char *s)
{
	size_t h = 14695981039346656037ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* true if @tid was met before in this scan; records it otherwise. */
static bool seen_before(const char *tid)
{
	size_t i = tid_hash(tid) & (seen_cap - 1);

	for (; seen[i]; i = (i + 1) & (seen_cap - 1))
		if (!strcmp(seen[i], tid))
			return true;
	seen[i] = tid;
	return false;
}

/* Start what may start; returns the wait (ms) until the next due job. */
static long schedule(void)
{
	double now = mono(), wait = 1.0;
	size_t need = 16, ngo = 0, i;
	const char **ns;
	struct job *j;

	pthread_mutex_lock(&lock);
	while (need < 2 * atomic_load(&cb_stats.queued))
		need *= 2;
	if (need > seen_cap) {
		ns = realloc(seen, need * sizeof(*seen));
		if (!ns) {
			pthread_mutex_unlock(&lock);
			return 100;
		}
		seen = ns;
		seen_cap = need;
	}
	memset(seen, 0, seen_cap * sizeof(*seen));
	for (j = head; j && nactive < conf.max_active; j = j->next_job) {
		if (seen_before(j->trans_id) || j->active)
			continue;
		if (j->next > now) {
			if (j->next - now < wait)
				wait = j->next - now;
			continue;
		}
		j->active = true;
		j->attempts++;
		nactive++;
		go[ngo++] = j;
	}
	pthread_mutex_unlock(&lock);
	/*
	 * Started without the lock: a new connection resolves its host
	 * (getaddrinfo blocks), and cb_post() in the HTTP thread must not wait
	 * for that.
	 */
	for (i = 0; i < ngo; i++)
		start(go[i]);
	return (long)(wait * 1000) + 1;
}

static void unlink_job(struct job *j)
{
	struct job **p;

	for (p = &head; *p; p = &(*p)->next_job) {
		if (*p == j) {
			*p = j->next_job;
			if (tail == &j->next_job)
				tail = p;
			return;
		}
	}
}

/* An attempt's end (h2cli_service(), this thread). */
static void done(void *arg, int status, const char *err, const char *location)
{
	struct job *j = arg;
	bool ok, retry;
	unsigned int ms;
	char *to;

	bool refuse = false;

	pthread_mutex_lock(&lock);
	j->active = false;
	nactive--;
	/* refused, so never processed (RFC 9113 8.7): again at once, not counted */
	if (err == h2cli_refused && j->refusals < REFUSALS_MAX) {
		j->refusals++;
		j->attempts--;
		j->next = 0;
		pthread_mutex_unlock(&lock);
		return;
	}
	/* 307/308 (TS 29.500 6.10.9): the same POST to Location, same attempt */
	if ((status == 307 || status == 308) && location &&
	    j->redirects < REDIRECTS_MAX && (to = uri_resolve(j->uri, location))) {
		if (!strncmp(j->uri, "https:", 6) && strncmp(to, "https:", 6)) {
			/* the body would go in clear text: not followed */
			free(to);
			refuse = true;
			err = "redirected from https to http: not followed";
		} else {
			if (status == 308) {	/* permanent: retries go there too */
				free(j->home);
				j->home = strdup(to);
			}
			free(j->uri);
			j->uri = to;
			j->redirects++;
			j->attempts--;
			j->next = 0;
			pthread_mutex_unlock(&lock);
			return;
		}
	}
	j->redirects = 0;
	j->refusals = 0;
	ok = !err && status >= 200 && status < 300;
	retry = !ok && !refuse &&
		(err || status == 408 || status == 429 || status >= 500);
	/* a retry goes to the notifUri (or a 308's), not to a 307's target */
	if (retry && j->home && strcmp(j->uri, j->home) && (to = strdup(j->home))) {
		free(j->uri);
		j->uri = to;
	}
	if (!ok) {
		atomic_fetch_add(&cb_stats.failed, 1);
		if (err)
			snprintf(j->failure, sizeof(j->failure), "%s", err);
		else
			snprintf(j->failure, sizeof(j->failure), "HTTP %d", status);
		/* the first failure, and (below) the drop: not every attempt */
		if (j->attempts == 1)
			logp(LOG_WARNING, "notification %s to %s: %s%s",
			     j->trans_id, j->uri, j->failure,
			     retry ? " (retrying)" : "");
	}
	if (retry && j->attempts <= conf.retries) {
		ms = conf.backoff_ms << (j->attempts - 1 < 16 ? j->attempts - 1 : 16);
		if (ms > conf.backoff_max_ms || ms < conf.backoff_ms)
			ms = conf.backoff_max_ms;
		j->next = mono() + ms / 1000.0;
		atomic_fetch_add(&cb_stats.retried, 1);
		pthread_mutex_unlock(&lock);
		return;
	}
	unlink_job(j);
	atomic_fetch_sub(&cb_stats.queued, 1);
	pthread_mutex_unlock(&lock);
	if (ok) {
		atomic_fetch_add(&cb_stats.sent, 1);
		if (j->attempts > 1)
			logp(LOG_NOTICE, "notification %s to %s: delivered at attempt %u",
			     j->trans_id, j->uri, j->attempts);
		if (j->last)
			state_done(j->trans_id);
	} else {
		atomic_fetch_add(&cb_stats.dropped, 1);
		logp(LOG_ERR, "notification %s to %s dropped after %u attempts (last: %s)%s",
		     j->trans_id, j->uri, j->attempts, j->failure,
		     j->last ? " (the operation stays unfinished in the state file)" : "");
	}
	job_free(j);
}

#define POLL_MAX	256

static void *run(void *arg)
{
	struct pollfd pfd[POLL_MAX];
	uint64_t v;
	size_t n;
	long wait;
	int t;

	(void)arg;
	while (!atomic_load(&stopping)) {
		wait = schedule();
		t = h2cli_timeout_ms(cli);
		if (t >= 0 && t < wait)
			wait = t;
		pfd[0] = (struct pollfd){ .fd = wake_fd, .events = POLLIN };
		n = h2cli_pollfds(cli, pfd + 1, POLL_MAX - 1);
		if (poll(pfd, n + 1, (int)(wait > 1000 ? 1000 : wait)) < 0 &&
		    errno != EINTR)
			break;
		if (pfd[0].revents) {
			/*
			 * Read, then clear: a post after the clear writes
			 * again; one before it is in the queue that
			 * schedule() reads next.
			 */
			if (read(wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
				break;
			atomic_store(&wake_pending, false);
		}
		h2cli_service(cli, pfd + 1, n);
		atomic_store(&cb_stats.conns, h2cli_opened(cli));
		atomic_store(&cb_stats.conns_open, h2cli_nconns(cli));
	}
	return NULL;
}

int cb_start(const struct cb_conf *c)
{
	struct h2cli_conf hc = { .timeout_ms = c->timeout_ms, .ca = c->ca,
				 .cert = c->cert, .key = c->key };

	conf = *c;
	if (!conf.max_active)
		conf.max_active = 64;
	cli = h2cli_new(&hc);
	wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	go = calloc(conf.max_active, sizeof(*go));
	if (!cli || wake_fd < 0 || !go) {
		h2cli_free(cli);
		cli = NULL;
		free(go);
		go = NULL;
		if (wake_fd >= 0)
			close(wake_fd);
		wake_fd = -1;
		return -1;
	}
	if (pthread_create(&thr, NULL, run, NULL))
		return -1;
	return 0;
}

void cb_stop(unsigned int ms)
{
	double end = mono() + ms / 1000.0;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct job *j;

	while (atomic_load(&cb_stats.queued) && mono() < end)
		nanosleep(&ts, NULL);
	atomic_store(&stopping, true);
	wake();
	pthread_join(thr, NULL);
	h2cli_free(cli);	/* attempts still open end without done() */
	cli = NULL;
	while ((j = head)) {
		head = j->next_job;
		job_free(j);
	}
	tail = &head;
	free(seen);
	seen = NULL;
	seen_cap = 0;
	free(go);
	go = NULL;
	close(wake_fd);
	wake_fd = -1;
}
