#!/bin/sh
# Guest side of `make bench`, part batch (scripts/bench.d/35-batch.sh), on
# the bench kernel, all in one boot over one veth (rd0 | sim0 in netns
# field):
#  1. the bare AF_PACKET round trip at windows 1, 8, 64, 512: aiotecho
#     rate against aiotecho serve, EtherType 0x88B6, the module not
#     involved (it is not even loaded yet);
#  2. the simulator alone: aiotecho rate --paging (PAGINGs built in the
#     requester) against aiotsim, 1 and 10 devices, same windows, with
#     aiotsim's CPU share (utime + stime from /proc/PID/stat over the run)
#     and its CPU time per answer;
#  3. aiotctl batch: `aiotctl auth - window N fixed` with 1 and 10
#     provisioned devices, same windows, completions from the module's
#     auth_ok counter, each next to the bare rate at its window, and
#     aiotsim's CPU share. An aiotctl without `window` gives rows
#     "not-measured".
# Goals: aiotctl batch >= 0.5 of the bare rate with 1 device at window 64,
# and the simulator under half a CPU there.
M=/aiotsec
A=$M/aiotctl
E=$M/aiotecho
T=${BENCH_MS:-3000}		# milliseconds per measurement
WINDOWS="1 8 64 512"
tsv() { printf 'TSV %s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
cpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }	# utime + stime, ticks
field() { sed -n "s/.*[ ^]$1=\([0-9.]*\).*/\1/p"; }
# ratio A B: A / B with 3 decimals ("-" if B is 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f\n", a / b; else print "-" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && a < b) }'; }
fail=0

ip netns add field && ip link add rd0 type veth peer name sim0 netns field &&
	ip link set rd0 up && ip -n field link set sim0 up || exit 1

# wait_file FILE: up to 60 s
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ]
}

# ---- 1. bare round trip ----------------------------------------------------
rm -f /tmp/echo.ready
ip netns exec field $E serve -i sim0 --ready /tmp/echo.ready >/tmp/echo.out 2>&1 &
echo_pid=$!
wait_file /tmp/echo.ready || { cat /tmp/echo.out; exit 1; }
for w in $WINDOWS; do
	line=$($E rate -i rd0 -w $w -t $T) || { echo "# aiotecho rate -w $w failed"; fail=1; continue; }
	echo "# bare, window $w: $line"
	r=$(echo "$line" | field per_s)
	eval "bare_$w=$r"
	tsv "bare_rt_per_s_w$w" "$r" - met
done
kill $echo_pid; wait $echo_pid 2>/dev/null
echo "# $(cat /tmp/echo.out)"

# start_sim POP: aiotsim on sim0 with POP devices (keys in /tmp/keys.ks)
start_sim() {
	$M/genkeys "$1" >/tmp/keys.ks || return 1
	chmod 600 /tmp/keys.ks
	rm -f /tmp/ready
	ip netns exec field $M/aiotsim -i sim0 -k /tmp/keys.ks --ready /tmp/ready \
		--stats /tmp/sim.stats >/tmp/sim.out 2>&1 &
	sim=$!
	wait_file /tmp/ready || { cat /tmp/sim.out; return 1; }
}
stop_sim() {
	kill $sim; wait $sim 2>/dev/null
	echo "# aiotsim: $(cat /tmp/sim.out)"
}

# ---- 2. the simulator alone ------------------------------------------------
for pop in 1 10; do
	start_sim $pop || exit 1
	for w in $WINDOWS; do
		s0=$(cpu $sim) c0=$(cs)
		line=$($E rate -i rd0 -w $w -t $T --paging /tmp/keys.ks) ||
			{ echo "# aiotecho --paging -w $w failed"; fail=1; continue; }
		c1=$(cs) s1=$(cpu $sim)
		n=$(echo "$line" | field completed)
		share=$(ratio $((s1 - s0)) $((c1 - c0)))
		us=$(awk -v t=$((s1 - s0)) -v n="$n" 'BEGIN { if (n > 0) printf "%.1f\n", t * 10000 / n; else print "-" }')
		echo "# simulator alone, $pop devices, window $w: $line; CPU $((s1 - s0)) ticks in $((c1 - c0))"
		tsv "sim_alone_per_s_${pop}dev_w$w" "$(echo "$line" | field per_s)" - met
		tsv "sim_alone_cpu_share_${pop}dev_w$w" "$share" - met
		tsv "sim_alone_cpu_us_per_answer_${pop}dev_w$w" "$us" - met
	done
	stop_sim
