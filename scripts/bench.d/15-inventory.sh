# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part inventory (sourced by scripts/bench.sh): inventory rounds
# (profile v1.1, issue 22).
#  1. On the bench kernel, 2 vCPUs: aiotsec_inv_bench.ko
#     (kernel/tests/inv_bench.c) at 1k and 1M candidates and the
#     Rel-19-style trial at 1k and 10k, then the memory of a round of 1M
#     read from VmallocUsed; guest side tests/qemu/guest/bench-inventory.sh.
#     The same bench runs natively, built into a User-Mode Linux kernel:
#     part uml.
#  2. End to end through aiotctl and aiotsim (1,000 present of 10,000
#     provisioned), on Debian's kernel as part e2e: the guest plan
#     tests/qemu/guest/bench-inventory-e2e.sh, when there is one (it needs
#     aiotsim's inventory), printing "TSV inv_e2e_..." lines; without it
#     the row is not-measured.

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
	bench_inventory_e2e
}

bench_inventory_e2e() {
	local kv tools dmod plan=$GUEST_DIR/bench-inventory-e2e.sh
	if [ ! -f "$plan" ]; then
		printf 'inv_e2e_found_1000_of_10000\t-\tall, none falsely\tnot-measured\n' >>"$TSV"
		return 0
	fi
	kv=$(debian_kver)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	make -s -C "$TOP" sim >/dev/null
	dmod=$("$TOP/scripts/kmod.sh" debian)
	"$VM" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
		--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$plan=/aiotsec/bench-inventory-e2e.sh" \
		--timeout 1500 --name bench-inventory-e2e \
		--log-dir "$OUT/inventory-e2e" -- /aiotsec/bench-inventory-e2e.sh
	bench_collect inventory-e2e
}
