#!/bin/bash
# `make bench`: every benchmark, one table, a plot, and a TSV file of
# "name value target met|missed" lines whose path is the last line printed.
# Not part of `make check`. Under QEMU/TCG absolute times mean little: the
# figures are ratios measured side by side in one run, or counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$TOP/build/bench"
rm -rf "$OUT" && mkdir -p "$OUT"
TSV="$OUT/results.tsv"
: >"$TSV"

# 1-3: in-kernel, on the bench kernel (the test kernel without debug options).
kdir=$("$TOP/scripts/kernel.sh" bench)
kmod=$("$TOP/scripts/kmod.sh" bench)
log "in-kernel benchmarks (bench kernel under QEMU)"
"$TOP/scripts/vm.sh" --kernel "$kdir/arch/x86/boot/bzImage" \
	--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
	--add "$kmod/aiotsec_bench.ko=/aiotsec/aiotsec_bench.ko" \
	--add "$TOP/tests/vm/bench.sh=/aiotsec/bench.sh" \
	--append slab_nomerge --mem 4096 --timeout 1500 \
	--name bench --log-dir "$OUT/kernel" -- /aiotsec/bench.sh
grep '^TSV ' "$OUT/kernel/results.log" | sed 's/^TSV //' >>"$TSV"
grep '^# ' "$OUT/kernel/results.log" >&2 || true

# Further parts add their lines here (scripts/bench.d/*.sh).
for f in "$TOP"/scripts/bench.d/*.sh; do
	[ -e "$f" ] || continue
	log "bench: $(basename "$f" .sh)"
	. "$f"
done

# The table.
printf '\n%-44s %14s %10s %s\n' figure value target result
awk -F'\t' '{ printf "%-44s %14s %10s %s\n", $1, $2, $3, $4 }' "$TSV"
missed=$(awk -F'\t' '$4 == "missed"' "$TSV" | wc -l)
log "$(wc -l <"$TSV") figures, $missed missed"

# The plot: receive-path cost against provisioned devices.
if command -v gnuplot >/dev/null; then
	awk -F'\t' '$1 ~ /^devices_[0-9]+_over_1000$/ {
		n = $1; sub(/^devices_/, "", n); sub(/_over_1000$/, "", n)
		print n, $2 }' "$TSV" | sort -n >"$OUT/scaling.dat"
	if [ -s "$OUT/scaling.dat" ]; then
		{ echo "1000 1.0"; cat "$OUT/scaling.dat"; } >"$OUT/scaling2.dat"
		gnuplot <<-GP || true
			set terminal pngcairo size 800,500 noenhanced
			set output "$OUT/scaling.png"
			set logscale x
			set xlabel "provisioned devices"
			set ylabel "receive-path cost / cost at 1000 devices"
			set yrange [0:1.5]
			set title "aiotsec: cost per verified response vs population"
			plot "$OUT/scaling2.dat" using 1:2 with linespoints title "measured", \
			     1.15 with lines dashtype 2 title "target 1.15"
		GP
		[ -f "$OUT/scaling.png" ] && log "plot: $OUT/scaling.png"
	fi
fi
echo "$TSV"
