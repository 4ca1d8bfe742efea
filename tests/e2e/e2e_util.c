// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Running programs for the end-to-end suite: in a named network namespace
 * (setns on /run/netns/NAME in the child), optionally with every
 * capability dropped for good (bounding set, securebits, capset), output
 * captured to files, bounded waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t got;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - n < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Drop every capability across exec, even as uid 0. */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int cap;

	memset(d, 0, sizeof(d));
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		  SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
		  SECBIT_NO_CAP_AMBIENT_RAISE |
		  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED))
		return -1;
	for (cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap) && errno != EINVAL)
			return -1;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return (int)syscall(SYS_capset, &h, d);
}

static int enter_ns(const char *ns)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	return ret;
}

/* In the child: namespace, capabilities, output files, exec. */
static void child(const char *ns, int flags, const char *out, const char *err,
		  char *const argv[])
{
	int fd;

	setpgid(0, 0);
	if (ns && enter_ns(ns)) {
		fprintf(stderr, "e2e: setns %s: %s\n", ns, strerror(errno));
		_exit(126);
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 1) < 0)
		_exit(126);
	close(fd);
	fd = open(err ? err : out, O_WRONLY | O_CREAT | (err ? O_TRUNC : O_APPEND),
		  0600);
	if (fd < 0 || dup2(fd, 2) < 0)
		_exit(126);
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	if ((flags & RUN_NOCAPS) && drop_caps()) {
		fprintf(stderr, "e2e: dropping capabilities: %s\n",
			strerror(errno));
		_exit(126);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "e2e: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

pid_t spawn_argv(const char *ns, int flags, const char *out_path,
		 char *const argv[])
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		child(ns, flags, out_path, NULL, argv);
	return pid;
}

int wait_status(pid_t pid, int timeout_s)
{
	uint64_t end = now_ms() + (uint64_t)timeout_s * 1000;
	int status;
	pid_t got;

	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -1;
		if (now_ms() > end) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		sleep_ms(5);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int wait_file(const char *path, pid_t pid, unsigned int timeout_ms)
{
	uint64_t end;

	for (end = now_ms() + timeout_ms; now_ms() < end; sleep_ms(20)) {
		if (!access(path, F_OK))
			return 0;
		if (pid > 0 && waitpid(pid, NULL, WNOHANG) == pid)
			return -ECHILD;
	}
	return access(path, F_OK) ? -ETIMEDOUT : 0;
}

int run_argv(struct run *r, const char *ns, int flags, int timeout_s,
	     char *const argv[])
{
	static unsigned int seq;
	char out[320], err[320];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	snprintf(out, sizeof(out), "%s/run-%d-%u.out", env.dir, getpid(), seq);
	snprintf(err, sizeof(err), "%s/run-%d-%u.err", env.dir, getpid(), seq++);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child(ns, flags, out, err, argv);
	r->status = wait_status(pid, timeout_s);
	r->out = slurp(out, NULL);
	r->err = slurp(err, NULL);
	unlink(out);
	unlink(err);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	return r->status;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int sys(const char *prog, ...)
{
	char *argv[32];
	struct run r;
	va_list ap;
	int n = 0, ret;

	argv[n++] = (char *)prog;
	va_start(ap, prog);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	ret = run_argv(&r, NULL, 0, 60, argv);
	if (ret)
		fprintf(stderr, "# %s %s ...: exit %d: %s%s", prog,
			argv[1] ? argv[1] : "", ret, r.out, r.err);
	run_free(&r);
	return ret;
}

/* Keep @max processes of @argv(i) running until @n have run. */
int run_pool(unsigned int n, unsigned int max,
	     void (*make)(unsigned int i, char **argv, char *out),
	     bool (*check)(unsigned int i, int status, const char *out))
{
	pid_t *pids = calloc(n, sizeof(*pids));
	unsigned int started = 0, done = 0, running = 0, i, failed = 0;
	char out[300], *argv[16];

	if (!pids)
		return -1;
	while (done < n) {
		while (running < max && started < n) {
			make(started, argv, out);
			pids[started] = spawn_argv(NS_READER, 0, out, argv);
			running++;
			started++;
		}
		for (i = 0; i < started; i++) {
			int st;
			char *text;

			if (!pids[i])
				continue;
			if (waitpid(pids[i], &st, WNOHANG) != pids[i])
				continue;
			pids[i] = 0;
			running--;
			done++;
			make(i, argv, out);
			text = slurp(out, NULL);
			if (!check(i, WIFEXITED(st) ? WEXITSTATUS(st) : 128,
				   text ? text : ""))
				failed++;
			free(text);
			unlink(out);
		}
		sleep_ms(5);
	}
	free(pids);
	return (int)failed;
}

void stop_all(pid_t *pids, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			wait_status(pids[i], 10);
		}
	}
}
