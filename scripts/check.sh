#!/bin/bash
# `make check`: every stage of scripts/stages/, each stage's TAP kept under
# build/check/, one summary line at the end. A stage that fails does not
# stop the others.
#   scripts/check.sh [STAGE...]   default: every stage, in file-name order
# A stage is one file scripts/stages/NN-NAME.sh defining stage_NAME (see
# scripts/stages/README.md); this driver only finds and runs them, each in
# a subshell, with the helpers below: tap, counts, stage_fail.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$TOP/build/check"
STAGE_DIR="$TOP/scripts/stages"

plugins_load "$STAGE_DIR" stage "$@"

rm -rf "$OUT" && mkdir -p "$OUT"

# tap FILE DESCRIPTION COMMAND...: run COMMAND, append one TAP result to
# FILE (with the last 40 lines of its output as comments if it failed).
tap() {
	local file=$1 desc=$2 log n
	shift 2
	n=$(grep -c '^\(not \)\{0,1\}ok ' "$file" 2>/dev/null)
	n=$((${n:-0} + 1))
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		echo "ok $n - $desc" >>"$file"
	else
		echo "not ok $n - $desc" >>"$file"
		sed 's/^/# /' "$log" | tail -n 40 >>"$file"
		tail -n 40 "$log" >&2
	fi
	rm -f "$log"
}

# counts NAME TAPSUM-ARGS...: record the counts of one part of a stage
# (tapsum.py over its TAP, KTAP or logs) as $OUT/NAME.counts.
counts() {
	local name=$1
	shift
	if [ -e "$OUT/$name.counts" ]; then
		echo "not ok 1 - part $name is counted twice" >"$OUT/$name-twice.tap"
		counts "$name-twice" "$OUT/$name-twice.tap"
		name=$name-again
	fi
	python3 "$TOP/scripts/tapsum.py" --label "$name" --counts "$@" \
		>"$OUT/$name.counts"
	log "$name: $(awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}' "$OUT/$name.counts")"
	return 0
}

# stage_fail NAME DESCRIPTION: a part that could not even start counts as
# one failed test.
stage_fail() {
	echo "not ok 1 - $2" >"$OUT/$1.tap"
	counts "$1" "$OUT/$1.tap"
}

for s in $plugin_run; do
	log "stage $s"
	t0=$(date +%s)
	(
		. "$(plugin_path "$s")" || exit
		declare -F "stage_$s" >/dev/null ||
			{ log "$(plugin_path "$s") defines no stage_$s"; exit 1; }
		"stage_$s"
	)
	rc=$?
	[ "$rc" = 0 ] || stage_fail "$s-aborted" "stage $s exited $rc before it completed"
	log "stage $s: $(( $(date +%s) - t0 )) s"
done
python3 "$TOP/scripts/tapsum.py" --sum "$OUT"/*.counts
