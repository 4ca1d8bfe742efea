#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of `make stress` (tests/qemu/stress.sh, under tests/qemu/vm.sh).
#   guest.sh SECONDS FLOOD_SECONDS SEED
# Runs at the same time, for SECONDS:
#   - nlfuzz fuzz in namespace fz (root, uid 65534, uid 65534 in its own
#     user+network namespace), reader fz0;
#   - genuine requests (nlfuzz genuine) in namespace rd, answered by frfuzz
#     in namespace dv on the veth peer, which also fuzzes frames there;
#   - the in-kernel feeder (aiotsec_feed.ko) on its capture interface in
#     the initial namespace, with 1 ms and 10 min transactions (nlfuzz
#     churn) to give it live tags;
#   - churn: namespaces with a reader behind a dropping qdisc, devices
#     replaced and deleted while pending, inventory rounds in flight, the
#     veth deleted under traffic, the namespace deleted and its last
#     process killed while busy;
#   - inventory (v1.1) in namespace iv, reader iv0: rounds started one
#     after another (nlfuzz inv -c) while its devices are replaced,
#     deleted, flushed and the reader unbound and bound again, answered
#     by frfuzz in ivp with forged INV_RESPs (random and sniffed RIDs).
# Then four flood phases of FLOOD_SECONDS on rd/dv (forged responses on
# unknown tags, then on the tags of pending genuine transactions; INV_RESPs
# with random RIDs, then with sniffed ones, on live inventory rounds),
# rmmod, kmemleak. Before the campaign, alone: failnth (every allocation
# failure of the request paths, tests/stress/failnth.c). Result lines:
# FAILNTH, NLFUZZ, INVNL, FRFUZZ, STATS, FEED, FLOOD, CHURN, KMEMLEAK,
# RMMOD, and last STRESS-DONE.
M=/aiotsec
NL=$M/nlfuzz
FR=$M/frfuzz
TC=/usr/sbin/tc
D=${1:-20}
FD=${2:-10}
SEED=${3:-12345}
FEED=/sys/kernel/debug/aiotsec_feed
T=/tmp/stress
rm -rf $T && mkdir -p $T
chmod 755 $M $NL $FR $M/failnth

# Progress goes to the kernel log too: a guest stopped by the runner's
# timeout still shows how far it got.
say() {
	echo "# $*"
	echo "aiotsec-stress: $*" >/dev/kmsg 2>/dev/null
}

# No kmemleak baseline scan (under KASAN and TCG it costs minutes): at the
# end only reports whose backtrace passes through the module count.

insmod $M/aiotsec.ko || { echo "Bail out! insmod aiotsec.ko"; exit 1; }
insmod $M/aiotsec_feed.ko || { echo "Bail out! insmod aiotsec_feed.ko"; exit 1; }
say "$(nproc) CPUs, $D s campaign, $FD s per flood phase, seed $SEED"

veth() {	# veth NS_A IF_A NS_B IF_B
	ip link add "$2" type veth peer name "$4" || return 1
	ip link set "$2" netns "$1" && ip link set "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" mtu 9000 up
	ip -n "$3" link set "$4" mtu 9000 up
	ip -n "$1" link set lo up
	ip -n "$3" link set lo up
}

for ns in fz fzp rd dv iv ivp; do ip netns add $ns; done
veth fz fz0 fzp fz1 || { echo "Bail out! veth fz"; exit 1; }
veth rd rd0 dv rd1 || { echo "Bail out! veth rd"; exit 1; }
veth iv iv0 ivp iv1 || { echo "Bail out! veth iv"; exit 1; }
ip netns exec rd $NL provision -s "$SEED" -n 16 -i rd0 >$T/prov.rd 2>&1 ||
	{ cat $T/prov.rd; echo "Bail out! provision rd"; exit 1; }
ip netns exec iv $NL provision -s "$SEED" -n 32 -i iv0 >$T/prov.iv 2>&1 ||
	{ cat $T/prov.iv; echo "Bail out! provision iv"; exit 1; }
