// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The simulator's frame handler: every device checks every PAGING and
 * COMMAND (as real devices must), the target answers through the device
 * role of proto/aiotdev.c with a fresh DN, and its fault modes, if any,
 * bend the answer. INVENTORY is sim_inv.c's. Input is untrusted: nothing is read but through
 * aiot_parse(), and every output is bounded by SIM_FRAME_MAX.
 */
#include <stdint.h>

#include "sim.h"

static const u8 sim_cap[] = SIM_CAP;

bool sim_queue(struct sim *s, const u8 dst[6], const u8 *buf, size_t len,
	       u64 due_ms)
{
	unsigned int i;

	if (len > SIM_FRAME_MAX || s->txq_used == SIM_TXQ_LEN) {
		s->st.tx_queue_full++;
		return false;
	}
	for (i = 0; i < SIM_TXQ_LEN; i++) {
		struct sim_tx *t = &s->txq[i];

		if (t->used)
			continue;
		t->used = true;
		t->due_ms = due_ms;
		t->len = (u16)len;
		memcpy(t->dst, dst, 6);
		memcpy(t->buf, buf, len);
		s->txq_used++;
		return true;
	}
	return false;
}

u64 sim_flush(struct sim *s, u64 now_ms,
	      int (*send)(void *ctx, const u8 dst[6], const u8 *buf,
			  size_t len), void *ctx)
{
	u64 next = UINT64_MAX;
	unsigned int i;
	bool again;
	int ret;

	/* Earliest first, so that a replayed copy follows its original. */
	do {
		struct sim_tx *first = NULL;

		again = false;
		for (i = 0; i < SIM_TXQ_LEN && s->txq_used; i++) {
			struct sim_tx *t = &s->txq[i];

			if (t->used && t->due_ms <= now_ms &&
			    (!first || t->due_ms < first->due_ms))
				first = t;
		}
		if (!first)
			break;
		ret = send(ctx, first->dst, first->buf, first->len);
		if (ret == -EAGAIN) {
			first->due_ms = now_ms + 1;	/* retry shortly */
			continue;
		}
		if (ret)
			s->st.tx_errors++;
		else
			s->st.tx_frames++;
		first->used = false;
		s->txq_used--;
		again = true;
	} while (again);

	for (i = 0; i < SIM_TXQ_LEN && s->txq_used; i++)
		if (s->txq[i].used && s->txq[i].due_ms < next)
			next = s->txq[i].due_ms;
	return next;
}

void sim_emit(struct sim *s, struct sim_dev *d, const u8 dst[6], u8 *r,
	      size_t len, const u8 *nn)
{
	u64 due = s->now_ms;

	if (d->faults & SIM_F_MALFORMED) {
		s->st.faults++;
		sim_queue_malformed(s, dst, r, len, nn);
		return;
	}
	if (d->faults & SIM_F_FORGE) {
		s->st.faults++;
		sim_queue_forged(s, dst, r, len);
		return;
	}
	if (d->faults & SIM_F_BAD_MAC)
		r[len - 1] ^= 0x01;
	if (d->faults & SIM_F_LATE)
		due += s->delay_ms;
	if (d->faults & SIM_F_STALE) {
		/* Send the previous response, keep this one for next time. */
		u8 cur[SIM_FRAME_MAX];
		u16 prev = d->last_len;

		if (!d->last)
			return;
		memcpy(cur, r, len);
		if (prev)
			sim_queue(s, dst, d->last, prev, due);
		memcpy(d->last, cur, len);
		d->last_len = (u16)len;
		s->st.faults++;
		return;
	}
	sim_queue(s, dst, r, len, due);
	if (d->faults & SIM_F_REPLAY)
		sim_queue(s, dst, r, len, due + SIM_REPLAY_MS);
	if (d->faults & (SIM_F_BAD_MAC | SIM_F_LATE | SIM_F_REPLAY |
			 SIM_F_WRONG_KEY | SIM_F_WRONG_ID | SIM_F_DOWNGRADE))
		s->st.faults++;
}

