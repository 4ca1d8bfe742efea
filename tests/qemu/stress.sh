#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# `make stress`: the hostile campaign of tests/stress/README.md.
#   tests/qemu/stress.sh full     the KASAN test kernel (depth), then the
#                                bench kernel (volume; built here if not
#                                cached, once)
#   tests/qemu/stress.sh smoke    the test kernel only, a few seconds of
#                                each part (stage stress of make check)
#   tests/qemu/stress.sh report DIR...   the figures of finished runs
# Settings (environment): STRESS_KERNELS ("test bench"; "debian" is
# Debian's stock kernel, for trying the campaign out without a build), STRESS_SECONDS
# (campaign length per kernel), STRESS_FLOOD (seconds per flood phase),
# STRESS_SEED, STRESS_OUT (default build/stress), STRESS_SLACK (seconds
# the guest may take beyond the campaign: boot, kmemleak scans; 1200).
# Logs per kernel in $STRESS_OUT/<kernel>/ (console.log, results.log);
# the figures go to stdout and $STRESS_OUT/<kernel>/figures, and with
# STRESS_TAP=FILE one TAP line per check to FILE. Exit status
# non-zero on any splat, leak, key bytes seen, invariant violation, failed
# rmmod or a guest that did not finish.
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

mode=${1:-full}
shift || true
OUTD=${STRESS_OUT:-$TOP/build/stress}
SEED=${STRESS_SEED:-$(date +%s)}
case "$mode" in
full)	kernels=${STRESS_KERNELS:-test bench}
	secs=${STRESS_SECONDS:-}
	flood=${STRESS_FLOOD:-30} ;;
smoke)	kernels=${STRESS_KERNELS:-test}
	secs=${STRESS_SECONDS:-25}
	flood=${STRESS_FLOOD:-6} ;;
report)	;;
*)	die "usage: run.sh full|smoke|report DIR..." ;;
esac

TROUBLE='BUG:|WARNING:|KASAN:|UBSAN:|Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|rcu: INFO|self-detected stall|INFO: task .* blocked|Kernel panic|refcount_t:|list_(add|del) corruption|kernel BUG'

# sum KEY FILE [AWK-FILTER]: the sum of KEY=value over matching lines
sum() {
	tr -d '\r' <"$2" | awk -v k="$1" -v f="${3:-.}" '
		$0 ~ f { for (i = 1; i <= NF; i++) { n = index($i, "="); if (n && substr($i, 1, n - 1) == k) s += substr($i, n + 1) } }
		END { printf "%d\n", s }'
}

