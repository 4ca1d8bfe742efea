#!/bin/bash
# Build a gzip'ed newc initramfs that runs one guest command and reports
# on the second serial port (used by vm.sh beside it).
#
#   initramfs.sh --out FILE [--kmods-from KVER [--kmods-root DIR]] [--kmod NAME]...
#                [--add SRC=DST]... -- GUEST_COMMAND [ARGS...]
#
# Contents: busybox-static with applet symlinks, Debian's ip (busybox's
# lacks netns and veth peers), dash as /bin/sh, coreutils timeout and env
# (see install_host_tools), every --add file or directory at
# DST (ELF executables and libraries among them get their shared libraries
# via ldd), and /init. With --kmods-from, Debian modules from
# /lib/modules/KVER (KMODS_BASE, KMODS_CRYPTO, each --kmod, plus their
# dependencies from modules.dep; from DIR/lib/modules/KVER with
# --kmods-root, e.g. a Debian root's own kernel) go to /lib/modules/aiotsec and /init
# insmods them in dependency order; built-in ones are skipped.
#
# /init mounts proc, sysfs, devtmpfs, debugfs, tmpfs /tmp and /run, brings
# lo up, loads the modules, runs GUEST_COMMAND with stdout+stderr on
# /dev/ttyS1, then writes "AIOTSEC-EXIT <status>" there and reboots (-f).
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

KMODS_BASE=(veth dummy af_packet)
KMODS_CRYPTO=(cmac)
# Debian binaries that shadow busybox (dash becomes /bin/sh).
HOST_TOOLS=(dash ip timeout env)

OUT=
KVER=
KROOT=
EXTRA_KMODS=()
ADDS=()
GUEST=()
ROOT=

