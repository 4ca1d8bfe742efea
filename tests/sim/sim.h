/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * aiotsim: a population of simulated AIoT devices (the device role of
 * profile v1.1) behind one interface. The core (sim_core.c, sim_inv.c,
 * sim_app.c, sim_fault.c, sim_pop.c, sim_conf.c) never touches a socket: frames go in through
 * sim_rx() and come out of a bounded transmit queue, so the host test and
 * the fuzz harness drive it without a network. sim_io.c is the socket and
 * the poll loop. tests/sim/README.md documents the behaviour.
 */
#ifndef _AIOT_SIM_H
#define _AIOT_SIM_H

#include <pthread.h>
#include <stdio.h>

#include "proto.h"

#define SIM_MEM_SIZE	64		/* user memory of a device */
#define SIM_CAP		"aiotsim/1"	/* the capability of AUTH_RESP */
#define SIM_TXQ_LEN	4096		/* frames waiting: a round's answers */
#define SIM_FRAME_MAX	(AIOT_MSG_MAX + 64)
#define SIM_REPLAY_MS	20		/* replay: the copy follows this late */
#define SIM_DELAY_MS	1500		/* late: default delay */
#define SIM_BATCH_MAX	64		/* requests checked together */
/* Below this many checks per batch the threads are not woken. */
#define SIM_PAR_MIN_CHECKS	64

/* Application protocol (README.md): requests start with this byte. */
#define SIM_APP_MAGIC	0xAD
#define SIM_APP_READ	0x01
#define SIM_APP_WRITE	0x02
#define SIM_APP_DISABLE	0x03
#define SIM_APP_REPLY	0x80		/* or'ed into the opcode of a reply */
#define SIM_APP_OK	0
#define SIM_APP_RANGE	1		/* address range outside the memory */

/* Fault modes, a bit each. */
enum sim_fault {
	SIM_F_WRONG_KEY	= 1 << 0,	/* responses keyed with another key */
	SIM_F_BAD_MAC	= 1 << 1,	/* last MAC byte flipped */
	SIM_F_WRONG_ID	= 1 << 2,	/* PID* of another ID, valid MAC */
	SIM_F_REPLAY	= 1 << 3,	/* each response sent twice */
	SIM_F_STALE	= 1 << 4,	/* answer with the previous response */
	SIM_F_LATE	= 1 << 5,	/* answer after the delay */
	SIM_F_DOWNGRADE	= 1 << 6,	/* answer with a weaker policy */
	SIM_F_MALFORMED	= 1 << 7,	/* malformed frames, no answer */
	SIM_F_SILENT	= 1 << 8,	/* never answer */
	SIM_F_FORGE	= 1 << 9,	/* forged answers instead of its own */
};

/* Parse a fault name ("wrong-key", ...); 0 if unknown. */
unsigned int sim_fault_parse(const char *name);
/* Every fault name, comma separated, for usage messages. */
const char *sim_fault_names(void);

struct sim_dev {
	u8 id[AIOTSEC_ID_LEN];
	struct aiot_hkey hk;
	struct aiot_hkey *hk_wrong;	/* SIM_F_WRONG_KEY only */
	u8 policy;			/* from the key store (informative) */
	bool disabled;			/* by the application: answers nothing */
	unsigned int faults;		/* enum sim_fault */
	u8 mem[SIM_MEM_SIZE];
	u8 *last;			/* SIM_F_STALE: previous response */
	u16 last_len;
	struct aiotdev_replay replay;	/* NNs of COMMANDs acted on */
	/* Inventory (v1.1). */
	u8 group[AIOTSEC_GROUP_LEN];	/* public; all zero by default */
	bool absent;			/* provisioned, not here: hears nothing */
	struct aiotdev_replay inv_nn;	/* NNs of inventories answered */
};

struct sim_tx {
	u64 due_ms;
	u8 dst[6];
	u16 len;
	bool used;
	u8 buf[SIM_FRAME_MAX];
};

