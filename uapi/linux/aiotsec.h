/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * aiotsec: 3GPP TR 33.713 Solution #9 (AIoT device authentication and data
 * communication security), wire and crypto profile v1.
 *
 * This header is the profile as user space sees it through the generic
 * netlink API of the aiotsec module: the sizes of what it carries, the
 * security policy byte, the drop reasons it counts, then the API itself.
 * The rest of the wire format (message layouts, function codes, BEARER
 * and DIR) is private to the protocol core, proto/wire.h.
 */
#ifndef _UAPI_LINUX_AIOTSEC_H
#define _UAPI_LINUX_AIOTSEC_H

/* Readers carry one message per Ethernet frame of this EtherType. */
#define AIOTSEC_ETHERTYPE	0x88B5

/* Sizes, in bytes, of what the API carries. */
#define AIOTSEC_ID_LEN		16	/* AIoT Device ID, left-padded with zeros */
#define AIOTSEC_KEY_LEN_128	16	/* Device Authentication Key sizes */
#define AIOTSEC_KEY_LEN_256	32
#define AIOTSEC_PLEN_MAX	1024	/* payload of COMMAND / CMD_RESP */
#define AIOTSEC_CAPLEN_MAX	32	/* capability of AUTH_RESP, INV_RESP */
#define AIOTSEC_GROUP_LEN	8	/* a device's public group (v1.1) */

/*
 * Security policy byte.
 *   bits 0-1  IDP  ID protection: 1 encrypted ID, 2 temporary ID
 *   bit  2    PC   payload confidentiality (NEA2, BEARER 1)
 *   bit  3    PI   payload integrity: MAC over HDR || PLEN || SP, BEARER 1
 *   bit  4    MI   whole-message integrity: MAC over all before it, BEARER 2
 *   bits 5-6  ML   MAC length: 0 -> 4, 1 -> 8, 2 -> 16 bytes
 *   bit  7    must be 0
 * COMMAND/CMD_RESP: exactly one of PI, MI. PAGING/AUTH_RESP: PC=PI=MI=0.
 */
#define AIOTSEC_POL_IDP_MASK	0x03
#define AIOTSEC_POL_IDP_ENC	0x01
#define AIOTSEC_POL_IDP_TID	0x02
#define AIOTSEC_POL_PC		0x04
#define AIOTSEC_POL_PI		0x08
#define AIOTSEC_POL_MI		0x10
#define AIOTSEC_POL_ML_SHIFT	5
#define AIOTSEC_POL_ML_MASK	0x60
#define AIOTSEC_POL_RESERVED	0x80
/* Fields a PAGING / AUTH_RESP carries (IDP and ML). */
#define AIOTSEC_POL_AUTH_MASK	(AIOTSEC_POL_IDP_MASK | AIOTSEC_POL_ML_MASK)

/*
 * Why a frame or response was rejected; the codec's error codes. Counted
 * per reason in AIOTSEC_STAT_DROPS (enum aiotsec_drops_attr).
 */
enum aiotsec_drop {
	AIOTSEC_DROP_NONE = 0,
	AIOTSEC_DROP_SHORT,		/* shorter than its own fields say */
	AIOTSEC_DROP_VERSION,		/* HDR version is not 1 */
	AIOTSEC_DROP_SUITE,		/* HDR suite is not 1 */
	AIOTSEC_DROP_TYPE,		/* type unknown or wrong direction */
	AIOTSEC_DROP_POLICY,		/* policy byte invalid for the type */
	AIOTSEC_DROP_PLEN,		/* PLEN over 1024 */
	AIOTSEC_DROP_CAPLEN,		/* CAPLEN over 32 */
	AIOTSEC_DROP_TRAILING,		/* bytes after the message, not padding */
	AIOTSEC_DROP_UNKNOWN_CT,	/* no pending transaction has this CT */
	AIOTSEC_DROP_MAC,		/* MAC verification failed */
	AIOTSEC_DROP_ID,		/* PID* does not match the device */
	AIOTSEC_DROP_DOWNGRADE,		/* policy below the device's minimum */
	AIOTSEC_DROP_NO_DEVICE,		/* device deleted while pending */
	AIOTSEC_DROP_NOT_RESPONSE,	/* a PAGING or COMMAND: not for us */
	AIOTSEC_DROP_OTHERHOST,		/* unicast to another host */
	AIOTSEC_DROP_FILTER,		/* INVENTORY: FBITS over 64, or a filter
					 * bit past FBITS set (v1.1)
					 */
	AIOTSEC_DROP_UNKNOWN_RID,	/* INV_RESP: no candidate of its round
					 * has its RID (no cryptography done)
					 */
	AIOTSEC_DROP_REPLAY,		/* INV_RESP: a second valid answer of a
					 * device in one round
					 */
	__AIOTSEC_DROP_MAX
};

#define AIOTSEC_DROP_MAX (__AIOTSEC_DROP_MAX - 1)

