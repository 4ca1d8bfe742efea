// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Helpers shared by the host tests (see thelp.h). */
#include <stdio.h>
#include <stdlib.h>

#include "thelp.h"

const u8 th_type[PV_NMSG] = {
	AIOT_MSG_PAGING, AIOT_MSG_AUTH_RESP,
	AIOT_MSG_COMMAND, AIOT_MSG_CMD_RESP,
};

int th_load(int argc, char **argv, struct rsp_file *f, struct pvec **v,
	    size_t *n)
{
	char path[4096];

	if (argc < 2) {
		printf("Bail out! usage: %s VECTOR_DIR\n", argv[0]);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/profile-v1.rsp", argv[1]);
	if (pvec_load_file(path, f, v, n)) {
		printf("Bail out! %s\n", f->err);
		th_unload(f, *v);
		return -1;
	}
	return 0;
}

void th_unload(struct rsp_file *f, struct pvec *v)
{
	free(v);
	rsp_free(f);
}

u8 *th_dup(const void *p, size_t len)
{
	u8 *c = malloc(len ? len : 1);

	if (!c) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	if (len)
		memcpy(c, p, len);
	return c;
}

enum aiotsec_drop th_parse(const void *p, size_t len, struct aiot_msg *m,
			   u8 **copy)
{
	*copy = th_dup(p, len);
	return aiot_parse(*copy, len, m);
}

enum aiotsec_drop th_receive(int t, const struct pvec *v,
			     const struct aiot_cred *c, u8 min_auth,
			     u8 min_cmd, const struct aiot_msg *m,
			     u8 *payload)
{
	switch (t) {
	case PV_PAGING:
		return aiotdev_paging_match(c, m);
	case PV_AUTH_RESP:
		return aiotf_auth_resp(c, v->nn, pvec_auth_policy(v),
				       min_auth, m);
	case PV_COMMAND:
		return aiotdev_command_open(c, m, payload);
	default:
		return aiotf_cmd_resp(c, v->nn2, min_cmd, m, payload);
	}
}

void th_random(void *p, size_t len)
{
	static uint64_t s = 0x9e3779b97f4a7c15ull;
	u8 *b = p;

	while (len--) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		*b++ = (u8)(s >> 24);
	}
}
