# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part host (sourced by scripts/bench.sh): device-side cost
# (callgrind) and message overhead, on the host (tests/bench/host,
# mk/bench-host.mk, which writes $OUT/host.tsv).

bench_host() {
	make -s -C "$TOP" bench-host >"$OUT/host.txt"
	cat "$OUT/host.txt" >&2
	cat "$OUT/host.tsv" >>"$TSV"
}