void sim_resp_cred(struct sim_dev *d, struct aiot_cred *c,
		   u8 id[AIOTSEC_ID_LEN])
{
	memcpy(id, d->id, AIOTSEC_ID_LEN);
	if (d->faults & SIM_F_WRONG_ID)
		id[AIOTSEC_ID_LEN - 1] ^= 0x01;
	c->id = id;
	c->hk = (d->faults & SIM_F_WRONG_KEY) && d->hk_wrong ? d->hk_wrong :
							       &d->hk;
}

static void answer_paging(struct sim *s, struct sim_dev *d, const u8 src[6],
			  const struct aiot_msg *m)
{
	u8 out[SIM_FRAME_MAX], dn[AIOT_NONCE_LEN], id[AIOTSEC_ID_LEN];
	struct aiot_cred c;
	u8 policy = m->policy;
	int len;

	if (d->faults & SIM_F_SILENT) {
		s->st.faults++;
		return;
	}
	if (s->random(dn, sizeof(dn)))
		return;
	if (d->faults & SIM_F_DOWNGRADE)
		policy = sim_downgrade(policy, AIOT_MSG_AUTH_RESP);
	sim_resp_cred(d, &c, id);
	len = aiotdev_auth_resp(&c, m->nn, dn, policy, sim_cap,
				sizeof(sim_cap) - 1, out);
	if (len < 0)
		return;
	s->st.auth_answers++;
	sim_emit(s, d, src, out, (size_t)len, m->nn);
}

static void answer_command(struct sim *s, struct sim_dev *d, const u8 src[6],
			   const struct aiot_msg *m, const u8 *payload)
{
	u8 out[SIM_FRAME_MAX], dn[AIOT_NONCE_LEN], id[AIOTSEC_ID_LEN];
	u8 resp[AIOTSEC_PLEN_MAX];
	struct aiot_cred c;
	u8 policy = m->policy;
	u16 rlen;
	int len;

	if (d->faults & SIM_F_SILENT) {
		s->st.faults++;
		return;
	}
	/* Acted on: from now on this NN is a replay (even if off). */
	aiotdev_replay_note(&d->replay, m->nn);
	rlen = sim_app(s, d, payload, m->plen, resp);
	if (s->random(dn, sizeof(dn)))
		return;
	if (d->faults & SIM_F_DOWNGRADE)
		policy = sim_downgrade(policy, AIOT_MSG_CMD_RESP);
	sim_resp_cred(d, &c, id);
	len = aiotdev_cmd_resp(&c, m->nn, dn, policy, resp, rlen, out);
	memzero_explicit(resp, sizeof(resp));
	if (len < 0)
		return;
	s->st.cmd_answers++;
	sim_emit(s, d, src, out, (size_t)len, m->nn);
}

/* Device @d checks COMMAND @m; answers if it is the target. */
static void check_command(struct sim *s, struct sim_stats *st,
			  struct sim_dev *d, const u8 src[6],
			  const struct aiot_msg *m, u8 *payload)
{
	struct aiot_cred c = { .id = d->id, .hk = &d->hk };
	enum aiotsec_drop err;

	st->checks++;
	err = aiotdev_command_open(&c, m, payload);
	if (err == AIOTSEC_DROP_ID) {
		st->nontarget_checks++;
		return;
	}
	st->targets++;
	if (err) {
		/* For this device, but not from its AIoTF: ignore. */
		st->cmd_rejected++;
		return;
	}
	/*
	 * Authentic, but acted on already: a recorded COMMAND sent again.
	 * Checked after the MAC, so that only the device's own AIoTF's
	 * COMMANDs (and copies of them) are counted here.
	 */
	if (aiotdev_replay_seen(&d->replay, m->nn)) {
		st->cmd_replayed++;
		if (!s->no_replay_defence)
			return;
	}
	if (s->answer_lock)
		pthread_mutex_lock(s->answer_lock);
	answer_command(s, d, src, m, payload);
	if (s->answer_lock)
		pthread_mutex_unlock(s->answer_lock);
}

