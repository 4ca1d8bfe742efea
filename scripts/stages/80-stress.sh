# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage "stress" of scripts/check.sh, 80-stress.sh (sourced; uses its counts, $OUT,
# $TOP): the smoke of the hostile campaign (tests/stress/README.md), a few
# seconds of each part on the 2-CPU KASAN/lockdep/kmemleak test kernel.
# Fails on a splat, a leak, key bytes in a reply, dump or event, an
# invariant violation, a failed rmmod or a guest that did not finish.
# `make stress` runs the whole campaign (not part of check).

stage_stress() {
	local tap="$OUT/stress.tap"
	: >"$tap"
	if ! STRESS_TAP="$tap" STRESS_OUT="$OUT/stress" \
		bash "$TOP/tests/qemu/stress.sh" smoke >"$OUT/stress.log" 2>&1; then
		tail -n 40 "$OUT/stress.log" >&2
		[ -s "$tap" ] || echo "not ok 1 - stress smoke ran (see $OUT/stress.log)" >"$tap"
	fi
	counts stress --kernel-log "$OUT/stress/test/console.log" "$tap"
}
