// SPDX-License-Identifier: GPL-2.0
/*
 * aiotsec: the AIoTF side of 3GPP TR 33.713 Solution #9 (device
 * authentication and data communication security) on a reader host.
 */
#include <linux/module.h>

static int __init aiotsec_init(void)
{
	return 0;
}

static void __exit aiotsec_exit(void)
{
}

module_init(aiotsec_init);
module_exit(aiotsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AIoT device authentication and data protection (TR 33.713 Solution #9)");
MODULE_AUTHOR("aiotsec developers");
