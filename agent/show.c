// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Output shared by several commands (see show.h). */
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>

#include "aiotctl.h"
#include "json.h"
#include "lib/hex.h"
#include "lib/policy.h"
#include "show.h"

const char *show_id(const uint8_t *id)
{
	static char buf[2 * AIOTSEC_ID_LEN + 1];

	hex_encode(id, AIOTSEC_ID_LEN, buf);
	return buf;
}

const char *show_ifname(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "%u", ifindex);
	return buf;
}

static const char *policy_str(uint8_t p);

static void json_device(struct json *j, const struct dev_info *d)
{
	char fp[17];
	int i;

	json_obj_begin(j, NULL);
	json_hex(j, "id", d->id, AIOTSEC_ID_LEN);
	json_u64(j, "key_len", d->key_len);
	snprintf(fp, sizeof(fp), "%016" PRIx64, d->fp);
	json_str(j, "key_fp", fp);
	json_str(j, "policy", policy_str(d->policy));
	json_str(j, "min_policy", policy_str(d->min_policy));
	json_obj_begin(j, "stats");
	for (i = 0; i < DS_NUM; i++)
		json_u64(j, dev_stat_names[i], d->stats[i]);
	json_obj_end(j);
	json_obj_end(j);
}

/* policy_format() of every byte, made once: a table may have millions. */
static const char *policy_str(uint8_t p)
{
	static char cache[256][POLICY_BUF_LEN];

	if (!cache[p][0])
		policy_format(p, cache[p], sizeof(cache[p]));
	return cache[p];
}

void show_devices(const struct dev_info *v, size_t n)
{
	static char obuf[1 << 20];
	struct json j;
	size_t i;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (opt_json) {
		json_init(&j, stdout);
		json_arr_begin(&j, NULL);
		for (i = 0; i < n; i++)
			json_device(&j, &v[i]);
		json_arr_end(&j);
		json_end(&j);
		return;
	}
	printf("%-32s  %-3s  %-16s  %-16s  %s\n", "ID", "KEY", "FINGERPRINT",
	       "POLICY", "MIN");
	for (i = 0; i < n; i++)
		printf("%s  %-3u  %016" PRIx64 "  %-16s  %s\n",
		       show_id(v[i].id), v[i].key_len * 8u, v[i].fp,
		       policy_str(v[i].policy), policy_str(v[i].min_policy));
}
