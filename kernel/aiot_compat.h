/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The protocol core (codec.c, proto.c) is compiled both in the kernel and
 * in user space. This header gives it the few kernel names it uses.
 * Its functions are exported only to aiotsec_test.ko, in the KUnit
 * namespace, and only by a kernel with KUnit.
 */
#ifndef _AIOT_COMPAT_H
#define _AIOT_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/algapi.h>
#include <kunit/visibility.h>
#else
#include "compat_user.h"
#endif

#include "../uapi/linux/aiotsec.h"

#endif /* _AIOT_COMPAT_H */
