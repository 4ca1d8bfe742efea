# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part inventory (sourced by scripts/bench.sh): inventory rounds
# (profile v1.1, issue 22) on the bench kernel, 2 vCPUs:
# aiotsec_inv_bench.ko (kernel/tests/inv_bench.c) at 1k and 1M candidates
# and the Rel-19-style trial at 1k and 10k, then the memory of a round of
# 1M read from VmallocUsed; guest side tests/qemu/guest/bench-inventory.sh.
# The same bench built into the User-Mode Linux kernel: part uml.
#
# The end-to-end row (1,000 present of 10,000 provisioned through aiotctl
# and aiotsim) is a guest plan of its own once aiotsim answers INVENTORY:
# it prints its "TSV inv_e2e_..." lines and is collected here the same way.

bench_inventory() {
	local kdir kmod
	kdir=$("$TOP/tests/qemu/kernel.sh" bench)
	kmod=$("$TOP/scripts/kmod.sh" bench)
	"$VM" --kernel "$kdir/arch/x86/boot/bzImage" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$kmod/aiotsec_inv_bench.ko=/aiotsec/aiotsec_inv_bench.ko" \
		--add "$GUEST_DIR/bench-inventory.sh=/aiotsec/bench-inventory.sh" \
		--mem 4096 --cpus 2 --timeout 1500 \
		--name bench-inventory --log-dir "$OUT/inventory" -- /aiotsec/bench-inventory.sh
	bench_collect inventory
}