/* Counters: name and meaning (README.md lists them too). */
#define SIM_STATS(X)							\
	X(rx_frames)		/* frames of our EtherType received */	\
	X(rx_malformed)		/* dropped by the codec */		\
	X(rx_paging)							\
	X(rx_command)							\
	X(rx_inventory)							\
	X(rx_other)		/* responses: not for devices */	\
	X(checks)		/* PAGING/COMMAND checks, all devices */ \
	X(nontarget_checks)	/* ... by devices it was not for */	\
	X(targets)		/* ... that matched a device */		\
	X(cmd_rejected)		/* COMMAND for us, MAC wrong */		\
	X(cmd_replayed)		/* ... verified, NN acted on already */	\
	X(disabled_skips)	/* checks a disabled device did not do */ \
	X(inv_checks)		/* INVENTORYs seen, all present devices */ \
	X(inv_filter_miss)	/* ... outside the filter: no crypto */	\
	X(inv_nn_repeat)	/* ... NN answered already: no crypto */ \
	X(inv_crypto)		/* ... that did cryptography to answer */ \
	X(inv_answers)		/* INV_RESPs built */			\
	X(auth_answers)							\
	X(cmd_answers)							\
	X(app_read)							\
	X(app_write)							\
	X(app_disable)							\
	X(app_reverse)							\
	X(faults)		/* responses a fault mode changed */	\
	X(tx_frames)							\
	X(tx_errors)							\
	X(tx_queue_full)

struct sim_stats {
#define SIM_STAT_FIELD(n) u64 n;
	SIM_STATS(SIM_STAT_FIELD)
#undef SIM_STAT_FIELD
};

struct sim {
	struct sim_dev *dev;
	size_t ndev;
	u32 delay_ms;			/* SIM_F_LATE */
	/* Off: the replay defence (aiotsim --no-replay-defence), for tests. */
	bool no_replay_defence;
	u64 now_ms;			/* set by the caller before sim_rx() */
	/* Fresh DNs: getrandom() unless a test sets its own. */
	int (*random)(void *buf, size_t len);
	struct sim_tx *txq;
	unsigned int txq_used;
	struct sim_stats st;
	/* sim_par_start(): the checks are shared out among threads. */
	struct sim_par *par;
	pthread_mutex_t *answer_lock;	/* held while a target answers */
};

/* ---- population (sim_pop.c) ------------------------------------------- */

/* An empty simulator with a transmit queue; -1 on allocation failure. */
int sim_init(struct sim *s);
/* Add the devices of a key-store file (keystore.h); -1 with @err. */
int sim_load(struct sim *s, const char *path, char *err, size_t errlen);
/* The same from a buffer, as ks_parse() takes it. */
int sim_load_buf(struct sim *s, const char *name, const char *buf,
		 size_t len, char *err, size_t errlen);
/*
 * Set @faults on the device with ID @id (hex, as in the key store), or on
 * every device when @id is NULL. -1 with @err if there is no such device.
 */
int sim_set_fault(struct sim *s, unsigned int faults, const char *id,
		  char *err, size_t errlen);
struct sim_dev *sim_find(struct sim *s, const u8 id[AIOTSEC_ID_LEN]);

/* ---- groups and presence (sim_conf.c) ---------------------------------- */

/*
 * The devices' inventory groups: lines "ID GROUP" (ID hex as in the key
 * store, GROUP exactly 8 bytes of hex), '#' comments, blank lines. A
 * device not named keeps group zero. -1 with @err (file and line).
 */
int sim_groups_buf(struct sim *s, const char *name, const char *buf,
		   size_t len, char *err, size_t errlen);
int sim_groups_load(struct sim *s, const char *path, char *err,
		    size_t errlen);
/*
 * Which devices are present (README.md "Presence"): @spec "N/M" (of
 * every M devices in key-store order, N evenly spread are present) or a
 * file of IDs, one a line (those present). The others are absent: they
 * hear nothing. -1 with @err.
 */
int sim_present(struct sim *s, const char *spec, char *err, size_t errlen);
int sim_present_buf(struct sim *s, const char *name, const char *buf,
		    size_t len, char *err, size_t errlen);
int sim_present_ratio(struct sim *s, unsigned long n, unsigned long m);
/* How many devices are present. */
size_t sim_npresent(const struct sim *s);
/* Wipe every key and free everything. */
void sim_free(struct sim *s);
/* Parse 1-16 bytes of hex into a left-padded ID; -1 if not valid. */
int sim_parse_id(const char *hex, u8 id[AIOTSEC_ID_LEN]);

/* ---- frames (sim_core.c) ---------------------------------------------- */

/* One received frame payload from @src: check it with every device. */
void sim_rx(struct sim *s, const u8 src[6], const u8 *buf, size_t len);

