// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the key store does not say about the population: each device's
 * public inventory group (--groups FILE) and which devices are present
 * (--present N/M or FILE). Both files are line based: '#' starts a
 * comment, blank lines are ignored, every error names the file and line.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim.h"

#define LINE_MAX_LEN	256

/* The whole of @path in a malloc'ed buffer; NULL with @err. */
static char *read_all(const char *path, size_t *len, char *err,
		      size_t errlen)
{
	char *buf = NULL, *p;
	size_t cap = 0, n = 0, got;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap);
			if (!p) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Split line @line (NUL-terminated, comment cut) into at most 3 words. */
static unsigned int words(char *line, char **w)
{
	unsigned int n = 0;
	char *p = line;

	while (n < 3) {
		p += strspn(p, " \t\r");
		if (!*p)
			break;
		w[n++] = p;
		p += strcspn(p, " \t\r");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/*
 * Call @fn for every line of @buf that has words (at most 3, in @w);
 * stops at the first error (@fn returns -1 with @err filled).
 */
static int each_line(const char *name, const char *buf, size_t len,
		     int (*fn)(struct sim *s, char **w, unsigned int n,
			       char *err, size_t errlen),
		     struct sim *s, char *err, size_t errlen)
{
	char line[LINE_MAX_LEN], why[200], *w[3];
	size_t i = 0, l;
	unsigned int lineno = 0, n;

	while (i < len) {
		lineno++;
		l = 0;
		while (i < len && buf[i] != '\n') {
			if (l + 1 >= sizeof(line)) {
				snprintf(err, errlen, "%s:%u: line too long",
					 name, lineno);
				return -1;
			}
			line[l++] = buf[i++];
		}
		i++;
		line[l] = '\0';
		line[strcspn(line, "#")] = '\0';
		n = words(line, w);
		if (!n)
			continue;
		if (fn(s, w, n, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
			return -1;
		}
	}
	return 0;
}

static struct sim_dev *dev_of(struct sim *s, const char *hex, char *err,
			      size_t errlen)
{
	u8 id[AIOTSEC_ID_LEN];
	struct sim_dev *d;

	if (sim_parse_id(hex, id)) {
		snprintf(err, errlen, "%.40s: not a device ID (1-16 bytes of hex)",
			 hex);
		return NULL;
	}
	d = sim_find(s, id);
	if (!d)
		snprintf(err, errlen, "%.40s: no such device in the key store",
			 hex);
	return d;
}

static int hexbyte(const char *p)
{
	int v = 0, i, c;

	for (i = 0; i < 2; i++) {
		c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static int group_line(struct sim *s, char **w, unsigned int n, char *err,
		      size_t errlen)
{
	u8 g[AIOTSEC_GROUP_LEN];
	struct sim_dev *d;
	unsigned int i;
	int b;

	if (n != 2) {
		snprintf(err, errlen, "want ID GROUP");
		return -1;
	}
	if (strlen(w[1]) != 2 * AIOTSEC_GROUP_LEN) {
		snprintf(err, errlen, "GROUP is exactly %d bytes of hex",
			 AIOTSEC_GROUP_LEN);
		return -1;
	}
	for (i = 0; i < AIOTSEC_GROUP_LEN; i++) {
		b = hexbyte(w[1] + 2 * i);
		if (b < 0) {
			snprintf(err, errlen, "GROUP is not hex");
			return -1;
		}
		g[i] = (u8)b;
	}
	d = dev_of(s, w[0], err, errlen);
	if (!d)
		return -1;
	memcpy(d->group, g, sizeof(g));
	return 0;
}

int sim_groups_buf(struct sim *s, const char *name, const char *buf,
		   size_t len, char *err, size_t errlen)
{
	return each_line(name, buf, len, group_line, s, err, errlen);
}

int sim_groups_load(struct sim *s, const char *path, char *err,
		    size_t errlen)
{
	size_t len;
	char *buf = read_all(path, &len, err, errlen);
	int ret;

	if (!buf)
		return -1;
	ret = sim_groups_buf(s, path, buf, len, err, errlen);
	free(buf);
	return ret;
}

static int present_line(struct sim *s, char **w, unsigned int n, char *err,
			size_t errlen)
{
	struct sim_dev *d;

	if (n != 1) {
		snprintf(err, errlen, "want one device ID a line");
		return -1;
	}
	d = dev_of(s, w[0], err, errlen);
	if (!d)
		return -1;
	d->absent = false;
	return 0;
}

int sim_present_buf(struct sim *s, const char *name, const char *buf,
		    size_t len, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < s->ndev; i++)
		s->dev[i].absent = true;
	if (!each_line(name, buf, len, present_line, s, err, errlen))
		return 0;
	for (i = 0; i < s->ndev; i++)
		s->dev[i].absent = false;
	return -1;
}

int sim_present_ratio(struct sim *s, unsigned long n, unsigned long m)
{
	size_t i;

	if (!m || n > m || m > UINT32_MAX)
		return -1;
	/* Device i is present when floor((i + 1) n / m) > floor(i n / m). */
	for (i = 0; i < s->ndev; i++)
		s->dev[i].absent = (unsigned long long)(i + 1) * n / m ==
				   (unsigned long long)i * n / m;
	return 0;
}

/* "N/M", both decimal; false if @spec is not one. */
static bool parse_ratio(const char *spec, unsigned long *n, unsigned long *m)
{
	char *end;

	if (*spec < '0' || *spec > '9')
		return false;
	*n = strtoul(spec, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return false;
	*m = strtoul(end + 1, &end, 10);
	return !*end;
}

int sim_present(struct sim *s, const char *spec, char *err, size_t errlen)
{
	unsigned long n, m;
	size_t len;
	char *buf;
	int ret;

	if (parse_ratio(spec, &n, &m)) {
		if (sim_present_ratio(s, n, m)) {
			snprintf(err, errlen, "--present %s: want N/M with 0 <= N <= M, M > 0",
				 spec);
			return -1;
		}
		return 0;
	}
	buf = read_all(spec, &len, err, errlen);
	if (!buf)
		return -1;
	ret = sim_present_buf(s, spec, buf, len, err, errlen);
	free(buf);
	return ret;
}

size_t sim_npresent(const struct sim *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->ndev; i++)
		n += !s->dev[i].absent;
	return n;
}
