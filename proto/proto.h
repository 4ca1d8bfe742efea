/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The protocol core of profile v1.1 (PROTOCOL.md), one copy built both into
 * aiotsec.ko and into user space (aiotctl, the simulator, the host tests):
 *   wire.h        the wire constants the netlink API does not carry
 *   codec.c       frame layout and every validity rule; no cryptography
 *   prim.h        suite 1 primitives, two implementations side by side:
 *                 prim_lib.c (the kernel's lib/crypto), prim_ossl.c (OpenSSL)
 *   kdf.c         key and ID derivation, NEA2/NIA2 framing, protected IDs
 *                 and payloads, the key fingerprint
 *   aiotf.c       the network (AIoTF) role: build requests, verify answers
 *   aiotdev.c     the device role: verify requests, build answers (KUnit,
 *                 simulator and tools only; not in aiotsec.ko)
 *   compat.h      the kernel names the core uses (compat_user.h in user space)
 */
#ifndef _AIOT_PROTO_H
#define _AIOT_PROTO_H

#include "codec.h"
#include "prim.h"

/* A KDF output split: Kenc and Kint (or their uplink twins). */
struct aiot_keys {
	u8 enc[16];
	u8 integ[16];
};

/* A device's identity and prepared key, as both roles hold them. */
struct aiot_cred {
	const u8 *id;			/* AIOTSEC_ID_LEN */
	const struct aiot_hkey *hk;
};

/* Derivations (PROTOCOL.md "Key and identifier derivation"). */
int aiot_kdf(const struct aiot_hkey *hk, u8 fc, const u8 *p0, size_t l0,
	     const u8 *p1, size_t l1, const u8 *p2, size_t l2,
	     u8 out[AIOT_HMAC_LEN]);
u64 aiot_key_fp(const struct aiot_hkey *hk);
int aiot_derive_dl(const struct aiot_hkey *hk, const u8 *nn,
		   struct aiot_keys *k);
int aiot_derive_ul(const struct aiot_hkey *hk, const u8 *nn, const u8 *dn,
		   struct aiot_keys *k);

/* 128-NEA2 and 128-NIA2 (whole bytes) with an explicit COUNT. */
int aiot_nea2(const u8 key[16], u32 count, u8 bearer, u8 dir,
	      const u8 *in, u8 *out, size_t len);
int aiot_nia2(const u8 key[16], u32 count, u8 bearer, u8 dir,
	      const u8 *a, size_t alen, const u8 *b, size_t blen,
	      u8 mac[AIOT_MAC_MAX]);

/* Pieces both roles build messages from (kdf.c). */
bool aiot_idp_is_tid(u8 policy);
bool aiot_ct_matches(const struct aiot_msg *m, const u8 *nn);
int aiot_pid_dl(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		const struct aiot_keys *k, u8 pid[AIOT_PID_LEN]);
int aiot_pid_ul(const struct aiot_cred *dev, const u8 *nn, const u8 *dn,
		u8 policy, const struct aiot_keys *k, u8 pid[AIOT_PID_LEN]);
int aiot_put_payload(const struct aiot_keys *k, u8 dir, u8 policy, u8 *hdr,
		     u8 *p, const u8 *payload, u16 plen);
enum aiotsec_drop aiot_open_payload(const struct aiot_keys *k, u8 dir,
				    const struct aiot_msg *m, u8 *payload);
/* RID = KDF(K, 0xA6, NN, ID)[0..7] (v1.1 inventory). */
int aiot_rid(const struct aiot_cred *dev, const u8 *nn, u8 rid[AIOT_RID_LEN]);

/*
 * Network (AIoTF) role (aiotf.c). Builders write the whole message into @out (room
 * for AIOT_MSG_MAX) and return its length or a negative errno. Verifiers
 * take a parsed response and return AIOTSEC_DROP_NONE or the drop reason.
 */
int aiotf_paging(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		 u8 *out);
enum aiotsec_drop aiotf_auth_resp(const struct aiot_cred *dev,
				  const u8 *nn, u8 paging_policy,
				  u8 min_policy, const struct aiot_msg *m);
/*
 * Inventory (v1.1). aiotf_inventory() builds the INVENTORY (no
 * cryptography: it names no device); @policy may carry only ML and
 * @filter must be valid for @fbits. aiotf_inv_resp() verifies an INV_RESP
 * to the INVENTORY of @nn and @inv_policy for the candidate @dev whose RID
 * (computed beforehand, aiot_rid()) is @rid: type, CT, policy (the
 * INVENTORY's, and at least @min_policy), RID, then the MAC.
 */
int aiotf_inventory(const u8 *nn, u8 policy, u8 fbits, const u8 *filter,
		    u8 *out);
enum aiotsec_drop aiotf_inv_resp(const struct aiot_cred *dev, const u8 *nn,
				 u8 inv_policy, u8 min_policy, const u8 *rid,
				 const struct aiot_msg *m);
int aiotf_command(const struct aiot_cred *dev, const u8 *nn, u8 policy,
		  const u8 *payload, u16 plen, u8 *out);
/* On success the plain payload (m->plen bytes) is written to @payload. */
enum aiotsec_drop aiotf_cmd_resp(const struct aiot_cred *dev,
				 const u8 *nn, u8 min_policy,
				 const struct aiot_msg *m, u8 *payload);

/*
 * Device role (aiotdev.c). aiotdev_paging_match() is the whole cost a non-target device
 * pays for a PAGING; aiotdev_command_open() verifies a COMMAND and writes
 * its plain payload. Both return AIOTSEC_DROP_NONE or the reason.
 */
enum aiotsec_drop aiotdev_paging_match(const struct aiot_cred *dev,
				       const struct aiot_msg *m);
int aiotdev_auth_resp(const struct aiot_cred *dev, const u8 *nn,
		      const u8 *dn, u8 policy, const u8 *cap, u8 caplen,
		      u8 *out);
enum aiotsec_drop aiotdev_command_open(const struct aiot_cred *dev,
				       const struct aiot_msg *m, u8 *payload);
int aiotdev_cmd_resp(const struct aiot_cred *dev, const u8 *nn,
		     const u8 *dn, u8 policy, const u8 *payload, u16 plen,
		     u8 *out);

/*
 * Inventory, device side (v1.1). aiotdev_inventory_match() is all that a
 * device outside the filter does: a parsed INVENTORY against its public
 * GROUP, no cryptography (AIOTSEC_DROP_NONE on a match, AIOTSEC_DROP_ID
 * when the filter misses). A matching device answers at most once per NN
 * (an aiotdev_replay window of the inventories it answered), then builds
 * its INV_RESP with aiotdev_inv_resp() under the INVENTORY's @policy.
 */
enum aiotsec_drop aiotdev_inventory_match(const u8 group[AIOTSEC_GROUP_LEN],
					  const struct aiot_msg *m);
int aiotdev_inv_resp(const struct aiot_cred *dev, const u8 *nn,
		     const u8 *dn, u8 policy, const u8 *cap, u8 caplen,
		     u8 *out);

/*
 * The device replay defence (PROTOCOL.md, Procedures; not in Solution #9):
 * a COMMAND is fresh only by its NN, so a device keeps the NNs of the last
 * AIOTDEV_REPLAY_WINDOW COMMANDs it acted on and ignores a verified
 * COMMAND whose NN is among them. Zeroed memory is an empty window. The
 * NN is public: plain comparisons.
 */
#define AIOTDEV_REPLAY_WINDOW	64

struct aiotdev_replay {
	u8 nn[AIOTDEV_REPLAY_WINDOW][AIOT_NONCE_LEN];
	u8 next;			/* the slot the next NN takes */
	u8 used;			/* slots filled so far */
};

/* Has the device acted on a COMMAND with this NN recently? */
bool aiotdev_replay_seen(const struct aiotdev_replay *w, const u8 *nn);
/* Remember @nn as acted on; the oldest of a full window goes. */
void aiotdev_replay_note(struct aiotdev_replay *w, const u8 *nn);

#endif /* _AIOT_PROTO_H */
