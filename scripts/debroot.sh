#!/bin/bash
# A clean Debian 12 root for the package install test (stage package):
# debootstrap --variant=minbase from Debian's archive, plus what the
# packages depend on and the kernel DKMS builds for (linux-image-amd64 and
# its headers), so that the test itself installs with dpkg alone, offline.
# Cached as a tarball under $AIOTSEC_CACHE/debroot/, keyed by the suite,
# the mirror and the package list (bump v1 when the recipe changes), so that CI and a fresh
# clone reuse it; the archive's newest kernel of the day is what it holds
# (delete the tarball to refresh it).
#   scripts/debroot.sh      prints the tarball's path (building it if absent)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUITE=bookworm
MIRROR=${DEBROOT_MIRROR:-http://deb.debian.org/debian}
# dkms and the headers: the build; kmod: modprobe; libnl-genl-3-200 and
# libssl3: aiotctl; libnghttp2-14, libjansson4 and libcurl4: aiotd (its
# shlibs Depends); iproute2: a reader interface in the guest; openssl:
# DKMS makes its MOK key with it and signs the module (Secure Boot).
INCLUDE=dkms,openssl,linux-image-amd64,linux-headers-amd64,kmod,libnl-genl-3-200,libssl3,libnghttp2-14,libjansson4,libcurl4,iproute2,systemd

key=$(echo "$SUITE $MIRROR $INCLUDE v1" | sha256sum | cut -c1-16)
dir=$AIOTSEC_CACHE/debroot
tarball=$dir/$SUITE-$key.tar.zst
if [ -f "$tarball" ]; then
	echo "$tarball"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "debroot.sh must run as root"
command -v debootstrap >/dev/null || die "debootstrap not found (run scripts/setup.sh)"
mkdir -p "$dir"
root=$(mktemp -d "$dir/build.XXXXXX")
trap 'umount -R "$root/proc" "$root/sys" "$root/dev" 2>/dev/null || true; rm -rf "$root"' EXIT
log "debootstrap $SUITE into $root (once; log $dir/debootstrap.log)"
if ! debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$root" "$MIRROR" \
	>"$dir/debootstrap.log" 2>&1; then
	tail -n 30 "$dir/debootstrap.log" >&2
	die "debootstrap failed"
fi
chroot "$root" apt-get clean
chmod 755 "$root"	# mktemp -d made it 0700; / is 0755
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
tar -C "$root" --numeric-owner --xattrs -I 'zstd -T2 -3' -cf "$tarball.tmp" .
mv "$tarball.tmp" "$tarball"
echo "$tarball"
