#!/bin/sh
# Guest side of `make kunit` (scripts/stages/50-kunit.sh): load aiotsec.ko
# and its KUnit suites (their KTAP goes to the kernel console), unload
# both, then ask kmemleak.
M=/aiotsec
n=0
fails=0
t() {	# t DESCRIPTION COMMAND...: one TAP line
	n=$((n + 1))
	desc=$1
	shift
	if "$@" >/tmp/out 2>&1; then
		echo "ok $n - $desc"
	else
		fails=$((fails + 1))
		echo "not ok $n - $desc"
		sed 's/^/# /' /tmp/out
	fi
}

kmemleak_clean() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	sleep 6		# kmemleak ignores objects younger than 5 s
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/leaks
	[ ! -s /tmp/leaks ] || { cat /tmp/leaks; return 1; }
}

# Forget what boot itself left behind; only what follows counts.
# (a scan first: clear forgets only what a scan has reported, and a scan
# reports only objects older than 5 s)
if [ -w /sys/kernel/debug/kmemleak ]; then
	while [ "$(cut -d. -f1 /proc/uptime)" -lt 7 ]; do sleep 1; done
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

echo "TAP version 13"
echo "1..7"
# prim= names the one implementation; anything else fails the load.
t "insmod aiotsec.ko prim=accel fails" sh -c "! insmod $M/aiotsec.ko prim=accel"
t "insmod aiotsec.ko prim=lib" sh -c "insmod $M/aiotsec.ko prim=lib && rmmod aiotsec"
t "insmod aiotsec.ko" insmod $M/aiotsec.ko
t "insmod aiotsec_test.ko (runs the KUnit suites)" insmod $M/aiotsec_test.ko
t "rmmod aiotsec_test" rmmod aiotsec_test
t "rmmod aiotsec" rmmod aiotsec
t "kmemleak finds nothing" kmemleak_clean
[ $fails = 0 ]
