# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage host (sourced by scripts/check.sh): the host tests under ASan and
# UBSan (make host-test: vector tool on both vector files, fill round trip,
# codec, roles, bit flips), then the test machinery's own host test of how
# guest output is collected (tests/qemu/test-guest-output.sh: CRLF, the
# bench summary). Counts: host, guest-output.

stage_host() {
	make -s -C "$TOP" host-test >"$OUT/host.tap" 2>&1
	counts host "$OUT/host.tap"
	bash "$TOP/tests/qemu/test-guest-output.sh" >"$OUT/guest-output.tap" 2>&1
	counts guest-output "$OUT/guest-output.tap"
}
