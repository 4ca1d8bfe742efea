/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers of the end-to-end suite (aiotsec_e2e.c, which holds only the
 * tests): running programs in a network namespace, optionally without
 * capabilities (e2e_util.c), reading aiotctl's JSON (e2e_json.c), the test
 * topology with its simulated population (e2e_env.c), the module's
 * counters (e2e_stats.c), payloads, IDs and keys (e2e_data.c), and the
 * kernel log and kmemleak (e2e_kernel.c).
 */
#ifndef _AIOT_E2E_H
#define _AIOT_E2E_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- processes (e2e_util.c) -------------------------------------------- */

#define RUN_NOCAPS	0x1	/* drop every capability before exec */

struct run {
	int status;		/* exit status; 128 + signal; -1: not run */
	char *out;		/* standard output, NUL-terminated */
	char *err;		/* standard error, NUL-terminated */
};

/*
 * Run @argv (argv[0] a path) in network namespace @ns (a name under
 * /run/netns, or NULL for the current one), wait at most @timeout_s.
 * Output is captured into @r; free with run_free().
 */
int run_argv(struct run *r, const char *ns, int flags, int timeout_s,
	     char *const argv[]);
void run_free(struct run *r);

/* Start @argv in the background, output to @out_path; returns its pid. */
pid_t spawn_argv(const char *ns, int flags, const char *out_path,
		 char *const argv[]);
/* Wait for @pid at most @timeout_s (then kill it); its exit status. */
int wait_status(pid_t pid, int timeout_s);
/*
 * Wait at most @timeout_ms for @path to exist (a process's ready file),
 * looking every 20 ms; 0 once it does, -ETIMEDOUT if it does not. With
 * @pid > 0, -ECHILD as soon as @pid has exited (it is reaped).
 */
int wait_file(const char *path, pid_t pid, unsigned int timeout_ms);

/* Run a shell-free command: "ip", "link", ... NULL. 0 on exit status 0. */
int sys(const char *prog, ...) __attribute__((sentinel));

/* The whole of a file, NUL-terminated (free it), or NULL. */
char *slurp(const char *path, size_t *len);

/* Milliseconds of CLOCK_MONOTONIC; sleep @ms. */
uint64_t now_ms(void);
void sleep_ms(unsigned int ms);

/*
 * Keep @max processes running in NS_READER until @n have run: @make
 * fills the argv and output path of process i, @check judges its exit
 * status and output. Returns how many @check rejected (-1: no memory).
 */
int run_pool(unsigned int n, unsigned int max,
	     void (*make)(unsigned int i, char **argv, char *out),
	     bool (*check)(unsigned int i, int status, const char *out));

/* SIGKILL the @n processes of @pids (those > 0) and reap them. */
void stop_all(pid_t *pids, unsigned int n);

/* ---- JSON (e2e_json.c) ------------------------------------------------- */

/*
 * The number at @path ("a.b.c") in the JSON text @js. Keys compare with
 * '-' and '_' alike and case-insensitively; @path matches any key path
 * that ends with it (so "drops.mac" finds {"stats":{"drops":{"mac":..}}}).
 * Returns false if there is no such number.
 */
bool json_u64(const char *js, const char *path, uint64_t *v);

/* How many times a string member named @key occurs anywhere in @js. */
size_t json_count_key(const char *js, const char *key);

/* ---- the topology (e2e_env.c) ------------------------------------------ */

#define NS_READER	"aiot-rd"	/* the module side */
#define NS_DEVICES	"aiot-dev"	/* the simulator */
#define IF_READER	"rd0"
#define IF_DEVICES	"sim0"

#define NPOL		24		/* valid COMMAND policies */
#define NBULK		1000		/* devices for the scale tests */

/* Device groups of the key store, by the second byte of their IDs. */
enum dev_group {
	G_POLICY = 1,	/* one per policy, index = policy number */
	G_FAULT,	/* one per fault mode, index = enum fault_dev */
	G_BULK,		/* NBULK devices, mixed policies */
	G_SPARE,	/* provisioned in the module only: never answers */
	G_APP,		/* application tests */
};

