#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run test commands as one TAP stream.
#
# usage: tap-run.sh [-n DESC] COMMAND [[-n DESC] COMMAND]...
#
# Each COMMAND (a shell command line) runs with its output captured. Its
# "ok" / "not ok" lines are renumbered into one sequence, its plan is
# checked against the results it printed and dropped, and every other line
# of its output (standard error included) becomes a "# " comment. A
# command that exits non-zero adds a failure; one that prints no result
# counts as a single test named DESC (default: the command). The stream
# is printed when all have run, plan first (scripts/tapsum.py counts only
# the results after a plan), and ends with exactly "N passed, N failed".
# Exit status 1 when anything failed.
set -u

tmp=$(mktemp -d) || exit 2
exec 3>&1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
desc=

exec >"$tmp/stream"
while [ $# -gt 0 ]; do
	if [ "$1" = -n ] && [ $# -ge 2 ]; then
		desc=$2
		shift 2
		continue
	fi
	cmd=$1
	shift
	[ -n "$desc" ] || desc=$cmd
	echo "# $desc"
	sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	awk -v base=$((pass + fail)) -v cnt="$tmp/cnt" '
	function result(ok, rest) {
		sub(/^[ \t]*[0-9]+/, "", rest)
		n++
		if (ok)
			p++
		else
			f++
		printf "%sok %d%s\n", ok ? "" : "not ", base + n, rest
	}
	/^ok([ \t]|$)/ { result(1, substr($0, 3)); next }
	/^not ok([ \t]|$)/ { result(0, substr($0, 7)); next }
	/^1\.\.[0-9]+/ { plan = $0; sub(/^1\.\./, "", plan); planned = 1; next }
	/^#/ { print; next }
	{ print "# " $0 }
	END {
		if (planned && plan + 0 != n) {
			f++
			n++
			printf "not ok %d - planned %d results, got %d\n", \
			       base + n, plan, n - 1
		}
		print n + 0, p + 0, f + 0 > cnt
	}' "$tmp/out"
	sed 's/^/# /' "$tmp/err"
	read -r got p f <"$tmp/cnt"
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$status" -ne 0 ]; then
		fail=$((fail + 1))
		echo "not ok $((pass + fail)) - $desc: exit status $status"
	elif [ "$got" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $((pass + fail)) - $desc"
	fi
	desc=
done

exec >&3
echo "1..$((pass + fail))"
cat "$tmp/stream"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
