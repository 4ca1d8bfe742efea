# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage fuzz (sourced by scripts/check.sh): each libFuzzer harness of
# mk/user.mk for FUZZ_SECONDS (20 s) (make fuzz-smoke). Counts: fuzz.

stage_fuzz() {
	make -s -C "$TOP" fuzz-smoke >"$OUT/fuzz.tap" 2>&1
	counts fuzz "$OUT/fuzz.tap"
}
