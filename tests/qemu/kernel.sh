#!/bin/bash
# Build (or reuse) a kernel from Debian's linux-source-6.1.
#   tests/qemu/kernel.sh [test]   the KUnit test kernel: kernel.config
#   tests/qemu/kernel.sh bench    the same without the debug options (KASAN,
#                              lockdep, kmemleak...): bench.config
#                              applied over kernel.config, for `make bench`
# The result is cached under $AIOTSEC_CACHE/kernel/<version>-<flavor>-<key>,
# where the key hashes the source package version and the config fragments.
# Prints the build directory (usable as KDIR for out-of-tree modules).
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

flavor=${1:-test}
src=$(ksrc_dir)
frag="$TOP/tests/qemu/kernel.config"
case "$flavor" in
test)	frags=("$frag") ;;
bench)	frags=("$frag" "$TOP/tests/qemu/bench.config") ;;
*)	die "unknown kernel flavor $flavor (test or bench)" ;;
esac
key=$( { ksrc_version; cat "${frags[@]}"; } | sha256sum | cut -c1-16)
out="$AIOTSEC_CACHE/kernel/$(ksrc_version)-$flavor-$key"

if [ -f "$out/.aiotsec-done" ]; then
	echo "$out"
	exit 0
fi

log "building the $flavor kernel into $out (cold build: about 12 minutes)"
start=$(date +%s)
rm -rf "$out" && mkdir -p "$out"
make -s -C "$src" O="$out" ARCH=x86_64 tinyconfig >/dev/null
cp "$out/.config" "$out/.config.tiny"
KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" \
	-m -O "$out" "$out/.config.tiny" "${frags[@]}" >"$out/merge.log"
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null

# Every option of the fragments must have survived olddefconfig (the last
# fragment that names an option wins).
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx -- "$line" "$out/.config" || { log "config: $line did not stick"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q -- "^$opt=" "$out/.config" && { log "config: $opt should be unset"; missing=1; } ;;
	esac
done < <(cat "${frags[@]}" | awk '
	/^CONFIG_/ { split($0, a, "="); opt = a[1] }
	/^# CONFIG_.* is not set/ { opt = $2 }
	opt != "" { last[opt] = $0; order[++n] = opt; opt = "" }
	END { for (i = 1; i <= n; i++) if (!seen[order[i]]++) print last[order[i]] }')
[ $missing = 0 ] || die "config fragment not applied; see $out/.config"

make -s -C "$src" O="$out" ARCH=x86_64 -j"$NPROC" bzImage modules_prepare \
	>"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log" >&2; die "kernel build failed"; }
echo $(( $(date +%s) - start )) >"$out/.build-seconds"
touch "$out/.aiotsec-done"
log "test kernel built in $(cat "$out/.build-seconds") s"
echo "$out"
