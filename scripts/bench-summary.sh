#!/bin/bash
# The summary of `make bench` (scripts/bench.sh) from its TSV file of
# "name<TAB>value<TAB>target<TAB>met|missed|not-measured" lines: the table
# on stdout, "N figures, M missed" (and "K not measured: ...") on stderr and, with gnuplot, the plot of the
# receive-path cost against the population (scaling.png beside the TSV).
#   bench-summary.sh TSV
# Carriage returns are dropped first: figures come back from the guests
# over a serial port, with CRLF endings, and "missed\r" is not "missed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tsv=${1:?usage: bench-summary.sh TSV}
dir=$(dirname "$tsv")
figures=$(tr -d '\r' <"$tsv")

printf '\n%-44s %14s %10s %s\n' figure value target result
[ -z "$figures" ] ||
	awk -F'\t' '{ printf "%-44s %14s %10s %s\n", $1, $2, $3, $4 }' <<<"$figures"
n=$(awk -F'\t' 'NF' <<<"$figures" | wc -l)
# A figure whose result is not "met" (a malformed or empty one too) is missed.
missed=$(awk -F'\t' 'NF && (($4 != "met" && $4 != "not-measured") || $2 == "")' <<<"$figures" | wc -l)
log "$n figures, $missed missed"
[ "$missed" = 0 ] || log "missed: $(awk -F'\t' 'NF && (($4 != "met" && $4 != "not-measured") || $2 == "") { printf "%s%s", s, $1; s = ", " }' <<<"$figures")"
# A figure a part could not take here (e.g. aiotctl without batch windows).
nm=$(awk -F'\t' '$4 == "not-measured"' <<<"$figures" | wc -l)
[ "$nm" = 0 ] || log "$nm not measured: $(awk -F'\t' '$4 == "not-measured" { printf "%s%s", s, $1; s = ", " }' <<<"$figures")"
untargeted=$(awk -F'\t' 'NF && $3 == "-"' <<<"$figures" | wc -l)
[ "$untargeted" = 0 ] || log "$untargeted of them reported without a target (-)"

# The plot: receive-path cost against provisioned devices.
awk -F'\t' '$1 ~ /^devices_[0-9]+_over_1000$/ {
	n = $1; sub(/^devices_/, "", n); sub(/_over_1000$/, "", n)
	print n, $2 }' <<<"$figures" | sort -n >"$dir/scaling.dat"
if [ -s "$dir/scaling.dat" ] && command -v gnuplot >/dev/null; then
	{ echo "1000 1.0"; cat "$dir/scaling.dat"; } >"$dir/scaling2.dat"
	gnuplot <<-GP || true
		set terminal pngcairo size 800,500 noenhanced
		set output "$dir/scaling.png"
		set logscale x
		set xlabel "provisioned devices"
		set ylabel "receive-path cost / cost at 1000 devices"
		set yrange [0:1.5]
		set title "aiotsec: cost per verified response vs population"
		plot "$dir/scaling2.dat" using 1:2 with linespoints title "measured", \
		     1.15 with lines dashtype 2 title "target 1.15"
	GP
	[ -f "$dir/scaling.png" ] && log "plot: $dir/scaling.png"
fi
exit 0
