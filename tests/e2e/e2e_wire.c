// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The wire as an attacker sees it: an AF_PACKET socket on an interface of
 * a test namespace that records the frames of EtherType 0x88B5 going
 * either way, and sends any of them again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "e2e.h"

#define WIRE_ETHERTYPE	0x88B5

int wire_open(struct wire *w, const char *ns, const char *ifname)
{
	char path[300];
	struct sockaddr_ll sll = { 0 };
	int self, target, ret = -1;

	w->fd = -1;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0 || setns(target, CLONE_NEWNET))
		goto out;
	/* A packet socket stays in the namespace it was made in. */
	w->ifindex = (int)if_nametoindex(ifname);
	/* ETH_P_ALL: a socket of one protocol sees no outgoing frames. */
	w->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (setns(self, CLONE_NEWNET)) {
		fprintf(stderr, "# wire: cannot return to our namespace\n");
		goto out;
	}
	if (w->fd < 0 || !w->ifindex)
		goto out;
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = w->ifindex;
	if (bind(w->fd, (struct sockaddr *)&sll, sizeof(sll)))
		goto out;
	ret = 0;
out:
	if (ret) {
		fprintf(stderr, "# wire on %s in %s: %s\n", ifname, ns,
			strerror(errno));
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
	}
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
	return ret;
}

void wire_close(struct wire *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

ssize_t wire_take(struct wire *w, uint8_t type, uint8_t *buf, size_t size,
		  unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct sockaddr_ll from;
	socklen_t flen;
	ssize_t n;

	while (now_ms() < end) {
		if (poll(&pfd, 1, (int)(end - now_ms())) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(w->fd, buf, size, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n > 0 && from.sll_protocol == htons(WIRE_ETHERTYPE) &&
		    buf[0] == (0x10 | type))
			return n;
	}
	return -1;
}

int wire_send(struct wire *w, const uint8_t *buf, size_t len)
{
	struct sockaddr_ll sll = { 0 };

	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(WIRE_ETHERTYPE);
	sll.sll_ifindex = w->ifindex;
	sll.sll_halen = ETH_ALEN;
	memset(sll.sll_addr, 0xff, ETH_ALEN);	/* as a PAGING goes */
	return sendto(w->fd, buf, len, 0, (struct sockaddr *)&sll,
		      sizeof(sll)) == (ssize_t)len ? 0 : -1;
}
