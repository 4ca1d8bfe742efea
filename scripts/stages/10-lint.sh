# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage lint (sourced by scripts/check.sh): checkpatch.pl --strict, from
# the kernel source, on every kernel and uapi file. Counts: lint.

stage_lint() {
	local cp f
	cp="$(ksrc_dir)/scripts/checkpatch.pl"
	for f in $(cd "$TOP" && ls kernel/*.[ch] kernel/tests/*.[ch] uapi/linux/*.h); do
		tap "$OUT/lint.tap" "checkpatch --strict $f" \
			perl "$cp" --strict --no-tree --quiet --show-types \
			--ignore SPDX_LICENSE_TAG -f "$TOP/$f"
	done
	counts lint "$OUT/lint.tap"
}
