// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * frfuzz: the frame side of `make stress` (tests/stress/README.md), on the
 * veth peer of a bound reader, over AF_PACKET.
 *
 *   frfuzz -i IFNAME -s SEED -n N -t SECONDS [-f FORGED] [-m MODES] [-q]
 *
 * Answers every PAGING and COMMAND for devices 0..N-1 of space 'R' (keys
 * from tests/stress/stress.h) genuinely, with the shared device role
 * (kernel/device.c on the OpenSSL primitives), after FORGED (default 4)
 * forged responses on the same CT. Between requests it sends, by turns
 * (MODES, a string of letters, default all). The forged responses go
 * out before the genuine one, while the transaction is pending.
 *   r random bytes          t truncated genuine response
 *   b bit-flipped genuine   p replayed genuine
 *   c forged on a recent CT (well-formed, random DN and MAC)
 *   o oversized (up to the MTU, trailing junk after a valid message)
 *   g nonlinear, through PACKET_VNET_HDR (GSO when the kernel takes it)
 *   v VLAN-tagged
 *   h random header fields (version, suite, type, policy, PLEN, CAPLEN)
 *   i INV_RESP with a random RID on a recent INVENTORY's CT
 *   j INV_RESP with a sniffed RID (of a genuine answer to a recent
 *     INVENTORY): random DN and MAC, or the genuine answer replayed
 * Every INVENTORY (v1.1) is answered by each of the N devices (group zero
 * matches only filters of zero bits), after FORGED INV_RESPs with random
 * RIDs on its CT.
 * -q: answer and flood only, no background frames (the flood measurement);
 * -b BURST forged frames (-q) or background frames per turn (default 8);
 * -U: the forged frames carry random CTs instead (the baseline);
 * -R: the flood is of INV_RESPs on the CTs of recent INVENTORYs: with
 *     sniffed RIDs, or with -U random RIDs.
 * Ends with one line "FRFUZZ key=value..." on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"
#include "stress.h"

#define MAXDEV 256
#define RING 64
#define FRAME_MAX 9100

static struct {
	unsigned long sent, send_err, rx_req, answered, unmatched, forged;
	unsigned long mode[26];
} st;

static struct aiot_hkey hk[MAXDEV];
static u8 ids[MAXDEV][AIOTSEC_ID_LEN];
static unsigned int ndev;

/* Recent genuine responses (for replays and mutations) and CTs. */
static struct {
	u8 b[AIOT_MSG_MAX];
	unsigned int len;
} ring[RING];
static unsigned int nring;
static u8 cts[RING][4];
static unsigned int ncts;
/* Recent INVENTORYs (NN, policy) and genuine INV_RESPs to them. */
static struct {
	u8 nn[AIOT_NONCE_LEN];
	u8 policy;
} invs[RING];
static unsigned int ninvs;
static struct {
	u8 b[AIOT_MSG_MAX];
	unsigned int len;
} iring[RING];
static unsigned int niring;
static bool inv_flood;

static int fd, vfd = -1, ifindex, mtu;
static u8 mymac[6];
static struct rng r;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_raw(int s, const void *buf, size_t len, char mode)
{
	struct sockaddr_ll sa = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_protocol = htons(AIOTSEC_ETHERTYPE),
		.sll_halen = 6,
	};

	memset(sa.sll_addr, 0xff, 6);
	if (sendto(s, buf, len, 0, (void *)&sa, sizeof(sa)) < 0) {
		st.send_err++;
		return;
	}
	st.sent++;
	if (mode >= 'a' && mode <= 'z')
		st.mode[mode - 'a']++;
}

/* An Ethernet frame to broadcast with our EtherType around @msg. */
static void send_msg(const u8 *msg, size_t len, char mode)
{
	u8 f[FRAME_MAX + 32];

	if (len > FRAME_MAX)
		len = FRAME_MAX;
	memset(f, 0xff, 6);
	memcpy(f + 6, mymac, 6);
	f[12] = AIOTSEC_ETHERTYPE >> 8;
	f[13] = AIOTSEC_ETHERTYPE & 0xff;
	memcpy(f + 14, msg, len);
	send_raw(fd, f, 14 + len, mode);
}

static void remember(const u8 *msg, unsigned int len)
{
	unsigned int i = nring++ % RING;

	memcpy(ring[i].b, msg, len);
	ring[i].len = len;
}

static void remember_ct(const u8 *nn)
{
	memcpy(cts[ncts++ % RING], nn, 4);
}

