#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run one libFuzzer harness for a while, quietly.
#
# usage: run-fuzz.sh HARNESS SECONDS CORPUS SEEDS LOG [LIBFUZZER-OPTION]...
#
# New inputs go to CORPUS (created if need be), the seeds are read from
# SEEDS, the whole output goes to LOG. Prints libFuzzer's final
# statistics, and the end of LOG when the harness fails (a finding, a
# crash or a bad option); exits with the harness's status.
set -u
if [ $# -lt 5 ]; then
	echo "usage: $0 HARNESS SECONDS CORPUS SEEDS LOG [OPTION]..." >&2
	exit 2
fi
bin=$1
secs=$2
corpus=$3
seeds=$4
log=$5
shift 5

mkdir -p "$corpus" || exit 2
"$bin" -max_total_time="$secs" -print_final_stats=1 "$@" \
	"$corpus" "$seeds" >"$log" 2>&1
status=$?
grep -E '^(Done |stat::)' "$log"
if [ "$status" -ne 0 ]; then
	echo "$bin exited with status $status; end of $log:"
	tail -n 60 "$log"
fi
exit "$status"