static void check_paging(struct sim *s, struct sim_stats *st,
			 struct sim_dev *d, const u8 src[6],
			 const struct aiot_msg *m)
{
	struct aiot_cred c = { .id = d->id, .hk = &d->hk };

	st->checks++;
	if (aiotdev_paging_match(&c, m)) {
		st->nontarget_checks++;
		return;
	}
	st->targets++;
	if (s->answer_lock)
		pthread_mutex_lock(s->answer_lock);
	answer_paging(s, d, src, m);
	if (s->answer_lock)
		pthread_mutex_unlock(s->answer_lock);
}

void sim_check(struct sim *s, struct sim_stats *st, size_t lo, size_t hi,
	       const u8 src[6], const struct aiot_msg *m)
{
	u8 payload[AIOTSEC_PLEN_MAX];
	size_t i;

	for (i = lo; i < hi && i < s->ndev; i++) {
		struct sim_dev *d = &s->dev[i];

		if (d->absent)
			continue;
		if (d->disabled) {
			st->disabled_skips++;
			continue;
		}
		if (m->type == AIOT_MSG_INVENTORY)
			sim_check_inventory(s, st, d, src, m);
		else if (m->type == AIOT_MSG_PAGING)
			check_paging(s, st, d, src, m);
		else
			check_command(s, st, d, src, m, payload);
	}
	memzero_explicit(payload, sizeof(payload));
}

/* Count the frame; true if it is a request for devices, parsed in @m. */
static bool accept(struct sim *s, const u8 *buf, size_t len,
		   struct aiot_msg *m)
{
	s->st.rx_frames++;
	if (aiot_parse(buf, len, m)) {
		s->st.rx_malformed++;
		return false;
	}
	if (m->type == AIOT_MSG_PAGING)
		s->st.rx_paging++;
	else if (m->type == AIOT_MSG_COMMAND)
		s->st.rx_command++;
	else if (m->type == AIOT_MSG_INVENTORY)
		s->st.rx_inventory++;
	else {
		s->st.rx_other++;
		return false;
	}
	return true;
}

/* Every device checks the @n requests @m, in order. */
static void check_all(struct sim *s, const u8 *const *src,
		      const struct aiot_msg *m, unsigned int n)
{
	unsigned int i;

	/* Threads cost a wakeup each: worth it only for enough checks. */
	if (s->par && s->ndev * n >= SIM_PAR_MIN_CHECKS) {
		sim_par_run(s, src, m, n);
		return;
	}
	for (i = 0; i < n; i++)
		sim_check(s, &s->st, 0, s->ndev, src[i], &m[i]);
}

void sim_rx_batch(struct sim *s, const struct sim_frame *f, unsigned int n)
{
	struct aiot_msg m[SIM_BATCH_MAX];
	const u8 *src[SIM_BATCH_MAX];
	unsigned int i = 0, k;

	while (i < n) {
		for (k = 0; i < n && k < SIM_BATCH_MAX; i++) {
			if (accept(s, f[i].buf, f[i].len, &m[k]))
				src[k++] = f[i].src;
		}
		if (k)
			check_all(s, src, m, k);
	}
}

void sim_rx(struct sim *s, const u8 src[6], const u8 *buf, size_t len)
{
	struct sim_frame f = { .buf = buf, .len = len };

	memcpy(f.src, src, 6);
	sim_rx_batch(s, &f, 1);
}

void sim_print_stats(const struct sim *s, FILE *f)
{
	fprintf(f, "devices=%zu present=%zu", s->ndev, sim_npresent(s));
#define SIM_STAT_PRINT(n) fprintf(f, " " #n "=%llu", \
				  (unsigned long long)s->st.n);
	SIM_STATS(SIM_STAT_PRINT)
#undef SIM_STAT_PRINT
	fputc('\n', f);
}
