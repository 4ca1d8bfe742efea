#!/bin/sh
# Guest side of `make run` (scripts/run.sh), the main job, on Debian's
# stock kernel: a reader host with aiotsec.ko, and 1,000 simulated
# devices (aiotsim) on the far end of a veth pair in network namespace
# "field". Provisions them
# from a fresh key store, authenticates a sample, writes and reads a
# device's memory, shows a forged response being rejected, and prints a
# summary with the counters. Exits non-zero when any step fails.
#   main.sh [--shell]   --shell (make shell): the story goes to the console,
#                       and instead of ending, the simulator keeps running
#                       and the console gets an interactive shell
set -u
M=/aiotsec
SHELL_MODE=0
if [ "${1:-}" = --shell ]; then
	SHELL_MODE=1
	exec >/dev/ttyS0 2>&1
fi
N=1000			# simulated devices
SAMPLE=20		# of them authenticated
KEYS=/tmp/keys
FORGER=e2000000000000000000000000000007	# answers with a corrupted MAC
failed=0

ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
T0=$(ms)
say() { printf '%s\n' "$*"; }
step() { printf '\n== %s (t+%ds)\n' "$*" $(( ($(ms) - T0) / 1000 )); }
bad() { say "   FAILED: $*"; failed=$((failed + 1)); }
die() { say "   FAILED: $*"; say ""; say "make run: FAILED"; exit 1; }
ctl() { $M/aiotctl "$@"; }
idof() { printf 'e2%030x' "$1"; }

step "load aiotsec.ko into Debian's kernel $(uname -r)"
insmod $M/aiotsec.ko || die "insmod aiotsec.ko"
say "   generic netlink family aiotsec registered"

step "reader rd0 here, $N simulated devices behind sim0 in netns 'field'"
ip netns add field &&
	ip link add rd0 type veth peer name sim0 netns field &&
	ip link set rd0 up && ip -n field link set sim0 up ||
	die "veth pair"

# One line per device: ID, a fresh random key (16 or 32 bytes), a policy.
od -An -v -tx1 -N $((N * 32)) /dev/urandom | tr -d ' \n' |
awk -v n=$N '{
	split("tid,pi,mac=4 tid,pc,mi,mac=8 enc,pi,mac=8 enc,pc,mi,mac=16 tid,mi,mac=16", pol, " ")
	print "# make run: " n " devices, keys fresh from /dev/urandom"
	for (i = 0; i < n; i++) {
		klen = i % 4 == 3 ? 64 : 32
		printf "e2%030x %s %s\n", i, substr($0, i * 64 + 1, klen), pol[i % 5 + 1]
	}
}' >$KEYS && chmod 600 $KEYS || die "key store"
say "   key store: $(grep -c '^e2' $KEYS) devices, e.g.: $(sed -n 2p $KEYS | cut -c1-32) ..."

ip netns exec field $M/aiotsim -i sim0 -k $KEYS --fault "bad-mac:$FORGER" \
	--ready /tmp/sim.ready --stats /tmp/sim.stats >/tmp/sim.out 2>&1 &
SIM=$!
i=0
while [ ! -e /tmp/sim.ready ] && [ $i -lt 300 ]; do
	kill -0 $SIM 2>/dev/null || { cat /tmp/sim.out; die "aiotsim exited"; }
	sleep 0.1
	i=$((i + 1))
done
[ -e /tmp/sim.ready ] || die "aiotsim not ready"
say "   aiotsim: $(cat /tmp/sim.ready); device $FORGER forges its MACs"

step "provision: aiotctl reader add rd0; aiotctl load $KEYS"
ctl reader add rd0 || die "reader add"
t=$(ms)
out=$(ctl load $KEYS 2>&1) || die "aiotctl load: $out"
say "   $(printf '%s\n' "$out" | tr '\r' '\n' | grep -v '^load \[' | tail -n 1)"
say "   took $(( $(ms) - t )) ms; $(ctl config show | grep -E 'num_devices' | tr -s ' ')"
ctl device show "$(idof 3)" | sed 's/^/   /'
say "   (keys are write-only: the module shows a fingerprint, never the key)"

