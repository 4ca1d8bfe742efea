# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part batch (sourced by scripts/bench.sh): in one boot of the bench
# kernel over one veth, the bare AF_PACKET round trip (aiotecho, module
# not involved), the simulator alone (aiotecho --paging against aiotsim)
# and aiotctl batch (`auth - window N fixed`), 1 and 10 devices, windows
# 1, 8, 64, 512, with aiotsim's CPU share; guest side
# tests/qemu/guest/bench-batch.sh.

bench_batch() {
	local kdir kmod tools
	kdir=$("$TOP/tests/qemu/kernel.sh" bench)
	kmod=$("$TOP/scripts/kmod.sh" bench)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	make -s -C "$TOP" sim aiotecho agent >/dev/null
	"$VM" --kernel "$kdir/arch/x86/boot/bzImage" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
		--add "$TOP/build/user/aiotecho=/aiotsec/aiotecho" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$GUEST_DIR/bench-batch.sh=/aiotsec/bench-batch.sh" \
		--timeout 1500 --name bench-batch --log-dir "$OUT/batch" \
		-- /aiotsec/bench-batch.sh
	bench_collect batch
}
