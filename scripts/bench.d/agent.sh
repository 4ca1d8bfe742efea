# Sourced by scripts/bench.sh: provisioning, 1M devices batched against one
# device per netlink message, on Debian's stock kernel (tests/vm/bench-agent.sh).
kv=$(debian_kver)
tools=$(make -s -C "$TOP" agent-vm-tools)
dmod=$("$TOP/scripts/kmod.sh" debian)
"$TOP/scripts/vm.sh" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
	--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
	--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
	--add "$tools/genkeys=/aiotsec/genkeys" \
	--add "$TOP/tests/vm/bench-agent.sh=/aiotsec/bench-agent.sh" \
	--mem 4096 --timeout 1500 --name bench-agent --log-dir "$OUT/agent" \
	-- /aiotsec/bench-agent.sh
grep '^TSV ' "$OUT/agent/results.log" | sed 's/^TSV //' >>"$TSV"
grep '^# ' "$OUT/agent/results.log" >&2 || true