/* A well-formed response with a given CT and random everything else. */
static size_t forge(const u8 *ct, u8 *out)
{
	bool auth = rndn(&r, 2);
	u8 pol = dev_policy(rndn(&r, 8)), caplen = 0;
	u16 plen = 0;
	size_t len;

	if (auth) {
		pol &= AIOTSEC_POL_AUTH_MASK;
		caplen = rndn(&r, 4) ? 0 : rndn(&r, AIOTSEC_CAPLEN_MAX + 1);
		len = aiot_auth_resp_len(pol, caplen);
	} else {
		plen = rndn(&r, 4) ? rndn(&r, 17) : rndn(&r, AIOTSEC_PLEN_MAX + 1);
		len = aiot_cmd_resp_len(pol, plen);
	}
	rndbuf(&r, out, len);
	aiot_put_hdr(out, auth ? AIOT_MSG_AUTH_RESP : AIOT_MSG_CMD_RESP,
		     pol);
	memcpy(out + AIOT_HDR_LEN, ct, 4);
	if (auth)
		out[AIOT_HDR_LEN + 4 + 16 + 16] = caplen;
	else
		put_unaligned_be16(plen, out + AIOT_HDR_LEN + 4 + 16);
	return len;
}

static void forged_flood(unsigned int k);
static unsigned int forged_first;

/*
 * A forged INV_RESP on a recent INVENTORY's CT: with @sniffed a recent
 * genuine answer with its RID kept (DN and MAC random, or all of it
 * replayed), else a random RID. 0 if there is none to forge from.
 */
static size_t inv_forge(bool sniffed, u8 *out)
{
	unsigned int i;
	size_t len;
	u8 caplen;

	if (sniffed) {
		if (!niring)
			return 0;
		i = (niring - 1 - rndn(&r, niring < 8 ? niring : 8)) % RING;
		len = iring[i].len;
		memcpy(out, iring[i].b, len);
		if (rndn(&r, 4)) {
			rndbuf(&r, out + AIOT_HDR_LEN + AIOT_CT_LEN, AIOT_NONCE_LEN);
			rndbuf(&r, out + len - aiot_mac_len(out[2]),
			       aiot_mac_len(out[2]));
		}
		return len;
	}
	if (!ninvs)
		return 0;
	i = (ninvs - 1 - rndn(&r, ninvs < 4 ? ninvs : 4)) % RING;
	caplen = rndn(&r, 4) ? 6 : rndn(&r, AIOTSEC_CAPLEN_MAX + 1);
	len = aiot_inv_resp_len(invs[i].policy, caplen);
	rndbuf(&r, out, len);
	aiot_put_hdr(out, AIOT_MSG_INV_RESP, invs[i].policy);
	memcpy(out + AIOT_HDR_LEN, invs[i].nn, AIOT_CT_LEN);
	out[AIOT_HDR_LEN + AIOT_CT_LEN + AIOT_NONCE_LEN + AIOT_RID_LEN] = caplen;
	return len;
}

/* Every device answers an INVENTORY it matches, after forged INV_RESPs. */
static void answer_inventory(const struct aiot_msg *m)
{
	u8 out[AIOT_MSG_MAX], dn[16];
	struct aiot_cred c;
	unsigned int i, k;
	size_t len;
	int n;

	st.rx_req++;
	memcpy(invs[ninvs % RING].nn, m->nn, AIOT_NONCE_LEN);
	invs[ninvs++ % RING].policy = m->policy;
	for (k = 0; k < forged_first; k++) {
		len = inv_forge(false, out);
		if (len) {
			send_msg(out, len, 'i');
			st.forged++;
		}
	}
	for (i = 0; i < ndev; i++) {
		c.id = ids[i];
		c.hk = &hk[i];
		if (aiotdev_inventory_match((const u8[8]){ 0 }, m))
			break;
		rndbuf(&r, dn, sizeof(dn));
		n = aiotdev_inv_resp(&c, m->nn, dn, m->policy,
				     (const u8 *)"stress", 6, out);
		if (n < 0) {
			st.unmatched++;
			continue;
		}
		send_msg(out, n, 0);
		st.answered++;
		remember(out, n);
		memcpy(iring[niring % RING].b, out, n);
		iring[niring++ % RING].len = n;
	}
}

static void answer(const u8 *buf, size_t len)
{
	u8 out[AIOT_MSG_MAX], pay[AIOTSEC_PLEN_MAX], dn[16];
	struct aiot_msg m;
	struct aiot_cred c;
	unsigned int i;
	int n = -1;

	if (aiot_parse(buf, len, &m) != AIOTSEC_DROP_NONE)
		return;
	if (m.type == AIOT_MSG_INVENTORY) {
		answer_inventory(&m);
		return;
	}
	if (m.type != AIOT_MSG_PAGING && m.type != AIOT_MSG_COMMAND)
		return;
	st.rx_req++;
	remember_ct(m.nn);
	/* forged answers first, while the transaction is pending */
	forged_flood(forged_first);
	rndbuf(&r, dn, sizeof(dn));
	for (i = 0; i < ndev; i++) {
		c.id = ids[i];
		c.hk = &hk[i];
		if (m.type == AIOT_MSG_PAGING) {
			if (aiotdev_paging_match(&c, &m) != AIOTSEC_DROP_NONE)
				continue;
			n = aiotdev_auth_resp(&c, m.nn, dn, m.policy,
					      (const u8 *)"stress", 6, out);
		} else {
			if (aiotdev_command_open(&c, &m, pay) != AIOTSEC_DROP_NONE)
				continue;
			n = aiotdev_cmd_resp(&c, m.nn, dn, m.policy, pay,
					     m.plen, out);
		}
		break;
	}
	if (n < 0) {
		st.unmatched++;
		return;
	}
	send_msg(out, n, 0);
	st.answered++;
	remember(out, n);
}

