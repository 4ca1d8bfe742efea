#!/bin/bash
# Boot the User-Mode Linux bench kernel (tests/uml/kernel.sh) and print
# its figures: the receive-path bench (aiotsec_bench) and the inventory
# bench (aiotsec_inv_bench) run built in, at boot; the boot then ends in
# the panic of a kernel without a root file system (no user space: it does
# not start under UML on this host), which with panic=-1 exits UML.
#   tests/uml/run.sh LOG   the whole console into LOG; on stdout, one
#                          "name<TAB>value<TAB>target<TAB>verdict" line a
#                          figure, each name suffixed _uml
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

log=${1:?usage: tests/uml/run.sh LOG}
vmlinux=$("$TOP/tests/uml/kernel.sh")
# UML backs its memory with a file in TMPDIR: a tmpfs.
export TMPDIR=/dev/shm
timeout 1800 "$vmlinux" mem=4096M panic=-1 ignore_loglevel \
	</dev/null >"$log" 2>&1 || true
tr -d '\r' <"$log" | grep -q 'aiotsec_inv_bench: done' ||
	{ tail -n 30 "$log" >&2; die "UML bench did not complete (log: $log)"; }
tr -d '\r' <"$log" | sed -n 's/.*aiotsec_\(inv_\)\{0,1\}bench: TSV \([^\t]*\)\t/\2_uml\t/p'