enum fault_dev {
	FD_WRONG_KEY, FD_BAD_MAC, FD_WRONG_ID, FD_REPLAY, FD_STALE, FD_LATE,
	FD_DOWNGRADE, FD_MALFORMED, FD_SILENT, FD_NUM
};

#define SIM_LATE_MS	1500	/* aiotsim --delay-ms */
#define NSPARE		8
#define NAPP		4

struct e2e_dev {
	uint8_t id[16];
	uint8_t key[32];
	uint8_t key_len;
	uint8_t policy;
};

struct e2e_env {
	const char *aiotctl;
	const char *aiotsim;
	char aiotecho[300];	/* beside aiotsim (make bench's round trip) */
	char dir[128];		/* scratch directory */
	char keys[300];		/* the key store both sides load */
	char sim_stats[300];
	pid_t sim_pid;
	uint8_t policies[NPOL];
	struct e2e_dev *devs;	/* every device of the key store */
	size_t ndevs;
};

extern struct e2e_env env;

/* Build the topology, the key store, start aiotsim, provision. */
int env_setup(const char *aiotctl, const char *aiotsim);
void env_teardown(void);

/* A device of a group; its ID as hex (33 bytes). */
const struct e2e_dev *env_dev(enum dev_group g, unsigned int index);
void env_id_hex(const struct e2e_dev *d, char *hex);
void hex_of(const uint8_t *p, size_t n, char *out);

/*
 * aiotctl in @ns: NULL-terminated arguments after the program name.
 * env.aiotctl is argv[0]. Timeout 120 s.
 */
int ctl(struct run *r, const char *ns, int flags, ...) __attribute__((sentinel));

/* A counter of `aiotctl -j stats` in @ns (path as json_u64); -1 if none. */
int64_t stat_of(const char *ns, const char *path);

/* The simulator's counter @name (it writes them on SIGUSR1); -1 if none. */
int64_t sim_stat(const char *name);

/* The same of another aiotsim (@pid) writing its counters to @stats. */
int64_t sim_stat_of(pid_t pid, const char *stats, const char *name);

/*
 * A second aiotsim on IF_DEVICES with the devices of @keys (unknown to
 * the first, which only checks their requests), option @extra (or NULL),
 * counters to @stats; its pid once ready, or -1. The caller stops it
 * (the harness runs each test in a child of its own).
 */
pid_t env_extra_sim(const char *keys, const char *stats, const char *extra);

/* Kernel log as text (free it). */
char *kernel_log(void);

/*
 * Start @n `aiotctl auth` of devices of @g (which never answer) in @ns
 * that stay pending; 0 once all were sent, -1 if not within 30 s.
 */
int start_pending(const char *ns, unsigned int n, pid_t *pids,
		  enum dev_group g);

/* ---- inventory (e2e_inv.c) ------------------------------------------- */

#define NS_INV		"aiot-iv"	/* the module side of inventory */
#define NS_INVD		"aiot-ivd"	/* its aiotsim */
#define IF_INV		"iv0"
#define IF_INVD		"iv1"
#define NINV		10000		/* provisioned */
#define NINV_PRESENT	1000		/* present, at random, in the a-groups */
#define INV_NSMALL	16		/* the default MIN_GROUP */
#define INV_FAULT0	(NINV - 2 * INV_NSMALL)	/* group c0: fault devices */
#define INV_ABSENT0	(NINV - INV_NSMALL)	/* group b0: nobody here */
#define INV_POLICY	0x4a		/* tid, pi, 16-byte MAC */

struct inv_dev {
	uint8_t id[16];
	uint8_t key[32];
	uint8_t key_len;
	uint8_t group[8];
	bool present;			/* in the main inventory aiotsim */
};

struct inv_env {
	struct inv_dev *devs;		/* NINV */
	char keys[300], groups[300], present[300], stats[300];
	pid_t sim_pid;
};

extern struct inv_env inv;

