# Sourced by scripts/bench.sh: device-side cost (callgrind) and message
# overhead, on the host (tests/bench/host, mk/bench-host.mk); it writes
# $OUT/host.tsv.
make -s -C "$TOP" bench-host >"$OUT/host.txt"
cat "$OUT/host.txt" >&2
cat "$OUT/host.tsv" >>"$TSV"
