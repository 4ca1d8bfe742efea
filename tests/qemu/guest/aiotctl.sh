#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of the aiotctl tests (scripts/stages/60-agent.sh, under
# tests/qemu/vm.sh): every command and error path of aiotctl against the
# real module, on a veth reader (veth0) with, by turns, no device, a fake
# device (fakedev, the shared protocol core's device role) and a fake device
# whose MACs are wrong behind it (veth1). TAP on stdout.
#
#   aiotctl.sh [--big]   --big adds the 1,000,000-device load, dump and sync
#
# Expects in /aiotsec: aiotsec.ko, aiotctl, and the helpers genkeys,
# dropcap, jsonchk, fakedev (make agent-vm-tools).
M=/aiotsec
A=$M/aiotctl
J=$M/jsonchk
BIG=0
[ "${1:-}" = --big ] && BIG=1
T=/tmp/aiotctl-test
rm -rf $T && mkdir -p $T
# shellcheck source-path=SCRIPTDIR source=../../lib/tap.sh
. $M/tap.sh
TAP_OUT=$T/out TAP_LAST=$T/last TAP_HEAD=20

# t DESC WANT_STATUS PATTERN CMD...: CMD must exit WANT_STATUS and print
# (stdout or stderr) a line matching PATTERN (grep -E; "" for none). Its
# output stays in $T/last.
t() { tap_run "$@"; }

# ok DESC CMD...: a check that only has to succeed.
ok() {
	desc=$1
	shift
	t "$desc" 0 "" "$@"
}

# Output of a command into a file, for the checks after it.
run() {	# run FILE CMD...
	f=$1
	shift
	"$@" >"$f" 2>&1
}

uptime_cs() {	# centiseconds since boot
	awk '{ split($1, a, "."); print a[1] * 100 + substr(a[2] "00", 1, 2) }' /proc/uptime
}

count_rows() {	# data rows of a human table (header excluded)
	awk 'NR > 1' "$1" | wc -l | tr -d ' '
}

cfg() {	# value of a config show field
	$A config show | awk -v k="$1" '$1 == k { print $2 }'
}

# Wait until N sockets have joined a generic netlink multicast group.
wait_subscribed() {
	i=0
	while [ $i -lt 100 ]; do
		awk -v want="$1" '$2 == 16 && $4 != "00000000" { n++ } END { exit n < want }' \
			/proc/net/netlink 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1
}

# The plan comes first (scripts/tapsum.py counts only results after it):
# every check is a line of this file starting with 't "' or 'ok "' (and
# not a helper's '"$desc"'), those
# of the 1,000,000-device section only with --big.
plan() {
	awk -v big=$BIG '/^# ---- 1,000,000/ { inbig = 1 }
		inbig && /^fi$/ { inbig = 0 }
		/^[ \t]*(t|ok) "[^$]/ && (big || !inbig) { n++ }
		END { print n }' "$0"
}

echo "TAP version 13"
echo "1..$(plan)"

# ---- before the module ------------------------------------------------------

t "no module: one clear line, exit 1" 1 \
	"^aiotctl: aiotsec module not loaded \(modprobe aiotsec / insmod aiotsec.ko\)$" \
	$A config show
ok "insmod aiotsec.ko" insmod $M/aiotsec.ko

# ---- setup ------------------------------------------------------------------

ip link add veth0 type veth peer name veth1 &&
	ip link set veth0 up && ip link set veth1 up
K16=000102030405060708090a0b0c0d0e0f
K32=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
umask 077
echo $K16 >$T/k16
echo $K32 >$T/k32
echo ${K16}00000000 >$T/k20

# ---- config -----------------------------------------------------------------

t "config show: the defaults" 0 "^timeout_ms +5000$" $A config show
t "config show: no devices" 0 "^num_devices +0$" $A config show
run $T/cfg.json $A -j config show
t "config show -j is valid JSON" 0 "^1$" $J <$T/cfg.json
t "config show -j has max_devices" 0 '"max_devices":2097152' cat $T/cfg.json
ok "config set timeout 1500 max-pending 100" $A config set timeout 1500 max-pending 100
t "config show: the new timeout" 0 "^timeout_ms +1500$" $A config show
t "config show: the new max-pending" 0 "^max_pending +100$" $A config show
t "config set timeout 0: at least 1, exit 2" 2 \
	"^aiotctl: config set: timeout: at least 1 ms \('0'\)$" \
	$A config set timeout 0
t "config set max-devices 0: at least 1, exit 2" 2 "config set: max-devices: at least 1 " $A config set max-devices 0
# The upper ends come from the module (AIOTSEC_A_LIMITS of GET_CONFIG),
# today's figures: one more is refused, named with the module's limit,
# before anything is sent; the limit itself is taken.
limit() {	# limit SETTING LIMIT [UNIT]
	t "config set $1 $(($2 + 1)): the module's limit named, exit 2" 2 \
		"^aiotctl: config set: $1: 1 to $2${3:+ $3}, the module's limit \('$(($2 + 1))'\)$" \
		$A config set "$1" $(($2 + 1))
	ok "config set $1 $2: the limit is taken" $A config set "$1" "$2"
}
limit timeout 600000 ms
limit max-pending 1048576
limit max-devices 67108864
limit max-rejects 256
t "config show: the limits set" 0 "^max_rejects +256$" $A config show
ok "config set: back to the defaults" \
	$A config set timeout 1500 max-pending 100 max-devices 2097152 max-rejects 8
