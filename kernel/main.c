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

	ret = aiot_devtab_cache_init();
	if (ret)
		return ret;
	ret = aiot_netns_init();
	if (ret)
		goto err_cache;
	ret = aiot_reader_init();
	if (ret)
		goto err_netns;
	ret = aiot_genl_init();
	if (ret)
		goto err_reader;
	ret = aiot_rx_init();
	if (ret)
		goto err_genl;
	return 0;

err_genl:
	aiot_genl_exit();
err_reader:
	aiot_reader_exit();
err_netns:
	aiot_netns_exit();
err_cache:
	aiot_devtab_cache_exit();
	return ret;
}

/*
 * No frame and no request can arrive once the packet handler and the
 * family are gone. Unregistering the notifier replays an unregister event
 * for every interface, which unbinds every reader; then every namespace's
 * transactions and devices are torn down, and the last RCU callbacks are
 * waited for.
 */
static void __exit aiotsec_exit(void)
{
	aiot_rx_exit();
	aiot_genl_exit();
	aiot_reader_exit();	/* unbinds every reader, while state exists */
	aiot_netns_exit();
	aiot_devtab_cache_exit();
}

module_init(aiotsec_init);
module_exit(aiotsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AIoT device authentication and data protection (TR 33.713 Solution #9)");
MODULE_AUTHOR("aiotsec developers");
MODULE_ALIAS_GENL_FAMILY(AIOTSEC_GENL_NAME);
