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

# The last hex digit of the first record's message NAME (of FILE, default
# profile-v1.rsp), changed.
flip_last() {
	awk -v name="$1" '
	!done && index($0, name " = ") == 1 {
		c = substr($0, length($0))
		$0 = substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0")
		done = 1
	}
	{ print }' "$dir/${2:-profile-v1.rsp}" >"$tmp/bad.rsp"
}

for msg in PAGING AUTH_RESP COMMAND CMD_RESP; do
	flip_last "$msg"
	"$vt" check "$tmp/bad.rsp" >"$tmp/out" 2>&1
	st=$?
	grep -q "^not ok 1 - bad.rsp:4 COUNT 0" "$tmp/out" &&
		[ "$(grep -c '^not ok' "$tmp/out")" -eq 1 ] && [ "$st" -ne 0 ]
	tap "check fails on record 0 only when its $msg changes" $?
done

# Inventory (v1.1): its first record (COUNT 0, line 5) matches.
for out in INVENTORY MATCH RID INV_RESP; do
	flip_last "$out" profile-v1.1-inventory.rsp
	"$vt" check "$tmp/bad.rsp" >"$tmp/out" 2>&1
	st=$?
	grep -q "^not ok 1 - bad.rsp:5 COUNT 0" "$tmp/out" &&
		[ "$(grep -c '^not ok' "$tmp/out")" -eq 1 ] && [ "$st" -ne 0 ]
	tap "check fails on inventory record 0 only when its $out changes" $?
done

inv() {	# inv FBITS FILTER: an input-only inventory record
	printf 'COUNT = 0\nK = %s\nID = %s\nGROUP = 0102030405060708\nNN = %s\nDN = %s\nPOLICY = 00\nFBITS = %s\nFILTER = %s\nCAP = \n' \
		"$z16" "$z16" "$z16" "$z16" "$1" "$2" >"$tmp/in.rsp"
}
z16=00000000000000000000000000000000
for c in "09 0140:filter bit past FBITS" "09 01:FILTER of 1 byte for FBITS 9" \
	"41 010203040506070800:FBITS 65"; do
	inv ${c%%:*}
	"$vt" fill "$tmp/in.rsp" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ "$st" -ne 0 ] && [ ! -s "$tmp/out" ] && grep -q "in.rsp:" "$tmp/err"
	tap "fill refuses an inventory record with a ${c#*:}" $?
done
inv 09 0100
"$vt" fill "$tmp/in.rsp" >"$tmp/out" 2>"$tmp/err" &&
	grep -q '^MATCH = 01$' "$tmp/out" && grep -q '^RID = [0-9a-f]\{16\}$' "$tmp/out"
tap "fill completes a valid input-only inventory record" $?

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
