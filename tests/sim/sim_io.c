// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The simulator on a real interface: an AF_PACKET socket bound to
 * AIOTSEC_ETHERTYPE, answers sent to the requester's MAC, and a ppoll()
 * loop that also wakes for delayed answers and for signals (SIGTERM and
 * SIGINT stop it, SIGUSR1 asks for the counters).
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_io.h"

#define RX_BUF		2048		/* above any veth/Ethernet MTU we use */
#define RX_BATCH	64		/* frames read per wakeup */
#define RCVBUF		(8 << 20)	/* a burst of parallel requests fits */

static volatile sig_atomic_t got_stop, got_usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_stop = 1;
}

u64 sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

int sim_io_open(struct sim_io *io, const char *ifname, char *err,
		size_t errlen)
{
	struct sockaddr_ll sll = { 0 };
	int one = 1, size = RCVBUF;

	memset(io, 0, sizeof(*io));
	io->ifindex = (int)if_nametoindex(ifname);
	if (!io->ifindex) {
		snprintf(err, errlen, "%s: no such interface", ifname);
		return -1;
	}
	io->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			htons(AIOTSEC_ETHERTYPE));
	if (io->fd < 0) {
		snprintf(err, errlen, "AF_PACKET socket: %s", strerror(errno));
		return -1;
	}
	/* Our own answers are not requests. Older kernels: filtered below. */
	setsockopt(io->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		   sizeof(one));
	if (setsockopt(io->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(io->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AIOTSEC_ETHERTYPE);
	sll.sll_ifindex = io->ifindex;
	if (bind(io->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		snprintf(err, errlen, "bind to %s: %s", ifname, strerror(errno));
		close(io->fd);
		io->fd = -1;
		return -1;
	}
	return 0;
}

void sim_io_close(struct sim_io *io)
{
	if (io->fd >= 0)
		close(io->fd);
	io->fd = -1;
}

static int io_send(void *ctx, const u8 dst[6], const u8 *buf, size_t len)
{
	struct sim_io *io = ctx;
	struct sockaddr_ll sll = { 0 };
	ssize_t n;

	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AIOTSEC_ETHERTYPE);
	sll.sll_ifindex = io->ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst, 6);
	do {
		n = sendto(io->fd, buf, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll));
	} while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == ENOBUFS))
		return -EAGAIN;
	return n == (ssize_t)len ? 0 : -EIO;
}

/*
 * Read what is waiting, a batch at most, and hand it to the devices at
 * once (sim_rx_batch: with threads, one meeting per batch).
 */
static void io_read(struct sim *s, struct sim_io *io)
{
	static u8 buf[RX_BATCH][RX_BUF];
	struct sim_frame f[RX_BATCH];
	struct sockaddr_ll from;
	unsigned int k = 0;
	socklen_t flen;
	ssize_t n;
	int i;

	for (i = 0; i < RX_BATCH; i++) {
		flen = sizeof(from);
		n = recvfrom(io->fd, buf[k], sizeof(buf[k]),
			     MSG_TRUNC | MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;		/* EAGAIN, or an error poll reports */
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if ((size_t)n > sizeof(buf[k]) || from.sll_halen != 6) {
			s->st.rx_frames++;
			s->st.rx_malformed++;
			continue;
		}
		memcpy(f[k].src, from.sll_addr, 6);
		f[k].buf = buf[k];
		f[k].len = (size_t)n;
		k++;
	}
	if (!k)
		return;
	s->now_ms = sim_now_ms();
	sim_rx_batch(s, f, k);
}

/* A pending socket error (the link went down, say): note it, go on. */
static void clear_error(struct sim_io *io)
{
	socklen_t len = sizeof(int);
	int e = 0;

	getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &e, &len);
	if (e)
		fprintf(stderr, "aiotsim: socket: %s\n", strerror(e));
}

static bool done(const struct sim *s, const struct sim_io *io)
{
	u64 answers = s->st.auth_answers + s->st.cmd_answers;

	return io->max_answers && answers >= io->max_answers && !s->txq_used;
}

int sim_io_run(struct sim *s, struct sim_io *io,
	       void (*usr1)(struct sim *s, void *ctx), void *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, orig;
	struct pollfd pfd;
	struct timespec ts;
	u64 next, now;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	/* Blocked but while waiting in ppoll(): no wakeup is missed. */
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);

	while (!got_stop && !done(s, io)) {
		now = sim_now_ms();
		next = sim_flush(s, now, io_send, io);
		if (done(s, io))
			break;
		pfd.fd = io->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (next != UINT64_MAX) {
			next = next > now ? next - now : 0;
			ts.tv_sec = (time_t)(next / 1000);
			ts.tv_nsec = (long)(next % 1000) * 1000000;
		}
		ret = ppoll(&pfd, 1, next == UINT64_MAX ? NULL : &ts, &orig);
		if (ret < 0 && errno != EINTR) {
			perror("aiotsim: ppoll");
			sigprocmask(SIG_SETMASK, &orig, NULL);
			return -1;
		}
		if (got_usr1) {
			got_usr1 = 0;
			if (usr1)
				usr1(s, ctx);
		}
		if (ret > 0 && (pfd.revents & POLLNVAL)) {
			fprintf(stderr, "aiotsim: socket closed\n");
			sigprocmask(SIG_SETMASK, &orig, NULL);
			return -1;
		}
		if (ret > 0 && (pfd.revents & POLLERR))
			clear_error(io);
		if (ret > 0 && (pfd.revents & POLLIN))
			io_read(s, io);
	}
	/* Whatever is due is sent; later (delayed) answers are not. */
	sim_flush(s, sim_now_ms(), io_send, io);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return 0;
}
