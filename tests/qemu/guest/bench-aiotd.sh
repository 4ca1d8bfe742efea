#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Guest side of `make bench`, part aiotd (scripts/bench.d/37-aiotd.sh):
# device completions per second through aiotd. N device authentications
# per population: R = N / population request-inv POSTs, 64 at a time on
# one HTTP/2 connection (h2load), each of all the population's devices;
# timed from the first POST to the R-th lastRepInd at afrecv. Then, in
# the same boot, aiotctl's batch mode (auth - window N) over the same N.
M=/aiotsec
A=$M/aiotctl
N=4000
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
tsv() { printf 'TSV %s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
# (awk: an unparenthesised '>' in print/printf is a redirection to a file)
rate() { awk -v n=$1 -v w=$2 'BEGIN { printf "%.1f", (w > 0 ? n * 100 / w : 0) }'; }
# CPU in ticks (USER_HZ, 100/s): of process $1 (utime+stime), or of this
# shell's waited-for children (cutime+cstime), which a foreground command
# joins when it ends
pcpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }
ccpu() { awk '{ print $16 + $17 }' /proc/$$/stat; }
# us of CPU per device authentication: ticks $1 over $2 authentications
per() { awk -v t=$1 -v n=$2 'BEGIN { printf "%.0f", (n > 0 ? t * 10000 / n : 0) }'; }

insmod $M/aiotsec.ko || exit 1
ip link add rd0 type veth peer name sim0 && ip link set rd0 up && ip link set sim0 up || exit 1
$A reader add rd0 || exit 1
# h2load resolves 127.0.0.1 with AI_ADDRCONFIG, which wants an IPv4
# address on an interface other than lo ("Address family for hostname not
# supported" otherwise); the reader's veth gets one, unused by the module.
ip addr add 192.0.2.1/24 dev rd0 || exit 1
cd /tmp || exit 1
umask 077	# aiotctl load refuses a key file others can read
for pop in 1 10; do
	R=$((N / pop))
	grep -v '^#' $M/keys10 | head -n $pop >keys
	$A load keys >/dev/null || exit 1
	rm -f ready notifs done
	$M/aiotsim -i sim0 -k keys --ready ready >sim.out 2>&1 &
	sim=$!
	# afrecv makes "done" at the R-th lastRepInd: waiting costs a test
	# of a file every 50 ms, not a grep of the notifications (their
	# reading took some 5% of the two vCPUs from the run it times)
	$M/afrecv --port 9000 --out notifs --done done --last $R &
	af=$!
	# the AF's 64 requests at once, as aiotctl's window of 64: room for
	# them (max_streams, 32 by default, refuses the rest of a first burst
	# sent before the SETTINGS came, and h2load does not resend them)
	printf 'port 8089\nstate_file none\nmax_inflight 64\nmax_streams 64\n' >aiotd.conf
	$M/aiotd -c aiotd.conf 2>aiotd.log &
	d=$!
	i=0
	while { [ ! -e ready ] || ! grep -q listening aiotd.log; } && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	s0=$(pcpu $sim) d0=$(pcpu $d) f0=$(pcpu $af)
	c0=$(cs)
	# h2load, not curl --parallel: Debian 12's curl 7.88.1 fails every
	# request after the first on a reused h2c connection (CURLE_HTTP2)
	h0=$(ccpu)
	$M/h2load -n $R -c 1 -m 64 -d $M/inv$pop.json \
		-H 'content-type: application/json' \
		http://127.0.0.1:8089/naiotf-aiot/v1/request-inv >h2load.out 2>&1
	h1=$(ccpu)
	tail -n 15 h2load.out | sed 's/^/# h2load: /'	# its summary, or why it failed
	# as many operations as were accepted (a refused request has none)
	acc=$(sed -n 's/.* \([0-9]*\) succeeded,.*/\1/p' h2load.out)
	i=0
	if [ "${acc:-$R}" = $R ]; then
		while [ ! -e done ] && [ $i -lt 6000 ]; do
			sleep 0.05
			i=$((i + 1))
		done
	else
		while [ "$(grep -c lastRepInd notifs 2>/dev/null)" -lt "${acc:-0}" ] && [ $i -lt 6000 ]; do
			sleep 0.05
			i=$((i + 1))
		done
	fi
	c1=$(cs)
	done_n=$(grep -c lastRepInd notifs)
	ok=$(grep -o '"deviceId"' notifs | wc -l)
	bad=$(grep -o '"failCause"' notifs | wc -l)
	wall=$((c1 - c0))
	echo "# aiotd, $pop devices: $R requests, $done_n finished, $ok reports ($bad failed) in $((wall / 100)).$((wall % 100)) s"
	ar=$(rate $((ok - bad)) $wall)
	tsv "aiotd_inventory_per_s_${pop}_devices" "$ar" - \
		"$([ "$done_n" = $R ] && [ "$bad" = 0 ] && echo met || echo missed)"
	dc=$(($(pcpu $d) - d0)) ac=$(($(pcpu $af) - f0 + h1 - h0)) sc=$(($(pcpu $sim) - s0))
	dcpu=$dc
	echo "# aiotd, $pop devices: CPU per authentication: aiotd $(per $dc $N) us, the AF (h2load + afrecv) $(per $ac $N) us, aiotsim $(per $sc $N) us"
	tsv "aiotd_cpu_us_per_auth_${pop}_devices" "$(per $dc $N)" - met
	tsv "af_cpu_us_per_auth_${pop}_devices" "$(per $ac $N)" - met
	kill $d $af; wait $d $af 2>/dev/null
	# aiotctl's batch mode over the same N authentications
	awk -v r=$R '!/^#/ { id[n++] = $1 } END { for (i = 0; i < r; i++) for (j = 0; j < n; j++) print id[j] }' keys >ids
	s0=$(pcpu $sim) a0=$(ccpu)
	c0=$(cs)
	$A auth file ids window 64 >batch.out 2>&1
	c1=$(cs)
	ac=$(($(ccpu) - a0)) sc=$(($(pcpu $sim) - s0))
	wall=$((c1 - c0))
	n=$(grep -c '^auth' batch.out)
	br=$(rate $n $wall)
	echo "# aiotctl batch, $pop devices: $n of $(wc -l <ids) authenticated in $((wall / 100)).$((wall % 100)) s"
	echo "# aiotctl batch, $pop devices: CPU per authentication: aiotctl $(per $ac $N) us, aiotsim $(per $sc $N) us"
	tsv "aiotctl_batch_auth_per_s_${pop}_devices" "$br" - met
	tsv "aiotctl_batch_cpu_us_per_auth_${pop}_devices" "$(per $ac $N)" - met
	# informative: aiotd's own CPU against aiotctl's (the AF's not counted)
	tsv "aiotctl_over_aiotd_cpu_per_auth_${pop}_devices" \
		"$(awk -v a=$ac -v d=$dcpu 'BEGIN { printf "%.2f", (d > 0 ? a / d : 0) }')" - met
	tsv "aiotd_over_aiotctl_batch_${pop}_devices" \
		"$(awk -v a=$ar -v b=$br 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" ">=0.8" \
		"$(awk -v a=$ar -v b=$br 'BEGIN { print ((b > 0 && a / b >= 0.8) ? "met" : "missed") }')"
	kill $sim; wait $sim 2>/dev/null
	$A device flush
done
rmmod aiotsec
