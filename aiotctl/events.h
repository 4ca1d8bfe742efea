/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* aiotctl's lines for result and timeout events (monitor, auth, command). */
#ifndef _AIOTCTL_EVENTS_H
#define _AIOTCTL_EVENTS_H

#include "event.h"

/*
 * One line: plain, or one JSON object with -j (@type: PRINT_ANY, or
 * PRINT_JSON for an event that only JSON shows).
 */
void event_print(const struct event *ev, int type);

#endif /* _AIOTCTL_EVENTS_H */
