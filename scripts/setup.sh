#!/bin/bash
# Install, as root, every Debian package the project needs. Idempotent:
# when everything is already installed it only asks dpkg-query (~1 s).
# `apt-get update` runs at most once an hour (stamp under $AIOTSEC_CACHE).
# Output goes to $AIOTSEC_CACHE/setup.log; its tail is shown on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	python3 linux-source-6.1 linux-headers-amd64 linux-image-amd64
	qemu-system-x86 busybox-static libnl-3-dev libnl-genl-3-dev
	clang libclang-rt-14-dev llvm sparse iproute2 valgrind gnuplot-nox
	pkg-config perl dash
	debhelper dh-dkms dkms debootstrap fakeroot zstd
	libnghttp2-dev libjansson-dev libcurl4-openssl-dev nghttp2-client curl
	openssl man-db prometheus
)
UPDATE_MAX_AGE=3600

export DEBIAN_FRONTEND=noninteractive
LOGFILE="$AIOTSEC_CACHE/setup.log"
STAMP="$AIOTSEC_CACHE/apt-update.stamp"

# Prints the packages that are not fully installed (one dpkg-query call).
missing_packages() {
	local installed p
	installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PACKAGES[@]}" 2>/dev/null |
		awk '$1 == "ii" { print $2 }' || true)
	for p in "${PACKAGES[@]}"; do
		grep -qx -- "$p" <<<"$installed" || echo "$p"
	done
}

# Runs a command with its output appended to the log; on failure shows the tail.
quietly() {
	echo "+ $*" >>"$LOGFILE"
	if ! "$@" >>"$LOGFILE" 2>&1; then
		tail -n 30 "$LOGFILE" >&2
		die "'$*' failed; full log in $LOGFILE"
	fi
}

apt_update_if_stale() {
	local now age
	now=$(date +%s)
	if [ -f "$STAMP" ]; then
		age=$(( now - $(stat -c %Y "$STAMP") ))
		[ "$age" -ge "$UPDATE_MAX_AGE" ] || return 0
	fi
	log "apt-get update"
	quietly apt-get update
	touch "$STAMP"
}

main() {
	[ "$(id -u)" = 0 ] || die "setup.sh must run as root"
	mkdir -p "$AIOTSEC_CACHE"
	local missing
	missing=$(missing_packages)
	if [ -z "$missing" ]; then
		log "all ${#PACKAGES[@]} packages installed"
		return 0
	fi
	log "installing: ${missing//$'\n'/ }"
	: >"$LOGFILE"
	apt_update_if_stale
	# shellcheck disable=SC2086 # word splitting wanted
	quietly apt-get install -y --no-install-recommends $missing
	missing=$(missing_packages)
	[ -z "$missing" ] || die "still missing after install: ${missing//$'\n'/ }"
	log "packages installed"
}

main "$@"