/*
 * Generic netlink API of aiotsec.ko
 * =================================
 *
 * Family AIOTSEC_GENL_NAME, version AIOTSEC_GENL_VERSION, multicast group
 * AIOTSEC_GENL_MCGRP_EVENTS. All state is per network namespace: a request
 * acts on the namespace of the socket that sends it.
 *
 * Permissions. Every command, reads included, is "admin": it needs
 * CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (GENL_UNS_ADMIN_PERM), and so does joining the events group
 * (GENL_MCAST_CAP_NET_ADMIN). Reads are admin-only because they show what
 * the protocol hides on the air: which device IDs exist, their key
 * fingerprints and their activity. The namespace's owner, not the initial
 * namespace's (GENL_ADMIN_PERM), because each namespace's state is its
 * own: a container that runs a reader manages and reads its own devices.
 * What one namespace can make the kernel hold is bounded instead: see
 * AIOTSEC_CMD_SET_CONFIG. Without the capability a command fails with
 * -EPERM before the module sees it (no extack message).
 *
 * Memory. Devices, their counters and transactions are charged to the
 * memory cgroup of the process whose request creates them (the device
 * table's hash buckets, about 8 bytes a device, are not: 6.1's rhashtable
 * cannot charge them).
 *
 * Errors. Every request the module rejects carries an extack message
 * naming the attribute at fault (NLMSGERR_ATTR_MSG, and NLMSGERR_ATTR_OFFS
 * where there is one attribute to point at), and a rejected request
 * changes nothing: an error from AUTH/COMMAND means that no frame of it
 * was sent. A message may hold each top-level attribute at most
 * once, and each AIOTSEC_A_DEVICE each of its attributes at most once: a
 * second one is -EINVAL ("attribute given twice").
 *
 * Keys in error ACKs. The module zeroes every AIOTSEC_DEV_A_KEY of a
 * message in place (in every AIOTSEC_A_DEVICES of it, whatever the
 * command) before the request returns, on success and on every error
 * path, so an ACK that echoes the request shows zeros. But generic
 * netlink rejects some requests before the module runs: a policy failure
 * (e.g. a key of 20 bytes), -EPERM for want of CAP_NET_ADMIN, NLM_F_DUMP on
 * a doit-only command, an unknown command. Its error ACK echoes the whole
 * request, keys included, to the sender, unless the sender set the socket
 * option NETLINK_CAP_ACK (aiotctl sets it). A sender of keys should set it.
 *
 * AIOTSEC_CMD_GET_CONFIG (doit, admin)
 *	Reply: AIOTSEC_A_TIMEOUT_MS, AIOTSEC_A_MAX_PENDING,
 *	AIOTSEC_A_MAX_DEVICES, AIOTSEC_A_MAX_REJECTS, and the read-only
 *	AIOTSEC_A_NUM_DEVICES, AIOTSEC_A_NUM_PENDING; AIOTSEC_A_MIN_GROUP
 *	and AIOTSEC_A_MAX_ROUNDS (v1.1); AIOTSEC_A_LIMITS, this module's
 *	limits (enum aiotsec_limit_attr, one u32 each): the most each
 *	setting of AIOTSEC_CMD_SET_CONFIG accepts, the most entries of an
 *	AIOTSEC_A_DEV_IDS, the AIOTSEC_F_* flags it knows. They are not
 *	constants of this header: another version of the module may change
 *	them, so a program reads them here (the settings' ranges and the
 *	flag mask are also in the family's policy dump, CTRL_CMD_GETPOLICY).
 *
 * AIOTSEC_CMD_SET_CONFIG (doit, admin)
 *	Any of AIOTSEC_A_TIMEOUT_MS (default transaction timeout, 1 ms to
 *	AIOTSEC_LIM_A_TIMEOUT_MS), AIOTSEC_A_MAX_PENDING (1 to
 *	AIOTSEC_LIM_A_MAX_PENDING), AIOTSEC_A_MAX_DEVICES (1 to
 *	AIOTSEC_LIM_A_MAX_DEVICES; may not go below the current count),
 *	AIOTSEC_A_MAX_REJECTS (the profile's MAX_REJECTS: responses that
 *	fail verification against one pending transaction before it ends
 *	as failed, for a device whose AIOTSEC_DEV_A_MIN_POLICY allows a
 *	4-byte MAC; with 8 or 16 bytes failures are counted, never fatal;
 *	1 to AIOTSEC_LIM_A_MAX_REJECTS, default
 *	AIOTSEC_MAX_REJECTS_DEFAULT; a transaction keeps the value it
 *	started with).
 *	(The ranges: AIOTSEC_A_LIMITS of AIOTSEC_CMD_GET_CONFIG.)
 *	The limits AIOTSEC_A_MAX_DEVICES, AIOTSEC_A_MAX_PENDING and
 *	AIOTSEC_A_MAX_REJECTS may go above their defaults
 *	(AIOTSEC_MAX_DEVICES_DEFAULT, AIOTSEC_MAX_PENDING_DEFAULT,
 *	AIOTSEC_MAX_REJECTS_DEFAULT) only with CAP_NET_ADMIN in the initial
 *	user namespace; otherwise -EPERM, with an extack message naming the
 *	attribute (more rejects per transaction weaken the bound on forgery
 *	that MAX_REJECTS exists for). AIOTSEC_A_TIMEOUT_MS is not
 *	restricted: it bounds how long a transaction is held, not how many
 *	are.
 *	Inventory (v1.1): AIOTSEC_A_MIN_GROUP (the profile's MIN_GROUP: the
 *	fewest devices a filter with FBITS > 0 may match; 1 to
 *	AIOTSEC_LIM_A_MIN_GROUP, default AIOTSEC_MIN_GROUP_DEFAULT) may go
 *	below its default only with CAP_NET_ADMIN in the initial user
 *	namespace (a smaller group tells the air more about who is here);
 *	AIOTSEC_A_MAX_ROUNDS (inventory rounds in flight in the namespace,
 *	1 to AIOTSEC_LIM_A_MAX_ROUNDS, default AIOTSEC_MAX_ROUNDS_DEFAULT;
 *	each holds about 40 bytes per candidate) may go above its default
 *	only with it.
 *
 * AIOTSEC_CMD_ADD_READER, AIOTSEC_CMD_DEL_READER (doit, admin)
 *	AIOTSEC_A_IFINDEX or AIOTSEC_A_IFNAME: bind or unbind an interface.
 *	Frames of AIOTSEC_ETHERTYPE received on a bound interface enter the
 *	module (each reader has a packet handler for its interface alone);
 *	frames of any other interface are never seen, not even counted.
 *	Requests go out on it. An interface that goes away is unbound by
 *	itself.
 *
 * AIOTSEC_CMD_GET_READER (dump, admin)
 *	One message per reader: AIOTSEC_A_IFINDEX, AIOTSEC_A_IFNAME. A dump
 *	that spans a change (a reader bound or unbound, an interface of the
 *	namespace registered or unregistered) is flagged NLM_F_DUMP_INTR.
 *
 * AIOTSEC_CMD_ADD_DEVICES (doit, admin)
 *	AIOTSEC_A_DEVICES: a nest of AIOTSEC_A_DEVICE nests, each with
 *	AIOTSEC_DEV_A_ID, AIOTSEC_DEV_A_KEY, AIOTSEC_DEV_A_POLICY and
 *	optionally AIOTSEC_DEV_A_MIN_POLICY (default: the policy itself)
 *	and AIOTSEC_DEV_A_GROUP (default: all zero), the device's public
 *	8-byte inventory group of profile v1.1, as the device holds it
 *	(bytes in wire order; an inventory filter matches its first bits).
 *	AIOTSEC_A_FLAGS may hold AIOTSEC_F_REPLACE (a flag the module does
 *	not know, not in AIOTSEC_LIM_A_FLAGS, is -EINVAL): an existing device is
 *	replaced (its key wiped; its policies and group are the new
 *	entry's, a group left out is zero); without it an existing ID is
 *	-EEXIST.
 *	All or nothing: any invalid entry, a duplicate ID within the
 *	message, or exceeding AIOTSEC_A_MAX_DEVICES fails the whole message.
 *	(A nest is at most 64 KiB: about a thousand devices per message.)
 *	Keys are write-only: no command returns them, and the module wipes
 *	them from the request (see "Keys in error ACKs" above). A
 *	replaced device keeps its counters. Reply: AIOTSEC_A_NUM_DEVICES
 *	(as for AIOTSEC_CMD_DEL_DEVICES; a reply that cannot be queued
 *	leaves the change made, and an ACK asked for says 0).
 *
 * AIOTSEC_CMD_DEL_DEVICES (doit, admin)
 *	AIOTSEC_A_DEVICES with AIOTSEC_A_DEVICE nests holding only
 *	AIOTSEC_DEV_A_ID. All or nothing: an unknown ID is -ENOENT.
 *
 * AIOTSEC_CMD_FLUSH_DEVICES (doit, admin)
 *	Delete every device of the namespace.
 *
 * AIOTSEC_CMD_GET_DEVICE (doit with AIOTSEC_A_DEV_ID, or dump; admin)
 *	One AIOTSEC_A_DEVICE nest per device: AIOTSEC_DEV_A_ID,
 *	AIOTSEC_DEV_A_POLICY, AIOTSEC_DEV_A_MIN_POLICY,
 *	AIOTSEC_DEV_A_KEY_FP (a 64-bit fingerprint, never the key: a keyed
 *	hash with a function code of its own, SHA-256((K ^ opad) ||
 *	0xA5)[0..7], K zero-padded to 64 bytes, big-endian),
 *	AIOTSEC_DEV_A_KEY_LEN, AIOTSEC_DEV_A_GROUP and
 *	AIOTSEC_DEV_A_STATS. A dump continues
 *	across messages; one that raced a change is flagged NLM_F_DUMP_INTR.
 *
 * AIOTSEC_CMD_AUTH (doit, admin)
 *	AIOTSEC_A_DEV_ID, optional AIOTSEC_A_IFINDEX (the reader; default:
 *	the first bound), AIOTSEC_A_POLICY (default: the device's policy;
 *	only IDP and ML are used; its MAC length may not be shorter than
 *	the device's AIOTSEC_DEV_A_MIN_POLICY's, else -EINVAL with the
 *	message "AIOTSEC_A_POLICY: below the device's
 *	AIOTSEC_DEV_A_MIN_POLICY"), AIOTSEC_A_TIMEOUT_MS. Sends a PAGING and
 *	replies at once with AIOTSEC_A_COOKIE. The result comes as an
 *	AIOTSEC_CMD_EVENT_AUTH, AIOTSEC_CMD_EVENT_TIMEOUT or
 *	AIOTSEC_CMD_EVENT_REJECTED event (see "Results" below). A reader
 *	that is down (not running, no carrier, no qdisc) is -ENETDOWN, a
 *	message longer than its MTU -EMSGSIZE, a transmit the interface
 *	refuses -ENOBUFS (or its error). Any error means nothing was sent:
 *	no transaction is left and no event follows. Once the frame is
 *	out, the transaction goes ahead whatever becomes of the reply: a
 *	reply that cannot be queued (the requester's receive buffer is
 *	full) is dropped, the request still succeeds (an ACK asked for with
 *	NLM_F_ACK says 0), the requester sees ENOBUFS on its next receive,
 *	and the transaction's result still comes to it, carrying
 *	AIOTSEC_A_SEQ, the sequence number of the request, so that a
 *	requester that lost a reply can tell what its request started (see
 *	"Results"). The timer starts only after the reply.
 *
 *	Batches: instead of AIOTSEC_A_DEV_ID, AIOTSEC_A_DEV_IDS, a nest of
 *	1 to AIOTSEC_LIM_A_BATCH AIOTSEC_A_DEV_ID entries (both attributes:
 *	-EINVAL). Every other attribute applies to each device. Checked all
 *	or nothing before any frame is sent: an entry that is not a 16-byte
 *	AIOTSEC_A_DEV_ID or repeats an earlier one (-EINVAL), an unknown
 *	device (-ENOENT), a policy below a device's minimum (-EINVAL) fail
 *	the message, with NLMSGERR_ATTR_OFFS at the entry; no bound reader
 *	is -ENODEV, too little room under AIOTSEC_A_MAX_PENDING for the
 *	whole list -EBUSY (offset at AIOTSEC_A_DEV_IDS). Then a transaction
 *	starts for each device in turn, and the reply holds AIOTSEC_A_RESULTS:
 *	one AIOTSEC_A_RESULT per entry, in request order, with
 *	AIOTSEC_RES_A_DEV_ID, AIOTSEC_RES_A_COOKIE and AIOTSEC_RES_A_ERROR.
 *	An error there (positive errno: ENETDOWN, EMSGSIZE, ENOBUFS or
 *	another transmit error, ENOMEM for want of memory for its
 *	transaction or frame, ENOENT for a device deleted meanwhile, EINVAL
 *	for one replaced meanwhile with a minimum above the policy, ENODEV
 *	when the namespace or the module is going away, or the pending
 *	table's error inserting it) means that device's request was not
 *	sent: its cookie is 0 and no event follows for it. Such
 *	errors do not fail the message. If the reply cannot be queued, every
 *	transaction of the message goes ahead, as for one device: their
 *	results carry the message's AIOTSEC_A_SEQ and their AIOTSEC_A_DEV_ID.
 *	The reply is sized to its contents (about 44 bytes a device,
 *	45 KiB for 1,024): a reader should take messages of
 *	that size (libnl: nl_socket_enable_msg_peek()).
 *
 * AIOTSEC_CMD_COMMAND (doit, admin)
 *	AIOTSEC_A_DEV_ID, AIOTSEC_A_PAYLOAD (0 to AIOTSEC_PLEN_MAX bytes),
 *	optional AIOTSEC_A_POLICY, AIOTSEC_A_IFINDEX, AIOTSEC_A_TIMEOUT_MS,
 *	AIOTSEC_A_DEST_MAC (unicast destination; default broadcast).
 *	AIOTSEC_A_POLICY must meet the device's AIOTSEC_DEV_A_MIN_POLICY
 *	(PC where it has PC, MI where it has MI, MAC not shorter: the rule
 *	for responses), else -EINVAL with the message as for AUTH.
 *	Replies with AIOTSEC_A_COOKIE; the result comes as an
 *	AIOTSEC_CMD_EVENT_COMMAND, AIOTSEC_CMD_EVENT_TIMEOUT or
 *	AIOTSEC_CMD_EVENT_REJECTED event. Errors, and batches with
 *	AIOTSEC_A_DEV_IDS (the same payload to each device), as for
 *	AIOTSEC_CMD_AUTH.
 *
 * AIOTSEC_CMD_INVENTORY (doit, admin; profile v1.1)
 *	Which of the namespace's devices are here? Optional attributes:
 *	AIOTSEC_A_IFINDEX (the reader; default: the first bound),
 *	AIOTSEC_A_POLICY (the INVENTORY's policy byte: only ML, bits 5-6;
 *	default 0x40, 16-byte MACs), AIOTSEC_A_FBITS (0..64, default 0)
 *	and AIOTSEC_A_FILTER (exactly ceil(FBITS/8) bytes, no bit set past
 *	FBITS; absent when FBITS is 0), AIOTSEC_A_TIMEOUT_MS (the round's
 *	window; default AIOTSEC_A_TIMEOUT_MS of the namespace) and
 *	AIOTSEC_A_STOP_COUNT (end the round once that many devices are
 *	found; 0 or absent: no such end).
 *	The candidates are the devices whose AIOTSEC_DEV_A_GROUP matches
 *	the filter when the request is made (its first FBITS bits equal
 *	the filter's). Refused, with nothing sent: a filter (FBITS > 0)
 *	that matches fewer than AIOTSEC_A_MIN_GROUP devices (-EPERM: it
 *	would announce the presence of a handful of devices), a policy
 *	whose MAC is shorter than a candidate's AIOTSEC_DEV_A_MIN_POLICY
 *	allows (-EINVAL, as for AIOTSEC_CMD_AUTH), no candidate at all (-ENOENT), more rounds in
 *	flight in the namespace than AIOTSEC_A_MAX_ROUNDS (-EBUSY), a
 *	reader unbound or the namespace or module going away while the
 *	request computes (-ECANCELED), a device table still being resized
 *	after about a second of retries (-EAGAIN: try again; only right
 *	after a large add or delete), and the errors of AIOTSEC_CMD_AUTH
 *	(reader, transmit). Before the frame leaves, the module computes
 *	each candidate's RID for this round (on every online CPU; the
 *	request waits for it), so that an answer costs O(1) and one of an
 *	unknown device no cryptography at all.
 *	Reply (once the INVENTORY is on the air): AIOTSEC_A_COOKIE and
 *	AIOTSEC_A_CANDIDATES. Then, on the requesting socket (as for
 *	AIOTSEC_CMD_AUTH, each with AIOTSEC_A_SEQ, never before the reply)
 *	and to the events group, one AIOTSEC_CMD_EVENT_INV_FOUND per
 *	device found, and one AIOTSEC_CMD_EVENT_INV_DONE when the round
 *	ends: at its window, at its stop count, when every candidate has
 *	answered, or when its reader is unbound. A round whose frame went
 *	out goes ahead whatever becomes of the reply. Namespace exit and
 *	module unload end rounds without an event.
 *	Devices deleted or replaced during a round: a candidate is named by
 *	its ID; an answer is verified with the device that has that ID
 *	when the answer arrives. A deleted device is never reported (its
 *	answer counts as the drop AIOTSEC_DROP_NO_DEVICE); a replaced one
 *	is verified with its replacement's key and minimum policy (the
 *	round's RID came from the old key: with a new key, a genuine
 *	answer has another RID and counts as unknown). Devices added
 *	during a round are not its candidates.
 *	Per answer: AIOTSEC_DROP_UNKNOWN_CT without a live round of its CT
 *	on its reader, AIOTSEC_DROP_UNKNOWN_RID without a candidate of its
 *	RID, AIOTSEC_DROP_DOWNGRADE if its policy is not the INVENTORY's,
 *	AIOTSEC_DROP_MAC (counted against the candidate; where the device's
 *	minimum allows a 4-byte MAC, AIOTSEC_A_MAX_REJECTS of them close
 *	the candidate for the round: later answers with its RID are
 *	dropped as AIOTSEC_DROP_MAC without cryptography), or
 *	AIOTSEC_DROP_REPLAY for a second valid answer of a found device.
 *	Candidates whose 8-byte RIDs collide are each tried: the MAC
 *	decides.
 *	What inventory hides (PROTOCOL.md v1.1): a passive listener learns
 *	that devices of the filtered group answered, and how many, never
 *	which; RIDs of two rounds are unlinkable (fresh NN).
 *
 * AIOTSEC_CMD_GET_STATS (doit, admin)
 *	Reply: AIOTSEC_A_STATS, the namespace's counters.
 *
 * Events, on AIOTSEC_GENL_MCGRP_EVENTS:
 *	AIOTSEC_CMD_EVENT_AUTH: AIOTSEC_A_COOKIE, AIOTSEC_A_DEV_ID,
 *		AIOTSEC_A_IFINDEX, AIOTSEC_A_POLICY (of the response),
 *		AIOTSEC_A_CAP (the device's capability, maybe empty),
 *		AIOTSEC_A_REJECTS (responses that failed verification
 *		against it before the genuine one).
 *	AIOTSEC_CMD_EVENT_COMMAND: AIOTSEC_A_COOKIE, AIOTSEC_A_DEV_ID,
 *		AIOTSEC_A_IFINDEX, AIOTSEC_A_POLICY, AIOTSEC_A_PAYLOAD (the
 *		verified, decrypted response payload), AIOTSEC_A_REJECTS.
 *	AIOTSEC_CMD_EVENT_TIMEOUT: AIOTSEC_A_COOKIE, AIOTSEC_A_DEV_ID,
 *		AIOTSEC_A_IFINDEX, AIOTSEC_A_TXN_TYPE (AIOTSEC_CMD_AUTH or
 *		AIOTSEC_CMD_COMMAND),
 *		AIOTSEC_A_REJECTS (responses that failed verification while
 *		it was pending).
 *	AIOTSEC_CMD_EVENT_INV_FOUND: AIOTSEC_A_COOKIE (the round's),
 *		AIOTSEC_A_DEV_ID, AIOTSEC_A_IFINDEX, AIOTSEC_A_POLICY,
 *		AIOTSEC_A_CAP, AIOTSEC_A_REJECTS (failed MACs counted
 *		against this device in the round), AIOTSEC_A_SEQ for the
 *		requester. At most once per device and round.
 *	AIOTSEC_CMD_EVENT_INV_DONE: AIOTSEC_A_COOKIE, AIOTSEC_A_IFINDEX,
 *		AIOTSEC_A_CANDIDATES (those with a device when their RID
 *		was computed), AIOTSEC_A_FOUND, AIOTSEC_A_UNKNOWN_RIDS,
 *		AIOTSEC_A_FAILED_MACS, AIOTSEC_A_REPLAYS and
 *		AIOTSEC_A_INV_END (enum aiotsec_inv_end), AIOTSEC_A_SEQ.
 *	AIOTSEC_CMD_EVENT_REJECTED: the transaction ended as failed because
 *		AIOTSEC_A_MAX_REJECTS responses failed verification against
 *		it (PROTOCOL.md, MAX_REJECTS), which happens only where the
 *		device's minimum policy allows a 4-byte MAC (ML = 0): with
 *		8 or 16 bytes no forgery can be searched for, and junk frames
 *		with a sniffed CT must not end a genuine transaction; no
 *		TIMEOUT follows. The same
 *		attributes as AIOTSEC_CMD_EVENT_TIMEOUT: AIOTSEC_A_COOKIE,
 *		AIOTSEC_A_DEV_ID, AIOTSEC_A_IFINDEX, AIOTSEC_A_TXN_TYPE,
 *		AIOTSEC_A_REJECTS (at least the MAX_REJECTS it started with).
 *	Each transaction ends with exactly one of these events (or none,
 *	if its namespace or the module goes away first, or the event
 *	cannot be allocated: counted in AIOTSEC_STAT_EVENTS_LOST). Each
 *	event of a transaction started by a user socket also carries
 *	AIOTSEC_A_SEQ, the nlmsg_seq of the AUTH/COMMAND message.
 *
 * Results. Each event of a transaction goes to two places:
 *   - to the socket that sent its AUTH/COMMAND: queued on that socket
 *     object itself, held by reference from the request, never sent by
 *     portid, so a socket that later binds the same portid (af_netlink
 *     frees a portid before anyone hears that its socket closed) never
 *     gets a device ID, capability or payload that another asked for.
 *     Never before the reply that carries its cookie: a result verified
 *     earlier is held and queued right after the reply (or after the
 *     attempt, if the reply could not be queued). It may come before
 *     that request's ACK (NLM_F_ACK). A requester needs no group
 *     membership; one that also joined the events group sees each of
 *     its results twice. Results bypass netlink taps (nlmon).
 *   - to the events group, unchanged, for monitors.
 *   A requester that closes its socket leaves its transactions to
 *   complete or expire as usual; their events still go to the group,
 *   and each result it can no longer get is counted in
 *   AIOTSEC_STAT_RESULTS_ORPHANED. A result the requester cannot take
 *   (its receive buffer is full) is dropped and counted in
 *   AIOTSEC_STAT_RESULTS_LOST; the requester sees ENOBUFS on its next
 *   receive. A dropped result never holds up the requester's later
 *   replies (netlink's congestion state is not touched by results).
 *   AIOTSEC_STAT_EVENTS_LOST counts events that could not be built and
 *   group deliveries that failed, but netlink reports a listener's full
 *   buffer to the sender only if that listener set
 *   NETLINK_BROADCAST_ERROR (aiotctl monitor does): for any other
 *   listener an overrun shows only at the listener, as ENOBUFS.
 *   Decrypted payloads travel in these messages and are not wiped when
 *   freed; a host that must not leave them in freed memory boots with
 *   init_on_free=1.
 *
 * Kernels: the module needs GENL_MCAST_CAP_NET_ADMIN, in mainline since
 * 6.7 and in Debian 12's 6.1 since linux 6.1.176-1 (bookworm-security);
 * it does not build against older headers, where nothing would keep
 * unprivileged users out of the events group.
 */
