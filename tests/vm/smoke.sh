#!/bin/sh
# Guest-side smoke plan for scripts/vm.sh: proves that Debian's ip handles
# netns and veth peers, that packets cross a veth pair into a netns, and
# that debugfs is mounted. Prints TAP on stdout (-> results.log).
echo "TAP version 13"
echo "1..3"

n=0
check() {
	desc=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		printf '%s\n' "$out" | sed 's/^/# /'
		failed=1
	fi
}

netns_veth() {
	ip netns add smoke &&
	ip link add veth0 type veth peer name veth1 netns smoke &&
	ip addr add 10.99.0.1/24 dev veth0 &&
	ip link set veth0 up &&
	ip -n smoke addr add 10.99.0.2/24 dev veth1 &&
	ip -n smoke link set veth1 up &&
	ip -n smoke link show veth1 | grep -q 'state UP\|state LOWERLAYERDOWN\|,UP'
}

veth_ping() {
	ip netns exec smoke ping -c 1 -W 5 10.99.0.1
}

debugfs_mounted() {
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts && ls /sys/kernel/debug >/dev/null
}

failed=0
check "ip netns works (netns + veth pair)" netns_veth
check "veth pair carries IPv4 into the netns" veth_ping
check "debugfs mounted" debugfs_mounted
exit $failed
