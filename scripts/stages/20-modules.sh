# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage modules (sourced by scripts/check.sh): aiotsec.ko (and its test
# modules) at W=1 and with sparse against the test kernel and against
# Debian's headers (scripts/kmod.sh). Counts: modules.

stage_modules() {
	tap "$OUT/modules.tap" "builds at W=1 + sparse against the test kernel" \
		"$TOP/scripts/kmod.sh" test
	tap "$OUT/modules.tap" "builds at W=1 + sparse against Debian's headers" \
		"$TOP/scripts/kmod.sh" debian
	counts modules "$OUT/modules.tap"
}