#define AIOTSEC_GENL_NAME		"aiotsec"
#define AIOTSEC_GENL_VERSION		1
#define AIOTSEC_GENL_MCGRP_EVENTS	"events"

/*
 * The settings of a new namespace. Above its default (below, for
 * MIN_GROUP) a setting needs CAP_NET_ADMIN in the initial user namespace
 * (AIOTSEC_CMD_SET_CONFIG). How far each may go is the module's:
 * AIOTSEC_A_LIMITS.
 */
#define AIOTSEC_TIMEOUT_DEFAULT_MS	5000
#define AIOTSEC_MAX_PENDING_DEFAULT	65536
#define AIOTSEC_MAX_DEVICES_DEFAULT	0x200000
#define AIOTSEC_MAX_REJECTS_DEFAULT	8
/* Fewest devices a filtered inventory may match (PROTOCOL.md MIN_GROUP). */
#define AIOTSEC_MIN_GROUP_DEFAULT	16
/* Inventory rounds in flight in one namespace. */
#define AIOTSEC_MAX_ROUNDS_DEFAULT	4

/* Why an inventory round ended (AIOTSEC_A_INV_END). */
enum aiotsec_inv_end {
	AIOTSEC_INV_END_WINDOW = 1,	/* its window (AIOTSEC_A_TIMEOUT_MS) */
	AIOTSEC_INV_END_STOP,		/* AIOTSEC_A_STOP_COUNT devices found */
	AIOTSEC_INV_END_ALL,		/* every candidate answered */
	AIOTSEC_INV_END_CANCELLED,	/* its reader was unbound */
};

