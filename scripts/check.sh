#!/bin/bash
# `make check`: every test, each stage's TAP kept under build/check/, one
# summary line at the end. A stage that fails does not stop the others.
#   scripts/check.sh [STAGE...]   stages: lint modules host fuzz kunit agent e2e stress
# A stage is a function stage_NAME that leaves its TAP in $OUT/NAME.tap and
# calls `counts NAME ...`; the helpers tap and counts are defined here.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$TOP/build/check"
rm -rf "$OUT" && mkdir -p "$OUT"
stages=("$@")
# Stages in this order; each stage_NAME comes from here or scripts/stages/NAME.sh.
[ ${#stages[@]} -gt 0 ] || stages=(lint modules host fuzz kunit agent e2e stress)

# One TAP line per command into $OUT/<stage>.tap.
tap_n=0
tap() {	# tap FILE DESCRIPTION COMMAND...
	local file=$1 desc=$2 log
	shift 2
	tap_n=$((tap_n + 1))
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		echo "ok $tap_n - $desc" >>"$file"
	else
		echo "not ok $tap_n - $desc" >>"$file"
		sed 's/^/# /' "$log" | tail -n 40 >>"$file"
		tail -n 40 "$log" >&2
	fi
	rm -f "$log"
}

counts() {	# counts NAME TAPSUM-ARGS...: record a stage's counts
	local name=$1
	shift
	python3 "$TOP/scripts/tapsum.py" --label "$name" --counts "$@" \
		>"$OUT/$name.counts"
	log "$name: $(awk '{print $1 " passed, " $2 " failed, " $3 " skipped"}' "$OUT/$name.counts")"
}

stage_lint() {
	local cp
	cp="$(ksrc_dir)/scripts/checkpatch.pl"
	for f in $(cd "$TOP" && ls kernel/*.[ch] kernel/tests/*.[ch] uapi/linux/*.h); do
		tap "$OUT/lint.tap" "checkpatch --strict $f" \
			perl "$cp" --strict --no-tree --quiet --show-types \
			--ignore SPDX_LICENSE_TAG -f "$TOP/$f"
	done
	counts lint "$OUT/lint.tap"
}

stage_modules() {
	tap "$OUT/modules.tap" "builds at W=1 + sparse against the test kernel" \
		"$TOP/scripts/kmod.sh" test
	tap "$OUT/modules.tap" "builds at W=1 + sparse against Debian's headers" \
		"$TOP/scripts/kmod.sh" debian
	counts modules "$OUT/modules.tap"
}

stage_host() {
	make -s -C "$TOP" host-test >"$OUT/host.tap" 2>&1
	counts host "$OUT/host.tap"
}

stage_fuzz() {
	make -s -C "$TOP" fuzz-smoke >"$OUT/fuzz.tap" 2>&1
	counts fuzz "$OUT/fuzz.tap"
}

stage_kunit() {
	local kdir kmod dir="$OUT/kunit"
	kdir=$("$TOP/scripts/kernel.sh") && kmod=$("$TOP/scripts/kmod.sh" test) || {
		echo "not ok 1 - build test kernel and modules" >"$OUT/kunit.tap"
		counts kunit "$OUT/kunit.tap"
		return
	}
	"$TOP/scripts/vm.sh" --kernel "$kdir/arch/x86/boot/bzImage" \
		--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$kmod/aiotsec_test.ko=/aiotsec/aiotsec_test.ko" \
		--add "$TOP/tests/vm/kunit.sh=/aiotsec/kunit.sh" \
		--timeout 600 --name kunit --log-dir "$dir" -- /aiotsec/kunit.sh
	counts kunit --kernel-log "$dir/console.log" "$dir/results.log" \
		"$dir/console.log"
}

for f in "$TOP"/scripts/stages/*.sh; do
	[ -e "$f" ] && . "$f"
done

for s in "${stages[@]}"; do
	if ! declare -F "stage_$s" >/dev/null; then
		log "stage $s: not defined (yet), skipped"
		continue
	fi
	log "stage $s"
	"stage_$s"
done
python3 "$TOP/scripts/tapsum.py" --sum "$OUT"/*.counts
