#!/bin/bash
# Build aiotsec.ko (and aiotsec_test.ko where the kernel has KUnit) out of
# tree against one kernel, at W=1 and with sparse (C=1), failing on any
# warning. The sources are copied into build/kmod-<flavor>/ so that one
# checkout builds against several kernels.
#   scripts/kmod.sh test     the KUnit test kernel (tests/qemu/kernel.sh)
#   scripts/kmod.sh debian   Debian's linux-headers-amd64
#   scripts/kmod.sh bench    the bench kernel (tests/qemu/kernel.sh bench)
# Prints the directory that holds the .ko files.
#
# The production build, what the aiotsec-dkms package ships and builds:
#   scripts/kmod.sh prod         aiotsec.ko alone, no W=1, no sparse, no
#                                vectors, for the running kernel (KVER= for
#                                another one with headers in /lib/modules)
#   scripts/kmod.sh source DIR   copy that module's sources (Kbuild,
#                                VERSION, kernel/, proto/, uapi/) to DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The files of aiotsec.ko and nothing else (no tests, no device role).
prod_sources() {
	(cd "$TOP" && ls Kbuild VERSION kernel/*.[ch] proto/*.h \
		proto/codec.c proto/prim_lib.c proto/kdf.c proto/aiotf.c \
		uapi/linux/aiotsec.h)
}

copy_prod() {
	local f
	for f in $(prod_sources); do
		mkdir -p "$1/$(dirname "$f")"
		cmp -s "$TOP/$f" "$1/$f" || cp "$TOP/$f" "$1/$f"
	done
}

flavor=${1:?usage: kmod.sh test|debian|bench|prod|source DIR}
case "$flavor" in
source)
	copy_prod "${2:?usage: kmod.sh source DIR}"
	exit 0 ;;
prod)
	kver=${KVER:-$(uname -r)}
	kdir=/lib/modules/$kver/build
	[ -d "$kdir" ] || die "no headers for kernel $kver at $kdir (install linux-headers-$kver, or set KVER=)"
	out="$TOP/build/kmod-prod-$kver"
	copy_prod "$out"
	logf="$out.log"
	make -C "$kdir" M="$out" -j"$NPROC" modules >"$logf" 2>&1 ||
		{ cat "$logf" >&2; die "module build against $kdir failed"; }
	echo "$out"
	exit 0 ;;
test)	kdir=$("$TOP/tests/qemu/kernel.sh" test) ;;
bench)	kdir=$("$TOP/tests/qemu/kernel.sh" bench) ;;
debian)	kdir=/lib/modules/$(debian_kver)/build ;;
*)	die "unknown kernel flavor $flavor" ;;
esac
[ -d "$kdir" ] || die "no kernel build directory at $kdir"

vectors=${VECTORS:-$TOP/tests/vectors}
[ -f "$vectors/profile-v1.rsp" ] || die "no vectors in $vectors (set VECTORS=)"
[ -f "$vectors/profile-v1.1-inventory.rsp" ] ||
	die "no profile-v1.1-inventory.rsp in $vectors (set VECTORS=)"

out="$TOP/build/kmod-$flavor"
mkdir -p "$out"
# Copy only what changed, so kbuild's own dependency tracking holds.
for f in Kbuild VERSION $(cd "$TOP" && ls kernel/*.[ch] kernel/tests/*.[ch] proto/*.[ch] uapi/linux/*.h); do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$TOP/$f" "$out/$f" || cp "$TOP/$f" "$out/$f"
done
gen="$out/kernel/tests/vectors_gen.h"
python3 "$TOP/scripts/rsp2c.py" "$vectors/primitives.rsp" \
	"$vectors/profile-v1.rsp" "$vectors/profile-v1.1-inventory.rsp" \
	>"$gen.tmp"
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
