# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage agent (sourced by scripts/check.sh): aiotctl's host tests and
# parser fuzzing, then tests/qemu/guest/aiotctl.sh in two guests:
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
		stage_fail "$name" "build aiotctl and its test helpers"
		return 0
	}
	"$VM" --kernel "$kernel" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$tools/genkeys=/aiotsec/genkeys" \
		--add "$tools/dropcap=/aiotsec/dropcap" \
		--add "$tools/jsonchk=/aiotsec/jsonchk" \
		--add "$tools/fakedev=/aiotsec/fakedev" \
		--add "$GUEST_DIR/aiotctl.sh=/aiotsec/aiotctl.sh" \
		--add "$TOP/tests/lib/tap.sh=/aiotsec/tap.sh" \
		--name "$name" --log-dir "$dir" "$@"
	guest_log "$dir/results.log" | grep '^# \(load\|dump\|sync\|flush\|genkeys\)' |
		sed "s/^/[aiotsec] $name: /" >&2
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
		stage_fail agent-debian "build aiotsec.ko for Debian's kernel"
	fi

	if kdir=$("$TOP/tests/qemu/kernel.sh") && kmod=$("$TOP/scripts/kmod.sh" test); then
		agent_vm agent-testkernel "$kdir/arch/x86/boot/bzImage" "$kmod" \
			--timeout 1200 -- /aiotsec/aiotctl.sh
	else
		stage_fail agent-testkernel "build the test kernel and its aiotsec.ko"
	fi
}