enum aiotsec_cmd {
	AIOTSEC_CMD_UNSPEC,
	AIOTSEC_CMD_GET_CONFIG,
	AIOTSEC_CMD_SET_CONFIG,
	AIOTSEC_CMD_ADD_READER,
	AIOTSEC_CMD_DEL_READER,
	AIOTSEC_CMD_GET_READER,
	AIOTSEC_CMD_ADD_DEVICES,
	AIOTSEC_CMD_DEL_DEVICES,
	AIOTSEC_CMD_FLUSH_DEVICES,
	AIOTSEC_CMD_GET_DEVICE,
	AIOTSEC_CMD_AUTH,
	AIOTSEC_CMD_COMMAND,
	AIOTSEC_CMD_GET_STATS,
	AIOTSEC_CMD_EVENT_AUTH,
	AIOTSEC_CMD_EVENT_COMMAND,
	AIOTSEC_CMD_EVENT_TIMEOUT,
	AIOTSEC_CMD_EVENT_REJECTED,
	AIOTSEC_CMD_INVENTORY,
	AIOTSEC_CMD_EVENT_INV_FOUND,
	AIOTSEC_CMD_EVENT_INV_DONE,
	__AIOTSEC_CMD_MAX
};

#define AIOTSEC_CMD_MAX (__AIOTSEC_CMD_MAX - 1)