t "inventory window 600001: the module's limit named, exit 2" 2 \
	"^aiotctl: inventory: window: 1 to 600000 ms, the module's limit \('600001'\)$" \
	$A inventory window 600001
t "config set: unknown setting is a usage error" 2 "unknown setting" $A config set frob 1
t "config show: min_group, the default 16" 0 "^min_group +16$" $A config show
t "config show: max_rounds, the default 4" 0 "^max_rounds +4$" $A config show
t "config show -j: min_group and max_rounds" 0 '"min_group":16,"max_rounds":4' $A -j config show
ok "config set min-group 20 max-rounds 8" $A config set min-group 20 max-rounds 8
t "config show: min-group 20" 0 "^min_group +20$" $A config show
t "config show: max-rounds 8" 0 "^max_rounds +8$" $A config show
t "config set max-rounds 65: the module's range, the setting named" 1 \
	"^aiotctl: config set: max-rounds: integer out of range \[allowed: 1 to 64\] \(" \
	$A config set max-rounds 65
t "config set max-rounds 0: refused" 1 "^aiotctl: config set: max-rounds: integer out of range" \
	$A config set max-rounds 0
t "config set min-group 0: refused" 1 \
	"^aiotctl: config set: min-group: integer out of range \[allowed: 1 to 67108864\] \(" \
	$A config set min-group 0
t "config set min-group 67108865: refused" 1 "^aiotctl: config set: min-group: integer out of range" \
	$A config set min-group 67108865
t "config set: the good one beside a bad one is not applied either" 0 "^min_group +20$" \
	sh -c "$A config set min-group 30 max-rounds 65; $A config show"
ok "config set min-group 16 max-rounds 4 (the defaults)" $A config set min-group 16 max-rounds 4

# ---- readers ----------------------------------------------------------------

t "reader add on a nonexistent interface" 1 \
	"reader add nosuch0: no such interface" $A reader add nosuch0
ok "reader add veth0" $A reader add veth0
ip link add dn0 type dummy
t "reader add of an interface that is down: bound, with a warning" 0 \
	"warning: reader dn0 is down: nothing is sent or received on it until 'ip link set dn0 up'" \
	$A reader add dn0
ok "reader del dn0" $A reader del dn0
ip link del dn0
t "reader add veth0 twice: rejected, in CLI words" 1 "^aiotctl: reader add veth0: interface already bound as a reader \(" $A reader add veth0
t "reader show lists veth0" 0 "^[0-9]+ +veth0$" $A reader show
run $T/rd.json $A -j reader show
t "reader show -j: valid, one reader" 0 "^1$" $J <$T/rd.json
ok "reader add veth1" $A reader add veth1
ok "reader del veth1" $A reader del veth1
t "reader del veth1 again: not bound, named" 1 "^aiotctl: reader del veth1: interface not bound as a reader \(" $A reader del veth1

# ---- devices ----------------------------------------------------------------

ok "device add 01 (16-byte key from a file)" \
	$A device add 01 key $T/k16 policy tid,mi,mac=8
t "device show 01: the kernel's fingerprint of 00..0f" 0 \
	"^00000000000000000000000000000001  128  f8d991e3e7e59fda  tid,mi,mac=8 +tid,mi,mac=8 +0000000000000000 +0 +0 +0 +0 +0$" \
	$A device show 01
t "device add 01 twice: exists, without replace" 1 \
	"device add: device 01 exists \(use 'device replace'\)" \
	$A device add 01 key $T/k16 policy tid,mi,mac=8
ok "device replace 01 (32-byte key, new policy)" \
	$A device replace 01 key $T/k32 policy enc,pc,pi,mac=16 min pc,mac=8
t "device show 01: replaced, 32-byte key's fingerprint" 0 \
	"^0+01  256  07af3d2941676409  enc,pc,pi,mac=16 +pc,mac=8 +0000000000000000 +0 +0 +0 +0 +0$" $A device show 01
ok "device add 02, key on standard input" \
	sh -c "$A device add e2801160600002040000a1b2 key - policy enc,pi <$T/k16"
t "device show: a 96-bit EPC ID is padded" 0 "^00000000e2801160600002040000a1b2 " \
	$A device show
t "bad policy string: usage error" 2 "pi and mi exclude each other" \
	$A device add 03 key $T/k16 policy tid,pi,mi
t "unknown policy token: usage error" 2 "unknown token 'foo'" \
	$A device add 03 key $T/k16 policy tid,foo
t "key file with 20 bytes" 1 "key file .*k20: KEY: 20 bytes, want 16 or 32" \
	$A device add 03 key $T/k20 policy tid,pi
printf '# test\n04 %s tid,mi\n05 %s00000000 tid,mi\n' $K16 $K16 >$T/bad.ks
t "key store with a bad key: file:line" 1 "bad.ks:3: KEY: 20 bytes" $A load $T/bad.ks
t "...and nothing was loaded" 0 "^num_devices +2$" $A config show
printf '04 %s tid,mi\n04 %s tid,mi\n' $K16 $K16 >$T/dup.ks
t "key store with a duplicate ID" 1 "dup.ks:2: ID 0+04: already on line 1" $A load $T/dup.ks
chmod 644 $T/k16
t "other-readable key file: refused" 1 "k16 holds keys and is readable by others \(chmod 600 it\), or pass --insecure-keys" \
	$A device add 06 key $T/k16 policy tid,pi
