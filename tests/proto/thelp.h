/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Helpers shared by the host tests: vectors, exact-size buffers. */
#ifndef _AIOT_THELP_H
#define _AIOT_THELP_H

#include "tap.h"
#include "vec.h"

/* The message type of each vector message. */
extern const u8 th_type[PV_NMSG];

/*
 * The records of DIR/profile-v1.rsp, DIR being argv[1]. Prints "Bail out!"
 * and returns -1 if they cannot be read. Release with th_unload().
 */
int th_load(int argc, char **argv, struct rsp_file *f, struct pvec **v,
	    size_t *n);
void th_unload(struct rsp_file *f, struct pvec *v);

/* A heap copy of exactly @len bytes (a sanitizer sees reads past it). */
u8 *th_dup(const void *p, size_t len);

/*
 * Parse @len bytes at @p from such a copy, left in *copy for the pointers
 * of @m to stay valid: free it after use.
 */
enum aiotsec_drop th_parse(const void *p, size_t len, struct aiot_msg *m,
			   u8 **copy);

/* The receiving role's verdict on the parsed vector message @m of type @t. */
enum aiotsec_drop th_receive(int t, const struct pvec *v,
			     const struct aiot_cred *c, u8 min_auth,
			     u8 min_cmd, const struct aiot_msg *m,
			     u8 *payload);

/* Deterministic pseudo-random bytes (xorshift), for reproducible tests. */
void th_random(void *p, size_t len);

#endif /* _AIOT_THELP_H */
