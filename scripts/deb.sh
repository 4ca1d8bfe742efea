#!/bin/bash
# make deb: the Debian packages aiotsec-dkms, aiotsec-tools and aiotd, built with
# dpkg-buildpackage (debhelper, dh-dkms) in a copy of the tree under
# build/deb/, so that the checkout stays clean and the .debs land in
# build/deb/ rather than beside the checkout. Prints the .deb paths.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

#   scripts/deb.sh             build/deb/, the changelog's version
#   scripts/deb.sh --upgrade   build/deb-upgrade/: the same tree as version
#                              VERSION+upgrade1, a changelog entry added in
#                              the copy (stage package upgrades to it)
version=$(cat "$TOP/VERSION")
clv=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
[ "${clv%%-*}" = "$version" ] ||
	die "debian/changelog is at $clv but VERSION says $version: add a changelog entry"

out=$TOP/build/deb
debv=$clv
if [ "${1:-}" = --upgrade ]; then
	out=$TOP/build/deb-upgrade
	debv=$clv+upgrade1
fi
src=$out/aiotsec-$version
rm -rf "$out"
mkdir -p "$src"
# The tracked files and the new ones not ignored (no build/ output).
(cd "$TOP" && { git ls-files -co --exclude-standard 2>/dev/null || find . -path ./build -prune -o -type f -print; }) |
	while IFS= read -r f; do
		[ -f "$TOP/$f" ] || continue
		mkdir -p "$src/$(dirname "$f")"
		cp -p "$TOP/$f" "$src/$f"
	done
if [ "$debv" != "$clv" ]; then
	{
		printf 'aiotsec (%s) unstable; urgency=medium\n\n' "$debv"
		printf '  * The same tree, a newer version: the upgrade of stage package.\n\n'
		printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Maintainer)" \
			"$(date -R -d "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Date)")"
		cat "$src/debian/changelog"
	} >"$src/debian/changelog.new"
	mv "$src/debian/changelog.new" "$src/debian/changelog"
fi
log "dpkg-buildpackage in $src (log $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc -j"$NPROC") >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	die "dpkg-buildpackage failed (log $out/build.log)"
fi
ls "$out"/aiotsec-dkms_"$debv"_all.deb "$out"/aiotsec-tools_"$debv"_*.deb "$out"/aiotd_"$debv"_*.deb
