// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl device add|replace|del|show|flush: single devices. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aiotctl.h"
#include "args.h"
#include "dev.h"
#include "nlerr.h"
#include "hex.h"
#include "keystore.h"
#include "policy.h"
#include "show.h"

#define KEYFILE_MAX	4096

/* Read a key file ("-": stdin) into @key; its length, or -1. */
static long read_key(const char *path, uint8_t key[32])
{
	char buf[KEYFILE_MAX + 1], err[ARGS_ERR_MAX];
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len = 0;
	ssize_t r;
	long n;
	int fd;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) :
	     STDIN_FILENO;
	if (fd < 0) {
		err_msg("key file %s: %s", name, strerror(errno));
		return -1;
	}
	if (ks_custody(fd, name, ks_insecure_ok, stderr, err, sizeof(err))) {
		if (fd != STDIN_FILENO)
			close(fd);
		err_msg("key file %s", err);
		return -1;
	}
	(void)mlock(buf, sizeof(buf));	/* best effort, as for key stores */
	while (len < sizeof(buf)) {
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (len > KEYFILE_MAX) {
		explicit_bzero(buf, sizeof(buf));
		(void)munlock(buf, sizeof(buf));
		err_msg("key file %s: too long for a key", name);
		return -1;
	}
	n = parse_key_text(buf, len, key, err, sizeof(err));
	explicit_bzero(buf, sizeof(buf));
	(void)munlock(buf, sizeof(buf));
	if (n < 0)
		err_msg("key file %s: %s", name, err);
	return n;
}

enum { K_KEY, K_POLICY, K_MIN, K_GROUP };

/* A policy keyword's value; 0 or a usage error. */
static int policy_kw(const struct kw *k, enum policy_kind kind, uint8_t *p)
{
	char why[ARGS_ERR_MAX];

	if (!policy_parse(k->val, kind, p, why, sizeof(why)))
		return 0;
	return cmd_invalid(k, why);
}

static int add(int argc, char **argv, bool replace)
{
	struct kw kws[] = {
		[K_KEY] = KW("key", KW_ARG),
		[K_POLICY] = KW("policy", KW_ARG),
		[K_MIN] = KW("min", KW_ARG),
		[K_GROUP] = KW("group", KW_ARG),
		KW_END
	};
	const char *what = cmd_what();
	char why[ARGS_ERR_MAX];
	struct ks_entry e;
	struct batch b;
	struct anl a;
	long n;
	int ret;

	if (argc < 1)
		return usage_err("%s: an ID is required", what);
	if (cmd_kw(kws, "keyword", argc - 1, argv + 1, &ret))
		return ret;
	memset(&e, 0, sizeof(e));
	if (cmd_id(argv[0], e.id))
		return EXIT_USAGE;
	if (!kws[K_KEY].seen || !kws[K_POLICY].seen)
		return usage_err("%s: key FILE and policy P are required",
				 what);
	if (policy_kw(&kws[K_POLICY], POLICY_REQUEST, &e.policy))
		return EXIT_USAGE;
	e.min_policy = e.policy;
	if (kws[K_MIN].seen &&
	    policy_kw(&kws[K_MIN], POLICY_MINIMUM, &e.min_policy))
		return EXIT_USAGE;
	if (!aiot_policy_meets(e.policy, e.min_policy, AIOT_MSG_CMD_RESP))
		return usage_err("%s: policy %s is below min %s", what,
				 kws[K_POLICY].val,
				 kws[K_MIN].seen ? kws[K_MIN].val : "");
	if (kws[K_GROUP].seen &&
	    hex_parse_group(kws[K_GROUP].val, strlen(kws[K_GROUP].val),
			    e.group, why, sizeof(why)))
		return cmd_invalid(&kws[K_GROUP], why);
	n = read_key(kws[K_KEY].val, e.key);
	if (n < 0)
		return EXIT_ERR;
	e.key_len = (uint8_t)n;
	if (ctl_open(&a, false)) {
		explicit_bzero(&e, sizeof(e));
		return EXIT_ERR;
	}
	batch_init(&b, &a, AIOTSEC_CMD_ADD_DEVICES,
		   replace ? AIOTSEC_F_REPLACE : 0, 0);
	ret = batch_add(&b, &e, 0);
	explicit_bzero(&e, sizeof(e));
	if (!ret)
		ret = batch_flush(&b);
	batch_free(&b);
	if (ret == -EEXIST)
		err_msg("%s: device %s exists (use 'device replace')", what,
			argv[0]);
	else if (ret)
		anl_perror(&a, what, ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int device_add(int argc, char **argv)
{
	return add(argc, argv, false);
}

int device_replace(int argc, char **argv)
{
	return add(argc, argv, true);
}

int device_del(int argc, char **argv)
{
	uint8_t id[AIOTSEC_ID_LEN];
	struct batch b;
	struct anl a;
	int i, ret = 0;

	if (!argc)
		return usage_err("device del: an ID is required");
	for (i = 0; i < argc; i++)
		if (cmd_id(argv[i], id))
			return EXIT_USAGE;
	if (ctl_open(&a, false))
		return EXIT_ERR;
	/* One message when it fits: all or nothing. */
	batch_init(&b, &a, AIOTSEC_CMD_DEL_DEVICES, 0, 0);
	for (i = 0; i < argc && !ret; i++) {
		cmd_id(argv[i], id);
		ret = batch_del(&b, id, (size_t)i);
	}
	if (!ret)
		ret = batch_flush(&b);
	if (ret == -ENOENT && b.has_err_idx) {
		hex_parse_id(argv[b.err_idx], strlen(argv[b.err_idx]), id,
			     NULL, 0);
		err_msg("device del: no such device ID %s%s",
			show_id(id), argc > 1 ? " (nothing deleted)" : "");
	} else if (ret) {
		anl_perror(&a, "device del", ret);
	}
	batch_free(&b);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int device_show(int argc, char **argv)
{
	uint8_t id[AIOTSEC_ID_LEN];
	struct dev_list l = { 0 };
	struct dev_info d;
	struct anl a;
	int ret;

	if (argc > 1)
		return usage_err("device show: at most one ID");
	if (argc && cmd_id(argv[0], id))
		return EXIT_USAGE;
	if (ctl_open(&a, false))
		return EXIT_ERR;
	if (argc) {
		ret = dev_get(&a, id, &d);
		if (ret == -ENOENT)
			err_msg("no such device ID %s", show_id(id));
		else if (ret)
			anl_perror(&a, "device show", ret);
		if (!ret) {
			l.v = &d;
			l.n = 1;
		}
	} else {
		ret = ctl_dump(&a, &l);
	}
	anl_close(&a);
	if (ret)
		return EXIT_ERR;
	show_devices(l.v, l.n);
	if (!argc)
		dev_list_free(&l);
	return EXIT_OK;
}

int device_flush(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_err("device flush: no arguments");
	return ctl_once(AIOTSEC_CMD_FLUSH_DEVICES, 0, NULL, NULL,
			"device flush");
}
