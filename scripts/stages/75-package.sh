# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage package (sourced by scripts/check.sh): the Debian packages of
# `make deb` installed into a clean Debian 12 root (scripts/debroot.sh:
# debootstrap from Debian's archive, cached), as an operator would.
#   package        host side, in the root (chroot): dpkg -i of both .debs;
#                  DKMS built and installed aiotsec.ko for the root's own
#                  kernel (linux-headers-amd64), signed with DKMS's MOK key;
#                  the units verify; aiotd where aiotd.service runs it,
#                  accepting the shipped aiotd.conf; the units' pages and
#                  conffiles; no unit enabled; then dpkg --purge, and
#                  nothing is left: no file dpkg -L listed, no path that
#                  the clean root had not, no alias in modules.alias, no
#                  DKMS tree, no aiotd state
#   package-guest  between the two, the root's kernel boots in QEMU with the
#                  root over virtio-9p (tests/qemu/guest/package.sh):
#                  modprobe, versions, genl autoload, aiotsec-apply, aiotd
#                  started with the shipped configuration
# Counts: package, package-guest. About a minute with the root cached.

PACKAGE_TIMEOUT=${PACKAGE_TIMEOUT:-600}

# The paths of the root, but for what is never the packages' to leave:
# dpkg's and apt's own records, logs, DKMS's MOK key pair (kept across
# DKMS packages by design) and the mount points' contents.
package_paths() {
	(cd "$1" && find . -xdev \
		\( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
		-o -path ./tmp -o -path ./var/lib/dpkg -o -path ./var/log \
		-o -path ./var/cache -o -path ./var/lib/apt \) -prune -o -print |
		grep -vx -e './var/lib/dkms/mok.key' -e './var/lib/dkms/mok.pub' | LC_ALL=C sort)
}

package_mount() {
	mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" &&
		mount --make-rslave "$1/dev" && mount -t sysfs sysfs "$1/sys"
}

package_umount() {
	umount -R "$1/dev" 2>/dev/null
	umount "$1/proc" "$1/sys" 2>/dev/null
	return 0
}

# No file of LIST (dpkg -L) is left in ROOT (directories shared with
# other packages, such as /usr/share/doc, may stay).
package_leftovers() {	# ROOT LIST
	local f bad=0
	while IFS= read -r f; do
		[ -n "$f" ] && [ "$f" != /. ] || continue
		if [ -e "$1$f" ] && [ ! -d "$1$f" ]; then
			echo "left: $f"
			bad=1
		fi
	done <"$2"
	return $bad
}

package_no_new_paths() {	# BEFORE AFTER
	local extra
	extra=$(LC_ALL=C comm -13 "$1" "$2")
	[ -z "$extra" ] || { echo "new since the clean root:"; echo "$extra"; return 1; }
}

# The unit's ExecStartPre= and ExecStart= run WANT, which ROOT has.
package_unit_exec() {	# ROOT UNIT WANT
	local paths p
	paths=$(sed -n 's/^ExecStart\(Pre\)\{0,1\}=\([^ ]*\).*/\2/p' "$1$2" | sort -u)
	echo "the unit runs: $paths"
	[ "$paths" = "$3" ] || return 1
	for p in $paths; do [ -f "$1$p" ] && [ -x "$1$p" ] || { echo "$p: not in the root"; return 1; }; done
}

# Every man: and file:// target of the unit's Documentation= is in ROOT.
package_unit_docs() {	# ROOT UNIT
	local d f n sec bad=0
	for d in $(sed -n 's/^Documentation=//p' "$1$2"); do
		case $d in
		man:*) n=${d#man:}; sec=${n##*(}; sec=${sec%)}
			f=/usr/share/man/man$sec/${n%(*}.$sec.gz ;;
		file://*) f=${d#file://} ;;
		*) continue ;;
		esac
		echo "$d: $f"
		[ -f "$1$f" ] || { echo "  missing"; bad=1; }
	done
	return $bad
}

