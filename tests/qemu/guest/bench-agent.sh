#!/bin/sh
# Guest side of `make bench`, part agent (scripts/bench.d/20-agent.sh):
# provisioning, 1,000,000 devices with `aiotctl load` (about a thousand
# devices per netlink message) against one device per message (`load ...
# batch 1`, on 20,000 devices), in the same boot. Rates are over wall time inside the guest (/proc/uptime).
M=/aiotsec
T=/tmp
umask 077	# key stores must be 0600 (aiotctl refuses others)
A=$M/aiotctl
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
tsv() { printf 'TSV %s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }

insmod $M/aiotsec.ko || exit 1
$A config set max-devices 2000000 || exit 1

N=1000000
$M/genkeys $N >$T/big.ks || exit 1
c0=$(cs)
$A load $T/big.ks >$T/out || { cat $T/out; exit 1; }
c1=$(cs)
echo "# $(cat $T/out)"
msgs=$(sed -n 's/.* in \([0-9]*\) messages.*/\1/p' $T/out)
batched=$(( N * 100 / (c1 - c0 > 0 ? c1 - c0 : 1) ))
c0_big=$c0 c1_big=$c1
echo "# batched: $N devices in $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s wall, $msgs messages"
rm -f $T/big.ks
$A device flush || exit 1

S=20000
$M/genkeys $S >$T/small.ks || exit 1
c0=$(cs)
$A load $T/small.ks batch 1 >$T/out || { cat $T/out; exit 1; }
c1=$(cs)
echo "# $(cat $T/out)"
single=$(( S * 100 / (c1 - c0 > 0 ? c1 - c0 : 1) ))
echo "# one per message: $S devices in $(( (c1 - c0) / 100 )).$(( (c1 - c0) % 100 )) s wall"

secs=$((c1_big - c0_big))
tsv provision_1M_load_seconds "$((secs / 100)).$(printf %02d $((secs % 100)))" "<=5" \
	"$([ $secs -le 500 ] && echo met || echo missed)"
tsv provision_1M_devices_per_s "$batched" - met
tsv provision_1M_netlink_messages "$msgs" - met
tsv provision_one_per_message_devices_per_s "$single" - met
ratio=$(( batched * 1000 / (single > 0 ? single : 1) ))
tsv provision_batched_over_one_per_message \
	"$((ratio / 1000)).$(printf %03d $((ratio % 1000)))" ">=20" \
	"$([ $ratio -ge 20000 ] && echo met || echo missed)"
$A device flush
rmmod aiotsec
