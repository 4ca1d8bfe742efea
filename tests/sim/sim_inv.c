// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Inventory (profile v1.1), device side: on an INVENTORY a device first
 * checks the filter against its public group (a miss costs no
 * cryptography: the device stays silent for free), then its memory of
 * the last AIOTDEV_REPLAY_WINDOW inventory NNs it answered (a repeat
 * costs none either), and only then derives and answers INV_RESP
 * through the device role of proto/aiotdev.c, bent by its fault modes.
 */
#include "sim.h"

static const u8 sim_cap[] = SIM_CAP;

static void answer_inventory(struct sim *s, struct sim_dev *d,
			     const u8 src[6], const struct aiot_msg *m)
{
	u8 out[SIM_FRAME_MAX], dn[AIOT_NONCE_LEN], id[AIOTSEC_ID_LEN];
	struct aiot_cred c;
	u8 policy = m->policy;
	int len;

	if (d->faults & SIM_F_SILENT) {
		s->st.faults++;
		return;
	}
	/* Answered (whatever a fault makes of it): this NN is spent. */
	aiotdev_replay_note(&d->inv_nn, m->nn);
	if (s->random(dn, sizeof(dn)))
		return;
	if (d->faults & SIM_F_DOWNGRADE)
		policy = sim_downgrade(policy, AIOT_MSG_INV_RESP);
	sim_resp_cred(d, &c, id);
	s->st.inv_crypto++;
	len = aiotdev_inv_resp(&c, m->nn, dn, policy, sim_cap,
			       sizeof(sim_cap) - 1, out);
	if (len < 0)
		return;
	s->st.inv_answers++;
	sim_emit(s, d, src, out, (size_t)len, m->nn);
}

void sim_check_inventory(struct sim *s, struct sim_stats *st,
			 struct sim_dev *d, const u8 src[6],
			 const struct aiot_msg *m)
{
	st->inv_checks++;
	/* Public values only, before anything else: no key is touched. */
	if (aiotdev_inventory_match(d->group, m)) {
		st->inv_filter_miss++;
		return;
	}
	if (aiotdev_replay_seen(&d->inv_nn, m->nn)) {
		st->inv_nn_repeat++;
		return;
	}
	if (s->answer_lock)
		pthread_mutex_lock(s->answer_lock);
	answer_inventory(s, d, src, m);
	if (s->answer_lock)
		pthread_mutex_unlock(s->answer_lock);
}
