#!/bin/bash
# `make run`: the main job, from a fresh clone. Installs what is missing
# (scripts/setup.sh), builds aiotsec.ko against Debian's headers, aiotctl
# and aiotsim, boots Debian's stock kernel (what reader hosts run) under
# QEMU, and runs tests/qemu/guest/main.sh there: a reader, 1,000 simulated devices
# provisioned with `aiotctl load`, a sample authenticated, a device's
# memory written and read, a forged response rejected; then a summary
# with the counters. Exit status 0 only when every step succeeded.
#   run.sh --shell   make shell: the same boot, then the VM's console is
#                    this terminal's, with a shell, until it exits
set -euo pipefail
. "$(dirname "$0")/lib.sh"

shell=()
guest_args=()
if [ "${1:-}" = --shell ]; then
	shell=(--interactive)
	guest_args=(--shell)
fi

RUN_DIR="$TOP/build/run"
start=$(date +%s)

# Under make, the setup prerequisite has just run.
[ -n "${MAKELEVEL:-}" ] || "$TOP/scripts/setup.sh"
log "building aiotsec.ko for Debian's kernel, aiotctl, aiotsim"
kver=$(debian_kver)
kmod=$("$TOP/scripts/kmod.sh" debian) || die "building aiotsec.ko failed"
make -s -C "$TOP" agent sim >"$TOP/build/run-build.log" 2>&1 ||
	{ tail -n 30 "$TOP/build/run-build.log" >&2; die "building aiotctl/aiotsim failed (log: build/run-build.log)"; }

log "booting Debian's kernel $kver under QEMU (TCG: give it a minute or two)"
rc=0
"$VM" --kernel "/boot/vmlinuz-$kver" --kmods-from "$kver" \
	--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
	--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
	--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
	--add "$GUEST_DIR/main.sh=/aiotsec/main.sh" \
	${shell[@]+"${shell[@]}"} \
	--timeout 600 --name run --log-dir "$RUN_DIR" -- /aiotsec/main.sh \
	${guest_args[@]+"${guest_args[@]}"} || rc=$?
[ ${#shell[@]} = 0 ] || exit "$rc"

# What the guest printed: the steps and the summary.
guest_log "$RUN_DIR/results.log" | grep -v '^AIOTSEC-EXIT ' || true
echo
if [ "$rc" = 0 ]; then
	log "make run: OK in $(( $(date +%s) - start )) s (logs: build/run/)"
else
	log "make run: FAILED (console: build/run/console.log, results: build/run/results.log)"
fi
exit "$rc"