/* Flags of AIOTSEC_A_FLAGS. */
#define AIOTSEC_F_REPLACE	0x1

enum aiotsec_attr {
	AIOTSEC_A_UNSPEC,
	AIOTSEC_A_PAD,
	AIOTSEC_A_IFINDEX,		/* u32 */
	AIOTSEC_A_IFNAME,		/* string, < IFNAMSIZ */
	AIOTSEC_A_FLAGS,		/* u32, AIOTSEC_F_* */
	AIOTSEC_A_DEVICES,		/* nest of AIOTSEC_A_DEVICE */
	AIOTSEC_A_DEVICE,		/* nest, enum aiotsec_dev_attr */
	AIOTSEC_A_DEV_ID,		/* binary, AIOTSEC_ID_LEN */
	AIOTSEC_A_COOKIE,		/* u64 */
	AIOTSEC_A_POLICY,		/* u8, policy byte */
	AIOTSEC_A_PAYLOAD,		/* binary, <= AIOTSEC_PLEN_MAX */
	AIOTSEC_A_CAP,			/* binary, <= AIOTSEC_CAPLEN_MAX */
	AIOTSEC_A_TIMEOUT_MS,		/* u32 */
	AIOTSEC_A_DEST_MAC,		/* binary, 6 bytes */
	AIOTSEC_A_TXN_TYPE,		/* u8, AIOTSEC_CMD_AUTH or _COMMAND */
	AIOTSEC_A_REJECTS,		/* u32 */
	AIOTSEC_A_MAX_PENDING,		/* u32 */
	AIOTSEC_A_MAX_DEVICES,		/* u32 */
	AIOTSEC_A_NUM_DEVICES,		/* u32, read-only */
	AIOTSEC_A_NUM_PENDING,		/* u32, read-only */
	AIOTSEC_A_STATS,		/* nest, enum aiotsec_stat */
	AIOTSEC_A_MAX_REJECTS,		/* u32 */
	AIOTSEC_A_DEV_IDS,		/* nest of AIOTSEC_A_DEV_ID */
	AIOTSEC_A_RESULTS,		/* nest of AIOTSEC_A_RESULT */
	AIOTSEC_A_RESULT,		/* nest, enum aiotsec_res_attr */
	AIOTSEC_A_SEQ,			/* u32, nlmsg_seq of the request */
	AIOTSEC_A_FBITS,		/* u32, 0..64 (v1.1 inventory) */
	AIOTSEC_A_FILTER,		/* binary, ceil(FBITS/8) bytes */
	AIOTSEC_A_STOP_COUNT,		/* u32 */
	AIOTSEC_A_MIN_GROUP,		/* u32 */
	AIOTSEC_A_MAX_ROUNDS,		/* u32 */
	AIOTSEC_A_CANDIDATES,		/* u32 */
	AIOTSEC_A_FOUND,		/* u32 */
	AIOTSEC_A_UNKNOWN_RIDS,		/* u32 */
	AIOTSEC_A_FAILED_MACS,		/* u32 */
	AIOTSEC_A_REPLAYS,		/* u32 */
	AIOTSEC_A_INV_END,		/* u32, enum aiotsec_inv_end */
	AIOTSEC_A_LIMITS,		/* nest, enum aiotsec_limit_attr */
	__AIOTSEC_A_MAX
};