usage() {
	die "usage: initramfs.sh --out FILE [--kmods-from KVER [--kmods-root DIR]] [--kmod NAME]... [--add SRC=DST]... -- CMD [ARGS...]"
}

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--out) OUT=${2:?}; shift 2 ;;
		--kmods-from) KVER=${2:?}; shift 2 ;;
		--kmods-root) KROOT=${2:?}; shift 2 ;;
		--kmod) EXTRA_KMODS+=("${2:?}"); shift 2 ;;
		--add) ADDS+=("${2:?}"); shift 2 ;;
		--) shift; GUEST=("$@"); break ;;
		*) usage ;;
		esac
	done
	[ -n "$OUT" ] && [ ${#GUEST[@]} -gt 0 ] || usage
}

is_elf() {
	[ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}

# Copies the shared libraries (and the dynamic loader) of an ELF file.
copy_libs() {
	local f=$1 out lib
	out=$(ldd "$f" 2>/dev/null) || return 0   # static, or not a program
	if grep -q 'not found' <<<"$out"; then
		die "$f: missing shared libraries: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
	fi
	for lib in $(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$out"); do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}

copy_libs_under() {
	local f
	while IFS= read -r -d '' f; do
		if is_elf "$f"; then copy_libs "$f"; fi
	done < <(find "$1" -type f -print0)
}

# Applet symlinks at their usual paths, made by busybox itself in a chroot
# (one process instead of a fork per applet).
install_busybox() {
	local bb
	bb=$(command -v busybox) || die "busybox not found (run scripts/setup.sh)"
	ldd "$bb" >/dev/null 2>&1 && die "$bb is not static (install busybox-static)"
	mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin}
	cp "$bb" "$ROOT/bin/busybox"
	chroot "$ROOT" /bin/busybox --install -s
}

# Debian's programs replace busybox applets of the same name: busybox-static
# is built with PREFER_APPLETS/SH_STANDALONE, so its sh, env, timeout etc.
# would run the (netns-less) ip applet even with /usr/sbin/ip on PATH.
install_host_tools() {
	local t path d
	for t in "${HOST_TOOLS[@]}"; do
		path=$(command -v "$t") || die "$t not found on the host (run scripts/setup.sh)"
		for d in bin sbin usr/bin usr/sbin; do
			rm -f "$ROOT/$d/$t"
		done
		mkdir -p "$ROOT$(dirname "$path")"
		cp -L "$path" "$ROOT$path"
		copy_libs "$ROOT$path"
	done
	rm -f "$ROOT/bin/sh"
	ln -s "$(command -v dash)" "$ROOT/bin/sh"
	[ -d /etc/iproute2 ] && cp -r /etc/iproute2 "$ROOT/etc/"
	return 0
}

install_adds() {
	local spec src dst
	for spec in ${ADDS[@]+"${ADDS[@]}"}; do
		case "$spec" in *=/*) ;; *) die "--add $spec: want SRC=/absolute/DST" ;; esac
		src=${spec%%=*}
		dst=${spec#*=}
		dst=${dst%/}
		[ -n "$dst" ] || die "--add $spec: DST must not be /"
		[ -e "$src" ] || die "--add $spec: $src does not exist"
		mkdir -p "$ROOT$(dirname "$dst")"
		rm -rf "${ROOT:?}$dst"
		cp -a -L "$src" "$ROOT$dst"
		copy_libs_under "$ROOT$dst"
	done
}

# Path (relative to /lib/modules/KVER) of a module, or nothing.
module_path() {
	local name=${1//-/_}
	awk -F: -v want="$name" '{
		base = $1; sub(/.*\//, "", base); sub(/\.ko(\.[a-z]+)?$/, "", base)
		gsub(/-/, "_", base)
		if (base == want) { print $1; exit }
	}' "$KROOT/lib/modules/$KVER/modules.dep"
}

module_deps() {
	awk -F: -v want="$1" '$1 == want { print $2; exit }' "$KROOT/lib/modules/$KVER/modules.dep"
}

is_builtin() {
	local name=${1//-/_}
	sed -e 's,.*/,,' -e 's,\.ko$,,' -e 's,-,_,g' "$KROOT/lib/modules/$KVER/modules.builtin" |
		grep -qx -- "$name"
}

# Depth-first: dependencies are appended to ORDER before their users.
declare -A SEEN=()
ORDER=()
visit_module() {
	local rel=$1 dep
	[ -n "${SEEN[$rel]:-}" ] && return 0
	SEEN[$rel]=1
	for dep in $(module_deps "$rel"); do
		visit_module "$dep"
	done
	ORDER+=("$rel")
}

# Copies a module uncompressed (busybox insmod reads plain .ko only).
copy_module() {
	local src=$KROOT/lib/modules/$KVER/$1 dst=$2
	case "$src" in
	*.ko) cp "$src" "$dst" ;;
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*) die "unknown module format: $src" ;;
	esac
}

install_kmods() {
	[ -n "$KVER" ] || { : >"$ROOT/etc/aiotsec/modules"; return 0; }
	[ -f "$KROOT/lib/modules/$KVER/modules.dep" ] || die "no $KROOT/lib/modules/$KVER/modules.dep"
	local name rel base
	for name in "${KMODS_BASE[@]}" "${KMODS_CRYPTO[@]}" ${EXTRA_KMODS[@]+"${EXTRA_KMODS[@]}"}; do
		rel=$(module_path "$name")
		if [ -n "$rel" ]; then
			visit_module "$rel"
		elif is_builtin "$name"; then
			: # built into $KVER: nothing to load
		else
			die "module $name not found for $KVER"
		fi
	done
	mkdir -p "$ROOT/lib/modules/aiotsec"
	for rel in ${ORDER[@]+"${ORDER[@]}"}; do
		base=$(basename "$rel"); base=${base%%.ko*}.ko
		copy_module "$rel" "$ROOT/lib/modules/aiotsec/$base"
		echo "$base"
	done >"$ROOT/etc/aiotsec/modules"
}

# Single-quotes each argument for a POSIX shell.
sh_quote() {
	local a
	for a in "$@"; do
		printf "'%s' " "${a//\'/\'\\\'\'}"
	done
}

write_init() {
	printf 'set -- %s\n' "$(sh_quote "${GUEST[@]}")" >"$ROOT/etc/aiotsec/command"
	cat >"$ROOT/init" <<'EOF'
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
ip link set lo up

for m in $(cat /etc/aiotsec/modules); do
	insmod "/lib/modules/aiotsec/$m" || echo "aiotsec-init: insmod $m failed"
done

. /etc/aiotsec/command
[ -c /dev/ttyS1 ] || echo "aiotsec-init: no /dev/ttyS1 (second serial port): results are lost"
echo "aiotsec-init: running $*"
"$@" >/dev/ttyS1 2>&1
status=$?
echo "AIOTSEC-EXIT $status" >/dev/ttyS1
echo "aiotsec-init: exit $status after $(cut -d' ' -f1 /proc/uptime) s uptime"
sync
reboot -f
EOF
	chmod 755 "$ROOT/init"
}

make_skeleton() {
	mkdir -p "$ROOT"/{proc,sys,dev,tmp,run,root,etc/aiotsec,var,lib/modules}
	ln -s /run "$ROOT/var/run"
	mknod -m 600 "$ROOT/dev/console" c 5 1
	echo 'root:x:0:0:root:/root:/bin/sh' >"$ROOT/etc/passwd"
	echo 'root:x:0:' >"$ROOT/etc/group"
}

pack() {
	(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
}

main() {
	parse_args "$@"
	[ "$(id -u)" = 0 ] || die "initramfs.sh needs root (chroot, mknod)"
	mkdir -p "$(dirname "$OUT")"
	ROOT=$(mktemp -d "$(dirname "$OUT")/initramfs.XXXXXX")
	trap 'rm -rf "$ROOT"' EXIT
	make_skeleton
	install_busybox
	install_host_tools
	install_adds
	install_kmods
	write_init
	pack
}

main "$@"
