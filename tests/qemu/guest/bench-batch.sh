#!/bin/sh
# Measures aiotctl auth, one process per request against one batch
# process, with 1 and 10 simulated devices (issue 11). Not part of
# make bench (the bench work of issue 11 owns that); run by hand:
#   vm.sh --kernel /boot/vmlinuz-$(uname -r) --kmods-from ... --add aiotsec.ko,
#   aiotctl, aiotsim, genkeys, this file under /aiotsec -- /bin/sh /aiotsec/bench-batch.sh
M=/aiotsec
A=$M/aiotctl
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
insmod $M/aiotsec.ko || exit 1
ip netns add field && ip link add rd0 type veth peer name sim0 netns field &&
	ip link set rd0 up && ip -n field link set sim0 up || exit 1
$A reader add rd0 || exit 1
for pop in 1 10; do
	$M/genkeys $pop >/tmp/keys.ks || exit 1
	$A load /tmp/keys.ks >/dev/null || exit 1
	rm -f /tmp/ready
	ip netns exec field $M/aiotsim -i sim0 -k /tmp/keys.ks --ready /tmp/ready \
		--stats /tmp/sim.stats >/tmp/sim.out 2>&1 &
	sim=$!
	i=0
	while [ ! -e /tmp/ready ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e /tmp/ready ] || { cat /tmp/sim.out; exit 1; }
	awk '/^e2/ { print $1 }' /tmp/keys.ks >/tmp/ids1
	id=$(head -1 /tmp/ids1)
	K=60 n=0 ok=0 c0=$(cs)
	while [ $n -lt $K ]; do
		$A auth "$id" timeout 20000 >/dev/null && ok=$((ok + 1))
		n=$((n + 1))
	done
	c1=$(cs); w=$((c1 - c0))
	echo "RESULT pop=$pop mode=process ok=$ok/$K wall_cs=$w rate=$((ok * 100 / (w > 0 ? w : 1)))"
	N=3000
	awk -v n=$N '{ a[NR] = $1 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }' /tmp/ids1 >/tmp/ids
	for win in "64" "64 fixed" "512"; do
		c0=$(cs)
		$A auth file /tmp/ids window $win timeout 20000 >/tmp/b.out 2>/tmp/b.err
		st=$?
		c1=$(cs); w=$((c1 - c0))
		ok=$(grep -c '^auth cookie' /tmp/b.out)
		echo "RESULT pop=$pop mode=batch window=$win exit=$st ok=$ok/$N wall_cs=$w rate=$((ok * 100 / (w > 0 ? w : 1)))"
		head -3 /tmp/b.err
	done
	$A stats | grep -E "results|events_lost|timeouts"
	kill $sim; wait $sim 2>/dev/null
	$A device flush
done
rmmod aiotsec
echo BENCH-DONE
