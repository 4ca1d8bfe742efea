# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part host (sourced by scripts/bench.sh): device-side cost
# (callgrind) and message overhead, on the host (tests/bench/host,
# mk/bench-host.mk, which writes $OUT/host.tsv); then the simulator core's
# checks per second without a network (make sim-bench, one thread, 1, 10
# and 1,000 devices; tests/sim/README.md "Cost").

bench_host() {
	local sb line n
	make -s -C "$TOP" bench-host >"$OUT/host.txt"
	cat "$OUT/host.txt" >&2
	cat "$OUT/host.tsv" >>"$TSV"
	sb=$(make -s -C "$TOP" sim-bench)
	"$sb" 1 10 1000 >"$OUT/sim-bench.txt"
	while read -r line; do
		echo "# sim-bench: $line" >&2
		n=$(sed -n 's/^devices=\([0-9]*\) .*/\1/p' <<<"$line")
		printf 'sim_host_checks_per_s_%sdev\t%s\t-\tmet\n' "$n" \
			"$(sed -n 's/.* checks_per_s=\([0-9]*\).*/\1/p' <<<"$line")" >>"$TSV"
	done <"$OUT/sim-bench.txt"
}
