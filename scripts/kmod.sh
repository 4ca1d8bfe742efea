#!/bin/bash
# Build aiotsec.ko (and aiotsec_test.ko where the kernel has KUnit) out of
# tree against one kernel, at W=1 and with sparse (C=1), failing on any
# warning. The sources are copied into build/kmod-<flavor>/ so that one
# checkout builds against several kernels.
#   scripts/kmod.sh test     the KUnit test kernel (scripts/kernel.sh)
#   scripts/kmod.sh debian   Debian's linux-headers-amd64
#   scripts/kmod.sh bench    the bench kernel (scripts/kernel.sh bench)
# Prints the directory that holds the .ko files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:?usage: kmod.sh test|debian|bench}
case "$flavor" in
test)	kdir=$("$TOP/scripts/kernel.sh" test) ;;
bench)	kdir=$("$TOP/scripts/kernel.sh" bench) ;;
debian)	kdir=/lib/modules/$(debian_kver)/build ;;
*)	die "unknown kernel flavor $flavor" ;;
esac
[ -d "$kdir" ] || die "no kernel build directory at $kdir"

vectors=${VECTORS:-$TOP/../shared/vectors}
[ -f "$vectors/profile-v1.rsp" ] || die "no vectors in $vectors (set VECTORS=)"

out="$TOP/build/kmod-$flavor"
mkdir -p "$out"
# Copy only what changed, so kbuild's own dependency tracking holds.
for f in Kbuild $(cd "$TOP" && ls kernel/*.[ch] kernel/tests/*.[ch] proto/*.[ch] uapi/linux/*.h); do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$TOP/$f" "$out/$f" || cp "$TOP/$f" "$out/$f"
done
gen="$out/kernel/tests/vectors_gen.h"
python3 "$TOP/scripts/rsp2c.py" "$vectors/primitives.rsp" \
	"$vectors/profile-v1.rsp" >"$gen.tmp"
cmp -s "$gen.tmp" "$gen" && rm "$gen.tmp" || mv "$gen.tmp" "$gen"

logf="$TOP/build/kmod-$flavor.log"
if ! make -C "$kdir" M="$out" W=1 C=1 CHECK="sparse -Wno-unknown-attribute" \
	-j"$NPROC" modules >"$logf" 2>&1; then
	cat "$logf" >&2
	die "module build against $kdir failed"
fi
if grep -E "warning:|error:" "$logf" >&2; then
	rm -rf "$out"	# so that the next run rebuilds and warns again
	die "module build against $kdir has warnings (see $logf)"
fi
echo "$out"
