#!/bin/sh
# Guest side of `make bench`, part e2e (scripts/bench.d/30-e2e.sh): end
# to end, authentications and commands completed per second between
# aiotsim and the module over veth, through aiotctl, with 10 and with
# 1,000 simulated devices, and where the time goes: the simulator's CPU
# (every device checks every request), the rest (aiotctl processes,
# netlink, the module: its receive path is measured on its own by
# aiotsec_bench.ko).
M=/aiotsec
A=$M/aiotctl
K=60			# requests per measurement
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
tsv() { printf 'TSV %s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
cpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }	# utime + stime, ticks
idle() { awk '/^cpu / { print $5 }' /proc/stat; }
hz=100

insmod $M/aiotsec.ko || exit 1
ip netns add field && ip link add rd0 type veth peer name sim0 netns field &&
	ip link set rd0 up && ip -n field link set sim0 up || exit 1
$A reader add rd0 || exit 1

for pop in 10 1000; do
	$M/genkeys $pop >/tmp/keys.ks || exit 1
	$A load /tmp/keys.ks >/dev/null || exit 1
	rm -f /tmp/ready
	ip netns exec field $M/aiotsim -i sim0 -k /tmp/keys.ks --ready /tmp/ready \
		--stats /tmp/sim.stats >/tmp/sim.out 2>&1 &
	sim=$!
	i=0
	while [ ! -e /tmp/ready ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e /tmp/ready ] || { cat /tmp/sim.out; exit 1; }
	id=$(awk '/^e2/ { print $1; exit }' /tmp/keys.ks)

	for what in auth command; do
		s0=$(cpu $sim) i0=$(idle) c0=$(cs) ok=0 n=0
		while [ $n -lt $K ]; do
			if [ $what = auth ]; then
				$A auth "$id" timeout 20000 >/dev/null && ok=$((ok + 1))
			else
				$A command "$id" 0102 hex timeout 20000 >/dev/null && ok=$((ok + 1))
			fi
			n=$((n + 1))
		done
		c1=$(cs) s1=$(cpu $sim) i1=$(idle)
		wall=$((c1 - c0))
		rate=$(( ok * 100000 / (wall > 0 ? wall : 1) ))
		simshare=$(( (s1 - s0) * 1000 / (wall > 0 ? wall : 1) ))
		echo "# $what, $pop devices: $ok/$K in $((wall / 100)).$((wall % 100)) s; simulator CPU $((s1 - s0)) ticks; idle $((i1 - i0)) ticks (2 CPUs)"
		tsv "e2e_${what}_per_s_${pop}_devices" "$((rate / 1000)).$(printf %03d $((rate % 1000)))" - \
			"$([ $ok = $K ] && echo met || echo missed)"
		tsv "e2e_${what}_simulator_cpu_share_${pop}_devices" \
			"$((simshare / 1000)).$(printf %03d $((simshare % 1000)))" - met
	done
	kill $sim; wait $sim 2>/dev/null
	echo "# aiotsim, $pop devices: $(cat /tmp/sim.stats 2>/dev/null | tr '\n' ' ')"
	$A device flush
done
rmmod aiotsec
