// SPDX-License-Identifier: GPL-2.0
/*
 * aiotsec: the AIoTF side of 3GPP TR 33.713 Solution #9 (device
 * authentication and data communication security) on a reader host.
 */
#include <linux/module.h>

#include "aiotsec.h"

static int __init aiotsec_init(void)
{
	int ret;

	ret = aiot_prim_init();
	if (ret)
		return ret;
	pr_info("aiotsec: crypto on %s\n", aiot_prim_drivers());
	ret = aiot_devtab_cache_init();
	if (ret)
		goto err_prim;
	ret = aiot_rx_init();
	if (ret)
		goto err_cache;
	ret = aiot_inv_init();
	if (ret)
		goto err_rx0;
	ret = aiot_netns_init();
	if (ret)
		goto err_rx;
	ret = aiot_reader_init();
	if (ret)
		goto err_netns;
	ret = aiot_genl_init();
	if (ret)
		goto err_reader;
	return 0;

err_reader:
	aiot_reader_exit();
err_netns:
	aiot_netns_exit();
err_rx:
	aiot_inv_exit();
err_rx0:
	aiot_rx_exit();
err_cache:
	aiot_devtab_cache_exit();
err_prim:
	aiot_prim_exit();
	return ret;
}

/*
 * Transactions are stopped first (none may start, every pending one ends
 * without an event), so that no event follows the family's unregistering;
 * then no request can arrive. Unregistering the notifier replays an
 * unregister event for every interface, which unbinds every reader and
 * removes its packet handler; then every namespace's tables are torn
 * down, and last the receive path's scratch is freed.
 */
static void __exit aiotsec_exit(void)
{
	aiot_netns_stop();
	aiot_genl_exit();
	aiot_reader_exit();	/* unbinds every reader, while state exists */
	aiot_netns_exit();
	aiot_inv_exit();	/* no request is left to queue work */
	aiot_rx_exit();
	aiot_devtab_cache_exit();
	aiot_prim_exit();
}

module_init(aiotsec_init);
module_exit(aiotsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AIoT device authentication and data protection (TR 33.713 Solution #9)");
MODULE_AUTHOR("aiotsec developers");
/* Loaded on demand by the first genl lookup of the family (aiotctl). */
MODULE_ALIAS_GENL_FAMILY(AIOTSEC_GENL_NAME);
MODULE_VERSION(AIOTSEC_VERSION);