/* The inventory namespaces, NINV devices provisioned with groups, aiotsim. */
int inv_setup(void);
void inv_teardown(void);
/* The group of device @i (e2e_inv.c's head says which). */
void inv_group_of(size_t i, uint8_t g[8]);
/* Key store and groups files of devices @lo..@hi-1. */
int inv_write_files(const char *keys, const char *groups, size_t lo,
		    size_t hi);
/*
 * An aiotsim on IF_INVD with these files, counters to @stats, log
 * DIR/@name.log, @extra more arguments (NULL-terminated, or NULL); its pid
 * once ready, or -1.
 */
pid_t inv_start_sim(const char *keys, const char *groups, const char *present,
		    const char *stats, const char *name, char *const *extra);
/* A counter of the inventory aiotsim, or -1. */
int64_t inv_sim_stat(const char *name);
/* Does device @i's group match the filter? (The test's own prefix match.) */
bool inv_matches(size_t i, uint8_t fbits, const uint8_t *filter);
/* How many provisioned devices match. */
unsigned int inv_candidates(uint8_t fbits, const uint8_t *filter);

/* One `aiotctl -j inventory` round, as read from its output. */
struct inv_result {
	int status;			/* aiotctl's exit status */
	uint64_t ms;			/* its wall time */
	unsigned int *found;		/* per device index: lines naming it */
	unsigned int lines;		/* found lines */
	unsigned int strangers;		/* found lines of no device of ours */
	bool done;			/* the summary came */
	uint64_t candidates, nfound, unknown_rids, failed_macs, replays;
	char end[16];
	char err[512];			/* aiotctl's standard error */
};

/*
 * Run a round on IF_INV: filter @filter ("HEX/BITS", or NULL), window
 * @window ms, stop @stop (0: none), mac @mac (NULL: aiotctl's default).
 */
int inv_run(struct inv_result *res, const char *filter, unsigned int window,
	    unsigned int stop, const char *mac);
void inv_result_free(struct inv_result *res);
/*
 * Devices found other than once each present (@present, or the main
 * aiotsim's) device that matches, plus strangers; *@want: how many should
 * have been found.
 */
unsigned int inv_check_found(const struct inv_result *res, uint8_t fbits,
			     const uint8_t *filter, const bool *present,
			     unsigned int *want);

/* ---- the wire (e2e_wire.c) ------------------------------------------- */

struct wire {
	int fd;
	int ifindex;
};

/* Record frames of EtherType 0x88B5 on @ifname in namespace @ns. */
int wire_open(struct wire *w, const char *ns, const char *ifname);
void wire_close(struct wire *w);
/*
 * The next recorded frame of message type @type (either direction),
 * within @ms; its length, or -1.
 */
ssize_t wire_take(struct wire *w, uint8_t type, uint8_t *buf, size_t size,
		  unsigned int ms);
/* Send @buf again from the interface, to the broadcast address. */
int wire_send(struct wire *w, const uint8_t *buf, size_t len);

/* ---- counters (e2e_stats.c) -------------------------------------------- */

/* The counters of `aiotctl -j stats`, by their JSON paths (json_u64). */
enum {
	S_TX, S_RX, S_AUTH_OK, S_AUTH_FAIL, S_CMD_OK, S_CMD_FAIL, S_TIMEOUTS,
	S_EVENTS_LOST, S_SHORT, S_VERSION, S_SUITE, S_TYPE, S_POLICY, S_PLEN,
	S_CAPLEN, S_TRAILING, S_UNKNOWN_CT, S_MAC, S_ID, S_DOWNGRADE,
	S_NOT_RESPONSE, S_NUM
};

struct snap {
	int64_t v[S_NUM];
};

extern const char *const stat_names[S_NUM];

/* Every counter of `aiotctl -j stats` in @ns; false if one is missing. */
bool snap(const char *ns, struct snap *s);
/* How counter @i changed from @a to @b. */
int64_t delta(const struct snap *a, const struct snap *b, int i);
/*
 * Checks that every counter not in @allowed (@n of them; tx_frames and
 * rx_frames always are) stayed as it was; names those that did not.
 */
