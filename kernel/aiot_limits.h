/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This module's limits: the most each setting of AIOTSEC_CMD_SET_CONFIG
 * accepts, the most IDs in one AIOTSEC_A_DEV_IDS and the AIOTSEC_F_* flags
 * it knows. Not uapi: another version of the module may change them. User
 * space reads them at run time in AIOTSEC_A_LIMITS of
 * AIOTSEC_CMD_GET_CONFIG (the config ranges and the flag mask are in the
 * policy dump too). The defaults, where raising a limit needs the initial
 * namespace, stay in the uapi header: they are part of that rule.
 */
#ifndef _AIOT_LIMITS_H
#define _AIOT_LIMITS_H

#define AIOT_TIMEOUT_MAX_MS	600000
#define AIOT_MAX_PENDING_LIMIT	0x100000
#define AIOT_MAX_DEVICES_LIMIT	0x4000000
#define AIOT_MAX_REJECTS_LIMIT	256
#define AIOT_MIN_GROUP_LIMIT	AIOT_MAX_DEVICES_LIMIT
#define AIOT_MAX_ROUNDS_LIMIT	64
#define AIOT_BATCH_MAX		1024	/* IDs in one AIOTSEC_A_DEV_IDS */
#define AIOT_F_ALL		AIOTSEC_F_REPLACE

#endif /* _AIOT_LIMITS_H */
