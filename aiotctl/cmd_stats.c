// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl stats [device ID]: the namespace's or one device's counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "aiotctl.h"
#include "args.h"
#include "dev.h"
#include "nlerr.h"
#include "stats.h"
#include "out.h"
#include "show.h"

/* The namespace's counters, under the library's names. */
static void print_stats(const struct aiot_stats *s)
{
	int i;

	open_obj(PRINT_JSON, NULL, NULL);
	for (i = 0; i <= AIOTSEC_STAT_MAX; i++)
		if (aiot_stat_names[i])
			print_u64_line(PRINT_ANY, "", 14, aiot_stat_names[i],
				       s->ctr[i]);
	if (s->has_drops) {
		open_obj(PRINT_ANY, "drops", "drops:\n");
		for (i = 1; i <= AIOTSEC_DROP_MAX; i++)
			print_u64_line(PRINT_ANY, "  ", 14,
				       aiot_drop_names[i] ? aiot_drop_names[i] : "?",
				       s->drops[i]);
		close_obj(PRINT_JSON);
	}
	close_obj(PRINT_JSON);
}

static int device_stats(struct anl *a, const uint8_t *id)
{
	struct dev_info d;
	int ret, i;

	ret = dev_get(a, id, &d);
	if (ret == -ENOENT) {
		err_msg("no such device ID %s", show_id(id));
		return EXIT_ERR;
	}
	if (ret) {
		anl_perror(a, "stats", ret);
		return EXIT_ERR;
	}
	open_obj(PRINT_JSON, NULL, NULL);
	print_hex(PRINT_ANY, "id", "device %s\n", d.id, AIOTSEC_ID_LEN);
	for (i = 0; i < DS_NUM; i++)
		print_u64_line(PRINT_ANY, "  ", 14, dev_stat_name(i),
			       d.stats[i]);
	close_obj(PRINT_JSON);
	return EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	struct kw kws[] = { KW("device", KW_ARG), KW_END };
	uint8_t id[AIOTSEC_ID_LEN];
	struct aiot_stats st;
	struct anl a;
	int ret;

	if (cmd_kw(kws, "keyword", argc, argv, &ret))
		return ret;
	if (kws[0].seen && cmd_id(kws[0].val, id))
		return EXIT_USAGE;
	if (ctl_open(&a, false))
		return EXIT_ERR;
	if (kws[0].seen) {
		ret = device_stats(&a, id);
		anl_close(&a);
		return ret;
	}
	ret = stats_get(&a, &st);
	if (ret)
		anl_perror(&a, "stats", ret);
	else
		print_stats(&st);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}