bool only_changed(const struct snap *a, const struct snap *b,
		  const int *allowed, int n);
/* Polls the counters until @idx has grown by @want (or @ms pass). */
bool wait_counter(const char *ns, const struct snap *base, int idx,
		  int64_t want, unsigned int ms, struct snap *now);
/* A config value of `aiotctl -j config show` in @ns, or -1. */
int64_t config_of(const char *ns, const char *name);

/* ---- data (e2e_data.c) ------------------------------------------------- */

/* @s in lower case, in place; returns @s. */
char *lower(char *s);
/* @n bytes of a test pattern that depends on @salt. */
void pattern(uint8_t *p, size_t n, unsigned int salt);
/* @n bytes of @p in reverse order, as hex (the device's echo). */
void reversed_hex(const uint8_t *p, size_t n, char *out);
/* A policy byte as aiotctl's numeric policy argument ("0x%02x"). */
void pol_arg(uint8_t p, char *buf);
/* The ID of device @i of group @g, as hex, in @buf (33 bytes); @buf. */
const char *id_of(enum dev_group g, unsigned int i, char *buf);
/* @hay is not NULL and contains @needle. */
bool contains(const char *hay, const char *needle);
/* A key file (mode 0600) with the key 00..0f. */
void write_key_file(const char *path);
/*
 * Does @text hold any key of env.devs in hex, either case (any 16-byte
 * half)? Names @what on stderr if it does.
 */
bool leaks_key(const char *text, const char *what);

/* ---- the kernel (e2e_kernel.c) ----------------------------------------- */

/* This kernel has kmemleak (debugfs file writable). */
bool kmemleak_present(void);
/* A kmemleak scan (twice: young objects are not reported); its report. */
char *kmemleak_scan(void);
/* No line of trouble (WARNING, BUG, KASAN, ...) in the kernel log past @from. */
bool log_clean(size_t from);
/* Length of the kernel log now, for log_clean(). */
size_t log_len(void);

/*
 * A bare generic netlink requester in namespace @ns (e2e_batch.c):
 * SO_RCVBUF @rcvbuf (0: the default), bound to @portid (0: any).
 * nlc_auth() sends AUTH with AIOTSEC_A_DEV_IDS (hex IDs of 32 digits);
 * nlc_poll() reads for up to @ms and sorts what came: the replies'
 * cookies, results for them (got[]), results for no cookie of a reply
 * seen yet (foreign: another's, or one before its reply).
 */
#define NLC_MAX		256
#define NLC_REQ_MAX	16

struct nlc {
	int fd;
	uint32_t portid;
	uint16_t family;
	uint32_t seq;
	uint32_t req_seq[NLC_REQ_MAX];
	unsigned int by_seq[NLC_REQ_MAX];	/* results carrying that seq */
	unsigned int nreq;
	uint64_t cookie[NLC_MAX];
	unsigned int got[NLC_MAX];
	unsigned int ncookies;
	unsigned int replies, events, foreign, auth_ok, timeouts;
	unsigned int tx_errors, errors, enobufs;
};

int nlc_open(struct nlc *c, const char *ns, int rcvbuf, uint32_t portid);
void nlc_close(struct nlc *c);
int nlc_auth(struct nlc *c, const char (*ids)[33], unsigned int n,
	     uint32_t timeout_ms);
/* The same with COMMAND, @payload of @plen bytes to each of @ids. */
int nlc_command(struct nlc *c, const char (*ids)[33], unsigned int n,
		uint32_t timeout_ms, const void *payload, uint16_t plen);
int nlc_poll(struct nlc *c, int ms);
/* Cookies with a result; with more than one. */
unsigned int nlc_done(const struct nlc *c);
unsigned int nlc_twice(const struct nlc *c);
/* Poll until @want cookies have their result, or @ms pass. */
void nlc_wait(struct nlc *c, unsigned int want, int ms);

#endif /* _AIOT_E2E_H */
