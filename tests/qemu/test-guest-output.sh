#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Host tests of how guest output is collected (stage host of make check,
# part guest-output): the guests' serial ports end lines with CRLF, and a
# "\r" left on a line made `make bench` count "missed\r" as met. On a CRLF
# sample of a guest's results.log: scripts/lib.sh's guest_log and
# guest_tsv (what vm.sh, the stages, make run and make bench read guest
# logs with), scripts/bench-summary.sh, and tapsum.py. TAP on stdout.
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0

# t DESC COMMAND...: one TAP result; the command's output in $T/out.
t() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$T/out" 2>&1; then
		echo "ok $n - $desc"
	else
		fails=$((fails + 1))
		echo "not ok $n - $desc"
		sed 's/^/# /' "$T/out" | head -n 20
	fi
}

# A guest's results.log as the host finds it: CRLF, commentary, figures.
printf '%s\r\n' \
	'# aiotsec_bench.ko: receive path vs floor' \
	$'TSV provision_1M_devices_per_s\t32900\t-\tmet' \
	$'TSV provision_batched_over_one_per_message\t9.400\t>=20\tmissed' \
	'# one per message: 20000 devices in 21.3 s wall' \
	$'TSV slab_bytes_per_device_1M\t136\t<=256\tmet' \
	$'TSV e2e_auth_per_s_10_devices\t0.000\t-\tmissed' \
	$'TSV devices_100000_over_1000\t1.08\t<=1.15\tmet' \
	'AIOTSEC-EXIT 0' >"$T/results.log"
printf '%s\r\n' 'TAP version 13' '1..3' 'ok 1 - one' 'not ok 2 - two' \
	'ok 3 - three' >"$T/tap.log"

has_no_cr() { ! grep -q $'\r' "$1"; }
same() {	# same FILE WANT: FILE holds exactly WANT
	local got
	got=$(cat "$1")
	[ "$got" = "$2" ] || { printf 'got:  %q\nwant: %q\n' "$got" "$2"; return 1; }
}
# The summary's stderr line "N figures, M missed" of FILE.
summary() { { bash "$TOP/scripts/bench-summary.sh" "$1" >/dev/null; } 2>&1; }
contains() { grep -q -- "$2" "$1" || { cat "$1"; return 1; }; }

echo "TAP version 13"
echo "1..13"

t "the sample has CRLF endings: a plain awk compare sees no missed figure" \
	sh -c "[ \"\$(awk -F'\t' '\$4 == \"missed\"' '$T/results.log' | wc -l)\" = 0 ]"

guest_log "$T/results.log" >"$T/log"
t "guest_log drops every carriage return" has_no_cr "$T/log"
t "guest_log keeps every line" \
	same <(wc -l <"$T/log") "$(wc -l <"$T/results.log")"
t "guest_log of a log that does not exist: empty, status 0" \
	sh -c ". '$TOP/scripts/lib.sh' && [ -z \"\$(guest_log '$T/nosuch.log')\" ]"

guest_tsv "$T/results.log" >"$T/results.tsv"
t "guest_tsv: the five figures, without prefix or carriage return" same "$T/results.tsv" \
	"$(printf '%s\n' $'provision_1M_devices_per_s\t32900\t-\tmet' \
		$'provision_batched_over_one_per_message\t9.400\t>=20\tmissed' \
		$'slab_bytes_per_device_1M\t136\t<=256\tmet' \
		$'e2e_auth_per_s_10_devices\t0.000\t-\tmissed' \
		$'devices_100000_over_1000\t1.08\t<=1.15\tmet')"

mkdir -p "$T/collected" "$T/raw" "$T/none"
cp "$T/results.tsv" "$T/collected/results.tsv"
summary "$T/collected/results.tsv" >"$T/sum"
t "bench summary of the collected figures: 5 figures, 2 missed" \
	contains "$T/sum" "5 figures, 2 missed$"
t "bench summary names the missed figures" \
	contains "$T/sum" "missed: provision_batched_over_one_per_message, e2e_auth_per_s_10_devices$"

# Figures with CRLF that were not collected through guest_tsv.
sed -n 's/^TSV //p' "$T/results.log" >"$T/raw/results.tsv"
summary "$T/raw/results.tsv" >"$T/sum"
t "bench summary of CRLF figures: still 2 missed" \
	contains "$T/sum" "5 figures, 2 missed$"

mkdir -p "$T/nm"
printf 'a\t1\t-\tmet\nbatch_w64\t-\t>=0.5\tnot-measured\n' >"$T/nm/results.tsv"
summary "$T/nm/results.tsv" >"$T/sum"
t "bench summary: a figure not measured is named, not missed" \
	sh -c "grep -q '2 figures, 0 missed\$' '$T/sum' && grep -q '1 not measured: batch_w64\$' '$T/sum'"
grep -v missed "$T/results.tsv" >"$T/none/results.tsv"
summary "$T/none/results.tsv" >"$T/sum"
t "bench summary with every target met: 3 figures, 0 missed" \
	contains "$T/sum" "3 figures, 0 missed$"

mkdir -p "$T/empty"
printf 'a\t1\t-\tmet\nbatch_auth_per_s\t\t-\tmet\n' >"$T/empty/results.tsv"
summary "$T/empty/results.tsv" >"$T/sum"
t "bench summary: a figure with no value is missed, whatever its result says" \
	contains "$T/sum" "2 figures, 1 missed$"

mkdir -p "$T/odd"
printf '%s\n' $'a\t1\t<=2\tmet' $'b\t3\t<=2\t' $'c\t1\t<=2\tmaybe' >"$T/odd/results.tsv"
summary "$T/odd/results.tsv" >"$T/sum"
t "bench summary: a figure without met/missed counts as missed" \
	contains "$T/sum" "3 figures, 2 missed$"

python3 "$TOP/scripts/tapsum.py" --counts "$T/tap.log" >"$T/counts" 2>/dev/null
t "tapsum.py on CRLF TAP: 2 passed, 1 failed" same "$T/counts" "2 1 0"

[ "$fails" = 0 ]
