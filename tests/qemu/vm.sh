#!/bin/bash
# Boot one kernel under QEMU (TCG) with a test plan and report.
#
#   vm.sh --kernel BZIMAGE [--kmods-from KVER] [--kmod NAME]...
#         [--add SRC=DST]... [--timeout SEC] [--mem MB] [--cpus N]
#         [--append ARGS] [--kmods-root DIR] [--share DIR=TAG]...
#         --name NAME --log-dir DIR -- GUEST_COMMAND [ARGS...]
#
# GUEST_COMMAND is a path inside the image (see --add). Its stdout+stderr
# go to the second serial port, DIR/results.log, which carries only results
# and ends with "AIOTSEC-EXIT <status>". The kernel console is DIR/console.log.
# Exit status: 0 when the guest command exited 0; otherwise non-zero, with
# the reason (timeout, crash, command failed) and the log paths on stderr.
# The guest gets N CPUs (default 2), one per socket: without ACPI the test
# kernel counts CPUs from the MP table, which has one entry per package,
# so "-smp 2" alone would give it one. A guest that brings up fewer CPUs
# than it was given fails the run.
# --share exports DIR read-write to the guest over virtio-9p, to mount with
# "mount -t 9p -o trans=virtio,version=9p2000.L TAG MNT" (load virtio_pci,
# 9pnet_virtio and 9p with --kmod); --kmods-root takes the --kmods-from
# modules from DIR/lib/modules/KVER rather than the host's.
# --interactive (make shell) puts the console, ttyS0, on this terminal
# instead of DIR/console.log, for a guest plan that hands it a shell; no
# timeout then, and no CPU count check (the console is not kept).
# On success prints one line with the wall time (also in DIR/seconds).
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

KERNEL=
NAME=
DIR=
TIMEOUT=600
MEM=2048
CPUS=2
APPEND_EXTRA=
INITRAMFS_ARGS=()
SHARES=()
INTERACTIVE=0
GUEST=()