static bool unknown_cts;

static void forged_flood(unsigned int k)
{
	u8 out[AIOT_MSG_MAX], ct[4];
	size_t len;

	while (inv_flood && k--) {
		len = inv_forge(!unknown_cts, out);
		if (!len)
			return;
		send_msg(out, len, unknown_cts ? 'i' : 'j');
		st.forged++;
	}
	while (k-- && ncts) {
		rndbuf(&r, ct, 4);
		len = forge(unknown_cts ? ct :
			    cts[(ncts - 1 - rndn(&r, ncts < 4 ? ncts : 4)) % RING],
			    out);
		send_msg(out, len, 'c');
		st.forged++;
	}
}

/* A copy of a recent genuine response, or a forged one when none yet. */
static size_t base(u8 *out)
{
	u8 ct[4];

	if (nring) {
		unsigned int i = (nring - 1 - rndn(&r, nring < RING ? nring : RING)) % RING;

		memcpy(out, ring[i].b, ring[i].len);
		return ring[i].len;
	}
	rndbuf(&r, ct, 4);
	return forge(ct, out);
}

static void send_vnet(const u8 *msg, size_t len, bool gso)
{
	static u8 f[sizeof(struct virtio_net_hdr) + 65536];
	struct virtio_net_hdr *vh = (void *)f;

	if (vfd < 0)
		return;
	if (len > sizeof(f) - sizeof(*vh) - 14)
		len = sizeof(f) - sizeof(*vh) - 14;
	memset(vh, 0, sizeof(*vh));
	vh->hdr_len = 14 + rndn(&r, 8);
	if (gso && len >= 14 + 8 + 20) {
		/*
		 * Our EtherType has no transport header for the flow
		 * dissector: claim a checksum offload instead, which is what
		 * lets a GSO frame of any protocol through.
		 */
		bool udp = rndn(&r, 2);

		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->gso_type = udp ? VIRTIO_NET_HDR_GSO_UDP :
			       VIRTIO_NET_HDR_GSO_TCPV4;
		vh->gso_size = 64 + rndn(&r, 1400);
		vh->csum_start = 14 + rndn(&r, 8);
		vh->csum_offset = udp ? 6 : 16;
	}
	memset(f + sizeof(*vh), 0xff, 6);
	memcpy(f + sizeof(*vh) + 6, mymac, 6);
	f[sizeof(*vh) + 12] = AIOTSEC_ETHERTYPE >> 8;
	f[sizeof(*vh) + 13] = AIOTSEC_ETHERTYPE & 0xff;
	memcpy(f + sizeof(*vh) + 14, msg, len);
	send_raw(vfd, f, sizeof(*vh) + 14 + len, 'g');
}

