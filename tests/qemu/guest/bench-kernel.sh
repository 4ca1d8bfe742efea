#!/bin/sh
# Guest side of `make bench`, part kernel (scripts/bench.d/10-kernel.sh):
# the in-kernel benchmarks (aiotsec_bench.ko) and slab accounting at 1M
# devices. Figures go out as "TSV name value target met|missed" lines;
# everything else is commentary.
M=/aiotsec
insmod $M/aiotsec.ko || exit 1
echo "# aiotsec_bench.ko: receive path vs floor, scaling (a few minutes)"
if ! insmod $M/aiotsec_bench.ko; then
	dmesg | grep aiotsec_bench
	exit 1
fi
dmesg | grep 'aiotsec_bench: ' | grep -v ' TSV ' | sed 's/^.*aiotsec_bench: /# /'
dmesg | grep 'aiotsec_bench: TSV ' | sed 's/^.*aiotsec_bench: TSV /TSV /'

# Slab accounting: the pages the aiot_device cache holds, per object
# (booted with slab_nomerge, so the cache is ours alone).
line=$(grep '^aiot_device ' /proc/slabinfo)
echo "# slabinfo: $line"
set -- $line
# name active_objs num_objs objsize objperslab pagesperslab : tunables l b s : slabdata active_slabs num_slabs shared
active=$2 objsize=$4 pps=$6 slabs=${15}
if [ -n "$slabs" ] && [ "$active" -gt 0 ]; then
	per=$((slabs * pps * 4096 / active))
	echo "TSV slab_bytes_per_device_1M	$per	<=256	$([ $per -le 256 ] && echo met || echo missed)"
	echo "TSV slab_object_size	$objsize	-	met"
fi
rmmod aiotsec_bench
rmmod aiotsec
