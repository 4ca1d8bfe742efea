# SPDX-License-Identifier: GPL-2.0 OR MIT
# TAP helpers of the shell test scripts, sourced (plain POSIX sh: busybox
# sh, dash) by tests/agent/{apply,cli}.sh and, in the QEMU guests as
# /aiotsec/tap.sh (the stages --add it), by tests/qemu/guest/aiotctl.sh,
# package.sh and aiotd.sh. The plan line stays the script's own.
#
# Counters (set here; scripts may read them, or count a SKIP with n):
#   n      the number of the last check
#   fails  how many checks failed
# Settings of tap_run:
#   TAP_OUT   the file a command's output (stdout and stderr) goes to
#   TAP_LAST  if set, that output is copied there too
#   TAP_HEAD  if set, a failed command's output is shown up to so many lines
n=0
fails=0

# tap_check DESC STATUS: one check, passed if STATUS is 0; returns 1 if not
# (the caller then adds its diagnostics).
tap_check() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
		return 0
	fi
	fails=$((fails + 1))
	echo "not ok $n - $1"
	return 1
}

# tap_diag: standard input as TAP diagnostics ("#   " before each line).
tap_diag() {
	sed 's/^/#   /'
}

# tap_run DESC WANT_STATUS PATTERN CMD...: CMD must exit WANT_STATUS and
# print (stdout or stderr) a line matching PATTERN (grep -E; "" for none).
tap_run() {
	tap_desc=$1 tap_want=$2 tap_pat=$3
	shift 3
	"$@" >"$TAP_OUT" 2>&1
	tap_got=$?
	[ -z "${TAP_LAST:-}" ] || cp "$TAP_OUT" "$TAP_LAST"
	[ "$tap_got" = "$tap_want" ] && { [ -z "$tap_pat" ] || grep -Eq -- "$tap_pat" "$TAP_OUT"; }
	tap_check "$tap_desc" $? && return 0
	echo "# exit $tap_got (want $tap_want), pattern '$tap_pat'; output:"
	if [ -n "${TAP_HEAD:-}" ]; then
		head -n "$TAP_HEAD" "$TAP_OUT" | tap_diag
	else
		tap_diag <"$TAP_OUT"
	fi
	return 0
}

# tap_plan N: the plan line, 1..N (first, or last as tap_plan "$n").
tap_plan() {
	echo "1..$1"
}

# tap_passed: the script's exit status: 0 if no check failed.
tap_passed() {
	[ "$fails" = 0 ]
}
