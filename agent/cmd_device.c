// SPDX-License-Identifier: GPL-2.0 OR MIT
/* aiotctl device add|replace|del|show|flush: single devices. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aiotctl.h"
#include "args.h"
#include "devices.h"
#include "json.h"
#include "lib/hex.h"
#include "lib/policy.h"
#include "show.h"

static const char usage[] =
"usage: aiotctl device add ID key FILE|- policy P [min P]\n"
"       aiotctl device replace ID key FILE|- policy P [min P]\n"
"       aiotctl device del ID [ID...]\n"
"       aiotctl [-j] device show [ID]\n"
"       aiotctl device flush\n"
"ID: 1 to 16 bytes of hex. FILE holds the key as 32 or 64 hex digits\n"
"('-': standard input); keys are never taken from the command line.\n"
"P: a policy such as tid,pc,mi,mac=8 (aiotctl(8), POLICY SYNTAX).\n";

#define KEYFILE_MAX	4096

/* Read a key file ("-": stdin) into @key; its length, or -1. */
static long read_key(const char *path, uint8_t key[32])
{
	char buf[KEYFILE_MAX + 1], err[ARGS_ERR_MAX];
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len = 0;
	struct stat st;
	ssize_t r;
	long n;
	int fd;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) :
	     STDIN_FILENO;
	if (fd < 0) {
		err_msg("key file %s: %s", name, strerror(errno));
		return -1;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    st.st_mode & (S_IRGRP | S_IROTH))
		warn_msg("%s holds a key and is readable by %s (chmod 600 it)",
			 name, st.st_mode & S_IROTH ? "others" : "its group");
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
		err_msg("key file %s: too long for a key", name);
		return -1;
	}
	n = parse_key_text(buf, len, key, err, sizeof(err));
	explicit_bzero(buf, sizeof(buf));
	if (n < 0)
		err_msg("key file %s: %s", name, err);
	return n;
}

static int parse_id_arg(const char *s, uint8_t *id)
{
	char err[ARGS_ERR_MAX];

	if (hex_parse_id(s, strlen(s), id, err, sizeof(err))) {
		err_msg("'%s': %s", s, err);
		return -1;
	}
	return 0;
}

static int device_add(int argc, char **argv, bool replace)
{
	const char *what = replace ? "device replace" : "device add";
	const char *keyfile = NULL, *pol = NULL, *min = NULL;
	char err[ARGS_ERR_MAX];
	struct ks_entry e;
	struct batch b;
	struct anl a;
	long n;
	int i, ret;

	if (argc < 1)
		return usage_err(usage, "%s: an ID is required", what);
	memset(&e, 0, sizeof(e));
	if (parse_id_arg(argv[0], e.id))
		return EXIT_USAGE;
	for (i = 1; i < argc; i += 2) {
		const char **slot = !strcmp(argv[i], "key") ? &keyfile :
				    !strcmp(argv[i], "policy") ? &pol :
				    !strcmp(argv[i], "min") ? &min : NULL;

		if (!slot)
			return usage_err(usage, "%s: unknown keyword '%s'",
					 what, argv[i]);
		if (i + 1 == argc)
			return usage_err(usage, "%s: %s needs a value", what,
					 argv[i]);
		if (*slot)
			return usage_err(usage, "%s: %s given twice", what,
					 argv[i]);
		*slot = argv[i + 1];
	}
	if (!keyfile || !pol)
		return usage_err(usage, "%s: key FILE and policy P are required",
				 what);
	if (policy_parse(pol, POLICY_REQUEST, &e.policy, err, sizeof(err))) {
		err_msg("policy '%s': %s", pol, err);
		return EXIT_USAGE;
	}
	e.min_policy = e.policy;
	if (min && policy_parse(min, POLICY_MINIMUM, &e.min_policy, err,
				sizeof(err))) {
		err_msg("min '%s': %s", min, err);
		return EXIT_USAGE;
	}
	if (!aiot_policy_meets(e.policy, e.min_policy, AIOT_MSG_CMD_RESP)) {
		err_msg("%s: policy %s is below min %s", what, pol, min);
		return EXIT_USAGE;
	}
	n = read_key(keyfile, e.key);
	if (n < 0)
		return EXIT_ERR;
	e.key_len = (uint8_t)n;
	if (anl_open(&a, false)) {
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

static int device_del(int argc, char **argv)
{
	uint8_t id[AIOTSEC_ID_LEN];
	struct batch b;
	struct anl a;
	int i, ret = 0;

	if (!argc)
		return usage_err(usage, "device del: an ID is required");
	for (i = 0; i < argc; i++)
		if (parse_id_arg(argv[i], id))
			return EXIT_USAGE;
	if (anl_open(&a, false))
		return EXIT_ERR;
	/* One message when it fits: all or nothing. */
	batch_init(&b, &a, AIOTSEC_CMD_DEL_DEVICES, 0, 0);
	for (i = 0; i < argc && !ret; i++) {
		parse_id_arg(argv[i], id);
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

static int device_show(int argc, char **argv)
{
	uint8_t id[AIOTSEC_ID_LEN];
	struct dev_list l = { 0 };
	struct dev_info d;
	struct anl a;
	int ret;

	if (argc > 1)
		return usage_err(usage, "device show: at most one ID");
	if (argc && parse_id_arg(argv[0], id))
		return EXIT_USAGE;
	if (anl_open(&a, false))
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
		ret = dev_dump(&a, &l);
	}
	anl_close(&a);
	if (ret)
		return EXIT_ERR;
	show_devices(l.v, l.n);
	if (!argc)
		dev_list_free(&l);
	return EXIT_OK;
}

static int device_flush(int argc, char **argv)
{
	struct nl_msg *msg;
	struct anl a;
	int ret;

	(void)argv;
	if (argc)
		return usage_err(usage, "device flush: no arguments");
	if (anl_open(&a, false))
		return EXIT_ERR;
	msg = anl_msg(&a, AIOTSEC_CMD_FLUSH_DEVICES, 0, 0);
	ret = msg ? anl_request(&a, msg, NULL, NULL) : -ENOMEM;
	if (ret)
		anl_perror(&a, "device flush", ret);
	anl_close(&a);
	return ret ? EXIT_ERR : EXIT_OK;
}

int cmd_device(int argc, char **argv)
{
	if (!argc)
		return usage_err(usage, "device: a command is required");
	if (wants_help(argc, argv))
		return help_out(usage);
	if (!strcmp(argv[0], "add"))
		return device_add(argc - 1, argv + 1, false);
	if (!strcmp(argv[0], "replace"))
		return device_add(argc - 1, argv + 1, true);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return device_del(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return device_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "flush"))
		return device_flush(argc - 1, argv + 1);
	return usage_err(usage, "device: unknown command '%s'", argv[0]);
}
