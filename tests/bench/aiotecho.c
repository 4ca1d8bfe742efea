// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * aiotecho: the bare round trip over an interface, for `make bench`
 * (tests/bench/README.md): the rate a requester gets with a window of
 * frames outstanding when the other side does nothing but send each
 * frame back, measured next to the module's rates in the same boot.
 *
 *   aiotecho serve -i IF [--ready FILE]
 *       answer every frame of EtherType 0x88B6 to its sender; until
 *       SIGTERM/SIGINT; prints "aiotecho: echoed=N" at exit
 *   aiotecho rate -i IF -w WINDOW [-t MS] [--paging KEYSTORE]
 *       keep WINDOW requests outstanding for MS milliseconds (default
 *       3000), one new request per answer; prints one line
 *       "window=W sent=S completed=C lost=L seconds=T per_s=R"
 *       With --paging the requests are PAGINGs (EtherType 0x88B5) for
 *       the devices of KEYSTORE in turn, answered by aiotsim: the
 *       simulator's own round trip, the module not involved.
 *
 * An answer not back within 1 s counts as lost and its slot is used
 * again. Exit status 0, 1 on an error, 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "keystore.h"
#include "proto.h"

#define ECHO_ETHERTYPE	0x88B6		/* IEEE 802 local experimental 2 */
#define ECHO_LEN	35		/* as long as a PAGING */
#define WINDOW_MAX	4096
#define LOST_MS		1000
#define BATCH		64

static volatile sig_atomic_t stop;

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_sock(const char *ifname, unsigned int proto, int *ifindex)
{
	struct sockaddr_ll sll = { 0 };
	int one = 1, size = 4 << 20, fd;

	*ifindex = (int)if_nametoindex(ifname);
	if (!*ifindex) {
		fprintf(stderr, "aiotecho: %s: no such interface\n", ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(proto));
	if (fd < 0) {
		perror("aiotecho: AF_PACKET socket");
		return -1;
	}
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = *ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("aiotecho: bind");
		close(fd);
		return -1;
	}
	return fd;
}

static int send_to(int fd, int ifindex, unsigned int proto, const u8 *dst,
		   const u8 *buf, size_t len)
{
	struct sockaddr_ll sll = { 0 };
	ssize_t n;

	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst, 6);
	do {
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	} while (n < 0 && (errno == EINTR || errno == ENOBUFS ||
			   errno == EAGAIN));
	return n == (ssize_t)len ? 0 : -1;
}

static int serve(const char *ifname, const char *ready)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long echoed = 0;
	struct sockaddr_ll from;
	socklen_t flen;
	u8 buf[2048];
	int fd, ifindex;
	ssize_t n;
	FILE *f;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = open_sock(ifname, ECHO_ETHERTYPE, &ifindex);
	if (fd < 0)
		return 1;
	if (ready) {
		f = fopen(ready, "w");
		if (!f || fclose(f)) {
			fprintf(stderr, "aiotecho: %s: cannot write\n", ready);
			return 1;
		}
	}
	while (!stop) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			continue;	/* EINTR: a signal, look at stop */
		if (from.sll_pkttype == PACKET_OUTGOING || from.sll_halen != 6 ||
		    n < ECHO_LEN)
			continue;
		if (!send_to(fd, ifindex, ECHO_ETHERTYPE, from.sll_addr, buf,
			     (size_t)n))
			echoed++;
	}
	printf("aiotecho: echoed=%llu\n", echoed);
	close(fd);
	return 0;
}

/* The requests of --paging: each device of the key store in turn. */
struct pager {
	struct keystore ks;
	struct aiot_hkey *hk;
	size_t next;
};

static int pager_load(struct pager *p, const char *path)
{
	char err[512];
	size_t i;

	if (ks_load(&p->ks, path, NULL, err, sizeof(err))) {
		fprintf(stderr, "aiotecho: %s\n", err);
		return -1;
	}
	if (!p->ks.n) {
		fprintf(stderr, "aiotecho: %s: no devices\n", path);
		return -1;
	}
	p->hk = calloc(p->ks.n, sizeof(*p->hk));
	if (!p->hk)
		return -1;
	for (i = 0; i < p->ks.n; i++)
		if (aiot_hkey_init(&p->hk[i], p->ks.e[i].key,
				   p->ks.e[i].key_len) ||
		    aiot_hkey_prepare(&p->hk[i]))
			return -1;
	return 0;
}

static void pager_free(struct pager *p)
{
	size_t i;

	for (i = 0; p->hk && i < p->ks.n; i++)
		aiot_hkey_wipe(&p->hk[i]);
	free(p->hk);
	ks_free(&p->ks);
}

/*
 * Request @seq into @buf: an echo frame, or a PAGING whose NN starts with
 * @seq (its answer's CT). Returns the length, or -1.
 */
