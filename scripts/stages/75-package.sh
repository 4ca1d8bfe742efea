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
#                  started with the shipped configuration; then systemd in
#                  the root runs both units (starting aiotd starts
#                  aiotsec.service, the one owner of the device table; a
#                  restart of either leaves the devices and the other
#                  service), and aiotsec-tools and aiotd are
#                  upgraded to the same tree built as VERSION+upgrade1
#                  (scripts/deb.sh --upgrade): readers and devices stay,
#                  aiotd is restarted
# Counts: package, package-guest. About a minute with the root cached.

PACKAGE_TIMEOUT=${PACKAGE_TIMEOUT:-600}

# The paths of the root, but for what is never the packages' to leave:
# dpkg's and apt's own records, systemd's timer stamps (package-guest runs
# systemd in the root), logs, DKMS's MOK key pair (kept across
# DKMS packages by design) and the mount points' contents.
package_paths() {
	(cd "$1" && find . -xdev \
		\( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
		-o -path ./tmp -o -path ./var/lib/dpkg -o -path ./var/log \
		-o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/systemd/timers \) -prune -o -print |
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

# The packages as an operator gets them (dpkg-deb on DIR, where make deb put
# them): FIELD of PACKAGE's .deb.
package_field() {	# DIR PACKAGE FIELD
	dpkg-deb -f "$1/$2"_*.deb "$3" 2>/dev/null | head -n 1
}

# A host that needs aiotctl alone pulls neither aiotd nor its libraries.
package_tools_light() {	# DIR
	local dep
	dep=$(package_field "$1" aiotsec-tools Depends)
	echo "aiotsec-tools Depends: $dep"
	! printf '%s\n' "$dep" | grep -Eq 'libcurl|nghttp2|jansson' &&
		! dpkg-deb -c "$1"/aiotsec-tools_*.deb | grep '/usr/sbin/aiotd$' &&
		dpkg-deb -c "$1"/aiotd_*.deb | grep ' ./usr/sbin/aiotd$' >/dev/null
}

# README's install line: the .debs its words name (bash globs and braces,
# expanded in TOP), each of the three packages and no -dbgsym.
package_readme_install() {	# TOP DIR
	local words debs p
	words=$(sed -n 's/^ *apt install //p' "$1/README.md" | head -n 1)
	echo "README: apt install $words"
	debs=$(cd "$1" && bash -c "shopt -s nullglob; for w in $words; do echo \$w; done" | grep '\.deb$')
	echo "installs:" $debs
	[ -n "$debs" ] || return 1
	! printf '%s\n' "$debs" | grep -q -- '-dbgsym_' || return 1
	for p in aiotsec-dkms aiotsec-tools aiotd; do
		printf '%s\n' "$debs" | grep -q "/${p}_" || { echo "missing $p"; return 1; }
	done
}

# Maintainer: the same name and address in every .deb and in
# debian/changelog, and no placeholder (localhost, example).
package_maintainer() {	# TOP DIR
	local p m cl
	cl=$(dpkg-parsechangelog -l "$1/debian/changelog" -S Maintainer)
	echo "changelog: $cl"
	case $cl in *@localhost*|*@localdomain*|*example.*|"") return 1 ;; esac
	printf '%s\n' "$cl" | grep -Eq '^[^<>]+ <[^@<> ]+@[^@<> ]+\.[a-z]+>$' || return 1
	for p in aiotsec-dkms aiotsec-tools aiotd; do
		m=$(package_field "$2" "$p" Maintainer)
		echo "$p: $m"
		[ "$m" = "$cl" ] || return 1
	done
}

# Debian policy 12.3: a package's docs in /usr/share/doc/PACKAGE.
package_doc_dirs() {	# DIR
	local p bad=0 d
	for p in aiotsec-dkms aiotsec-tools aiotd; do
		for d in $(dpkg-deb -c "$1/$p"_*.deb | awk '{print $6}' |
			sed -n 's|^\./usr/share/doc/\([^/]*\)/.*|\1|p' | sort -u); do
			echo "$p: /usr/share/doc/$d"
			[ "$d" = "$p" ] || bad=1
		done
	done
	return $bad
}

# The conffile sets nothing: every default commented out, so that a
# later release's default reaches every host.
package_conf_commented() {	# DIR SCRATCH AIOTD
	local conf set
	conf=$(dpkg-deb --fsys-tarfile "$1"/aiotd_*.deb | tar -xOf - ./etc/aiotsec/aiotd.conf) &&
		[ -n "$conf" ] || { echo "no /etc/aiotsec/aiotd.conf in the aiotd package"; return 1; }
	set=$(printf '%s\n' "$conf" | sed 's/#.*//' | grep -v '^[[:space:]]*$')
	[ -z "$set" ] || { echo "set in /etc/aiotsec/aiotd.conf:"; echo "$set"; return 1; }
	# and each commented default is a valid line of its key
	printf '%s\n' "$conf" | sed -n 's/^#\([a-z_]\{1,\} \)/\1/p' >"$2"
	[ -s "$2" ] && "$3" -t -c "$2"
}

# dkms.conf's BUILD_EXCLUSIVE_KERNEL (a bash regex, as DKMS matches it)
# takes the kernels with GENL_MCAST_CAP_NET_ADMIN (uapi/linux/aiotsec.h:
# Debian 12's 6.1.176-1, ABI 6.1.0-50, and later; mainline 6.7 and later),
# the root's KVER among them, and no other.
package_dkms_kernels() {	# DKMS_CONF KVER
	local BUILD_EXCLUSIVE_KERNEL= k bad=0
	eval "$(grep '^BUILD_EXCLUSIVE_KERNEL=' "$1")"
	echo "BUILD_EXCLUSIVE_KERNEL=$BUILD_EXCLUSIVE_KERNEL"
	[ -n "$BUILD_EXCLUSIVE_KERNEL" ] || return 1
	for k in "$2" 6.1.0-50-amd64 6.1.0-51-cloud-amd64 6.1.0-100-amd64 6.7.0 6.12.9-amd64 7.0.1; do
		[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] || { echo "refuses $k"; bad=1; }
	done
	for k in 6.1.0-49-amd64 6.1.0-9-amd64 6.1.0-5-amd64 6.1.176 6.6.30 5.10.0-30-amd64 6.1.0-500; do
		[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] && { echo "takes $k"; bad=1; }
	done
	return $bad
}

# An upgrade stops neither unit before it (aiotsec.service's stop unbinds
# the readers and empties the table; aiotd is restarted after), stops
# aiotsec.service on removal only, restarts aiotd if it runs.
package_upgrade_scripts() {	# DIR
	local t=$(mktemp -d) bad=0
	dpkg-deb -e "$1"/aiotsec-tools_*.deb "$t/tools"
	dpkg-deb -e "$1"/aiotd_*.deb "$t/aiotd"
	if grep -l 'deb-systemd-invoke stop' "$t"/*/preinst 2>/dev/null; then
		echo "a preinst stops a unit"; bad=1
	fi
	if ! grep -q '"$1" = remove.*/run/systemd/system' "$t/tools/prerm" ||
		[ "$(grep -c 'deb-systemd-invoke stop' "$t/tools/prerm")" != 1 ]; then
		echo "aiotsec-tools prerm: not a stop on removal alone"; bad=1
	fi
	if grep -q 'deb-systemd-invoke \(start\|restart\|\$_dh_action\)' "$t/tools/postinst"; then
		echo "aiotsec-tools postinst starts aiotsec.service"; bad=1
	fi
	grep -q "_dh_action=restart" "$t/aiotd/postinst" &&
		grep -q "deb-systemd-invoke \$_dh_action 'aiotd.service'" "$t/aiotd/postinst" ||
		{ echo "aiotd postinst: no restart after upgrade"; bad=1; }
	rm -rf "$t"
	return $bad
}

# systemd-analyze security --offline of UNIT in ROOT (its systemd, 252):
# the overall exposure, at most MAX.
package_exposure() {	# ROOT UNIT MAX
	local line score
	line=$(chroot "$1" systemd-analyze security --offline=true "$2" 2>&1 | grep 'Overall exposure level')
	echo "$line (at most $3)"
	score=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	[ -n "$score" ] && awk -v s="$score" -v m="$3" 'BEGIN { exit !(s <= m) }'
}

stage_package() {
	local dir="$OUT/package" tarball debs debs2 root kver version f
	local tapf="$OUT/package.tap"

	mkdir -p "$dir"
	version=$(cat "$TOP/VERSION")
	if ! debs=$("$TOP/scripts/deb.sh" 2>"$dir/deb.err"); then
		cat "$dir/deb.err" >&2
		stage_fail package "make deb"
		stage_fail package-guest "make deb"
		return 0
	fi
	# the next version of the same tree, that package-guest upgrades to
	if ! debs2=$("$TOP/scripts/deb.sh" --upgrade 2>"$dir/deb-upgrade.err"); then
		cat "$dir/deb-upgrade.err" >&2
		stage_fail package "make deb, the upgrade's version"
		stage_fail package-guest "make deb, the upgrade's version"
		return 0
	fi
	if ! tarball=$("$TOP/scripts/debroot.sh"); then
		stage_fail package "a clean Debian 12 root (scripts/debroot.sh)"
		stage_fail package-guest "a clean Debian 12 root (scripts/debroot.sh)"
		return 0
	fi
	tap "$tapf" "aiotd in a package of its own: aiotsec-tools pulls no libcurl, nghttp2, jansson" \
		package_tools_light "$TOP/build/deb"
	tap "$tapf" "README's apt install line: the three packages, no -dbgsym" \
		package_readme_install "$TOP" "$TOP/build/deb"
	tap "$tapf" "Maintainer: no placeholder, the changelog's in every package" \
		package_maintainer "$TOP" "$TOP/build/deb"
	tap "$tapf" "docs in /usr/share/doc/PACKAGE, each package's own" \
		package_doc_dirs "$TOP/build/deb"
	tap "$tapf" "the shipped /etc/aiotsec/aiotd.conf has every default commented out" \
		package_conf_commented "$TOP/build/deb" "$dir/aiotd-defaults.conf" "$TOP/build/deb/aiotsec-$version/debian/aiotd/usr/sbin/aiotd"
	tap "$tapf" "maintainer scripts: an upgrade stops no unit, restarts a running aiotd, never starts aiotsec.service" \
		package_upgrade_scripts "$TOP/build/deb"
	root="$dir/root"
	rm -rf "$root" && mkdir -p "$root"
	tar -C "$root" -I zstd -xf "$tarball" || { stage_fail package "unpack $tarball"; return 0; }
	# / as on an installed system (the tarball's ./ is mktemp's 0700): a
	# service of a user of its own (aiotd) must reach its files
	chmod 755 "$root"
	trap 'package_umount "'"$root"'"' EXIT
	kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
	package_paths "$root" >"$dir/before.list"
	mkdir -p "$root/tmp/debs"
	for f in $debs; do cp "$f" "$root/tmp/debs/"; done

	package_mount "$root"
	tap "$tapf" "dpkg -i aiotsec-dkms aiotsec-tools aiotd into a clean Debian 12 root" \
		chroot "$root" sh -c 'dpkg -i /tmp/debs/*.deb'
	tap "$tapf" "dkms status: aiotsec/$version installed for $kver" \
		sh -c "chroot '$root' dkms status aiotsec | grep -x 'aiotsec/$version, $kver, x86_64: installed'"
	tap "$tapf" "aiotsec.ko in /lib/modules/$kver/updates/dkms, version $version" \
		sh -c "[ \"\$(chroot '$root' modinfo -k '$kver' -F version aiotsec)\" = '$version' ]"
	tap "$tapf" "the module carries the genl family alias (autoload)" \
		sh -c "grep -qx 'alias net-pf-16-proto-16-family-aiotsec aiotsec' '$root/lib/modules/$kver/modules.alias'"
	tap "$tapf" "DKMS signed it with its MOK key (/var/lib/dkms/mok.pub, for Secure Boot)" \
		sh -c "[ -s '$root/var/lib/dkms/mok.pub' ] && [ -n \"\$(chroot '$root' modinfo -k '$kver' -F signer aiotsec)\" ]"
	tap "$tapf" "dkms.conf builds for the kernels with GENL_MCAST_CAP_NET_ADMIN alone ($kver among them)" \
		package_dkms_kernels "$root/usr/src/aiotsec-$version/dkms.conf" "$kver"
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
	tap "$tapf" "/etc/aiotsec/aiotd.conf is a conffile of aiotd" \
		sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' aiotd | grep -q /etc/aiotsec/aiotd.conf"
	tap "$tapf" "aiotd.service: low exposure (systemd-analyze security --offline)" \
		package_exposure "$root" /lib/systemd/system/aiotd.service 3.0
	tap "$tapf" "aiotsec.service: bounded (systemd-analyze security --offline)" \
		package_exposure "$root" /lib/systemd/system/aiotsec.service 3.5
	tap "$tapf" "neither aiotsec.service nor aiotd.service is enabled on installation" \
		sh -c "! ls '$root'/etc/systemd/system/*.wants/ 2>/dev/null | grep -E '^(aiotsec|aiotd)\.service\$'"
	chroot "$root" dpkg -L aiotsec-dkms aiotsec-tools aiotd >"$dir/dpkg-L.list" 2>&1
	package_umount "$root"
	mkdir -p "$root/root/aiotsec-upgrade"
	for f in $debs2; do
		case $f in */aiotsec-tools_*|*/aiotd_*) cp "$f" "$root/root/aiotsec-upgrade/" ;; esac
	done

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
	tap "$tapf" "dpkg --purge aiotd aiotsec-tools aiotsec-dkms" \
		chroot "$root" dpkg --purge aiotd aiotsec-tools aiotsec-dkms
	package_umount "$root"
	rm -rf "$root/tmp/debs" "$root/root/aiotsec-upgrade"
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
		sh -c "for f in /usr/sbin/aiotd /lib/systemd/system/aiotd.service /usr/share/man/man8/aiotd.8.gz /usr/share/doc/aiotd /var/lib/aiotsec /var/lib/private/aiotsec; do [ ! -e '$root'\$f ] || { echo left: \$f; exit 1; }; done"
	counts package "$tapf"
	rm -rf "$root"
	trap - EXIT
	return 0
}
