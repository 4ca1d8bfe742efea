/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The simulator's socket and event loop (sim_io.c). */
#ifndef _AIOT_SIM_IO_H
#define _AIOT_SIM_IO_H

#include "sim.h"

struct sim_io {
	int fd;
	int ifindex;
	u64 max_answers;	/* stop after this many answers; 0: never */
};

u64 sim_now_ms(void);

/* Open and bind the socket on @ifname; -1 with @err. */
int sim_io_open(struct sim_io *io, const char *ifname, char *err,
		size_t errlen);
void sim_io_close(struct sim_io *io);

/*
 * Serve until SIGTERM or SIGINT (or io->max_answers answers), calling
 * @usr1 on each SIGUSR1. Returns 0, or -1 on a fatal socket error.
 */
int sim_io_run(struct sim *s, struct sim_io *io,
	       void (*usr1)(struct sim *s, void *ctx), void *ctx);

#endif /* _AIOT_SIM_IO_H */
