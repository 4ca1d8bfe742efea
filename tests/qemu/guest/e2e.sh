#!/bin/sh
# Guest side of the e2e stage (scripts/stages/70-e2e.sh): load aiotsec.ko,
# run the kselftest-harness suite (TAP on stdout). The suite builds its
# own topology, runs aiotsim and aiotctl, and unloads the module last.
#   e2e.sh [full|quick]   quick: fewer aiotctl processes, for the KASAN
#                         test kernel (see tests/e2e/aiotsec_e2e.c)
M=/aiotsec
export E2E_PROFILE=${1:-full}
# (a scan first: clear forgets only what a scan has reported, and a scan
# reports only objects older than 5 s)
if [ -w /sys/kernel/debug/kmemleak ]; then
	while [ "$(cut -d. -f1 /proc/uptime)" -lt 7 ]; do sleep 1; done
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi
if ! insmod $M/aiotsec.ko; then
	echo "Bail out! insmod aiotsec.ko failed"
	exit 1
fi
# Unprivileged children of the suite exec these: world-executable.
chmod 755 $M $M/aiotctl $M/aiotsim $M/aiotecho $M/aiotsec_e2e
exec $M/aiotsec_e2e $M/aiotctl $M/aiotsim
