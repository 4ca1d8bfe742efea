#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# vectors-same.sh TREE SHARED: the known-answer files the tests use
# (tests/vectors/) are those of the shared profile (../shared/vectors/):
# the same file names, byte for byte. Without SHARED (a clone on its
# own) the check is skipped. TAP on stdout.
set -u
tree=${1:?usage: vectors-same.sh TREE SHARED}
shared=${2:?usage: vectors-same.sh TREE SHARED}
if [ ! -d "$shared" ]; then
	echo "ok 1 - tests/vectors equals the shared vectors # SKIP no $shared"
	echo "1..1"
	exit 0
fi
n=0
fail=0
seen=
for f in "$tree"/* "$shared"/*; do
	b=${f##*/}
	case " $seen " in *" $b "*) continue ;; esac
	seen="$seen $b"
	n=$((n + 1))
	if cmp -s "$tree/$b" "$shared/$b"; then
		echo "ok $n - $b: the same in both"
	else
		echo "not ok $n - $b: differs, or is missing in one of them"
		fail=1
	fi
done
echo "1..$n"
exit $fail
