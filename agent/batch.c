// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The socket-free parts of aiotctl's batch auth/command (batch.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "batch.h"
#include "lib/hex.h"

int idlist_add(struct idlist *l, const char *s, size_t len, char *err,
	       size_t errlen)
{
	uint8_t (*nid)[AIOTSEC_ID_LEN];
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 64;
		nid = realloc(l->id, cap * sizeof(*nid));
		if (!nid) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		l->id = nid;
		l->cap = cap;
	}
	if (hex_parse_id(s, len, l->id[l->n], err, errlen))
		return -1;
	l->n++;
	return 0;
}

int idlist_read(struct idlist *l, FILE *f, char *err, size_t errlen)
{
	char why[BATCH_ERR_MAX], *line = NULL, *p;
	unsigned long no = 0;
	size_t cap = 0, len;
	ssize_t n;
	int ret = -1;

	while ((n = getline(&line, &cap, f)) >= 0) {
		no++;
		len = (size_t)n;
		if (memchr(line, '\0', len)) {
			snprintf(err, errlen, "line %lu: a NUL byte", no);
			goto out;
		}
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		p = line;
		while (isspace((unsigned char)*p))
			p++;
		len = strlen(p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (!len)
			continue;
		if (idlist_add(l, p, len, why, sizeof(why))) {
			snprintf(err, errlen, "line %lu: %s", no, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error");
		goto out;
	}
	ret = 0;
out:
	free(line);
	return ret;
}

void idlist_free(struct idlist *l)
{
	free(l->id);
	memset(l, 0, sizeof(*l));
}

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

int batch_entry_at(uint32_t off, size_t n)
{
	const uint32_t first = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN;
	const uint32_t step = NLA_ALIGN(NLA_HDRLEN + AIOTSEC_ID_LEN);

	if (off < first || (off - first) % step || (off - first) / step >= n)
		return -1;
	return (int)((off - first) / step);
}
