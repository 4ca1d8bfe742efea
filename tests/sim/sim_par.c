// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Every device checks every request: with thousands of devices that is
 * the simulator's whole cost, so the population is cut into one share
 * per thread. The caller's thread takes share 0; the others wait for the
 * next batch of requests (what one read of the socket brought, up to
 * SIM_BATCH_MAX), so that the threads meet once per batch, not once per
 * frame. A device is in one share only: it sees the requests in order.
 * Each share counts into its own struct sim_stats, added up afterwards;
 * a target answers under s->answer_lock (the transmit queue and the
 * global counters are shared).
 */
#include <signal.h>
#include <stdlib.h>

#include "sim.h"

struct sim_share {
	pthread_t th;
	struct sim *s;
	size_t lo, hi;
	struct sim_stats st;
};

struct sim_par {
	pthread_mutex_t lock;
	pthread_cond_t go, done;
	pthread_mutex_t answer;
	unsigned long gen;		/* bumped for every request */
	unsigned int busy;		/* shares not done yet */
	bool stop;
	const u8 *const *src;
	const struct aiot_msg *m;
	unsigned int nm;		/* requests in the batch */
	unsigned int n;
	struct sim_share share[];
};

static void check_share(struct sim_share *w, const u8 *const *src,
			const struct aiot_msg *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sim_check(w->s, &w->st, w->lo, w->hi, src[i], &m[i]);
}

static void *worker(void *arg)
{
	struct sim_share *w = arg;
	struct sim_par *p = w->s->par;
	unsigned long seen;

	/* Created before the first request: none is missed. */
	seen = 0;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->gen == seen && !p->stop)
			pthread_cond_wait(&p->go, &p->lock);
		if (p->stop)
			break;
		seen = p->gen;
		pthread_mutex_unlock(&p->lock);
		check_share(w, p->src, p->m, p->nm);
		pthread_mutex_lock(&p->lock);
		if (!--p->busy)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int sim_par_start(struct sim *s, unsigned int n)
{
	sigset_t all, old;
	struct sim_par *p;
	unsigned int i;

	if (n < 2 || s->ndev < n)
		return 0;
	p = calloc(1, sizeof(*p) + n * sizeof(p->share[0]));
	if (!p)
		return -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->answer, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	p->n = n;
	s->par = p;
	s->answer_lock = &p->answer;
	for (i = 0; i < n; i++) {
		p->share[i].s = s;
		p->share[i].lo = s->ndev * i / n;
		p->share[i].hi = s->ndev * (i + 1) / n;
	}
	/*
	 * Workers take no signal: a SIGUSR1 or SIGTERM handled by a worker
	 * would set its flag without waking the main thread's ppoll(), which
	 * then sleeps until the next frame. They inherit this mask.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 1; i < n; i++) {
		if (pthread_create(&p->share[i].th, NULL, worker, &p->share[i])) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			p->n = i;	/* the ones that run */
			sim_par_stop(s);
			return -1;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

static void add_stats(struct sim_stats *to, struct sim_stats *from)
{
#define SIM_STAT_ADD(n) to->n += from->n;
	SIM_STATS(SIM_STAT_ADD)
#undef SIM_STAT_ADD
	memset(from, 0, sizeof(*from));
}

void sim_par_run(struct sim *s, const u8 *const *src,
		 const struct aiot_msg *m, unsigned int n)
{
	struct sim_par *p = s->par;
	unsigned int i;

	pthread_mutex_lock(&p->lock);
	p->src = src;
	p->m = m;
	p->nm = n;
	p->busy = p->n - 1;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);

	check_share(&p->share[0], src, m, n);

	pthread_mutex_lock(&p->lock);
	while (p->busy)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n; i++)
		add_stats(&s->st, &p->share[i].st);
}

void sim_par_stop(struct sim *s)
{
	struct sim_par *p = s->par;
	unsigned int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);
	for (i = 1; i < p->n; i++)
		pthread_join(p->share[i].th, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_mutex_destroy(&p->answer);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	s->par = NULL;
	s->answer_lock = NULL;
	free(p);
}
