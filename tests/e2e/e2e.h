/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers of the end-to-end suite (aiotsec_e2e.c): running programs in a
 * network namespace (optionally without capabilities), reading aiotctl's
 * JSON, and the test topology with its simulated population (e2e_env.c).
 */
#ifndef _AIOT_E2E_H
#define _AIOT_E2E_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* Run a shell-free command: "ip", "link", ... NULL. 0 on exit status 0. */
int sys(const char *prog, ...) __attribute__((sentinel));

/* The whole of a file, NUL-terminated (free it), or NULL. */
char *slurp(const char *path, size_t *len);

/* Milliseconds of CLOCK_MONOTONIC; sleep @ms. */
uint64_t now_ms(void);
void sleep_ms(unsigned int ms);

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

/* Kernel log as text (free it). */
char *kernel_log(void);

#endif /* _AIOT_E2E_H */