# ---- failslab: each allocation of a request path fails in turn -----------
ip netns add fs && ip netns add fsp && veth fs fs0 fsp fs1 ||
	{ echo "Bail out! veth fs"; exit 1; }
say "failnth"
lvl=$(cut -f1 /proc/sys/kernel/printk)
echo 1 >/proc/sys/kernel/printk	# fault dumps to the log, not the console
$M/failnth -n fs -i fs0 >$T/failnth.out 2>&1
echo "$lvl" >/proc/sys/kernel/printk
cat $T/failnth.out
ip netns del fs
ip netns del fsp
say "failnth done"

CAP=$(cat $FEED/ifname)
ip link set "$CAP" up
$NL provision -s "$SEED" -n 16 -i "$CAP" -S R >$T/prov.cap 2>&1 ||
	{ cat $T/prov.cap; echo "Bail out! provision $CAP"; exit 1; }

now() { cut -d. -f1 /proc/uptime; }
END=$(( $(now) + D ))

# ---- churn ------------------------------------------------------------
churn() {
	k=0 fails=0
	while [ "$(now)" -lt "$END" ]; do
		k=$((k + 1))
		ns=ch$k
		ip netns add $ns && ip netns add ${ns}p || { fails=$((fails + 1)); continue; }
		if ! veth $ns c0 ${ns}p c1; then
			fails=$((fails + 1))
			ip netns del $ns; ip netns del ${ns}p
			continue
		fi
		case $((k % 4)) in
		0) ip netns exec $ns $TC qdisc add dev c0 root netem loss 100% ;;
		1) ip netns exec $ns $TC qdisc add dev c0 root pfifo limit 0 ;;
		2) ip netns exec $ns $TC qdisc add dev c0 root netem delay 5ms loss 50% ;;
		3) : ;;
		esac
		ip netns exec $ns $NL churn -s "$SEED" -t 6 -i c0 >>$T/churn.out 2>>$T/churn.err &
		cpid=$!
		ip netns exec ${ns}p $FR -i c1 -s "$SEED" -n 0 -t 3 -m rtbpcohij >>$T/churnfr.out 2>&1 &
		fpid=$!
		# rounds in flight when the veth and the namespace go
		ip netns exec $ns $NL inv -s "$SEED" -n 1 -t 6 -i c0 >>$T/churninv.out 2>>$T/churn.err &
		ipid=$!
		say "churn round $k: traffic at $(cut -d' ' -f1 /proc/uptime) s"
		sleep 2
		[ $((k % 4)) = 3 ] && ip -n $ns link set c0 down
		sleep 1
		ip -n $ns link del c0		# the veth (and the reader) under traffic
		say "churn round $k: veth deleted at $(cut -d' ' -f1 /proc/uptime) s"
		sleep 1
		ip netns del $ns		# the namespace while busy...
		ip netns del ${ns}p
		say "churn round $k: namespaces deleted at $(cut -d' ' -f1 /proc/uptime) s"
		kill $cpid $fpid $ipid 2>/dev/null	# ...and its last user gone
		wait $cpid $fpid $ipid 2>/dev/null
		say "churn round $k done at $(cut -d' ' -f1 /proc/uptime) s"
	done
	echo "CHURN rounds=$k setup_failures=$fails"
}

# ---- feeder ---------------------------------------------------------------
feeder() {
	while [ "$(now)" -lt "$END" ]; do
		echo 100000000 >$FEED/feed || { echo "FEEDER-ERROR"; break; }
	done
}

