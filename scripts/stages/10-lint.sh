# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage lint (sourced by scripts/check.sh): checkpatch.pl --strict, from
# the kernel source, on every file the kernel builds (kernel/, proto/) and the uapi header. Counts: lint.

stage_lint() {
	local cp f
	cp="$(ksrc_dir)/scripts/checkpatch.pl"
	# Every file the kernel builds; proto/compat_user.h is user space's
	# stand-in for kernel types and is not.
	for f in $(cd "$TOP" && ls kernel/*.[ch] kernel/tests/*.[ch] proto/*.[ch] uapi/linux/*.h |
		grep -vx proto/compat_user.h); do
		tap "$OUT/lint.tap" "checkpatch --strict $f" \
			perl "$cp" --strict --no-tree --quiet --show-types \
			--ignore SPDX_LICENSE_TAG -f "$TOP/$f"
	done
	counts lint "$OUT/lint.tap"
}