/* A received frame, as the socket loop reads them in batches. */
struct sim_frame {
	u8 src[6];
	const u8 *buf;
	size_t len;
};

/*
 * @n frames at once, as sim_rx() each, in order; with threads
 * (sim_par_start) every device checks the whole batch in its share, so
 * the threads meet once per batch rather than once per frame.
 */
void sim_rx_batch(struct sim *s, const struct sim_frame *f, unsigned int n);

/*
 * Devices @lo to @hi - 1 check the PAGING or COMMAND @m (counted in @st);
 * a target answers. sim_rx() calls it for the whole population, or the
 * threads of sim_par.c each for their share.
 */
void sim_check(struct sim *s, struct sim_stats *st, size_t lo, size_t hi,
	       const u8 src[6], const struct aiot_msg *m);

/* Queue a frame for @dst at @due_ms; false (and counted) when full. */
bool sim_queue(struct sim *s, const u8 dst[6], const u8 *buf, size_t len,
	       u64 due_ms);

/*
 * Hand every queued frame due by @now_ms to @send (0: sent and dequeued;
 * -EAGAIN: keep it for a retry; other: dropped as a transmit error).
 * Returns the due time of the earliest frame left, or UINT64_MAX.
 */
u64 sim_flush(struct sim *s, u64 now_ms,
	      int (*send)(void *ctx, const u8 dst[6], const u8 *buf,
			  size_t len), void *ctx);

/* Print the counters as one line of NAME=VALUE pairs. */
void sim_print_stats(const struct sim *s, FILE *f);

/* ---- inventory (sim_inv.c) ------------------------------------------- */

/*
 * Device @d checks the INVENTORY @m: the filter first (a miss costs no
 * cryptography), then its NN memory (a repeat costs none either), then
 * it answers INV_RESP. Counted in @st (a thread's share) and s->st.
 */
void sim_check_inventory(struct sim *s, struct sim_stats *st,
			 struct sim_dev *d, const u8 src[6],
			 const struct aiot_msg *m);

/* ---- threads (sim_par.c) --------------------------------------------- */

/*
 * Share the checks of every batch of requests among @n threads (the
 * caller's one of them), each thread a fixed share of the devices; the
 * population must not change afterwards. -1 on failure.
 */
int sim_par_start(struct sim *s, unsigned int n);
/* Requests @m[0..n-1] from @src[i]: every share checks them all, in order. */
void sim_par_run(struct sim *s, const u8 *const *src,
		 const struct aiot_msg *m, unsigned int n);
void sim_par_stop(struct sim *s);

/* ---- the application (sim_app.c) -------------------------------------- */

/*
 * Act on the plain COMMAND payload @p of @plen bytes for device @d and
 * write the response payload to @out (room for AIOTSEC_PLEN_MAX). Returns
 * its length.
 */
u16 sim_app(struct sim *s, struct sim_dev *d, const u8 *p, u16 plen,
	    u8 *out);

/* ---- faults (sim_fault.c) --------------------------------------------- */

/* The weaker policy a SIM_F_DOWNGRADE device answers @policy with. */
u8 sim_downgrade(u8 policy, u8 type);

/*
 * Send the valid response @r (@len bytes) of device @d to @dst as its
 * fault modes say (sim_core.c); @nn is the request's NN.
 */
void sim_emit(struct sim *s, struct sim_dev *d, const u8 dst[6], u8 *r,
	      size_t len, const u8 *nn);
/* The ID and key a response of @d is built with: the wrong ones if faulty. */
void sim_resp_cred(struct sim_dev *d, struct aiot_cred *c,
		   u8 id[AIOTSEC_ID_LEN]);

/*
 * SIM_F_FORGE: queue forgeries of the valid response @r instead of it.
 * An INV_RESP: one with a random RID (unknown to the AIoTF) and one with
 * the device's true RID, as an eavesdropper learns it, and a random MAC;
 * any other response: a random MAC. Returns how many were queued.
 */
unsigned int sim_queue_forged(struct sim *s, const u8 dst[6], const u8 *r,
			      size_t len);

/*
 * Queue the malformed variants of the valid response @r (@len bytes) to
 * @dst; @nn is the request's NN. Returns how many were queued.
 */
unsigned int sim_queue_malformed(struct sim *s, const u8 dst[6],
				 const u8 *r, size_t len, const u8 *nn);

#endif /* _AIOT_SIM_H */
