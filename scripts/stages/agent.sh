# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage "agent" of scripts/check.sh (sourced; uses its tap, counts, $OUT,
# $TOP): aiotctl's host tests and parser fuzzing, then tests/vm/aiotctl.sh
# in two guests:
#   agent-host        make agent-test (ASan+UBSan)
#   agent-fuzz        make agent-fuzz-smoke
#   agent-debian      Debian's stock kernel, with --big (1,000,000 devices)
#   agent-testkernel  the KUnit/KASAN test kernel, without --big
# The 1M figures are in $OUT/agent-debian/results.log as "# load:" lines.

# agent_vm NAME KERNEL KMOD_DIR [VM.SH OPTIONS...] -- GUEST ARGS...
agent_vm() {
	local name=$1 kernel=$2 kmod=$3 tools dir="$OUT/$1"
	shift 3
	tools=$(make -s -C "$TOP" agent-vm-tools) || {
		echo "not ok 1 - build aiotctl and its test helpers" >"$OUT/$name.tap"
		counts "$name" "$OUT/$name.tap"
		return
	}
	"$TOP/scripts/vm.sh" --kernel "$kernel" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$tools/dropcap=/aiotsec/dropcap" \
		--add "$tools/jsonchk=/aiotsec/jsonchk" \
		--add "$tools/fakedev=/aiotsec/fakedev" \
		--add "$TOP/tests/vm/aiotctl.sh=/aiotsec/aiotctl.sh" \
		--name "$name" --log-dir "$dir" "$@"
	grep -h '^# \(load\|dump\|sync\|flush\|genkeys\)' "$dir/results.log" 2>/dev/null |
		tr -d '\r' | sed "s/^/[aiotsec] $name: /" >&2
	counts "$name" --kernel-log "$dir/console.log" "$dir/results.log"
}

stage_agent() {
	local kver kdir kmod

	make -s -C "$TOP" agent-test >"$OUT/agent-host.tap" 2>&1
	counts agent-host "$OUT/agent-host.tap"
	make -s -C "$TOP" agent-fuzz-smoke >"$OUT/agent-fuzz.tap" 2>&1
	counts agent-fuzz "$OUT/agent-fuzz.tap"

	kver=$(debian_kver)
	if kmod=$("$TOP/scripts/kmod.sh" debian); then
		agent_vm agent-debian "/boot/vmlinuz-$kver" "$kmod" \
			--kmods-from "$kver" --mem 3072 --timeout 2400 \
			-- /aiotsec/aiotctl.sh --big
	else
		echo "not ok 1 - build aiotsec.ko for Debian's kernel" >"$OUT/agent-debian.tap"
		counts agent-debian "$OUT/agent-debian.tap"
	fi

	if kdir=$("$TOP/scripts/kernel.sh") && kmod=$("$TOP/scripts/kmod.sh" test); then
		agent_vm agent-testkernel "$kdir/arch/x86/boot/bzImage" "$kmod" \
			--timeout 1200 -- /aiotsec/aiotctl.sh
	else
		echo "not ok 1 - build the test kernel and its aiotsec.ko" >"$OUT/agent-testkernel.tap"
		counts agent-testkernel "$OUT/agent-testkernel.tap"
	fi
}
