# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part agent (sourced by scripts/bench.sh): provisioning, 1M devices
# batched against one device per netlink message, on Debian's stock kernel;
# guest side tests/qemu/guest/bench-agent.sh.

bench_agent() {
	local kv tools dmod
	kv=$(debian_kver)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	dmod=$("$TOP/scripts/kmod.sh" debian)
	"$VM" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
		--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$GUEST_DIR/bench-agent.sh=/aiotsec/bench-agent.sh" \
		--mem 4096 --timeout 1500 --name bench-agent --log-dir "$OUT/agent" \
		-- /aiotsec/bench-agent.sh
	bench_collect agent
}
