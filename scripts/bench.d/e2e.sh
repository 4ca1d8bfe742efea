# Sourced by scripts/bench.sh: end-to-end rates between aiotsim and the
# module over veth on Debian's stock kernel (tests/vm/bench-e2e.sh).
kv=$(debian_kver)
tools=$(make -s -C "$TOP" agent-vm-tools)
make -s -C "$TOP" sim >/dev/null
dmod=$("$TOP/scripts/kmod.sh" debian)
"$TOP/scripts/vm.sh" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
	--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
	--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
	--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
	--add "$tools/genkeys=/aiotsec/genkeys" \
	--add "$TOP/tests/vm/bench-e2e.sh=/aiotsec/bench-e2e.sh" \
	--timeout 1500 --name bench-e2e --log-dir "$OUT/e2e" \
	-- /aiotsec/bench-e2e.sh
grep '^TSV ' "$OUT/e2e/results.log" | sed 's/^TSV //' >>"$TSV"
grep '^# ' "$OUT/e2e/results.log" >&2 || true