t "--insecure-keys: a warning, and it is added" 0 "warning: .*k16 holds keys and is readable by others" \
	$A --insecure-keys device add 06 key $T/k16 policy tid,pi
chmod 600 $T/k16
run $T/show $A device show
t "device show: three devices" 0 "^3$" count_rows $T/show
run $T/show.json $A -j device show
t "device show -j: valid JSON, three objects" 0 "^3$" $J <$T/show.json
t "device show -j: fingerprint, policies, stats" 0 \
	'"key_fp":"07af3d2941676409","policy":"enc,pc,pi,mac=16","min_policy":"pc,mac=8","group":"0000000000000000","stats":\{"auth_ok":0' \
	cat $T/show.json
ok "device del 06" $A device del 06
t "device del 06 again: no such device" 1 "^aiotctl: device del: no such device ID 0+06$" \
	$A device del 06
t "device del of two, one unknown: names it, deletes nothing" 1 \
	"no such device ID 0+07 \(nothing deleted\)" $A device del 01 07
t "...01 is still there" 0 "^0+01 " $A device show 01
t "device show of an unknown ID" 1 "^aiotctl: no such device ID 0+99$" $A device show 99

# The inventory group (profile v1.1): added, shown, replaced, left out.
ok "device add 07 group 4d41494e00000001" \
	$A device add 07 key $T/k16 policy tid,mi group 4d41494e00000001
t "device show 07: its group" 0 \
	"^0+07  128  f8d991e3e7e59fda  tid,mi,mac=4 +tid,mi,mac=4 +4d41494e00000001 +0 " $A device show 07
t "device show -j 07: \"group\"" 0 '"min_policy":"tid,mi,mac=4","group":"4d41494e00000001"' \
	$A -j device show 07
t "device show: the others' group is zero" 0 "^0+01  .* pc,mac=8 +0000000000000000 " $A device show
t "device add: a group of 7 bytes, nothing sent" 2 "device add: group: 14 hex digits, want 16" \
	$A device add 08 key $T/k16 policy tid,mi group 4d41494e000000
ok "device replace 07 group 4d41494e000000ff" \
	$A device replace 07 key $T/k16 policy tid,mi group 4d41494e000000ff
t "device show 07: the new group" 0 "^0+07  .* +4d41494e000000ff +0 " $A device show 07
ok "device replace 07 without a group" $A device replace 07 key $T/k16 policy tid,mi
t "device show 07: a group left out is zero" 0 "^0+07  .* +0000000000000000 +0 " $A device show 07
ok "device replace 07 group ffffffffffffffff (for the inventory below)" \
	$A device replace 07 key $T/k16 policy tid,mi group ffffffffffffffff

# ---- inventory (profile v1.1): nobody answers ------------------------------

t "inventory filter 00/1: fewer devices match than min-group" 1 \
	"^aiotctl: inventory: .*fewer devices than" $A inventory filter 00/1
t "inventory mac 4: below device 01's minimum (mac=8)" 1 \
	"^aiotctl: inventory: .*shorter MAC than" $A inventory mac 4 window 100
ok "config set min-group 1" $A config set min-group 1
t "inventory filter ff/8, min-group 1: device 07 alone, by its group" 0 \
	"^candidates 1 found 0 unknown_rids 0 failed_macs 0 replays 0 end window$" \
	$A inventory filter ff/8 window 100
t "inventory filter 00/1, min-group 2: 01 and the EPC device, not 07" 0 \
	"^candidates 2 found 0 " sh -c "$A config set min-group 2 && $A inventory filter 00/1 window 100"
t "inventory filter ff/8, min-group 2: one device is too few" 1 \
	"^aiotctl: inventory: .*fewer devices than min-group" $A inventory filter ff/8 window 100
ok "config set min-group 16" $A config set min-group 16
ok "device del 07" $A device del 07
t "inventory window 300, nobody answers: the summary" 0 \
	"^candidates 2 found 0 unknown_rids 0 failed_macs 0 replays 0 end window$" \
	$A inventory window 300
run $T/inv.json $A -j inventory window 200 stop 1
t "inventory -j: valid JSON, the summary" 0 "^1$" $J <$T/inv.json
t "inventory -j: the summary's fields" 0 '"event":"done","candidates":2,"found":0' cat $T/inv.json
t "stats: the rounds sent (two more with min-group lowered)" 0 "^inv_rounds +4$" $A stats

# ---- stats ------------------------------------------------------------------

t "stats: namespace counters" 0 "^tx_frames +[0-9]+$" $A stats
t "stats: drops by reason" 0 "^  unknown_ct +[0-9]+$" $A stats
run $T/st.json $A -j stats
t "stats -j: valid JSON" 0 "^1$" $J <$T/st.json
t "stats device 01" 0 "^  timeouts +0$" $A stats device 01
run $T/sd.json $A -j stats device 01
t "stats device -j: valid JSON" 0 "^1$" $J <$T/sd.json
t "stats device of an unknown ID" 1 "no such device ID" $A stats device 99