#define AIOTSEC_A_MAX (__AIOTSEC_A_MAX - 1)

enum aiotsec_dev_attr {
	AIOTSEC_DEV_A_UNSPEC,
	AIOTSEC_DEV_A_PAD,
	AIOTSEC_DEV_A_ID,		/* binary, AIOTSEC_ID_LEN */
	AIOTSEC_DEV_A_KEY,		/* binary, 16 or 32; write-only */
	AIOTSEC_DEV_A_POLICY,		/* u8: default request policy */
	AIOTSEC_DEV_A_MIN_POLICY,	/* u8: weakest response accepted */
	AIOTSEC_DEV_A_KEY_FP,		/* u64, read-only fingerprint */
	AIOTSEC_DEV_A_KEY_LEN,		/* u8, read-only */
	AIOTSEC_DEV_A_STATS,		/* nest, enum aiotsec_stat */
	AIOTSEC_DEV_A_GROUP,		/* binary, AIOTSEC_GROUP_LEN (v1.1) */
	__AIOTSEC_DEV_A_MAX
};

#define AIOTSEC_DEV_A_MAX (__AIOTSEC_DEV_A_MAX - 1)

/* One device of a batch request's reply (AIOTSEC_A_RESULT). */
enum aiotsec_res_attr {
	AIOTSEC_RES_A_UNSPEC,
	AIOTSEC_RES_A_PAD,
	AIOTSEC_RES_A_DEV_ID,		/* binary, AIOTSEC_ID_LEN */
	AIOTSEC_RES_A_COOKIE,		/* u64, 0: no transaction */
	AIOTSEC_RES_A_ERROR,		/* u32, 0 or a positive errno */
	__AIOTSEC_RES_A_MAX
};