say "campaign starts"
ip netns exec fz $NL fuzz -s "$SEED" -t "$D" -i fz0 -u >$T/fuzz.out 2>$T/fuzz.err &
P_FUZZ=$!
ip netns exec dv $FR -i rd1 -s "$SEED" -n 16 -t "$D" >$T/fr.out 2>$T/fr.err &
P_FR=$!
sleep 1		# frfuzz has its socket bound before the first PAGING
ip netns exec rd $NL genuine -s "$SEED" -n 16 -t "$D" -w 4 -c >$T/gen.out 2>$T/gen.err &
P_GEN=$!
ip netns exec rd $NL portid -s "$SEED" -n 16 -t "$D" >$T/portid.out 2>$T/portid.err &
P_PORTID=$!
$NL churn -s "$SEED" -t "$D" -i "$CAP" >$T/capchurn.out 2>$T/capchurn.err &
P_CAPCHURN=$!
feeder >$T/feed1.out 2>&1 &
P_F1=$!
feeder >$T/feed2.out 2>&1 &
P_F2=$!
churn >$T/churn.sum 2>$T/churn.sh.err &
P_CHURN=$!
ip netns exec ivp $FR -i iv1 -s "$SEED" -n 32 -t "$D" -f 2 >$T/ivfr.out 2>$T/ivfr.err &
P_IVFR=$!
ip netns exec iv $NL inv -s "$SEED" -n 32 -t "$D" -i iv0 -c >$T/inv.out 2>$T/inv.err &
P_INV=$!

wait $P_FUZZ $P_FR $P_GEN $P_PORTID $P_CAPCHURN $P_F1 $P_F2 $P_CHURN $P_IVFR $P_INV
say "campaign done"
cat $T/fuzz.out $T/fr.out $T/gen.out $T/portid.out $T/capchurn.out $T/churn.sum \
	$T/ivfr.out $T/inv.out
grep -h '^NLFUZZ' $T/churn.out | awk '
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(sent|keyhits|violations)$/) s[kv[1]] += kv[2] } n++ }
	END { printf "NLFUZZ mode=churn-all persona=root sent=%d keyhits=%d violations=%d processes=%d\n", s["sent"], s["keyhits"], s["violations"], n }'
grep -h '^NLFUZZ' $T/churninv.out | awk '
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(sent|keyhits|violations)$/) s[kv[1]] += kv[2] } n++ }
	END { printf "NLFUZZ mode=churn-inv persona=root sent=%d keyhits=%d violations=%d processes=%d\n", s["sent"], s["keyhits"], s["violations"], n }'
grep -h '^FRFUZZ' $T/churnfr.out | awk '
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "sent") s += kv[2] } n++ }
	END { printf "FRFUZZ if=churn sent=%d processes=%d\n", s, n }'
for f in $T/fuzz.err $T/fr.err $T/gen.err $T/portid.err $T/capchurn.err $T/churn.err $T/feed1.out $T/feed2.out $T/ivfr.err $T/inv.err; do
	[ -s $f ] && sed "s|^|# $(basename $f): |" $f | sort | uniq -c | head -n 20
done
echo "FEED $(cat $FEED/stats)"
echo "STATS-CAP $($NL stats)"

# ---- flood phases -------------------------------------------------------
busy() {	# busy and total jiffies of all CPUs
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

rx() {	# frames the module saw in namespace rd
	ip netns exec rd $NL stats | sed -n 's/.*STATS rx=\([0-9]*\).*/\1/p'
}

flood() {	# flood NAME FRFUZZ-FLAGS...
	name=$1
	shift
	say "flood $name"
	r0=$(rx)
	set -- $(busy) "$@"
	b0=$1 t0=$2
	shift 2
	ip netns exec dv $FR -i rd1 -s "$SEED" -n 16 -t "$FD" -q "$@" >$T/flood.$name 2>&1 &
	fp=$!
	sleep 1
	ip netns exec rd $NL genuine -s "$SEED" -n 16 -t "$FD" -w 4 >$T/fgen.$name 2>&1
	wait $fp
	set -- $(busy)
	b1=$1 t1=$2
	r1=$(rx)
	ok=$(sed -n 's/.* g_ok=\([0-9]*\).*/\1/p' $T/fgen.$name)
	all=$(sed -n 's/.* g_ok=\([0-9]*\) g_fail=\([0-9]*\) g_timeout=\([0-9]*\) g_err=\([0-9]*\).*/\1 \2 \3 \4/p' $T/fgen.$name |
		awk '{ print $1 + $2 + $3 + $4 }')
	sent=$(sed -n 's/.* sent=\([0-9]*\).*/\1/p' $T/flood.$name)
	awk -v n="$name" -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v r=$((r1 - r0)) \
		-v ok="${ok:-0}" -v all="${all:-0}" -v s="${sent:-0}" 'BEGIN {
		us = r ? b * 10000.0 / r : 0
		printf "FLOOD phase=%s frames_sent=%d frames_rx=%d busy_jiffies=%d total_jiffies=%d us_per_frame=%.1f rate=%.0f genuine_ok=%d genuine_all=%d share=%.2f\n",
			n, s, r, b, t, us, t ? r * 100.0 * 2 / t : 0, ok, all, all ? ok * 100.0 / all : 0 }'
	cat $T/flood.$name $T/fgen.$name | sed 's/^/# /'
}
flood unknown -U -b 32 -f 0
flood known -b 32 -f 16

