// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The adaptive window of outstanding transactions (window.h). */
#include <string.h>

#include "window.h"

void window_init(struct window *w, uint32_t max, bool fixed)
{
	memset(w, 0, sizeof(*w));
	w->max = max ? max : 1;
	w->fixed = fixed;
	w->cur = fixed || w->max < WINDOW_START ? w->max : WINDOW_START;
	w->ssthresh = w->max;
}

uint64_t window_sent(struct window *w)
{
	return w->sent++;
}

void window_result(struct window *w)
{
	if (w->fixed || w->cur >= w->max)
		return;
	if (w->cur < w->ssthresh) {
		w->cur++;		/* slow start: doubles per round */
		return;
	}
	if (++w->credit >= w->cur) {	/* congestion avoidance: +1 per round */
		w->credit = 0;
		w->cur++;
	}
}

void window_timeout(struct window *w, uint64_t seq)
{
	if (w->fixed)
		return;
	if (w->halved_at && seq < w->halved_at)
		return;			/* of the round already halved for */
	w->cur = w->cur > 1 ? w->cur / 2 : 1;
	w->ssthresh = w->cur;
	w->credit = 0;
	w->halved_at = w->sent ? w->sent : 1;
}
