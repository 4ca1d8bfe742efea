# Common settings for aiotsec scripts (sourced, not run).
# AIOTSEC_CACHE: where the test kernel and unpacked sources live, outside
# the checkout so that a fresh clone on the same machine reuses them.
: "${AIOTSEC_CACHE:=/var/cache/aiotsec}"
export AIOTSEC_CACHE
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TOP
NPROC=$(nproc)
# The QEMU runner and the guest side of every test run in QEMU.
VM=$TOP/tests/qemu/vm.sh
GUEST_DIR=$TOP/tests/qemu/guest

log() { printf '[aiotsec] %s\n' "$*" >&2; }
die() { printf '[aiotsec] error: %s\n' "$*" >&2; exit 1; }

# Version of Debian's linux-source-6.1 package, e.g. 6.1.192-2.
ksrc_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null
}

# Unpacked kernel source, keyed by package version.
ksrc_dir() {
	local v
	v=$(ksrc_version) || die "linux-source-6.1 is not installed (run scripts/setup.sh)"
	local d="$AIOTSEC_CACHE/src/$v"
	if [ ! -f "$d/linux-source-6.1/Makefile" ]; then
		log "unpacking linux-source-6.1 $v into $d"
		rm -rf "$d.tmp" && mkdir -p "$d.tmp"
		tar -C "$d.tmp" -xf /usr/src/linux-source-6.1.tar.xz || die "unpacking failed"
		rm -rf "$d" && mv "$d.tmp" "$d"
	fi
	echo "$d/linux-source-6.1"
}

# Debian's stock kernel: the newest linux-image and matching headers.
debian_kver() {
	local k
	k=$(ls -1 /lib/modules | grep -- '-amd64$' | sort -V | tail -n 1)
	[ -n "$k" ] || die "no Debian amd64 kernel in /lib/modules (run scripts/setup.sh)"
	echo "$k"
}

# A guest's log (results.log or console.log of tests/qemu/vm.sh) as the
# host reads it. The guest's serial ports end lines with CRLF; every
# collector of guest output reads it through here, so that no "\r" reaches
# a comparison. A log that does not exist reads as empty.
guest_log() {
	[ -e "$1" ] || return 0
	tr -d '\r' <"$1"
}

# The plug-ins of a driver (scripts/stages/ of check.sh, scripts/bench.d/
# of bench.sh): files NN-NAME.sh, in the order of NN. Prints one line
# "NAME FILE" each; fails if a NAME is declared twice, or on a .sh file
# named otherwise (which would be silently left out).
plugins() {
	local f b n seen=" "
	for f in "$1"/*.sh; do
		[ -e "$f" ] || continue
		case "${f##*/}" in
		[0-9][0-9]-?*.sh) ;;
		*) die "$f: not run: a plug-in is named NN-NAME.sh (see $1/README.md)" ;;
		esac
		b=${f##*/}
		b=${b%.sh}
		n=${b#[0-9][0-9]-}
		case "$seen" in
		*" $n "*) die "$n is declared twice in $1" ;;
		esac
		seen="$seen$n "
		echo "$n $f"
	done
}

# plugins_load DIR WHAT [NAME...]: the plug-ins of DIR (plugins) as
# $plugin_list ("NAME FILE" lines) and $plugin_all (their NAMEs, in
# order); $plugin_run: the NAMEs asked for (default: all), each checked to
# exist (dies naming the WHAT: stage, bench part). Plain sh, as the rest
# of this file: sh sources it too.
plugins_load() {
	local dir="$1" what="$2" n
	shift 2
	plugin_list=$(plugins "$dir") || exit
	plugin_all=$(printf '%s\n' "$plugin_list" | awk '{ print $1 }' | tr '\n' ' ')
	plugin_all=${plugin_all% }
	plugin_run=${*:-$plugin_all}
	for n in $plugin_run; do
		plugin_path "$n" >/dev/null ||
			die "no $what $n (${what}s: $plugin_all)"
	done
}

# plugin_path NAME: the file of plug-in NAME (after plugins_load).
plugin_path() {
	printf '%s\n' "$plugin_list" |
		awk -v n="$1" '$1 == n { sub(/^[^ ]+ /, ""); print; f = 1 } END { exit !f }'
}

# The figures a guest printed as "TSV name value target met|missed" lines
# in LOG, without the prefix: one tab-separated figure a line.
guest_tsv() {
	guest_log "$1" | sed -n 's/^TSV //p'
}