done

# ---- 3. aiotctl batch --------------------------------------------------------
insmod $M/aiotsec.ko || exit 1
$A reader add rd0 || exit 1
auth_ok() { $A -j stats | tr ',{}' '\n\n\n' | sed -n 's/.*"auth_ok": *\([0-9]*\).*/\1/p' | head -n 1; }
for pop in 1 10; do
	start_sim $pop || exit 1
	$A load /tmp/keys.ks >/dev/null || exit 1
	id=$(awk '!/^#/ && NF { print $1; exit }' /tmp/keys.ks)
	# Does this aiotctl keep a window (BATCH.md)? One request says.
	if echo "$id" | $A auth - window 1 fixed timeout 5000 >/tmp/probe.out 2>&1; then
		batch=1
	else
		batch=0
		echo "# aiotctl has no batch window: $(head -c 300 /tmp/probe.out)"
	fi
	for w in $WINDOWS; do
		if [ $batch = 0 ]; then
			tsv "batch_auth_per_s_${pop}dev_w$w" - - not-measured
			tsv "batch_over_bare_${pop}dev_w$w" - "$([ "$pop$w" = 164 ] && echo '>=0.5' || echo -)" not-measured
			tsv "batch_sim_cpu_share_${pop}dev_w$w" - "$([ "$pop$w" = 164 ] && echo '<0.5' || echo -)" not-measured
			continue
		fi
		# As many requests as the bare rate would complete in T ms, at
		# least 200: the run lasts about T at half the bare rate.
		eval "b=\${bare_$w:-0}"
		k=$(awk -v b="$b" -v t=$T 'BEGIN { k = int(b * t / 2000); print k < 200 ? 200 : (k > 200000 ? 200000 : k) }')
		awk -v k=$k -v pop=$pop '!/^#/ && NF { id[n++] = $1 } END { for (i = 0; i < k; i++) print id[i % n] }' \
			/tmp/keys.ks >/tmp/ids
		a0=$(auth_ok) s0=$(cpu $sim) c0=$(cs)
		$A auth - window $w fixed timeout 20000 </tmp/ids >/tmp/batch.out 2>&1
		st=$?
		c1=$(cs) s1=$(cpu $sim) a1=$(auth_ok)
		wall=$((c1 - c0))
		ok=$((a1 - a0))
		r=$(awk -v n=$ok -v t=$wall 'BEGIN { printf "%.0f\n", (t > 0 ? n * 100 / t : 0) }')
		rel=$(ratio "$r" "$b")
		share=$(ratio $((s1 - s0)) $wall)
		echo "# aiotctl batch, $pop devices, window $w: $ok/$k completed in $wall ticks (exit $st); bare $b/s; simulator CPU $((s1 - s0)) ticks"
		tsv "batch_auth_per_s_${pop}dev_w$w" "$r" - "$([ $ok = $k ] && echo met || echo missed)"
		if [ "$pop$w" = 164 ]; then
			tsv "batch_over_bare_${pop}dev_w$w" "$rel" '>=0.5' "$(ge "$rel" 0.5 && echo met || echo missed)"
			tsv "batch_sim_cpu_share_${pop}dev_w$w" "$share" '<0.5' "$(lt "$share" 0.5 && echo met || echo missed)"
		else
			tsv "batch_over_bare_${pop}dev_w$w" "$rel" - met
			tsv "batch_sim_cpu_share_${pop}dev_w$w" "$share" - met
		fi
	done
	stop_sim
	$A device flush
done
rmmod aiotsec
exit $fail