step "authenticate $SAMPLE sampled devices (every device checks every PAGING)"
ok=0
i=0
while [ $i -lt $SAMPLE ]; do
	d=$((i * 49 + 1))
	t=$(ms)
	if out=$(ctl auth "$(idof $d)" timeout 10000 2>&1); then
		ok=$((ok + 1))
		say "   $(idof $d)  ok  $(( $(ms) - t )) ms  $(printf '%s' "$out" | grep -o 'policy [^ ]*')"
	else
		bad "auth $(idof $d): $out"
	fi
	i=$((i + 1))
done
say "   $ok of $SAMPLE authenticated"
[ $ok = $SAMPLE ] || bad "authentication"

step "commands: write and read a device's user memory"
D=$(idof 42)
# "hello, AIoT" at address 8: AD 02 08 <data>; read it: AD 01 08 0b
data=$(printf 'hello, AIoT' | od -An -v -tx1 | tr -d ' \n')
out=$(ctl command $D "ad0208$data" hex 2>&1) || bad "write: $out"
say "   write 'hello, AIoT' at 8 -> $(printf '%s' "$out" | grep -o 'payload [0-9a-f]*')"
[ "${out#*payload ad8200}" != "$out" ] || bad "write status: $out"
out=$(ctl command $D ad01080b hex 2>&1) || bad "read: $out"
say "   read 11 bytes at 8  -> $(printf '%s' "$out" | grep -o 'payload [0-9a-f]*')"
[ "${out#*payload ad8100$data}" != "$out" ] && say "   = status 00, 'hello, AIoT': the memory kept it" ||
	bad "read back: $out"
out=$(ctl command $(idof 8) "round trip" text 2>&1) || bad "echo: $out"
say "   text 'round trip' -> $(printf '%s' "$out" | grep -o 'text "[^"]*"')  (not an app request: reversed)"

step "a forged response is rejected"
before=$(ctl -j stats | grep -o '"mac": *[0-9]*' | grep -o '[0-9]*$')
out=$(ctl auth $FORGER timeout 1500 2>&1)
st=$?
after=$(ctl -j stats | grep -o '"mac": *[0-9]*' | grep -o '[0-9]*$')
say "   aiotctl auth $FORGER -> exit $st: $out"
say "   drops by bad MAC: $before -> $after"
[ $st = 4 ] && [ "$after" -gt "$before" ] || bad "forged response not rejected as expected"

step "counters"
ctl stats | sed 's/^/   /'
kill -USR1 $SIM
sleep 0.5
sim=$(cat /tmp/sim.stats 2>/dev/null)
get() { printf '%s\n' "$sim" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
say "   aiotsim: $(get rx_paging) PAGINGs and $(get rx_command) COMMANDs received;"
say "   $(get checks) device checks, $(get nontarget_checks) of them by non-targets;"
say "   $(get auth_answers) AUTH_RESPs, $(get cmd_answers) CMD_RESPs sent, $(get faults) forged"
if [ $SHELL_MODE = 1 ]; then
	step "your turn"
	say "   aiotctl is on PATH; the key store is $KEYS, the reader rd0, and"
	say "   aiotsim answers for $N devices behind it (device $FORGER forges"
	say "   its MACs). Try: aiotctl reader show; aiotctl auth $(idof 3);"
	say "   aiotctl command $(idof 3) hello; aiotctl -j monitor count 2 &"
	say "   aiotctl stats; aiotctl help. 'exit' (or Ctrl-D) powers the VM off."
	export PATH=$M:$PATH PS1='aiotsec-vm# ' HOME=/root TERM=${TERM:-vt100}
	setsid sh -c 'exec sh -i <>/dev/ttyS0 >&0 2>&1'
	kill $SIM
	exit 0
fi
kill $SIM
wait $SIM 2>/dev/null

step "summary"
if [ $failed = 0 ]; then
	say "   $N devices provisioned, $SAMPLE authenticated, memory written and read"
	say "   back, a forged response rejected: make run OK ($(( ($(ms) - T0) / 1000 )) s in the VM)"
	exit 0
fi
say "   make run: $failed step(s) FAILED"
exit 1
