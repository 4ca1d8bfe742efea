// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The simulated population: devices from a key-store file, their fault
 * modes, their memory. Keys are prepared once and wiped on exit.
 */
#include <stdlib.h>
#include <sys/random.h>

#include "keystore.h"
#include "sim.h"

static int sim_getrandom(void *buf, size_t len)
{
	u8 *p = buf;
	ssize_t n;

	while (len) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sim_init(struct sim *s)
{
	memset(s, 0, sizeof(*s));
	s->delay_ms = SIM_DELAY_MS;
	s->random = sim_getrandom;
	s->txq = calloc(SIM_TXQ_LEN, sizeof(*s->txq));
	return s->txq ? 0 : -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sim_parse_id(const char *hex, u8 id[AIOTSEC_ID_LEN])
{
	size_t n = strlen(hex), i, off;
	int hi, lo;

	if (!n || n % 2 || n > 2 * AIOTSEC_ID_LEN)
		return -1;
	off = AIOTSEC_ID_LEN - n / 2;
	memset(id, 0, AIOTSEC_ID_LEN);
	for (i = 0; i < n / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		id[off + i] = (u8)(hi << 4 | lo);
	}
	return 0;
}

static int add_store(struct sim *s, struct keystore *ks, char *err,
		     size_t errlen)
{
	size_t i, j, base = s->ndev;
	struct sim_dev *d;

	if (!ks->n)
		return 0;
	d = realloc(s->dev, (s->ndev + ks->n) * sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory for %zu devices", ks->n);
		return -1;
	}
	s->dev = d;
	for (i = 0; i < ks->n; i++) {
		d = &s->dev[s->ndev];
		memset(d, 0, sizeof(*d));
		memcpy(d->id, ks->e[i].id, AIOTSEC_ID_LEN);
		/* ks_parse() rejects duplicates within one store. */
		for (j = 0; j < base; j++) {
			if (!memcmp(s->dev[j].id, d->id, AIOTSEC_ID_LEN)) {
				snprintf(err, errlen,
					 "line %u: device ID already loaded",
					 ks->e[i].line);
				return -1;
			}
		}
		/* Keyed once: every check copies the prepared context. */
		if (aiot_hkey_init(&d->hk, ks->e[i].key, ks->e[i].key_len) ||
		    aiot_hkey_prepare(&d->hk)) {
			snprintf(err, errlen, "line %u: key not usable",
				 ks->e[i].line);
			return -1;
		}
		d->policy = ks->e[i].policy;
		memcpy(d->group, ks->e[i].group, AIOTSEC_GROUP_LEN);
		s->ndev++;
	}
	return 0;
}

int sim_load_buf(struct sim *s, const char *name, const char *buf,
		 size_t len, char *err, size_t errlen)
{
	struct keystore ks = { 0 };
	int ret;

	if (ks_parse(&ks, name, buf, len, err, errlen))
		return -1;
	ret = add_store(s, &ks, err, errlen);
	ks_free(&ks);
	return ret;
}

int sim_load(struct sim *s, const char *path, char *err, size_t errlen)
{
	struct keystore ks = { 0 };
	int ret;

	if (ks_load(&ks, path, NULL, err, errlen))
		return -1;
	ret = add_store(s, &ks, err, errlen);
	ks_free(&ks);
	return ret;
}

struct sim_dev *sim_find(struct sim *s, const u8 id[AIOTSEC_ID_LEN])
{
	size_t i;

	for (i = 0; i < s->ndev; i++)
		if (!memcmp(s->dev[i].id, id, AIOTSEC_ID_LEN))
			return &s->dev[i];
	return NULL;
}

/* The wrong key of SIM_F_WRONG_KEY: the device's own with every bit flipped. */
static int prepare_fault(struct sim_dev *d, unsigned int faults)
{
	u8 key[sizeof(d->hk.key)];
	size_t i;
	int ret;

	d->faults |= faults;
	if ((d->faults & SIM_F_WRONG_KEY) && !d->hk_wrong) {
		d->hk_wrong = calloc(1, sizeof(*d->hk_wrong));
		if (!d->hk_wrong)
			return -1;
		for (i = 0; i < d->hk.keylen; i++)
			key[i] = (u8)~d->hk.key[i];
		ret = aiot_hkey_init(d->hk_wrong, key, d->hk.keylen);
		if (!ret)
			ret = aiot_hkey_prepare(d->hk_wrong);
		memzero_explicit(key, sizeof(key));
		if (ret)
			return -1;
	}
	if ((d->faults & SIM_F_STALE) && !d->last) {
		d->last = malloc(SIM_FRAME_MAX);
		if (!d->last)
			return -1;
	}
	return 0;
}

int sim_set_fault(struct sim *s, unsigned int faults, const char *id,
		  char *err, size_t errlen)
{
	u8 bin[AIOTSEC_ID_LEN];
	struct sim_dev *d;
	size_t i;

	if (!id) {
		for (i = 0; i < s->ndev; i++) {
			if (prepare_fault(&s->dev[i], faults)) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		return 0;
	}
	if (sim_parse_id(id, bin)) {
		snprintf(err, errlen, "%s: not a device ID (1-16 bytes of hex)",
			 id);
		return -1;
	}
	d = sim_find(s, bin);
	if (!d) {
		snprintf(err, errlen, "%s: no such device in the key store", id);
		return -1;
	}
	if (prepare_fault(d, faults)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void sim_free(struct sim *s)
{
	size_t i;

	sim_par_stop(s);
	for (i = 0; i < s->ndev; i++) {
		aiot_hkey_wipe(&s->dev[i].hk);
		if (s->dev[i].hk_wrong) {
			aiot_hkey_wipe(s->dev[i].hk_wrong);
			free(s->dev[i].hk_wrong);
		}
		free(s->dev[i].last);
	}
	free(s->dev);
	free(s->txq);
	memset(s, 0, sizeof(*s));
}
