#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# vectool on broken input: check must fail on a changed output, fill and
# check must refuse a malformed file with its file:line, printing nothing
# on standard output for fill. TAP.
#
# usage: vectool-neg.sh VECTOOL VECTOR_DIR
set -u
vt=$1
dir=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0

tap() {	# tap DESCRIPTION STATUS
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=1
	fi
}

# The last hex digit of the first record's message NAME, changed.
flip_last() {
	awk -v name="$1" '
	!done && index($0, name " = ") == 1 {
		c = substr($0, length($0))
		$0 = substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0")
		done = 1
	}
	{ print }' "$dir/profile-v1.rsp" >"$tmp/bad.rsp"
}

for msg in PAGING AUTH_RESP COMMAND CMD_RESP; do
	flip_last "$msg"
	"$vt" check "$tmp/bad.rsp" >"$tmp/out" 2>&1
	st=$?
	grep -q "^not ok 1 - bad.rsp:4 COUNT 0" "$tmp/out" &&
		[ "$(grep -c '^not ok' "$tmp/out")" -eq 1 ] && [ "$st" -ne 0 ]
	tap "check fails on record 0 only when its $msg changes" $?
done

printf '# c\n\nCOUNT = 0\nK = zz\n' >"$tmp/in.rsp"
"$vt" fill "$tmp/in.rsp" >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -ne 0 ] && [ ! -s "$tmp/out" ] &&
	grep -q "in.rsp:4: K: invalid hex digit" "$tmp/err"
tap "fill refuses bad hex with file:line and prints nothing" $?

printf 'COUNT = 0\nK = 00\n' >"$tmp/in.rsp"
"$vt" fill "$tmp/in.rsp" >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -ne 0 ] && [ ! -s "$tmp/out" ] &&
	grep -q "in.rsp:2: K has 1 bytes, not 16 to 32" "$tmp/err"
tap "fill refuses a record with a short K" $?

"$vt" check "$tmp/in.rsp" >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q "^not ok 1 - in.rsp:1 COUNT 0" "$tmp/out"
tap "check fails on an incomplete record" $?

"$vt" check "$tmp/none.rsp" >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q "none.rsp: No such file" "$tmp/out"
tap "check fails on a missing file" $?

echo "1..$n"
exit $failed
