// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Notifications to the AFs on libcurl with HTTP/2 (cb.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "cb.h"
#include "state.h"

struct job {
	char *uri, *trans_id, *body;
	bool last, active;
	unsigned int attempts;
	char failure[64];		/* the last attempt's */
	double next;			/* monotonic seconds */
	CURL *easy;
	struct job *next_job;
};

struct cb_stats cb_stats;

static struct cb_conf conf;
static pthread_t thr;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct job *head, **tail = &head;
static size_t nactive;
static CURLM *multi;
static struct curl_slist *hdrs;
static volatile bool stopping;

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t s, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return s * n;
}

static void job_free(struct job *j)
{
	free(j->uri);
	free(j->trans_id);
	free(j->body);
	free(j);
}

void cb_post(const char *uri, const char *trans_id, char *body, bool last)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j || !body || !(j->uri = strdup(uri)) ||
	    !(j->trans_id = strdup(trans_id))) {
		fprintf(stderr, "aiotd: notification for %s lost: out of memory\n",
			trans_id);
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
	curl_multi_wakeup(multi);
}

static void start(struct job *j)
{
	CURL *e = curl_easy_init();

	if (!e) {
		j->next = mono() + 1;
		return;
	}
	curl_easy_setopt(e, CURLOPT_URL, j->uri);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(j->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
			 strncmp(j->uri, "https:", 6) ?
			 CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE :
			 CURL_HTTP_VERSION_2TLS);
	/*
	 * h2c: one connection per notification. Debian 12's libcurl (7.88.1)
	 * fails every transfer that reuses a prior-knowledge connection, idle
	 * or live (a second stream on it), with CURLE_HTTP2 (curl issue
	 * #10634, fixed in 8.0); tests/aiotd/test_cb.c fails if it is let.
	 * A notification carries up to report_batch reports, so the
	 * handshakes stay few. https (ALPN) is not affected: reused.
	 */
	if (strncmp(j->uri, "https:", 6))
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)conf.timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)conf.timeout_ms);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	if (conf.ca)
		curl_easy_setopt(e, CURLOPT_CAINFO, conf.ca);
	if (conf.cert) {
		curl_easy_setopt(e, CURLOPT_SSLCERT, conf.cert);
		curl_easy_setopt(e, CURLOPT_SSLKEY, conf.key);
	}
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	j->easy = e;
	j->active = true;
	j->attempts++;
	nactive++;
	curl_multi_add_handle(multi, e);
}

/* Start what may start; returns the wait (ms) until the next due job. */
static long schedule(void)
{
	double now = mono(), wait = 1.0;
	struct job *j, *k;
	bool blocked;

	pthread_mutex_lock(&lock);
	for (j = head; j && nactive < conf.max_active; j = j->next_job) {
		if (j->active)
			continue;
		/* one at a time per transId, in order */
		blocked = false;
		for (k = head; k != j; k = k->next_job)
			if (!strcmp(k->trans_id, j->trans_id)) {
				blocked = true;
				break;
			}
		if (blocked)
			continue;
		if (j->next > now) {
			if (j->next - now < wait)
				wait = j->next - now;
			continue;
		}
		start(j);
	}
	pthread_mutex_unlock(&lock);
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

static void finished(CURL *e, CURLcode res)
{
	struct job *j;
	long code = 0;
	bool ok, retry;
	unsigned int ms;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_multi_remove_handle(multi, e);
	curl_easy_cleanup(e);
	pthread_mutex_lock(&lock);
	j->easy = NULL;
	j->active = false;
	nactive--;
	ok = res == CURLE_OK && code >= 200 && code < 300;
	retry = !ok && (res != CURLE_OK || code == 408 || code == 429 ||
			code >= 500);
	if (!ok) {
		atomic_fetch_add(&cb_stats.failed, 1);
		/* the first failure, and (below) the drop: not every attempt */
		if (j->attempts == 1 && res != CURLE_OK)
			fprintf(stderr, "aiotd: notification %s to %s: %s (retrying)\n",
				j->trans_id, j->uri, curl_easy_strerror(res));
		else if (j->attempts == 1)
			fprintf(stderr, "aiotd: notification %s to %s: HTTP %ld%s\n",
				j->trans_id, j->uri, code, retry ? " (retrying)" : "");
		if (res != CURLE_OK)
			snprintf(j->failure, sizeof(j->failure), "%s",
				 curl_easy_strerror(res));
		else
			snprintf(j->failure, sizeof(j->failure), "HTTP %ld", code);
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
			fprintf(stderr, "aiotd: notification %s to %s: delivered at attempt %u\n",
				j->trans_id, j->uri, j->attempts);
		if (j->last)
			state_done(j->trans_id);
	} else {
		atomic_fetch_add(&cb_stats.dropped, 1);
		fprintf(stderr, "aiotd: notification %s to %s dropped after %u attempts (last: %s)%s\n",
			j->trans_id, j->uri, j->attempts, j->failure,
			j->last ? " (the operation stays unfinished in the state file)" : "");
	}
	job_free(j);
}

static void *run(void *arg)
{
	CURLMsg *m;
	int running, left;

	(void)arg;
	while (!stopping) {
		long wait;

		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left)))
			if (m->msg == CURLMSG_DONE)
				finished(m->easy_handle, m->data.result);
		/* after the failures just seen: their back-off counts */
		wait = schedule();
		curl_multi_poll(multi, NULL, 0, (int)(wait > 1000 ? 1000 : wait),
				NULL);
	}
	return NULL;
}

int cb_start(const struct cb_conf *c)
{
	conf = *c;
	if (!conf.max_active)
		conf.max_active = 64;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -1;
	multi = curl_multi_init();
	hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	if (!multi || !hdrs)
		return -1;
	/* no multiplexing: see start() (curl 7.88.1 and h2c) */
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
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
	stopping = true;
	curl_multi_wakeup(multi);
	pthread_join(thr, NULL);
	while ((j = head)) {
		head = j->next_job;
		if (j->easy) {
			curl_multi_remove_handle(multi, j->easy);
			curl_easy_cleanup(j->easy);
		}
		job_free(j);
	}
	curl_multi_cleanup(multi);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
}