# ---- transactions: nobody answers -------------------------------------------

$A -j monitor count 3 timeout 60000 >$T/mon.json 2>$T/mon.err &
mpid=$!
$A monitor count 1 timeout 60000 >$T/mon.txt 2>&1 &
hpid=$!
wait_subscribed 2
t "auth with nobody answering: exit 3" 3 "auth 0+01: no response within 300 ms" \
	$A auth 01 timeout 300
t "command with nobody answering: exit 3" 3 "command 0+01: no response within 300 ms" \
	$A command 01 hello timeout 300
t "command: hex payload, policy, reader, unicast dest: exit 3" 3 "no response" \
	$A command e2801160600002040000a1b2 00ff10 hex policy tid,pc,mi,mac=16 \
	reader veth0 dest 02:00:00:00:00:01 timeout 200
wait $mpid
t "monitor count 3 ended by itself" 0 "" test $? = 0
wait $hpid
t "monitor -j: three valid JSON lines" 0 "^3$" $J --lines <$T/mon.json
t "monitor -j: a timeout event of the auth" 0 \
	'^\{"event":"timeout","cookie":[0-9]+,"id":"0+01","ifindex":[0-9]+,"reader":"veth0","txn":"auth","rejects":0\}$' \
	cat $T/mon.json
t "monitor -j: the command timeouts" 0 '"txn":"command"' cat $T/mon.json
t "monitor: one line per event" 0 \
	"^timeout cookie [0-9]+ id 0+01 reader veth0 txn auth rejects 0$" cat $T/mon.txt
t "monitor timeout with no event: exit 3, says what it saw" 3 \
	"monitor: timed out after 200 ms with 0 of 1 events seen" $A monitor count 1 timeout 200
t "auth -j: timeout event on stdout, exit 3" 3 '"event":"timeout"' \
	$A -j auth 01 policy tid,mac=8 timeout 200
t "auth of an unknown device" 1 "auth: .*no such device" $A auth 99 timeout 200
t "auth on a nonexistent reader" 1 "reader nosuch0: no such interface" \
	$A auth 01 reader nosuch0
t "auth on an interface that is not a reader" 1 "auth: interface not bound as a reader" \
	$A auth 01 reader lo timeout 200
t "command: invalid policy for a COMMAND (usage)" 2 "integrity is required" \
	$A command 01 hi policy tid
t "command: broadcast dest refused by the kernel" 1 "not a unicast address" \
	$A command 01 hi dest ff:ff:ff:ff:ff:ff timeout 200
t "stats: timeouts counted" 0 "^timeouts +[1-9][0-9]*$" $A stats
t "stats device 01: its timeouts" 0 "^  timeouts +[1-9]" $A stats device 01
t "config show: nothing pending after the timeouts" 0 "^num_pending +0$" $A config show

# ---- transactions: a device answers ------------------------------------------

# Wait until N packet sockets exist (fakedev bound to its interface).
wait_packet() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(awk 'NR > 1' /proc/net/packet 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
}

# The two devices, as the kernel has them now.
printf '01 %s enc,pc,pi,mac=16 pc,mac=8\ne2801160600002040000a1b2 %s enc,pi\n' \
	$K32 $K16 >$T/dev.ks
$M/fakedev veth1 $T/dev.ks cap 0a0b0c >$T/fake.out 2>&1 &
fpid=$!
wait_packet 1
t "auth answered: exit 0, the capability in hex" 0 \
	"^auth cookie [0-9]+ id 0+01 reader veth0 policy enc,mac=16 cap 0a0b0c$" \
	$A auth 01 timeout 5000
run $T/auth.json $A -j auth e2801160600002040000a1b2 policy tid,mac=8 timeout 5000
t "auth -j answered: valid JSON" 0 "^1$" $J <$T/auth.json
t "auth -j: the capability and the policy asked for" 0 \
	'"event":"auth",.*"policy":"tid,mac=8","cap":"0a0b0c"' cat $T/auth.json
t "command answered: the response payload, as hex and text" 0 \
	'^command cookie [0-9]+ id 0+01 reader veth0 policy enc,pc,pi,mac=16 payload 72653a68656c6c6f text "re:hello"$' \
	$A command 01 hello timeout 5000
t "command hex payload, another policy: no text for binary" 0 \
	"policy tid,pc,mi,mac=16 payload 72653a00ff$" \
	$A command 01 00ff hex policy tid,pc,mi,mac=16 timeout 5000
run $T/cmd.json $A -j command e2801160600002040000a1b2 "" timeout 5000
t "command -j, empty payload: valid JSON" 0 "^1$" $J <$T/cmd.json
t "command -j: the payload and its text" 0 '"payload":"72653a","text":"re:"' cat $T/cmd.json
t "a request below the device's minimum is refused: exit 1, the attribute named" 1 \
	"command: policy: below the device's min \(Invalid argument\)" \
	$A command 01 hi policy enc,pi,mac=16 timeout 1000
t "an auth below the device's minimum MAC length is refused" 1 \
	"auth: policy: below the device's min" \
	$A auth 01 policy enc,mac=4 timeout 1000
