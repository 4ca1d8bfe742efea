// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Lists of device IDs and their packing into one message (idlist.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "hex.h"
#include "idlist.h"

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

int batch_entry_at(uint32_t off, size_t n)
{
	const uint32_t first = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN;
	const uint32_t step = NLA_ALIGN(NLA_HDRLEN + AIOTSEC_ID_LEN);

	if (off < first || (off - first) % step || (off - first) / step >= n)
		return -1;
	return (int)((off - first) / step);
}