#define AIOTSEC_RES_A_MAX (__AIOTSEC_RES_A_MAX - 1)

/*
 * Inside AIOTSEC_A_LIMITS (AIOTSEC_CMD_GET_CONFIG): this module's limits,
 * u32 each, read-only. A setting's range is 1 to its limit.
 */
enum aiotsec_limit_attr {
	AIOTSEC_LIM_A_UNSPEC,
	AIOTSEC_LIM_A_TIMEOUT_MS,	/* most AIOTSEC_A_TIMEOUT_MS, in ms */
	AIOTSEC_LIM_A_MAX_PENDING,	/* most AIOTSEC_A_MAX_PENDING */
	AIOTSEC_LIM_A_MAX_DEVICES,	/* most AIOTSEC_A_MAX_DEVICES */
	AIOTSEC_LIM_A_MAX_REJECTS,	/* most AIOTSEC_A_MAX_REJECTS */
	AIOTSEC_LIM_A_MIN_GROUP,	/* most AIOTSEC_A_MIN_GROUP */
	AIOTSEC_LIM_A_MAX_ROUNDS,	/* most AIOTSEC_A_MAX_ROUNDS */
	AIOTSEC_LIM_A_BATCH,		/* most entries of AIOTSEC_A_DEV_IDS */
	AIOTSEC_LIM_A_FLAGS,		/* AIOTSEC_F_* flags the module knows */
	__AIOTSEC_LIM_A_MAX
};