# Batches: many IDs on one socket, a line per device, the worst status.
t "auth of two devices at once: a line each, exit 0" 0 "^2$" \
	sh -c "$A auth 01 e2801160600002040000a1b2 timeout 5000 | grep -c '^auth cookie [0-9]* id 0*\(01\|e2801160600002040000a1b2\) reader veth0 '"
t "auth -j of IDs on standard input, window 1: an object each" 0 "^2$" \
	sh -c "printf '# two\\n01\\n\\ne2801160600002040000a1b2\\n' | $A -j auth - window 1 timeout 5000 | grep -c '\"event\":\"auth\"'"
printf '01\ne2801160600002040000a1b2\n' >$T/ids.txt
t "command to the devices of a file: both responses" 0 "^2$" \
	sh -c "$A command file $T/ids.txt payload hi window 2 fixed timeout 5000 | grep -c 'text \"re:hi\"'"
t "a batch with an unknown ID: exit 1, that ID named" 1 \
	"auth 0+99: AIOTSEC_A_DEV_IDS: no such device" \
	$A auth 01 99 e2801160600002040000a1b2 timeout 5000
t "a batch with an unknown ID: the others answered" 0 "^2$" \
	sh -c "$A auth 01 99 e2801160600002040000a1b2 timeout 5000 2>/dev/null | grep -c '^auth cookie'"
kill $fpid
wait $fpid 2>/dev/null
$M/fakedev veth1 $T/dev.ks badmac >$T/fake.out 2>&1 &
fpid=$!
wait_packet 1
t "auth answered with a bad MAC: exit 4" 4 \
	"auth 0+01: no valid response within 1000 ms: 1 response failed verification" \
	$A auth 01 timeout 1000
t "auth -j with a bad MAC: the timeout event has rejects 1" 4 '"rejects":1' \
	$A -j auth 01 timeout 1000
t "command answered with a bad MAC: exit 4" 4 "1 response failed verification" \
	$A command 01 hi timeout 1000
ok "config set max-rejects 1" $A config set max-rejects 1
t "max-rejects 1: the first forgery ends an auth whose device allows a 4-byte MAC, exit 4" 4 \
	"auth 0*e2801160600002040000a1b2: ended after 1 responses failed verification \(max-rejects\)" \
	$A auth e2801160600002040000a1b2 timeout 30000
t "max-rejects 1: not one whose device demands 8 bytes (junk cannot end it): it times out, exit 4" 4 \
	"auth 0+01: no valid response within 1000 ms: 1 response failed verification" \
	$A auth 01 timeout 1000
ok "config set max-rejects 8 (the default)" $A config set max-rejects 8
kill $fpid
wait $fpid 2>/dev/null
# Verified so far: 2 single auths, then the batches: 2 + 2, and the batch
# with an unknown ID twice (its 2 known devices resent each time): 10 auths
# (5 of them of device 01); 3 single commands and 2 from the file: 5.
# Failed: 3 auths of device 01 (bad MAC, -j, max-rejects 1 not binding it)
# and 1 of device 02 (ended by max-rejects 1).
t "stats: verified authentications" 0 "^auth_ok +10$" $A stats
t "stats: failed authentications" 0 "^auth_fail +4$" $A stats
t "stats: verified commands" 0 "^cmd_ok +5$" $A stats
t "stats: failed commands (the refused request sent nothing)" 0 "^cmd_fail +1$" $A stats
t "stats: no downgrade, none was sent" 0 "^  downgrade +0$" $A stats
t "stats device 01" 0 "^  auth_ok +5$" $A stats device 01
t "stats device 01: its failures" 0 "^  cmd_fail +1$" $A stats device 01
t "device show 01: the same counters in the table" 0 \
	"^0+01  256  07af3d2941676409  enc,pc,pi,mac=16 +pc,mac=8 +0000000000000000 +5 +3 +3 +1 +[1-9][0-9]*$" \
	$A device show 01
t "device show: the header, GROUP after MIN" 0 " POLICY +MIN +GROUP +AUTH_OK +AUTH_FAIL +CMD_OK +CMD_FAIL +TIMEOUTS$" \
	$A device show

# ---- without CAP_NET_ADMIN --------------------------------------------------

# Reads too: device IDs, fingerprints and activity are the namespace
# admin's (uapi header, Permissions).
D=$M/dropcap
t "unprivileged: config show refused" 1 "config show: needs CAP_NET_ADMIN" $D $A config show
t "unprivileged: device show refused" 1 "needs CAP_NET_ADMIN" $D $A device show
t "unprivileged: device show of one refused" 1 "needs CAP_NET_ADMIN" $D $A device show 01
t "unprivileged: reader show refused" 1 "reader show: needs CAP_NET_ADMIN" $D $A reader show
t "unprivileged: stats refused" 1 "stats: needs CAP_NET_ADMIN" $D $A stats
t "unprivileged: stats device refused" 1 "needs CAP_NET_ADMIN" $D $A stats device 01
t "unprivileged: device add refused" 1 "device add: needs CAP_NET_ADMIN" \
	$D $A device add 08 key $T/k16 policy tid,pi