usage() {
	die "usage: vm.sh --kernel BZIMAGE [--kmods-from KVER [--kmods-root DIR]] [--share DIR=TAG]... [--kmod NAME]... [--add SRC=DST]... [--timeout SEC] [--mem MB] [--cpus N] [--append ARGS] --name NAME --log-dir DIR -- CMD [ARGS...]"
}

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernel) KERNEL=${2:?}; shift 2 ;;
		--kmods-from|--kmods-root|--kmod|--add) INITRAMFS_ARGS+=("$1" "${2:?}"); shift 2 ;;
		--share) SHARES+=("${2:?}"); shift 2 ;;
		--timeout) TIMEOUT=${2:?}; shift 2 ;;
		--mem) MEM=${2:?}; shift 2 ;;
		--cpus) CPUS=${2:?}; shift 2 ;;
		--append) APPEND_EXTRA=${2?}; shift 2 ;;
		--interactive) INTERACTIVE=1; shift ;;
		--name) NAME=${2:?}; shift 2 ;;
		--log-dir) DIR=${2:?}; shift 2 ;;
		--) shift; GUEST=("$@"); break ;;
		*) usage ;;
		esac
	done
	[ -n "$KERNEL" ] && [ -n "$NAME" ] && [ -n "$DIR" ] && [ ${#GUEST[@]} -gt 0 ] || usage
	[ -f "$KERNEL" ] || die "$NAME: kernel $KERNEL not found"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (run scripts/setup.sh)"
}

show_tail() {
	local what=$1 file=$2 n=${3:-40}
	printf '%s\n' "----- last $n lines of $what ($file) -----" >&2
	guest_log "$file" | tail -n "$n" >&2 || true
	printf '%s\n' "-----" >&2
}

fail() {
	log "$NAME: $*"
	log "$NAME: console: $DIR/console.log"
	log "$NAME: results: $DIR/results.log"
	exit 1
}

run_qemu() {
	local share spec=()
	for share in ${SHARES[@]+"${SHARES[@]}"}; do
		spec+=(-virtfs "local,path=${share%%=*},mount_tag=${share#*=},security_model=passthrough,id=${share#*=}")
	done
	local append="console=ttyS0 panic=-1 oops=panic loglevel=7 printk.time=1 rdinit=/init $APPEND_EXTRA"
	if [ "$INTERACTIVE" = 1 ]; then
		qemu-system-x86_64 \
			-accel tcg -cpu max -smp "$CPUS,sockets=$CPUS" -m "$MEM" \
			-nodefaults -display none -no-reboot \
			-kernel "$KERNEL" -initrd "$DIR/initramfs.cpio.gz" \
			-append "$append quiet" \
			-chardev stdio,id=con,signal=off -serial chardev:con \
			-serial "file:$DIR/results.log" \
			-monitor none ${spec[@]+"${spec[@]}"} 2>"$DIR/qemu.log"
		return
	fi
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$CPUS,sockets=$CPUS" -m "$MEM" \
		-nodefaults -display none -no-reboot \
		-kernel "$KERNEL" -initrd "$DIR/initramfs.cpio.gz" \
		-append "$append" \
		-serial "file:$DIR/console.log" -serial "file:$DIR/results.log" \
		-monitor none ${spec[@]+"${spec[@]}"} >"$DIR/qemu.log" 2>&1
}

# Prints the guest command's status from results.log, or nothing.
guest_status() {
	guest_log "$DIR/results.log" |
		sed -n 's/^AIOTSEC-EXIT \([0-9][0-9]*\)$/\1/p' | tail -n 1
}

# Prints how many CPUs the guest kernel brought up, from its console.
guest_cpus() {
	guest_log "$DIR/console.log" |
		sed -n 's/.*smp: Brought up [0-9]* nodes\{0,1\}, \([0-9][0-9]*\) CPUs\{0,1\}.*/\1/p' |
		tail -n 1
}

main() {
	parse_args "$@"
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	rm -f "$DIR/console.log" "$DIR/results.log" "$DIR/qemu.log" "$DIR/seconds"

	"$TOP/tests/qemu/initramfs.sh" --out "$DIR/initramfs.cpio.gz" \
		${INITRAMFS_ARGS[@]+"${INITRAMFS_ARGS[@]}"} -- "${GUEST[@]}" ||
		die "$NAME: building the initramfs failed"

	local start rc=0 secs status
	start=$(date +%s.%N)
	run_qemu || rc=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "$secs" >"$DIR/seconds"

	status=$(guest_status)
	if [ -z "$status" ]; then
		if [ $rc = 124 ] || [ $rc = 137 ]; then
			show_tail console "$DIR/console.log"
			fail "TIMEOUT after $TIMEOUT s: no AIOTSEC-EXIT line"
		fi
		[ -s "$DIR/qemu.log" ] && show_tail "qemu output" "$DIR/qemu.log" 10
		show_tail console "$DIR/console.log"
		if grep -q 'Kernel panic' "$DIR/console.log" 2>/dev/null; then
			fail "CRASH (kernel panic) after $secs s: no AIOTSEC-EXIT line"
		fi
		fail "CRASH (qemu exited $rc after $secs s) before the guest wrote AIOTSEC-EXIT"
	fi
	local cpus
	cpus=$(guest_cpus)
	[ "$INTERACTIVE" = 0 ] || cpus=$CPUS
	if [ "${cpus:-0}" -lt "$CPUS" ]; then
		show_tail console "$DIR/console.log" 20
		fail "guest brought up ${cpus:-no} CPUs of the $CPUS it was given"
	fi
	if [ "$status" != 0 ]; then
		show_tail results "$DIR/results.log" 30
		fail "guest command exited $status after $secs s"
	fi
	log "$NAME: ok, $cpus CPUs, boot to exit $secs s"
}

main "$@"
