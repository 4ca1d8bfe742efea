#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Guest side of `make bench`, part inventory (scripts/bench.d/15-inventory.sh),
# end to end on Debian's kernel: 10,000 devices provisioned (genkeys),
# every tenth present at aiotsim (--present FILE), an inventory round
# without filter through `aiotctl -j inventory reader rd0 stop 1000`,
# RUNS times. Each run's found IDs are compared with the present ones
# (every one found once, no other); the rate is 1,000 over the wall time
# of the aiotctl process, the median of the runs. Figures go out as "TSV name value target
# met|missed" lines; everything else is commentary.
M=/aiotsec
A=$M/aiotctl
N=10000
RUNS=5
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

insmod $M/aiotsec.ko || exit 1
ip link add rd0 type veth peer name sim0 && ip link set rd0 up &&
	ip link set sim0 up || exit 1
$A reader add rd0 || exit 1
cd /tmp || exit 1
umask 077	# aiotctl load refuses a key file others can read
$M/genkeys $N seed 22 >keys || exit 1
$A config set max-devices $N >/dev/null 2>&1
$A load keys >/dev/null || exit 1
# the present IDs: every tenth line, left-padded to 16 bytes as aiotctl prints
grep -v '^#' keys | awk 'NR % 10 == 1 { print $1 }' >present.ids
awk '{ printf "%032s\n", $1 }' present.ids | tr ' ' 0 | sort >present.want
want=$(wc -l <present.want)
$M/aiotsim -i sim0 -k keys --present present.ids --ready ready \
	--threads 2 >sim.out 2>&1 &
sim=$!
i=0
while [ ! -e ready ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -e ready ] || { cat sim.out; exit 1; }

ok=1 walls=
: >rates
r=0
while [ $r -lt $RUNS ]; do
	r=$((r + 1))
	t0=$(ms)
	$A -j inventory reader rd0 stop "$want" window 30000 >inv.out 2>inv.err
	rc=$?
	t1=$(ms)
	grep -o '"id":"[0-9a-f]*"' inv.out | cut -d'"' -f4 | sort >found
	nf=$(wc -l <found)
	dups=$(uniq -d found | wc -l)
	if [ $rc != 0 ] || ! cmp -s found present.want || [ "$dups" != 0 ]; then
		ok=0
		echo "# run $r: exit $rc, $nf found ($dups twice), want $want"
		head -n 3 inv.err | sed 's/^/# /'
	fi
	wall=$((t1 - t0))
	walls="$walls $wall"
	rate=$(awk -v n="$nf" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? n * 1000 / w : 0) }')
	echo "# run $r: $nf of $N provisioned found in $wall ms ($rate found/s)"
	echo "$rate" >>rates
done
kill $sim
wait $sim 2>/dev/null
echo "# walls (ms):$walls; aiotsim: $(tail -n 1 sim.out | cut -c1-200)"
med=$(sort -n rates | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
printf 'TSV inv_e2e_found_1000_of_10000\t%s\tall, none falsely\t%s\n' \
	"$med" "$([ $ok = 1 ] && echo met || echo missed)"
