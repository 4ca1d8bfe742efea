#!/bin/sh
# Guest side of `make bench`, part inventory (scripts/bench.d/15-inventory.sh):
# aiotsec_inv_bench.ko (kernel/tests/inv_bench.c), inventory rounds at 1k
# and 1M candidates, then the memory a round of 1M candidates holds, read
# from the kernel's own count of vmalloc pages (VmallocUsed) with the round
# live and after rmmod has ended it. Figures go out as "TSV name value
# target met|missed|not-measured" lines; everything else is commentary.
M=/aiotsec
vmalloc_kb() { awk '/^VmallocUsed:/ { print $2 }' /proc/meminfo; }

insmod $M/aiotsec.ko || exit 1
echo "# aiotsec_inv_bench.ko: inventory rounds at 1k and 1M candidates (a few minutes)"
if ! insmod $M/aiotsec_inv_bench.ko; then
	dmesg | grep aiotsec_inv_bench
	exit 1
fi
dmesg | grep 'aiotsec_inv_bench: ' | grep -v ' TSV ' | sed 's/^.*aiotsec_inv_bench: /# /'
dmesg | grep 'aiotsec_inv_bench: TSV ' | sed 's/^.*aiotsec_inv_bench: TSV /TSV /'

live=$(vmalloc_kb)
n=$(dmesg | sed -n 's/.*done, round of \([0-9]*\) candidates live.*/\1/p' | tail -n 1)
rmmod aiotsec_inv_bench
# The round is freed after a grace period, its table by a deferred vfree.
prev=
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleep 1
	now=$(vmalloc_kb)
	[ "$now" = "$prev" ] && break
	prev=$now
done
echo "# VmallocUsed: $live kB with the round of $n candidates live, $now kB after rmmod"
if [ -n "$n" ] && [ "$n" -gt 0 ] && [ -n "$live" ] && [ -n "$now" ]; then
	# bytes x 1000 per candidate; the module's own pages count too (an upper bound)
	m=$(( (live - now) * 1024 * 1000 / n ))
	printf 'TSV inv_memory_bytes_per_candidate_1M\t%d.%03d\t<=32\t%s\n' \
		$((m / 1000)) $((m % 1000)) "$([ $m -le 32000 ] && echo met || echo missed)"
fi
rmmod aiotsec
