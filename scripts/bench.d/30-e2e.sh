# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part e2e (sourced by scripts/bench.sh): end-to-end rates between
# aiotsim and the module over veth, through aiotctl, on Debian's stock
# kernel; guest side tests/qemu/guest/bench-e2e.sh.

bench_e2e() {
	local kv tools dmod
	kv=$(debian_kver)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	make -s -C "$TOP" sim >/dev/null
	dmod=$("$TOP/scripts/kmod.sh" debian)
	"$VM" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
		--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$GUEST_DIR/bench-e2e.sh=/aiotsec/bench-e2e.sh" \
		--timeout 1500 --name bench-e2e --log-dir "$OUT/e2e" \
		-- /aiotsec/bench-e2e.sh
	bench_collect e2e
}
