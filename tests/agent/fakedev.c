// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fakedev IFACE KEYSTORE [badmac] [cap HEX]: the devices of a key store
 * behind interface IFACE, answering PAGINGs and COMMANDs with the shared
 * protocol core (device role), for the aiotctl guest tests. A COMMAND's
 * response payload is "re:" and the command's payload. badmac: every
 * response carries a MAC with its last byte flipped (it must fail
 * verification). Runs until killed; prints one line per answer.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "hex.h"
#include "keystore.h"
#include "proto.h"

struct dev {
	struct aiot_hkey hk;
	struct aiot_cred cred;
};

static int answer(const struct dev *d, size_t n, const struct aiot_msg *m,
		  const uint8_t *cap, size_t caplen, uint8_t *out)
{
	uint8_t dn[AIOT_NONCE_LEN], p[AIOTSEC_PLEN_MAX];
	size_t i;
	int len;

	if (getrandom(dn, sizeof(dn), 0) != sizeof(dn))
		return -1;
	for (i = 0; i < n; i++) {
		if (m->type == AIOT_MSG_PAGING) {
			if (aiotdev_paging_match(&d[i].cred, m))
				continue;
			return aiotdev_auth_resp(&d[i].cred, m->nn, dn,
						 m->policy, cap, (u8)caplen,
						 out);
		}
		if (m->type != AIOT_MSG_COMMAND)
			return -1;
		if (aiotdev_command_open(&d[i].cred, m, p + 3))
			continue;
		memcpy(p, "re:", 3);
		len = m->plen + 3 > AIOTSEC_PLEN_MAX ? AIOTSEC_PLEN_MAX :
		      m->plen + 3;
		return aiotdev_cmd_resp(&d[i].cred, m->nn, dn, m->policy, p,
					(u16)len, out);
	}
	return -1;
}

int main(int argc, char **argv)
{
	uint8_t buf[2048], out[AIOT_MSG_MAX], cap[AIOTSEC_CAPLEN_MAX];
	struct sockaddr_ll sll = { 0 }, from;
	socklen_t fromlen;
	struct keystore ks;
	struct aiot_msg m;
	size_t i, caplen = 0;
	int fd, badmac = 0, len, a;
	char err[256];
	struct dev *d;
	ssize_t r;
	long c;

	if (argc < 3) {
		fprintf(stderr, "usage: fakedev IFACE KEYSTORE [badmac] [cap HEX]\n");
		return 2;
	}
	for (a = 3; a < argc; a++) {
		if (!strcmp(argv[a], "badmac")) {
			badmac = 1;
		} else if (!strcmp(argv[a], "cap") && a + 1 < argc) {
			c = hex_decode(argv[a + 1], strlen(argv[a + 1]), cap,
				       sizeof(cap));
			if (c < 0)
				return 2;
			caplen = (size_t)c;
			a++;
		} else {
			return 2;
		}
	}
	if (ks_load(&ks, argv[2], NULL, err, sizeof(err))) {
		fprintf(stderr, "fakedev: %s\n", err);
		return 1;
	}
	d = calloc(ks.n + 1, sizeof(*d));
	for (i = 0; d && i < ks.n; i++) {
		aiot_hkey_init(&d[i].hk, ks.e[i].key, ks.e[i].key_len);
		d[i].cred.id = ks.e[i].id;
		d[i].cred.hk = &d[i].hk;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(AIOTSEC_ETHERTYPE));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AIOTSEC_ETHERTYPE);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!d || fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("fakedev");
		return 1;
	}
	for (;;) {
		fromlen = sizeof(from);
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (r < 0)
			return 1;
		if (from.sll_pkttype == PACKET_OUTGOING ||
		    aiot_parse(buf, (size_t)r, &m))
			continue;
		len = answer(d, ks.n, &m, cap, caplen, out);
		if (len <= 0)
			continue;
		if (badmac)
			out[len - 1] ^= 1;
		from.sll_protocol = htons(AIOTSEC_ETHERTYPE);
		if (sendto(fd, out, (size_t)len, 0, (struct sockaddr *)&from,
			   sizeof(from)) != len)
			perror("fakedev: sendto");
		printf("answered a %s\n", m.type == AIOT_MSG_PAGING ?
		       "PAGING" : "COMMAND");
		fflush(stdout);
	}
}
