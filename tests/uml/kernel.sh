#!/bin/bash
# The User-Mode Linux (ARCH=um) bench kernel, with the module and its
# bench suite built in (make bench only; never make check).
#   tests/uml/kernel.sh base   build (or reuse) the kernel without aiotsec
#                              (cold: about 10 minutes of one core)
#   tests/uml/kernel.sh        the same, then the module's sources built in:
#                              prints the path of the linked vmlinux
# UML runs kernel C natively (no emulation), but user space does not start
# under it on the bench host, so the bench runs as built-in KUnit suites at
# boot (tests/uml/run.sh).
#
# A kernel build takes its built-in directories from the source tree, so
# the build uses a tree of symbolic links to the unpacked linux-source-6.1
# in which the top-level Kbuild is regenerated with one more line,
# obj-y += aiotsec/, and aiotsec/ holds a copy of this checkout's module
# sources with the Kbuild of tests/uml/Kbuild. Cached under
# $AIOTSEC_CACHE/kernel/<version>-uml-<key>: tree/ (the links), out/ (O=);
# a later run rebuilds only what changed in aiotsec/.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

what=${1:-full}
src=$(ksrc_dir)
frag="$TOP/tests/uml/uml.config"
# The key: the source version, the fragment and the layout of the tree.
layout="tree of links, Kbuild + aiotsec/, allnoconfig + fragment, v1"
key=$( { ksrc_version; cat "$frag"; echo "$layout"; } | sha256sum | cut -c1-16)
dir="$AIOTSEC_CACHE/kernel/$(ksrc_version)-uml-$key"
tree=$dir/tree
out=$dir/out
mk() { make -s -C "$tree" O="$out" ARCH=um SUBARCH=x86_64 "$@"; }

exec 9>"$AIOTSEC_CACHE/kernel/.uml.lock"
flock 9

if [ ! -f "$dir/.aiotsec-done" ]; then
	log "building the UML kernel into $dir (cold build: about 10 minutes)"
	start=$(date +%s)
	rm -rf "$dir" && mkdir -p "$tree" "$out"
	cp -as "$src/." "$tree/"
	rm "$tree/Kbuild"
	{ cat "$src/Kbuild"; printf '\nobj-y\t\t\t+= aiotsec/\n'; } >"$tree/Kbuild"
	mkdir "$tree/aiotsec"
	printf '# aiotsec: filled by tests/uml/kernel.sh\n' >"$tree/aiotsec/Kbuild"
	mk allnoconfig >/dev/null
	cp "$out/.config" "$out/.config.no"
	KCONFIG_CONFIG="$out/.config" "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$out" "$out/.config.no" "$frag" >"$dir/merge.log"
	mk olddefconfig >/dev/null
	missing=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qx -- "$line" "$out/.config" ||
			{ log "config: $line did not stick"; missing=1; } ;;
		esac
	done <"$frag"
	[ $missing = 0 ] || die "config fragment not applied; see $out/.config"
	mk -j"$NPROC" vmlinux >"$dir/build.log" 2>&1 ||
		{ tail -n 40 "$dir/build.log" >&2; die "UML kernel build failed"; }
	echo $(( $(date +%s) - start )) >"$dir/.build-seconds"
	touch "$dir/.aiotsec-done"
	log "UML kernel built in $(cat "$dir/.build-seconds") s"
fi
[ "$what" = base ] && { echo "$out"; exit 0; }

# The module's sources, copied only when changed (make's timestamps).
(cd "$TOP" && find kernel proto uapi VERSION -type f) | while IFS= read -r f; do
	cmp -s "$TOP/$f" "$tree/aiotsec/$f" && continue
	mkdir -p "$(dirname "$tree/aiotsec/$f")"
	cp "$TOP/$f" "$tree/aiotsec/$f"
done
cmp -s "$TOP/tests/uml/Kbuild" "$tree/aiotsec/Kbuild" ||
	cp "$TOP/tests/uml/Kbuild" "$tree/aiotsec/Kbuild"
mk -j"$NPROC" vmlinux >"$dir/aiotsec.log" 2>&1 ||
	{ tail -n 40 "$dir/aiotsec.log" >&2; die "UML kernel with aiotsec: build failed"; }
echo "$out/vmlinux"
