#!/bin/bash
# Build (or reuse) the KUnit test kernel from Debian's linux-source-6.1.
# The result is cached under $AIOTSEC_CACHE/kernel/<key>, where the key
# hashes the source package version, the config fragment and this script.
# Prints the build directory (usable as KDIR for out-of-tree modules).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(ksrc_dir)
frag="$TOP/scripts/kernel.config"
key=$( { ksrc_version; cat "$frag" "$0"; } | sha256sum | cut -c1-16)
out="$AIOTSEC_CACHE/kernel/$(ksrc_version)-$key"

if [ -f "$out/.aiotsec-done" ]; then
	echo "$out"
	exit 0
fi

log "building test kernel into $out (cold build: about 15 minutes)"
start=$(date +%s)
rm -rf "$out" && mkdir -p "$out"
make -s -C "$src" O="$out" ARCH=x86_64 tinyconfig >/dev/null
cp "$out/.config" "$out/.config.tiny"
KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" \
	-m -O "$out" "$out/.config.tiny" "$frag" >"$out/merge.log"
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null

# Every option of the fragment must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx -- "$line" "$out/.config" || { log "config: $line did not stick"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q -- "^$opt=" "$out/.config" && { log "config: $opt should be unset"; missing=1; } ;;
	esac
done <"$frag"
[ $missing = 0 ] || die "config fragment not applied; see $out/.config"

make -s -C "$src" O="$out" ARCH=x86_64 -j"$NPROC" bzImage modules_prepare \
	>"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log" >&2; die "kernel build failed"; }
echo $(( $(date +%s) - start )) >"$out/.build-seconds"
touch "$out/.aiotsec-done"
log "test kernel built in $(cat "$out/.build-seconds") s"
echo "$out"