stage_package() {
	local dir="$OUT/package" tarball debs root kver version f
	local tapf="$OUT/package.tap"

	mkdir -p "$dir"
	version=$(cat "$TOP/VERSION")
	if ! debs=$("$TOP/scripts/deb.sh" 2>"$dir/deb.err"); then
		cat "$dir/deb.err" >&2
		stage_fail package "make deb"
		stage_fail package-guest "make deb"
		return 0
	fi
	if ! tarball=$("$TOP/scripts/debroot.sh"); then
		stage_fail package "a clean Debian 12 root (scripts/debroot.sh)"
		stage_fail package-guest "a clean Debian 12 root (scripts/debroot.sh)"
		return 0
	fi
	root="$dir/root"
	rm -rf "$root" && mkdir -p "$root"
	tar -C "$root" -I zstd -xf "$tarball" || { stage_fail package "unpack $tarball"; return 0; }
	trap 'package_umount "'"$root"'"' EXIT
	kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
	package_paths "$root" >"$dir/before.list"
	mkdir -p "$root/tmp/debs"
	for f in $debs; do cp "$f" "$root/tmp/debs/"; done

	package_mount "$root"
	tap "$tapf" "dpkg -i aiotsec-dkms aiotsec-tools into a clean Debian 12 root" \
		chroot "$root" sh -c 'dpkg -i /tmp/debs/*.deb'
	tap "$tapf" "dkms status: aiotsec/$version installed for $kver" \
		sh -c "chroot '$root' dkms status aiotsec | grep -x 'aiotsec/$version, $kver, x86_64: installed'"
	tap "$tapf" "aiotsec.ko in /lib/modules/$kver/updates/dkms, version $version" \
		sh -c "[ \"\$(chroot '$root' modinfo -k '$kver' -F version aiotsec)\" = '$version' ]"
	tap "$tapf" "the module carries the genl family alias (autoload)" \
		sh -c "grep -qx 'alias net-pf-16-proto-16-family-aiotsec aiotsec' '$root/lib/modules/$kver/modules.alias'"
	tap "$tapf" "DKMS signed it with its MOK key (/var/lib/dkms/mok.pub, for Secure Boot)" \
		sh -c "[ -s '$root/var/lib/dkms/mok.pub' ] && [ -n \"\$(chroot '$root' modinfo -k '$kver' -F signer aiotsec)\" ]"
	tap "$tapf" "the production build: no test modules" \
		sh -c "! ls '$root/lib/modules/$kver/updates/dkms/' | grep -v '^aiotsec.ko\$'"
	tap "$tapf" "aiotsec.service verifies (systemd-analyze verify)" \
		chroot "$root" systemd-analyze verify --man=no /lib/systemd/system/aiotsec.service
	tap "$tapf" "/etc/aiotsec/aiotsec.conf is a conffile" \
		sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' aiotsec-tools | grep -q /etc/aiotsec/aiotsec.conf"
	tap "$tapf" "aiotd is installed where aiotd.service runs it (/usr/sbin/aiotd)" \
		package_unit_exec "$root" /lib/systemd/system/aiotd.service /usr/sbin/aiotd
	tap "$tapf" "aiotd -t accepts the shipped /etc/aiotsec/aiotd.conf (its libraries are in the root)" \
		chroot "$root" /usr/sbin/aiotd -t -c /etc/aiotsec/aiotd.conf
	tap "$tapf" "aiotd.service verifies (systemd-analyze verify)" \
		chroot "$root" systemd-analyze verify --man=no /lib/systemd/system/aiotd.service
	tap "$tapf" "aiotd.service's Documentation= is installed (aiotd(8), aiotd.conf.example)" \
		package_unit_docs "$root" /lib/systemd/system/aiotd.service
	tap "$tapf" "/etc/aiotsec/aiotd.conf is a conffile" \
		sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' aiotsec-tools | grep -q /etc/aiotsec/aiotd.conf"
	tap "$tapf" "neither aiotsec.service nor aiotd.service is enabled on installation" \
		sh -c "! ls '$root'/etc/systemd/system/*.wants/ 2>/dev/null | grep -E '^(aiotsec|aiotd)\.service\$'"
	chroot "$root" dpkg -L aiotsec-dkms aiotsec-tools >"$dir/dpkg-L.list" 2>&1
	package_umount "$root"

	if [ -f "$root/boot/vmlinuz-$kver" ]; then
		"$VM" --kernel "$root/boot/vmlinuz-$kver" --kmods-from "$kver" --kmods-root "$root" \
			--kmod virtio_pci --kmod 9pnet_virtio --kmod 9p --share "$root=aiotroot" \
			--add "$GUEST_DIR/package.sh=/aiotsec/package.sh" \
			--add "$TOP/tests/lib/tap.sh=/aiotsec/tap.sh" \
			--timeout "$PACKAGE_TIMEOUT" --name package-guest --log-dir "$dir/guest" \
			-- /aiotsec/package.sh "$version" "$kver"
		counts package-guest --kernel-log "$dir/guest/console.log" "$dir/guest/results.log"
	else
		stage_fail package-guest "no kernel $kver in the root"
	fi

	package_mount "$root"
	tap "$tapf" "dpkg --purge aiotsec-tools aiotsec-dkms" \
		chroot "$root" dpkg --purge aiotsec-tools aiotsec-dkms
	package_umount "$root"
	rm -rf "$root/tmp/debs"
	package_paths "$root" >"$dir/after.list"
	tap "$tapf" "purged: no file that dpkg -L listed is left" \
		package_leftovers "$root" "$dir/dpkg-L.list"
	tap "$tapf" "purged: no path the clean root did not have" \
		package_no_new_paths "$dir/before.list" "$dir/after.list"
	tap "$tapf" "purged: no aiotsec in modules.alias or modules.dep" \
		sh -c "! grep -q aiotsec '$root/lib/modules/$kver/modules.alias' '$root/lib/modules/$kver/modules.dep'"
	tap "$tapf" "purged: no DKMS tree, no /usr/src/aiotsec-$version, no /etc/aiotsec" \
		sh -c "[ ! -e '$root/var/lib/dkms/aiotsec' ] && [ ! -e '$root/usr/src/aiotsec-$version' ] && [ ! -e '$root/etc/aiotsec' ]"
	tap "$tapf" "purged: no aiotd, aiotd.service, aiotd(8), aiotd.conf.example, no /var/lib/aiotsec (its state)" \
		sh -c "for f in /usr/sbin/aiotd /lib/systemd/system/aiotd.service /usr/share/man/man8/aiotd.8.gz /usr/share/doc/aiotsec /var/lib/aiotsec; do [ ! -e '$root'\$f ] || { echo left: \$f; exit 1; }; done"
	counts package "$tapf"
	rm -rf "$root"
	trap - EXIT
	return 0
}