static int build(struct pager *p, u32 seq, u8 *buf)
{
	u8 nn[AIOT_NONCE_LEN];
	struct aiot_cred c;
	size_t d;

	if (!p) {
		memset(buf, 0, ECHO_LEN);
		buf[0] = 'E';
		put_unaligned_be32(seq, buf + 1);
		return ECHO_LEN;
	}
	d = p->next++ % p->ks.n;
	if (getrandom(nn, sizeof(nn), 0) != sizeof(nn))
		return -1;
	put_unaligned_be32(seq, nn);
	c.id = p->ks.e[d].id;
	c.hk = &p->hk[d];
	return aiotf_paging(&c, nn, p->ks.e[d].policy & AIOTSEC_POL_AUTH_MASK,
			    buf);
}

/* The sequence number an answer carries, or -1 if it is not one. */
static long long answer_seq(const struct pager *p, const u8 *buf, ssize_t n)
{
	if (!p)
		return n >= ECHO_LEN && buf[0] == 'E' ?
			(long long)be32_at(buf + 1) : -1;
	/* AUTH_RESP: HDR || CT || ... */
	if (n < AIOT_HDR_LEN + AIOT_CT_LEN || buf[0] != (0x10 | AIOT_MSG_AUTH_RESP))
		return -1;
	return (long long)be32_at(buf + AIOT_HDR_LEN);
}

struct slot {
	u32 seq;
	double sent;
	bool busy;
};

static int rate(const char *ifname, unsigned int window, unsigned int ms,
		const char *keys)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct pager pg = { 0 }, *p = NULL;
	unsigned long long sent = 0, nsent = 0, done = 0, lost = 0;
	unsigned int proto = ECHO_ETHERTYPE, i;
	struct slot *slot;
	double t0, t1, end, now;
	u8 buf[2048];
	int fd, ifindex, len, ret = 1;
	ssize_t n;

	if (keys) {
		if (pager_load(&pg, keys))
			goto out;
		p = &pg;
		proto = AIOTSEC_ETHERTYPE;
	}
	slot = calloc(window, sizeof(*slot));
	fd = slot ? open_sock(ifname, proto, &ifindex) : -1;
	if (fd < 0)
		goto out_free;
	t0 = now_s();
	end = t0 + ms / 1000.0;
	/* seq % window is the slot: an answer finds its request at once. */
	for (i = 0; i < window; i++) {
		len = build(p, (u32)sent, buf);
		if (len < 0 || send_to(fd, ifindex, proto, bcast, buf, (size_t)len))
			goto out_close;
		slot[i] = (struct slot){ (u32)sent, now_s(), true };
		sent++;
		nsent++;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct slot *s;
		long long seq;
		u64 next;

		now = now_s();
		if (now >= end)
			break;
		if (poll(&pfd, 1, 50) > 0) {
			for (i = 0; i < BATCH; i++) {
				n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
				if (n < 0)
					break;
				seq = answer_seq(p, buf, n);
				if (seq < 0)
					continue;
				s = &slot[(u64)seq % window];
				if (!s->busy || s->seq != (u32)seq)
					continue;	/* late, or a copy */
				s->busy = false;
				done++;
			}
		}
		now = now_s();
		for (i = 0; i < window; i++) {
			s = &slot[i];
			if (s->busy && now - s->sent < LOST_MS / 1000.0)
				continue;
			if (s->busy)
				lost++;
			if (now >= end) {
				s->busy = false;
				continue;
			}
			/* The next sequence number that falls in slot i. */
			next = sent + (i + window - sent % window) % window;

			len = build(p, (u32)next, buf);
			if (len < 0 ||
			    send_to(fd, ifindex, proto, bcast, buf, (size_t)len))
				goto out_close;
			*s = (struct slot){ (u32)next, now, true };
			nsent++;
			if (next >= sent)
				sent = next + 1;
		}
	}
	t1 = now_s();
	printf("window=%u sent=%llu completed=%llu lost=%llu seconds=%.3f "
	       "per_s=%.0f\n", window, nsent, done, lost, t1 - t0,
	       done / (t1 - t0));
	ret = 0;
out_close:
	close(fd);
out_free:
	free(slot);
out:
	pager_free(&pg);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: aiotecho serve -i IF [--ready FILE]\n"
		"       aiotecho rate -i IF -w WINDOW [-t MS] [--paging KEYSTORE]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "window", required_argument, NULL, 'w' },
		{ "time-ms", required_argument, NULL, 't' },
		{ "ready", required_argument, NULL, 'r' },
		{ "paging", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL, *ready = NULL, *keys = NULL, *mode;
	unsigned long window = 0, ms = 3000;
	char *end;
	int c;

	if (argc < 2)
		goto usage;
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:w:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'w':
			window = strtoul(optarg, &end, 10);
			if (*end || !window || window > WINDOW_MAX)
				goto usage;
			break;
		case 't':
			ms = strtoul(optarg, &end, 10);
			if (*end || !ms || ms > 600000)
				goto usage;
			break;
		case 'r':
			ready = optarg;
			break;
		case 'p':
			keys = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc || !ifname)
		goto usage;
	if (!strcmp(mode, "serve") && !window && !keys)
		return serve(ifname, ready);
	if (!strcmp(mode, "rate") && window && !ready)
		return rate(ifname, (unsigned int)window, (unsigned int)ms, keys);
usage:
	usage(stderr);
	return 2;
}
