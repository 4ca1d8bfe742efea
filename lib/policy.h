/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A readable syntax for the profile's security policy byte.
 *
 *   POLICY := TOKEN[,TOKEN]...  |  0xHH
 *   TOKEN  := enc | tid          ID protection: encrypted ID, temporary ID
 *           | pc                 payload confidentiality
 *           | pi | mi            payload or whole-message integrity
 *           | mac=4 | mac=8 | mac=16
 *
 * Defaults: mac=4. For a request policy (POLICY_REQUEST) exactly one of
 * enc/tid and exactly one of pi/mi are required, as the profile says of a
 * COMMAND. A minimum policy (POLICY_MINIMUM) may leave both out: it ranks
 * only pc, mi and mac. Every violation is reported in words.
 */
#ifndef _AIOT_POLICY_H
#define _AIOT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"

enum policy_kind {
	POLICY_REQUEST,		/* a COMMAND policy (PAGING uses its IDP, ML) */
	POLICY_MINIMUM,		/* a device's weakest acceptable response */
};

/*
 * Parse @s into *@out; on error return -1 with a message in @err that
 * does not name the field (the caller prefixes it, e.g. "MIN: ").
 */
int policy_parse(const char *s, enum policy_kind kind, uint8_t *out,
		 char *err, size_t errlen);

/*
 * Format @p in the syntax above (e.g. "tid,pc,mi,mac=8") into @buf; a
 * byte the tokens cannot express (reserved bit, ML 3, enc and tid, pi and
 * mi) as "0xHH". policy_parse() of the result gives @p back whenever @p
 * is valid for the kind. POLICY_BUF_LEN is always enough room.
 */
#define POLICY_BUF_LEN	24
void policy_format(uint8_t p, char *buf, size_t len);

/*
 * Is @p valid as a policy of @kind? The codec's rule for a COMMAND
 * (aiot_policy_check()) or for a minimum (aiot_min_policy_valid()). The
 * MAC lengths and the minimum rule are the codec's too: aiot_mac_len(),
 * aiot_policy_meets().
 */
bool policy_valid(uint8_t p, enum policy_kind kind);

#endif /* _AIOT_POLICY_H */
