# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part uml (sourced by scripts/bench.sh): the receive-path bench
# (kernel/tests/bench.c) and the inventory bench (kernel/tests/inv_bench.c)
# built into a User-Mode Linux kernel (ARCH=um, tests/uml/), where kernel
# C runs natively instead of under TCG: the same rows, names suffixed
# _uml. One CPU (6.1's UML has no SMP): the 2-CPU row is not-measured.
# The kernel is cached under $AIOTSEC_CACHE/kernel/<version>-uml-<key>
# (cold build about 10-25 minutes of one core); only make bench uses it.

bench_uml() {
	mkdir -p "$OUT/uml"
	"$TOP/tests/uml/run.sh" "$OUT/uml/console.log" >>"$TSV"
	tr -d '\r' <"$OUT/uml/console.log" | grep 'aiotsec_\(inv_\)\{0,1\}bench: ' |
		grep -v ' TSV ' | sed 's/^.*bench: /# uml: /' >&2 || true
}
