#!/bin/bash
# `make bench`: every benchmark, one table, a plot, and a TSV file of
# "name value target met|missed" lines whose path is the last line printed.
# Not part of `make check`. Under QEMU/TCG absolute times mean little: the
# figures are ratios measured side by side in one run, or counts.
#   scripts/bench.sh [PART...]   default: every part, in file-name order
# A part is one file scripts/bench.d/NN-NAME.sh defining bench_NAME (see
# scripts/bench.d/README.md), declared as a stage of make check is; this
# driver only finds and runs them, each in a subshell, then summarises
# (scripts/bench-summary.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$TOP/build/bench"
TSV="$OUT/results.tsv"
PART_DIR="$TOP/scripts/bench.d"

plugins_load "$PART_DIR" "bench part" "$@"

rm -rf "$OUT" && mkdir -p "$OUT"
: >"$TSV"

# bench_collect NAME: the figures of the guest run under $OUT/NAME/ (its
# "TSV " lines) onto $TSV, its "# " commentary to stderr.
bench_collect() {
	guest_tsv "$OUT/$1/results.log" >>"$TSV"
	guest_log "$OUT/$1/results.log" | grep '^# ' >&2 || true
}

failed=0
for p in $plugin_run; do
	log "bench: $p"
	# (not tested with || : that would switch off its set -e)
	(
		set -e
		. "$(plugin_path "$p")"
		declare -F "bench_$p" >/dev/null ||
			die "$(plugin_path "$p") defines no bench_$p"
		"bench_$p"
	)
	rc=$?
	# A part that failed counts as a missed figure: its own may be absent.
	if [ "$rc" != 0 ]; then
		log "bench: $p FAILED (exit $rc)"
		failed=1
		printf 'bench_part_%s_completed\t0\t1\tmissed\n' "$p" >>"$TSV"
	fi
done

bash "$TOP/scripts/bench-summary.sh" "$TSV"
echo "$TSV"
exit "$failed"