printf '09 %s tid,mi\n' $K16 >$T/ok.ks
t "unprivileged: load refused" 1 "needs CAP_NET_ADMIN" $D $A load $T/ok.ks
t "unprivileged: config set refused" 1 "needs CAP_NET_ADMIN" $D $A config set timeout 100
t "unprivileged: auth refused" 1 "needs CAP_NET_ADMIN" $D $A auth 01 timeout 100
t "unprivileged: monitor refused" 1 "needs CAP_NET_ADMIN" $D $A monitor count 1
t "unprivileged: flush refused" 1 "needs CAP_NET_ADMIN" $D $A device flush

# ---- a user namespace of its own (unshare -rn, as Debian lets anyone) -------

U="unshare -rn"
t "userns: its own namespace, the defaults" 0 "^max_devices +2097152$" $U $A config show
t "userns: max-devices above the default refused, the attribute named" 1 \
	"config set: max-devices: above its default needs CAP_NET_ADMIN in the initial user namespace \(Operation not permitted\)" \
	$U $A config set max-devices 2097153
t "userns: max-pending above the default refused, the attribute named" 1 \
	"config set: max-pending: above its default needs CAP_NET_ADMIN" \
	$U $A config set max-pending 65537
t "userns: max-rejects above the default refused, the attribute named" 1 \
	"config set: max-rejects: above its default needs CAP_NET_ADMIN" \
	$U $A config set max-rejects 9
t "userns: min-group below the default refused, the setting named" 1 \
	"config set: min-group: below its default needs CAP_NET_ADMIN in the initial user namespace \(Operation not permitted\)" \
	$U $A config set min-group 15
t "userns: max-rounds above the default refused, the setting named" 1 \
	"config set: max-rounds: above its default needs CAP_NET_ADMIN" \
	$U $A config set max-rounds 5
t "userns: min-group may go up, max-rounds down" 0 "^min_group +17$" \
	$U sh -c "$A config set min-group 17 max-rounds 3 && $A config show"
t "userns: max-rejects may go down" 0 "^max_rejects +2$" \
	$U sh -c "$A config set max-rejects 2 && $A config show"
t "userns: a refused raise changes nothing" 0 "^timeout_ms +5000$" \
	$U sh -c "$A config set timeout 700 max-pending 65537; $A config show"
t "userns: lower, then back up to the default" 0 "^max_devices +2097152$" \
	$U sh -c "$A config set max-devices 10 max-pending 10 && $A config set max-devices 2097152 max-pending 65536 && $A config show"
t "userns: the timeout is not a limit" 0 "^timeout_ms +600000$" \
	$U sh -c "$A config set timeout 600000 && $A config show"
t "initial namespace: root may go above the defaults" 0 "^max_pending +65537$" \
	sh -c "$A config set max-pending 65537 max-devices 2097153 && $A config show"
ok "initial namespace: back to the defaults" $A config set max-pending 65536 max-devices 2097152

# ---- memory cgroup: what a user namespace adds is charged to it -------------

CG=/sys/fs/cgroup
grep -qw memory $CG/cgroup.controllers 2>/dev/null || mount -t cgroup2 cgroup2 $CG
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/aiot
$M/genkeys 10000 >$T/cg.ks
cg0=$(cat $CG/aiot/memory.current 2>/dev/null || echo 0)
slab0=$(awk '$1 == "slab" { print $2 }' $CG/aiot/memory.stat 2>/dev/null)
# In the cgroup and a user namespace: load, then read the cgroup's figures
# before the namespace (and its devices) goes.
cat >$T/cgload.sh <<EOF
echo \$\$ >$CG/aiot/cgroup.procs || exit 1
exec $U sh -c '$A load $T/cg.ks && cat $CG/aiot/memory.current >$T/cg.cur &&
	awk "\\\$1 == \\"slab\\" { print \\\$2 }" $CG/aiot/memory.stat >$T/cg.slab'
EOF
t "memcg: 10,000 devices loaded from a user namespace in a cgroup" 0 "^loaded 10000 devices" \
	sh $T/cgload.sh
echo "# memcg: memory.current ${cg0:-?} -> $(cat $T/cg.cur 2>/dev/null), slab ${slab0:-?} -> $(cat $T/cg.slab 2>/dev/null)"
t "memcg: memory.current grew by at least 128 bytes a device" 0 "^ok$" \
	awk -v a="${cg0:-0}" -v b="$(cat $T/cg.cur 2>/dev/null || echo 0)" \
	'BEGIN { print (b - a >= 10000 * 128 ? "ok" : "only " b - a " bytes") }'
t "memcg: memory.stat slab grew by at least 128 bytes a device" 0 "^ok$" \
	awk -v a="${slab0:-0}" -v b="$(cat $T/cg.slab 2>/dev/null || echo 0)" \
	'BEGIN { print (b - a >= 10000 * 128 ? "ok" : "only " b - a " bytes") }'

# ---- flush, load ------------------------------------------------------------

ok "device flush" $A device flush
t "device show after flush: header only" 0 "^0$" sh -c "$A device show | awk 'NR > 1' | wc -l"
t "config show: num_devices 0" 0 "^num_devices +0$" $A config show
$M/genkeys 3000 >$T/a.ks
t "load 3000 devices" 0 "^loaded 3000 devices from .* in [0-9]+ messages" $A load $T/a.ks
cat $T/out | sed 's/^/# /'
t "config show agrees" 0 "^num_devices +3000$" $A config show
run $T/show $A device show
t "device show: 3000 rows" 0 "^3000$" count_rows $T/show
t "load again: the kernel names the first line" 1 \
	"a.ks:2: kernel: ID: exists \(use 'load FILE replace' or 'device replace'\) \(File exists\)" \
	$A load $T/a.ks