# iflood NAME FRFUZZ-FLAGS...: INV_RESPs forged on live inventory rounds
# (nlfuzz inv in rd, answered genuinely by frfuzz's 16 devices)
iflood() {
	name=$1
	shift
	say "flood $name"
	r0=$(rx)
	set -- $(busy) "$@"
	b0=$1 t0=$2
	shift 2
	ip netns exec dv $FR -i rd1 -s "$SEED" -n 16 -t "$FD" -q -R -f 0 "$@" >$T/flood.$name 2>&1 &
	fp=$!
	sleep 1
	ip netns exec rd $NL inv -s "$SEED" -n 16 -t "$FD" -i rd0 >$T/fgen.$name 2>&1
	wait $fp
	set -- $(busy)
	b1=$1 t1=$2
	r1=$(rx)
	sent=$(sed -n 's/.* sent=\([0-9]*\).*/\1/p' $T/flood.$name)
	rounds=$(sed -n 's/^INVNL rounds=\([0-9]*\).*/\1/p' $T/fgen.$name)
	found=$(sed -n 's/^INVNL .* found=\([0-9]*\).*/\1/p' $T/fgen.$name)
	awk -v n="$name" -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v r=$((r1 - r0)) \
		-v s="${sent:-0}" -v rd="${rounds:-0}" -v f="${found:-0}" 'BEGIN {
		us = r ? b * 10000.0 / r : 0
		printf "FLOOD phase=%s frames_sent=%d frames_rx=%d busy_jiffies=%d total_jiffies=%d us_per_frame=%.1f rate=%.0f rounds=%d found=%d\n",
			n, s, r, b, t, us, t ? r * 100.0 * 2 / t : 0, rd, f }'
	cat $T/flood.$name $T/fgen.$name | sed 's/^/# /'
	grep -h -E '^(NLFUZZ|INVNL) ' $T/fgen.$name
}
iflood inv-random-rid -U -b 32
iflood inv-sniffed-rid -b 32

echo "STATS-RD $(ip netns exec rd $NL stats)"

# ---- teardown -----------------------------------------------------------
say "teardown"
for ns in fz fzp rd dv iv ivp; do ip netns del $ns; done
sleep 2
if rmmod aiotsec_feed; then echo "RMMOD aiotsec_feed ok"; else echo "RMMOD aiotsec_feed fail"; fi
i=0
until rmmod aiotsec 2>/dev/null; do
	i=$((i + 1))
	[ $i -ge 30 ] && break
	sleep 1
done
if lsmod | grep -q '^aiotsec '; then echo "RMMOD aiotsec fail"; else echo "RMMOD aiotsec ok"; fi
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >$T/leaks
	# one report per object: keep those whose backtrace names the module
	awk '/^unreferenced object/ { if (blk != "" && blk ~ /aiot/) print blk; blk = $0; next }
		{ blk = blk "\n" $0 } END { if (blk ~ /aiot/) print blk }' $T/leaks >$T/leaks.mod
	echo "KMEMLEAK leaks=$(grep -c '^unreferenced object' $T/leaks.mod) all=$(grep -c '^unreferenced object' $T/leaks)"
	head -n 60 $T/leaks.mod | sed 's/^/# leak: /'
else
	echo "KMEMLEAK leaks=0 (no kmemleak in this kernel)"
fi
echo "STRESS-DONE"
