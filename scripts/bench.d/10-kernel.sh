# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part kernel (sourced by scripts/bench.sh): the in-kernel
# benchmarks (aiotsec_bench.ko: receive path against the naive floor,
# scaling with the population, pending table) and slab accounting at 1M
# devices, on the bench kernel (the test kernel without its debug
# options), booted slab_nomerge; guest side tests/qemu/guest/bench-kernel.sh.

bench_kernel() {
	local kdir kmod
	kdir=$("$TOP/tests/qemu/kernel.sh" bench)
	kmod=$("$TOP/scripts/kmod.sh" bench)
	"$VM" --kernel "$kdir/arch/x86/boot/bzImage" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$kmod/aiotsec_bench.ko=/aiotsec/aiotsec_bench.ko" \
		--add "$GUEST_DIR/bench-kernel.sh=/aiotsec/bench-kernel.sh" \
		--append slab_nomerge --mem 4096 --timeout 1500 \
		--name bench-kernel --log-dir "$OUT/kernel" -- /aiotsec/bench-kernel.sh
	bench_collect kernel
}
