/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Output shared by several commands: IDs, device tables, reader names. */
#ifndef _AIOTCTL_SHOW_H
#define _AIOTCTL_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "dev.h"

/* The 32 hex digits of an ID, in a static buffer (one call at a time). */
const char *show_id(const uint8_t *id);

/*
 * device show's first column header: IDs are the module's 16 bytes, an ID
 * written shorter left-padded with zero bytes (at most 32 columns).
 */
#define SHOW_ID_HEADER "ID (16 BYTES, ZERO-PADDED)"

/* A device table with the devices' counters (or a JSON array with -j). */
void show_devices(const struct dev_info *v, size_t n);

/* Interface name of @ifindex, or its number, into @buf (IF_NAMESIZE+). */
const char *show_ifname(uint32_t ifindex, char *buf);

#endif /* _AIOTCTL_SHOW_H */