run $T/load.json $A -j load $T/a.ks replace
t "load replace -j: valid JSON" 0 "^1$" $J <$T/load.json
t "load replace -j: all 3000" 0 '"devices":3000' cat $T/load.json
ok "device flush" $A device flush
$M/genkeys 1 start 2500 >$T/one.ks
ok "load one device of the file (line 2502 of a.ks)" $A load $T/one.ks
t "load in messages of 1000: message 3 fails at line 2502" 1 \
	"a.ks:2502: kernel: ID: exists" $A load $T/a.ks batch 1000
t "...and says what stays" 0 "the 2000 devices of the 2 messages before it stay" \
	cat $T/last
t "all or nothing per message: 2001 devices" 0 "^num_devices +2001$" $A config show
ok "config set max-devices 2500" sh -c "$A device flush && $A config set max-devices 2500"
t "load over max-devices: the message and its lines" 1 \
	"message [0-9]+ \(lines [0-9]+-[0-9]+\): kernel: devices: more devices than" \
	$A load $T/a.ks batch 1000
t "config set max-devices below the count: refused" 1 "below the number of devices" \
	$A config set max-devices 1000
ok "config set max-devices back to 2097152" $A config set max-devices 2097152

# ---- sync -------------------------------------------------------------------

ok "device flush" $A device flush
$M/genkeys 1000 >$T/s.ks
ok "load 1000" $A load $T/s.ks
t "sync of the same file: nothing to do (fingerprints agree)" 0 \
	": 0 added, 0 replaced, 0 deleted, 1000 unchanged" $A sync $T/s.ks
run $T/before $A device show
# B: lines 2-11 gone, 12-31 rekeyed, 32-36 a new policy, 7 new devices.
awk 'NR >= 2 && NR <= 11 { next }
     NR >= 12 && NR <= 31 { $2 = (substr($2, 1, 1) == "0" ? "1" : "0") substr($2, 2) }
     NR >= 32 && NR <= 36 { $0 = $1 " " $2 " tid,pc,mi,mac=16" }
     { print }' $T/s.ks >$T/b.ks
$M/genkeys 7 start 5000 | grep -v '^#' >>$T/b.ks
t "sync dry-run: the plan" 0 \
	"sync .* \(dry run\): 7 added, 25 replaced, 10 deleted, 965 unchanged" \
	$A sync $T/b.ks dry-run
t "dry-run changed nothing" 0 "^num_devices +1000$" $A config show
t "sync: only the differences" 0 \
	": 7 added, 25 replaced, 10 deleted, 965 unchanged \([0-9]+ messages" \
	$A sync $T/b.ks
run $T/after $A device show
t "sync: 997 devices" 0 "^997$" count_rows $T/after
# Compare the tables by ID: rows of IDs in both.
# (as strings: a fingerprint such as 0389e69383256754 reads as a number)
awk 'FNR == 1 { next } NR == FNR { fp[$1] = $3 ""; pol[$1] = $4 " " $5; next }
     ($1 in fp) { if (fp[$1] != $3 "") rekey++; else if (pol[$1] != $4 " " $5) repol++; else same++ }
     !($1 in fp) { added++ }
     END { printf "same %d rekeyed %d repolicied %d added %d\n", same, rekey, repol, added }' \
	$T/before $T/after >$T/cmp
t "sync: 965 rows untouched, 20 new fingerprints, 5 new policies, 7 added" 0 \
	"^same 965 rekeyed 20 repolicied 5 added 7$" cat $T/cmp
t "sync: the deleted IDs are gone" 0 "^0$" sh -c \
	"awk 'NR >= 2 && NR <= 11 { print \$1 }' $T/s.ks | while read id; do grep -c \"\$id \" $T/after; done | awk '{ s += \$1 } END { print s }'"
t "sync again: nothing to do" 0 ": 0 added, 0 replaced, 0 deleted, 997 unchanged" \
	$A sync $T/b.ks
run $T/sync.json $A -j sync $T/b.ks
t "sync -j: valid JSON" 0 "^1$" $J <$T/sync.json
: >$T/empty.ks
t "sync of an empty file deletes everything" 0 ": 0 added, 0 replaced, 997 deleted" \
	$A sync $T/empty.ks
t "config show: num_devices 0" 0 "^num_devices +0$" $A config show

# ---- groups through the key store (profile v1.1) ------------------------------

printf '11 %s tid,mi group 0011223344556677\n12 %s tid,mi,mac=8 mac=4 group 8000000000000001\n13 %s enc,pi\n' \
	$K16 $K16 $K32 >$T/g.ks
# g2: 11's group changed, 12 the same, 13 given one.
printf '11 %s tid,mi group 0011223344556678\n12 %s tid,mi,mac=8 mac=4 group 8000000000000001\n13 %s enc,pi group 00000000000000ff\n' \
	$K16 $K16 $K32 >$T/g2.ks