field() {	# field KEY LINE-PATTERN FILE: first value of KEY on the line
	tr -d '\r' <"$3" | grep -E -m1 -- "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# tapline DESCRIPTION TEST...: one TAP line into $STRESS_TAP
tap_n=0
tapline() {
	local d=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $d"
	else
		echo "not ok $tap_n - $d"
	fi >>"$STRESS_TAP"
}

# figures DIR NAME: print and check one kernel's run; status 1 on trouble.
figures() {
	local d=$1 name=$2 res=$1/results.log con=$1/console.log bad=0
	local nl fr feed splats leaks keys viol echo_p done rmmod binds foreign invr invfl
	local fn_skip fn_inj fn_viol fn_ok
	[ -f "$res" ] || { log "$name: no results"; return 1; }
	nl=$(sum sent "$res" '^NLFUZZ')
	fr=$(( $(sum sent "$res" '^FRFUZZ') + $(sum frames_sent "$res" '^FLOOD') ))
	feed=$(sum injected "$res" '^FEED')
	keys=$(sum keyhits "$res" '^NLFUZZ')
	viol=$(sum violations "$res" '^NLFUZZ')
	echo_p=$(sum echo_probe "$res" '^NLFUZZ')
	leaks=$(sum leaks "$res" '^KMEMLEAK')
	splats=$(tr -d '\r' <"$con" 2>/dev/null | grep -cE "$TROUBLE")
	done=$(tr -d '\r' <"$res" | grep -c '^STRESS-DONE')
	rmmod=$(tr -d '\r' <"$res" | grep -c '^RMMOD .* fail')
	# failnth: skipped on a kernel without fault injection (bench, debian)
	fn_skip=$(field skipped '^FAILNTH ' "$res")
	fn_inj=$(sum injected "$res" '^FAILNTH ')
	fn_viol=$(sum violations "$res" '^FAILNTH ')
	fn_ok=0
	[ "$fn_skip" = 1 ] || { [ "$fn_skip" = 0 ] && [ "$fn_inj" -gt 0 ] && [ "$fn_viol" = 0 ]; } || fn_ok=1
	{
		echo "== $name kernel ($(cat "$d/seconds" 2>/dev/null || echo '?') s wall)"
		printf '  netlink requests sent      %s\n' "$nl"
		printf '  frames sent, user space    %s\n' "$fr"
		printf '  frames injected, in kernel %s\n' "$feed"
		printf '  frames in all              %s\n' "$((fr + feed))"
		printf '  splats (console)           %s\n' "$splats"
		printf '  kmemleak leaks             %s\n' "$leaks"
		printf '  key bytes seen (CAP_ACK)   %s\n' "$keys"
		printf '  invariant violations       %s\n' "$viol"
		printf '  error ACK echoes keys without NETLINK_CAP_ACK: %s of the probes\n' "$echo_p"
		tr -d '\r' <"$res" | grep -E '^(FAILNTH|# failnth |# FAILNTH-VIOLATION)' | head -n 30 | sed 's/^/  /'
		tr -d '\r' <"$res" | grep -E '^(NLFUZZ-USERNS|NLFUZZ-NOBODY|PORTID|CHURN|FLOOD|INVNL|RMMOD|STATS-)' | sed 's/^/  /'
		tr -d '\r' <"$res" | grep -E '^(NLFUZZ|FRFUZZ|FEED) ' | sed 's/^/  /'
		if [ "$splats" != 0 ]; then
			echo "  first splats:"
			tr -d '\r' <"$con" | grep -E -m 8 "$TROUBLE" | sed 's/^/    /'
		fi
	} | tee "$d/figures"
	[ "$splats" = 0 ] && [ "$leaks" = 0 ] && [ "$keys" = 0 ] && [ "$viol" = 0 ] &&
		[ "$done" = 1 ] && [ "$rmmod" = 0 ] && [ "$fn_ok" = 0 ] || bad=1
	if [ -n "${STRESS_TAP:-}" ]; then
		tapline "$name: the guest ran the whole campaign" [ "$done" = 1 ]
		tapline "$name: requests and frames were sent ($nl, $((fr + feed)))" \
			[ "$nl" -gt 0 ] && [ "$fr" -gt 0 ] && [ "$feed" -gt 0 ]
		tapline "$name: no splat in the kernel log ($splats)" [ "$splats" = 0 ]
		tapline "$name: kmemleak finds nothing ($leaks)" [ "$leaks" = 0 ]
		tapline "$name: no key bytes in any reply, dump or event ($keys)" [ "$keys" = 0 ]
		tapline "$name: no invariant violation ($viol)" [ "$viol" = 0 ]
		binds=$(sum binds "$res" '^PORTID')
		foreign=$(sum foreign "$res" '^PORTID')
		tapline "$name: closed requesters' portids bound by uid 65534 ($binds times), no result reached them ($foreign)" \
			[ "$binds" -gt 0 -a "$foreign" = 0 ]
		invr=$(sum rounds "$res" '^INVNL')
		invfl=$(sum frames_sent "$res" '^FLOOD phase=inv-')
		tapline "$name: inventory rounds ran under churn and unbind ($invr), INV_RESP floods with random and sniffed RIDs were sent ($invfl)" \
			[ "$invr" -gt 0 ] && [ "$invfl" -gt 0 ]
		tapline "$name: both modules unload" [ "$rmmod" = 0 ]
		if [ "$fn_skip" = 1 ]; then
			tapline "$name: failslab on the request paths # SKIP no fault injection in this kernel" true
		else
			tapline "$name: failslab: $fn_inj allocation failures on 7 request paths, each an error with an extack message (or outside the module), nothing changed, no warning ($fn_viol violations)" \
				[ "$fn_ok" = 0 ]
		fi
	fi
	[ "$done" = 1 ] || log "$name: the guest did not finish (no STRESS-DONE)"
	return $bad
}

if [ "$mode" = report ]; then
	rc=0
	for d in "$@"; do figures "$d" "$(basename "$d")" || rc=1; done
	exit $rc
fi

tools=$(make -s -C "$TOP" stress-tools) || die "building nlfuzz/frfuzz failed"
tc=$(command -v tc) || die "tc not found (iproute2; run scripts/setup.sh)"

# kmod FLAVOR: aiotsec.ko and aiotsec_feed.ko for that kernel; prints the dir
kmod() {
	local out="$TOP/build/kmod-$1"
	mkdir -p "$out/tests/stress"
	cmp -s "$TOP/tests/stress/feeder.c" "$out/tests/stress/feeder.c" ||
		cp "$TOP/tests/stress/feeder.c" "$out/tests/stress/feeder.c"
	out=$("$TOP/scripts/kmod.sh" "$1") || return 1
	# kmod.sh removes its copy on a warning: put the feeder back and retry once
	if [ ! -f "$out/aiotsec_feed.ko" ]; then
		mkdir -p "$out/tests/stress"
		cp "$TOP/tests/stress/feeder.c" "$out/tests/stress/feeder.c"
		out=$("$TOP/scripts/kmod.sh" "$1") || return 1
	fi
	[ -f "$out/aiotsec_feed.ko" ] || { log "no aiotsec_feed.ko in $out"; return 1; }
	echo "$out"
}

rc=0
for k in $kernels; do
	case "$k:$mode" in
	test:full)  s=${secs:-600} ;;
	bench:full) s=${secs:-300} ;;
	*)          s=$secs ;;
	esac
	log "stress: $k kernel, $s s campaign, 2 x $flood s flood, seed $SEED"
	extra=()
	if [ "$k" = debian ]; then	# Debian's stock kernel: no debug options
		kver=$(debian_kver)
		bz=/boot/vmlinuz-$kver
		extra=(--kmods-from "$kver" --kmod sch_netem)
	else
		kdir=$("$TOP/tests/qemu/kernel.sh" "$k") || { rc=1; continue; }
		bz=$kdir/arch/x86/boot/bzImage
	fi
	kmd=$(kmod "$k") || { rc=1; continue; }
	dir="$OUTD/$k"
	rm -rf "$dir"
	"$TOP/tests/qemu/vm.sh" --kernel "$bz" ${extra[@]+"${extra[@]}"} --cpus 2 \
		--mem 2048 --timeout $((s + 2 * flood + ${STRESS_SLACK:-1200})) \
		--add "$kmd/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$kmd/aiotsec_feed.ko=/aiotsec/aiotsec_feed.ko" \
		--add "$tools/nlfuzz=/aiotsec/nlfuzz" \
		--add "$tools/frfuzz=/aiotsec/frfuzz" \
		--add "$tools/failnth=/aiotsec/failnth" \
		--add "$TOP/tests/qemu/guest/stress.sh=/aiotsec/guest.sh" \
		--add "$tc=/usr/sbin/tc" \
		--name "stress-$k" --log-dir "$dir" \
		-- /aiotsec/guest.sh "$s" "$flood" "$SEED" || rc=1
	figures "$dir" "$k" || rc=1
done
exit $rc
