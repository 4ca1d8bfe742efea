# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage e2e (sourced by scripts/check.sh): the device simulator's host
# test and fuzz smoke, then the end-to-end suite (tests/e2e, driven by
# aiotctl against aiotsim; guest side tests/qemu/guest/e2e.sh) in QEMU on
# both kernels: the KUnit test kernel (KASAN, kmemleak, lockdep) and Debian's
# stock kernel. Counts: sim, sim-fuzz, e2e-testkernel, e2e-debian.
# The test kernel runs the quick profile (an aiotctl process takes about
# two seconds there), Debian's the full one (tests/e2e/aiotsec_e2e.c).

E2E_TIMEOUT_TEST=${E2E_TIMEOUT_TEST:-2400}
E2E_TIMEOUT_DEBIAN=${E2E_TIMEOUT_DEBIAN:-1200}

# e2e_vm NAME PROFILE BZIMAGE KMOD_DIR TIMEOUT [vm.sh options...]
e2e_vm() {
	local name=$1 profile=$2 kernel=$3 kmod=$4 timeout=$5
	local dir="$OUT/$name" u="$TOP/build/user"
	shift 5
	"$VM" --kernel "$kernel" "$@" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$u/aiotctl=/aiotsec/aiotctl" \
		--add "$u/aiotsim=/aiotsec/aiotsim" \
		--add "$u/aiotecho=/aiotsec/aiotecho" \
		--add "$u/e2e/aiotsec_e2e=/aiotsec/aiotsec_e2e" \
		--add "$GUEST_DIR/e2e.sh=/aiotsec/e2e.sh" \
		--timeout "$timeout" --name "$name" --log-dir "$dir" \
		-- /aiotsec/e2e.sh "$profile"
	counts "$name" --kernel-log "$dir/console.log" "$dir/results.log"
}

stage_e2e() {
	local kdir kmod kver

	make -s -C "$TOP" sim-test >"$OUT/sim.tap" 2>&1
	counts sim "$OUT/sim.tap"
	make -s -C "$TOP" sim-fuzz-smoke >"$OUT/sim-fuzz.tap" 2>&1
	counts sim-fuzz "$OUT/sim-fuzz.tap"

	if ! make -s -C "$TOP" sim aiotecho e2e-tests agent >"$OUT/e2e-build.log" 2>&1; then
		tail -n 40 "$OUT/e2e-build.log" >&2
		stage_fail e2e-testkernel "build aiotsim, aiotctl and the e2e suite"
		stage_fail e2e-debian "build aiotsim, aiotctl and the e2e suite"
		return 0
	fi

	if kdir=$("$TOP/tests/qemu/kernel.sh") && kmod=$("$TOP/scripts/kmod.sh" test); then
		e2e_vm e2e-testkernel quick "$kdir/arch/x86/boot/bzImage" "$kmod" \
			"$E2E_TIMEOUT_TEST"
	else
		stage_fail e2e-testkernel "build the test kernel and its aiotsec.ko"
	fi

	if kver=$(debian_kver) && kmod=$("$TOP/scripts/kmod.sh" debian); then
		e2e_vm e2e-debian full "/boot/vmlinuz-$kver" "$kmod" \
			"$E2E_TIMEOUT_DEBIAN" --kmods-from "$kver"
	else
		stage_fail e2e-debian "build aiotsec.ko against Debian's headers"
	fi
}
