// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Output shared by several commands (see show.h). */
#include <ctype.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>

#include "aiotctl.h"
#include "out.h"
#include "hex.h"
#include "policy.h"
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

/* policy_format() of every byte, made once: a table may have millions. */
static const char *policy_str(uint8_t p)
{
	static char cache[256][POLICY_BUF_LEN];

	if (!cache[p][0])
		policy_format(p, cache[p], sizeof(cache[p]));
	return cache[p];
}

/* Column widths of the table. */
enum { W_ID = 2 * AIOTSEC_ID_LEN, W_KEY = 3, W_FP = 16, W_POL = 16,
       W_GRP = 2 * AIOTSEC_GROUP_LEN, W_CTR = 9 };

/* 16 hex digits of @v, NUL-terminated, into @buf[17]. */
static void hex_encode_u64(uint64_t v, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 15; i >= 0; i--, v >>= 4)
		buf[i] = digits[v & 0xf];
	buf[16] = '\0';
}

/* One row of the table, or one object of the JSON array. */
static void show_device(const struct dev_info *d)
{
	char fp[17];
	int i;

	hex_encode_u64(d->fp, fp);
	open_obj(PRINT_JSON, NULL, NULL);
	print_hex_col(PRINT_ANY, "id", W_ID, d->id, AIOTSEC_ID_LEN);
	print_u64(PRINT_JSON, "key_len", NULL, d->key_len);
	print_u64_col(PRINT_FP, NULL, W_KEY, d->key_len * 8u);
	print_str_col(PRINT_ANY, "key_fp", W_FP, fp);
	print_str_col(PRINT_ANY, "policy", W_POL, policy_str(d->policy));
	print_str_col(PRINT_ANY, "min_policy", W_POL,
		      policy_str(d->min_policy));
	print_hex_col(PRINT_ANY, "group", W_GRP, d->group, AIOTSEC_GROUP_LEN);
	open_obj(PRINT_JSON, "stats", NULL);
	for (i = 0; i < DS_NUM; i++)
		print_u64_col(PRINT_ANY, dev_stat_name(i),
			      i + 1 < DS_NUM ? W_CTR : 0, d->stats[i]);
	close_obj(PRINT_JSON);
	print_nl(PRINT_FP);
	close_obj(PRINT_JSON);
}

void show_devices(const struct dev_info *v, size_t n)
{
	static char obuf[1 << 20];
	char name[16];
	size_t i, k;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	/*
	 * The module keeps 16 bytes: an ID written shorter (a 96-bit EPC,
	 * "01") comes back left-padded with zero bytes; the header says so
	 * (it fits the column).
	 */
	print_str_col(PRINT_FP, NULL, W_ID, SHOW_ID_HEADER);
	print_str_col(PRINT_FP, NULL, W_KEY, "KEY");
	print_str_col(PRINT_FP, NULL, W_FP, "FINGERPRINT");
	print_str_col(PRINT_FP, NULL, W_POL, "POLICY");
	print_str_col(PRINT_FP, NULL, W_POL, "MIN");
	print_str_col(PRINT_FP, NULL, W_GRP, "GROUP");
	for (i = 0; i < DS_NUM; i++) {
		for (k = 0; dev_stat_name(i)[k] && k + 1 < sizeof(name); k++)
			name[k] = (char)toupper((unsigned char)dev_stat_name(i)[k]);
		name[k] = '\0';
		print_str_col(PRINT_FP, NULL, i + 1 < DS_NUM ? W_CTR : 0, name);
	}
	print_nl(PRINT_FP);
	open_arr(PRINT_JSON, NULL);
	for (i = 0; i < n; i++)
		show_device(&v[i]);
	close_arr(PRINT_JSON);
}