t "load check: a key store with groups is valid" 0 "g.ks: 3 devices, valid$" $A load $T/g.ks check
ok "load g.ks" $A load $T/g.ks
run $T/gshow $A device show
t "load: 11's group as in the file" 0 "^0+11  128  .* +0011223344556677 +0 " cat $T/gshow
t "load: 12's group after MIN" 0 "^0+12  128  .* tid,mi,mac=8 +mac=4 +8000000000000001 +0 " cat $T/gshow
t "load: 13 without a group: zero" 0 "^0+13  256  .* +0000000000000000 +0 " cat $T/gshow
t "sync of the same file: the groups agree" 0 ": 0 added, 0 replaced, 0 deleted, 3 unchanged" \
	$A sync $T/g.ks
t "load check of g2: offline, valid (it compares nothing)" 0 "g2.ks: 3 devices, valid$" \
	$A load $T/g2.ks check
t "sync dry-run: a group change is a replacement, said so" 0 \
	"^replace 0+11 \(line 1: group\)$" $A sync $T/g2.ks dry-run
t "sync dry-run: a group given where there was none" 0 \
	"^replace 0+13 \(line 3: group\)$" $A sync $T/g2.ks dry-run
t "sync dry-run: the plan's summary" 0 "\(dry run\): 0 added, 2 replaced, 0 deleted, 1 unchanged" \
	$A sync $T/g2.ks dry-run
t "sync dry-run: 12 is not in it" 0 "^0$" sh -c "$A sync $T/g2.ks dry-run | awk '/0012 / { n++ } END { print n + 0 }'"
t "sync g2: the group changes applied" 0 ": 0 added, 2 replaced, 0 deleted, 1 unchanged" \
	$A sync $T/g2.ks
run $T/gshow $A device show
t "sync: 11's new group" 0 "^0+11  .* +0011223344556678 +0 " cat $T/gshow
t "sync: 13's new group" 0 "^0+13  .* +00000000000000ff +0 " cat $T/gshow
t "sync g2 again: nothing to do" 0 ": 0 added, 0 replaced, 0 deleted, 3 unchanged" $A sync $T/g2.ks
t "sync back to g.ks: 13's group dropped is a change too" 0 \
	"^replace 0+13 \(line 3: group\)$" $A sync $T/g.ks dry-run
t "sync g.ks: two replaced" 0 ": 0 added, 2 replaced, 0 deleted, 1 unchanged" $A sync $T/g.ks
t "device show 13: group zero again" 0 "^0+13  .* +0000000000000000 +0 " $A device show 13
t "load g2 replace: the groups of the file" 0 '"id":"0+11",.*"group":"0011223344556678"' \
	sh -c "$A load $T/g2.ks replace >/dev/null && $A -j device show 11"
t "sync dry-run: a key and a group changed, both said" 0 "^replace 0+11 \(line 1: key, group\)$" \
	sh -c "sed 's/^11 0/11 1/' $T/g.ks >$T/g3.ks && $A sync $T/g3.ks dry-run"
ok "device flush" $A device flush

# ---- 1,000,000 devices ------------------------------------------------------

if [ $BIG = 1 ]; then
	N=1000000
	c0=$(uptime_cs)
	$M/genkeys $N >$T/big.ks
	c1=$(uptime_cs)
	echo "# genkeys $N: $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s, $(wc -c <$T/big.ks) bytes"
	c0=$(uptime_cs)
	t "load $N devices" 0 "^loaded $N devices" $A load $T/big.ks
	c1=$(uptime_cs)
	wall=$(( c1 - c0 ))
	echo "# load: $(cat $T/out)"
	msgs=$(sed -n 's/.* in \([0-9]*\) messages.*/\1/p' $T/out)
	echo "# load: wall $((wall / 100)).$((wall % 100)) s inside the guest (aiotctl start to exit, /proc/uptime), $msgs netlink messages, $(( N * 100 / (wall ? wall : 1) )) devices/s over the wall time"
	t "config show: $N devices" 0 "^num_devices +$N$" $A config show
	c0=$(uptime_cs)
	ok "device show of $N into a file" run $T/big.show $A device show
	c1=$(uptime_cs)
	echo "# dump: device show of $N (dump, sort, table to a file) in $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s"
	t "device show: $N rows" 0 "^$N$" count_rows $T/big.show
	t "device show: every row has a 16-digit fingerprint" 0 "^0$" \
		awk 'NR > 1 && $3 !~ /^[0-9a-f]{16}$/ { bad++ } END { print bad + 0 }' $T/big.show
	rm -f $T/big.show
	t "device show -j: valid JSON, $N objects" 0 "^$N$" sh -c "$A -j device show | $J"
	c0=$(uptime_cs)
	t "sync of the same $N: nothing to do" 0 ": 0 added, 0 replaced, 0 deleted, $N unchanged" \
		$A sync $T/big.ks
	c1=$(uptime_cs)
	echo "# sync: $N unchanged in $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s (dump + $N fingerprints)"
	c0=$(uptime_cs)
	ok "device flush of $N" $A device flush
	c1=$(uptime_cs)
	echo "# flush: $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s"
	rm -f $T/big.ks
fi

# ---- unload -----------------------------------------------------------------

ok "reader del veth0" $A reader del veth0
ok "rmmod aiotsec" rmmod aiotsec
t "after rmmod: module not loaded again" 1 "aiotsec module not loaded" $A reader show

echo "# $n checks, $fails failed"
tap_passed