static void background(const char *modes)
{
	static u8 msg[FRAME_MAX];
	char mode = modes[rndn(&r, strlen(modes))];
	size_t len, n;
	u8 f[FRAME_MAX + 32];

	switch (mode) {
	case 'r':
		len = rndn(&r, 3) ? rndn(&r, 120) : rndn(&r, 1500);
		rndbuf(&r, msg, len);
		if (len && rndn(&r, 2))
			msg[0] = 0x10 | rndn(&r, 6);
		send_msg(msg, len, mode);
		break;
	case 't':
		len = base(msg);
		send_msg(msg, rndn(&r, len), mode);
		break;
	case 'b':
		len = base(msg);
		n = 1 + rndn(&r, 3);
		while (n--)
			msg[rndn(&r, len)] ^= 1 << rndn(&r, 8);
		send_msg(msg, len, mode);
		break;
	case 'p':
		len = base(msg);
		send_msg(msg, len, mode);
		break;
	case 'c':
		if (!ncts)
			return;
		forged_flood(1);
		break;
	case 'i':
	case 'j':
		len = inv_forge(mode == 'j', msg);
		if (len)
			send_msg(msg, len, mode);
		break;
	case 'o':
		len = base(msg);
		n = rndn(&r, 2) ? rndn(&r, 64) : rndn(&r, (mtu > 100 ? mtu : 1500) - len);
		rndbuf(&r, msg + len, n);
		send_msg(msg, len + n, mode);
		break;
	case 'g':
		len = base(msg);
		n = rndn(&r, 2) ? 0 : rndn(&r, 8000);
		rndbuf(&r, msg + len, n);
		send_vnet(msg, len + n, rndn(&r, 2));
		break;
	case 'v':
		len = base(msg);
		memset(f, 0xff, 6);
		memcpy(f + 6, mymac, 6);
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = rndn(&r, 16);	/* PCP/DEI/VID high, VID 0 sometimes */
		f[15] = rndn(&r, 2) ? 0 : rndn(&r, 256);
		f[16] = AIOTSEC_ETHERTYPE >> 8;
		f[17] = AIOTSEC_ETHERTYPE & 0xff;
		memcpy(f + 18, msg, len);
		send_raw(fd, f, 18 + len, mode);
		break;
	case 'h':
		len = base(msg);
		switch (rndn(&r, 6)) {
		case 0: msg[0] = rnd(&r); break;
		case 1: msg[1] = rnd(&r); break;
		case 2: msg[2] = rnd(&r); break;
		case 3: msg[0] = (msg[0] & 0xf0) | rndn(&r, 16); break;
		default:
			if ((msg[0] & 0x0f) == AIOT_MSG_AUTH_RESP)
				msg[AIOT_HDR_LEN + 36] = rnd(&r);
			else if (len > AIOT_HDR_LEN + 22)
				put_unaligned_be16(rnd(&r), msg + AIOT_HDR_LEN + 20);
		}
		send_msg(msg, len, mode);
		break;
	}
}

static int open_if(const char *name)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int one = 1, sz = 4 << 20;

	fd = socket(AF_PACKET, SOCK_RAW, htons(AIOTSEC_ETHERTYPE));
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(mymac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	sa.sll_protocol = htons(AIOTSEC_ETHERTYPE);
	sa.sll_ifindex = ifindex;
	if (bind(fd, (void *)&sa, sizeof(sa)) < 0)
		return -1;
	/* a second socket, send only, with virtio-net headers */
	vfd = socket(AF_PACKET, SOCK_RAW, 0);
	if (vfd >= 0 && setsockopt(vfd, SOL_PACKET, PACKET_VNET_HDR, &one,
				   sizeof(one)) < 0) {
		close(vfd);
		vfd = -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *modes = "rtbpcogvhij";
	unsigned int forged = 4, i, burst = 8;
	uint64_t seed = 1;
	double secs = 10, end;
	bool quiet = false;
	u8 key[32], buf[FRAME_MAX];
	int c;

	while ((c = getopt(argc, argv, "i:s:n:t:f:m:qb:UR")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': ndev = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'f': forged = atoi(optarg); break;
		case 'm': modes = optarg; break;
		case 'q': quiet = true; break;
		case 'b': burst = atoi(optarg); break;
		case 'U': unknown_cts = true; break;
		case 'R': inv_flood = true; break;
		default:
			fprintf(stderr, "usage: frfuzz -i IFNAME [-s SEED] [-n N] "
				"[-t SECONDS] [-f FORGED] [-m MODES] [-q] [-b BURST] [-U] [-R]\n");
			return 2;
		}
	}
	if (!ifname || ndev > MAXDEV || !*modes) {
		fprintf(stderr, "frfuzz: -i IFNAME needed, -n at most %d\n", MAXDEV);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	r.s = seed ^ (uint64_t)getpid() << 16;
	for (i = 0; i < ndev; i++) {
		unsigned int kl = dev_key(seed, i, key);

		dev_id('R', i, ids[i]);
		if (aiot_hkey_init(&hk[i], key, kl)) {
			fprintf(stderr, "frfuzz: key %u\n", i);
			return 1;
		}
	}
	if (open_if(ifname)) {
		perror("frfuzz: AF_PACKET");
		return 1;
	}
	signal(SIGTERM, on_term);
	forged_first = forged;
	end = now() + secs;
	while (now() < end && !stop) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, quiet && !(inv_flood ? ninvs : ncts) ? 50 : 0) > 0) {
			while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
				if (n > ETH_HLEN)
					answer(buf + ETH_HLEN, n - ETH_HLEN);
			}
		}
		if (quiet) {
			forged_flood((inv_flood ? ninvs : ncts) ? burst : 0);
			continue;
		}
		for (i = 0; i < burst; i++)
			background(modes);
	}
	printf("FRFUZZ if=%s sent=%lu send_err=%lu requests=%lu answered=%lu "
	       "unmatched=%lu forged=%lu", ifname, st.sent, st.send_err,
	       st.rx_req, st.answered, st.unmatched, st.forged);
	for (i = 0; i < 26; i++)
		if (st.mode[i])
			printf(" m_%c=%lu", 'a' + i, st.mode[i]);
	printf("\n");
	return 0;
}
