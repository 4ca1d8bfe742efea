#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Guest side of `make bench`, part aiotdinv (scripts/bench.d/38-aiotdinv.sh):
# 10,000 devices provisioned, aiotsim with 1,000 of them present (1/10).
# Each turn, one inventory round through aiotd (POST request-inv of the
# area on rd0, numDevices 1000: timed from the POST to lastRepInd at
# afrecv) and the same round through `aiotctl inventory reader rd0 stop
# 1000` (timed around the command), alternately, ROUNDS times each; the
# figures are the rates over the sums.
M=/aiotsec
A=$M/aiotctl
ROUNDS=5
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
tsv() { printf 'TSV %s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
rate() { awk -v n=$1 -v w=$2 'BEGIN { printf "%.1f", (w > 0 ? n * 100 / w : 0) }'; }
secs() { awk -v c=$1 'BEGIN { printf "%.2f", c / 100 }'; }

insmod $M/aiotsec.ko || exit 1
ip link add rd0 type veth peer name sim0 && ip link set rd0 up && ip link set sim0 up || exit 1
$A reader add rd0 || exit 1
cd /tmp || exit 1
umask 077
grep -v '^#' $M/keys10k >keys
$A load keys >/dev/null || exit 1
$M/aiotsim -i sim0 -k keys --present 1/10 --ready ready --threads 2 >sim.out 2>&1 &
sim=$!
$M/afrecv --port 9000 --out notifs &
af=$!
printf 'port 8089\nstate_file none\narea 001-01/000001 rd0\n' >aiotd.conf
$M/aiotd -c aiotd.conf 2>aiotd.log &
d=$!
i=0
while { [ ! -e ready ] || ! grep -q listening aiotd.log; } && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
dw=0 aw=0 dn=0 an=0 bad=0
k=0
while [ $k -lt $ROUNDS ]; do
	k=$((k + 1))
	c0=$(cs)
	$M/curl -s --http2-prior-knowledge -o body -H 'content-type: application/json' \
		--data-binary @$M/inv_area.json http://127.0.0.1:8089/naiotf-aiot/v1/request-inv
	tid=$(sed -n 's/.*"transId":"\([0-9a-f]*\)".*/\1/p' body)
	i=0
	while ! grep "\"transId\":\"$tid\"" notifs 2>/dev/null | grep -q lastRepInd && [ $i -lt 12000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	c1=$(cs)
	n=$(grep "\"transId\":\"$tid\"" notifs | grep -o '"deviceId"' | wc -l)
	[ "$n" = 1000 ] || bad=$((bad + 1))
	dw=$((dw + c1 - c0)) dn=$((dn + n))
	echo "# turn $k: aiotd $n devices in $(secs $((c1 - c0))) s"
	c0=$(cs)
	$A inventory reader rd0 stop 1000 window 120000 >inv.out 2>&1
	c1=$(cs)
	n=$(grep -c '^found' inv.out)
	[ "$n" = 1000 ] && grep -q 'end stop$' inv.out || bad=$((bad + 1))
	aw=$((aw + c1 - c0)) an=$((an + n))
	echo "# turn $k: aiotctl $n devices in $(secs $((c1 - c0))) s"
done
dr=$(rate $dn $dw) ar=$(rate $an $aw)
echo "# aiotd: $dn devices in $(secs $dw) s; aiotctl: $an in $(secs $aw) s; $bad turns short"
tsv aiotd_inventory_round_per_s_1000_present "$dr" - "$([ $bad = 0 ] && echo met || echo missed)"
tsv aiotctl_inventory_round_per_s_1000_present "$ar" - "$([ $bad = 0 ] && echo met || echo missed)"
tsv aiotd_over_aiotctl_inventory_1000_present \
	"$(awk -v a=$dr -v b=$ar 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" ">=0.8" \
	"$(awk -v a=$dr -v b=$ar -v bad=$bad 'BEGIN { print ((bad == 0 && b > 0 && a / b >= 0.8) ? "met" : "missed") }')"
grep 'round ended' aiotd.log | tail -n 2 | sed 's/^/# /'
kill $d $af $sim; wait $d $af $sim 2>/dev/null
rmmod aiotsec
