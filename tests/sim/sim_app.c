// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The application a simulated device runs on a verified COMMAND payload
 * (README.md "Application protocol"): read and write a small user memory,
 * disable the device; anything else comes back reversed.
 */
#include "sim.h"

static u16 reply(u8 *out, u8 op, u8 status)
{
	out[0] = SIM_APP_MAGIC;
	out[1] = op | SIM_APP_REPLY;
	out[2] = status;
	return 3;
}

static bool in_range(unsigned int addr, unsigned int len)
{
	return addr <= SIM_MEM_SIZE && len <= SIM_MEM_SIZE - addr;
}

/* Is @p a request of the application protocol (else: reversed)? */
static bool is_app(const u8 *p, u16 plen)
{
	if (plen < 2 || p[0] != SIM_APP_MAGIC)
		return false;
	switch (p[1]) {
	case SIM_APP_READ:
		return plen == 4;
	case SIM_APP_WRITE:
		return plen >= 3;
	case SIM_APP_DISABLE:
		return plen == 2;
	}
	return false;
}

u16 sim_app(struct sim *s, struct sim_dev *d, const u8 *p, u16 plen,
	    u8 *out)
{
	unsigned int addr, len;
	u16 i;

	if (plen > AIOTSEC_PLEN_MAX)
		plen = AIOTSEC_PLEN_MAX;
	if (!is_app(p, plen)) {
		s->st.app_reverse++;
		for (i = 0; i < plen; i++)
			out[i] = p[plen - 1 - i];
		return plen;
	}
	switch (p[1]) {
	case SIM_APP_READ:
		s->st.app_read++;
		addr = p[2];
		len = p[3];
		if (!in_range(addr, len))
			return reply(out, SIM_APP_READ, SIM_APP_RANGE);
		reply(out, SIM_APP_READ, SIM_APP_OK);
		memcpy(out + 3, d->mem + addr, len);
		return (u16)(3 + len);
	case SIM_APP_WRITE:
		s->st.app_write++;
		addr = p[2];
		len = plen - 3u;
		if (!in_range(addr, len))
			return reply(out, SIM_APP_WRITE, SIM_APP_RANGE);
		memcpy(d->mem + addr, p + 3, len);
		return reply(out, SIM_APP_WRITE, SIM_APP_OK);
	default:	/* SIM_APP_DISABLE: this answer is the last */
		s->st.app_disable++;
		d->disabled = true;
		return reply(out, SIM_APP_DISABLE, SIM_APP_OK);
	}
}