#define AIOTSEC_LIM_A_MAX (__AIOTSEC_LIM_A_MAX - 1)

/*
 * Counters, u64 each. The namespace has all of them; a device has the
 * AUTH_*, CMD_* and TIMEOUTS ones. AIOTSEC_STAT_DROPS nests one u64 per
 * drop reason, in an attribute set of its own (below).
 */
enum aiotsec_stat {
	AIOTSEC_STAT_UNSPEC,
	AIOTSEC_STAT_PAD,
	AIOTSEC_STAT_RX_FRAMES,		/* frames of our EtherType seen */
	AIOTSEC_STAT_TX_FRAMES,		/* requests transmitted */
	AIOTSEC_STAT_AUTH_OK,		/* authentications verified */
	AIOTSEC_STAT_AUTH_FAIL,		/* AUTH_RESPs that failed verification */
	AIOTSEC_STAT_CMD_OK,		/* command responses verified */
	AIOTSEC_STAT_CMD_FAIL,		/* CMD_RESPs that failed verification */
	AIOTSEC_STAT_TIMEOUTS,		/* transactions expired */
	AIOTSEC_STAT_EVENTS_LOST,	/* events that could not be sent */
	AIOTSEC_STAT_DROPS,		/* nest: u64 per enum aiotsec_drop */
	AIOTSEC_STAT_RESULTS_LOST,	/* results the requester could not take */
	AIOTSEC_STAT_RESULTS_ORPHANED,	/* results whose requester had gone */
	AIOTSEC_STAT_INV_ROUNDS,	/* inventory rounds sent */
	AIOTSEC_STAT_INV_FOUND,		/* devices found by inventory */
	AIOTSEC_STAT_INV_FAIL,		/* INV_RESPs whose MAC failed */
	__AIOTSEC_STAT_MAX
};

#define AIOTSEC_STAT_MAX (__AIOTSEC_STAT_MAX - 1)

/*
 * Inside AIOTSEC_STAT_DROPS: the counter of reason R (enum aiotsec_drop,
 * from 1) is attribute AIOTSEC_DROPS_A_REASON(R); AIOTSEC_DROPS_A_PAD
 * aligns the u64s where an architecture needs it.
 */
enum aiotsec_drops_attr {
	AIOTSEC_DROPS_A_UNSPEC,
	AIOTSEC_DROPS_A_PAD,
};

#define AIOTSEC_DROPS_A_REASON(r)	(AIOTSEC_DROPS_A_PAD + (r))
#define AIOTSEC_DROPS_A_MAX		AIOTSEC_DROPS_A_REASON(AIOTSEC_DROP_MAX)

#endif /* _UAPI_LINUX_AIOTSEC_H */
