# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage kunit (sourced by scripts/check.sh; also `make kunit`): the test
# kernel (KASAN, lockdep, kmemleak) under QEMU with aiotsec.ko and
# aiotsec_test.ko; the guest side is tests/qemu/guest/kunit.sh. The KUnit
# KTAP comes on the kernel console, the guest's own TAP on results.log;
# the console must also be clean. Counts: kunit.
# KUNIT_TIMEOUT (default 1200 s; it was 600, which a guest with 2 CPUs
# on a host shared by several TCG guests overran half way through the
# suites).

KUNIT_TIMEOUT=${KUNIT_TIMEOUT:-1200}

stage_kunit() {
	local kdir kmod dir="$OUT/kunit"

	if ! kdir=$("$TOP/tests/qemu/kernel.sh") || ! kmod=$("$TOP/scripts/kmod.sh" test); then
		stage_fail kunit "build test kernel and modules"
		return 0
	fi
	"$VM" --kernel "$kdir/arch/x86/boot/bzImage" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$kmod/aiotsec_test.ko=/aiotsec/aiotsec_test.ko" \
		--add "$GUEST_DIR/kunit.sh=/aiotsec/kunit.sh" \
		--timeout "$KUNIT_TIMEOUT" --name kunit --log-dir "$dir" -- /aiotsec/kunit.sh
	counts kunit --kernel-log "$dir/console.log" "$dir/results.log" \
		"$dir/console.log"
}
