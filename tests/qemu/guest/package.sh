#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of the package install test (scripts/stages/75-package.sh):
# the guest has booted the Debian kernel installed in a clean Debian 12
# root into which the host dpkg-installed aiotsec-dkms, aiotsec-tools and
# aiotd (DKMS built aiotsec.ko there). That root comes in over virtio-9p (tag
# aiotroot) and every check runs its own programs in it (chroot): Debian's
# modprobe and modules.alias, the packaged aiotctl and aiotsec-apply.
# The kernel's module loader (request_module, for genl autoload) runs the
# modprobe of the initramfs' root: /proc/sys/kernel/modprobe points it at
# the installed root's, as a booted system's would be. TAP on stdout.
#
#   package.sh VERSION KVER
VERSION=$1
KVER=$2
R=/mnt/root
T=/tmp/package-test
mkdir -p $T $R
# shellcheck source-path=SCRIPTDIR source=../../lib/tap.sh
. /aiotsec/tap.sh
TAP_OUT=$T/out TAP_HEAD=20

# t DESC WANT_STATUS PATTERN CMD...: tap_run of tests/lib/tap.sh.
t() { tap_run "$@"; }
in_root() { chroot $R "$@"; }
loaded() { [ -d /sys/module/aiotsec ]; }
not_loaded() { [ ! -d /sys/module/aiotsec ]; }

echo "TAP version 13"
tap_plan 49
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 aiotroot $R; then
	echo "Bail out! cannot mount the installed root (9p tag aiotroot)"
	exit 1
fi
mount --bind /proc $R/proc
mount --bind /sys $R/sys
mount --bind /dev $R/dev
mount -t tmpfs tmpfs $R/run
mount -t tmpfs tmpfs $R/tmp
printf '#!/bin/sh\nexec chroot %s /sbin/modprobe "$@"\n' $R >/run/modprobe
chmod 755 /run/modprobe
echo /run/modprobe >/proc/sys/kernel/modprobe

t "the guest runs the installed root's kernel $KVER" 0 "^$KVER\$" uname -r
t "aiotsec is not loaded at boot" 0 "" not_loaded
t "modinfo finds DKMS's aiotsec.ko" 0 "^/lib/modules/$KVER/updates/dkms/aiotsec.ko\$" \
	in_root modinfo -n aiotsec
t "modprobe aiotsec loads it" 0 "" in_root modprobe aiotsec
t "module version in sysfs is $VERSION" 0 "^$VERSION\$" cat /sys/module/aiotsec/version
t "aiotctl -V: its own version" 0 "^aiotctl $VERSION " in_root aiotctl -V
t "aiotctl -V: the running module's" 0 "^module: aiotsec $VERSION\$" in_root aiotctl -V
t "modprobe -r aiotsec unloads it" 0 "" in_root modprobe -r aiotsec
t "aiotctl -V with the module unloaded" 0 "^module: not loaded\$" in_root aiotctl -V
t "unloaded before the autoload check" 0 "" not_loaded
t "aiotctl config show against the unloaded module succeeds" 0 "" in_root aiotctl config show
t "... because generic netlink loaded the module (alias)" 0 "" loaded

# aiotsec-apply, what aiotsec.service runs, on two dummy readers.
ks=/tmp/devices.ks
cat >$R$ks <<'KS'
e2801160600002040000a1b2  000102030405060708090a0b0c0d0e0f  tid,pc,mi,mac=8
01  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f  enc,pi
KS
chmod 600 $R$ks
cat >$R/tmp/a.conf <<CONF
# test configuration
readers rd0 rd1
keystore $ks
timeout 1500
max_rejects 5
CONF
in_root ip link add rd0 type dummy
in_root ip link add rd1 type dummy
in_root ip link set rd0 up
in_root ip link set rd1 up
t "aiotsec-apply up" 0 "" in_root /usr/lib/aiotsec/aiotsec-apply up /tmp/a.conf
t "up: both readers bound" 0 "rd1" sh -c "chroot $R aiotctl reader show | grep rd0 && chroot $R aiotctl reader show"
t "up: the key store's two devices" 0 "^2\$" sh -c "chroot $R aiotctl device show | grep -Ec '^[0-9a-f]{32} '"
t "up: settings applied" 0 "1500" in_root aiotctl config show
sed -i 's/^readers .*/readers rd1/; s/^timeout .*/timeout 2500/' $R/tmp/a.conf
sed -i '/^01 /d' $R$ks
t "aiotsec-apply reload" 0 "" in_root /usr/lib/aiotsec/aiotsec-apply reload /tmp/a.conf
t "reload: rd0 no longer listed, unbound" 1 "" sh -c "chroot $R aiotctl reader show | grep -w rd0"
t "reload: the table follows the key store (sync)" 0 "^1\$" sh -c "chroot $R aiotctl device show | grep -Ec '^[0-9a-f]{32} '"
t "aiotsec-apply down" 0 "" in_root /usr/lib/aiotsec/aiotsec-apply down /tmp/a.conf
t "down: no reader, no device" 0 "^0 0\$" sh -c "echo \$(chroot $R aiotctl reader show | grep -c rd) \$(chroot $R aiotctl device show | grep -Ec '^[0-9a-f]{32} ')"
t "a bad configuration line is named" 1 "a.conf:2: unknown key 'bogus'" \
	sh -c "printf 'readers rd1\nbogus 1\n' >$R/tmp/a.conf; chroot $R /usr/lib/aiotsec/aiotsec-apply up /tmp/a.conf"

# aiotd, as aiotd.service would run it: the packaged binary and the shipped
# /etc/aiotsec/aiotd.conf (h2c on 127.0.0.1:8089, the state file in
# /var/lib/aiotsec, which the unit's StateDirectory= makes: here by hand,
# as this guest has no systemd). The root has no curl, so no request is
# made: its start, its sight of the module, its state file and its stop.
in_root modprobe aiotsec
[ -d $R/var/lib/aiotsec ] || mkdir -m 700 $R/var/lib/aiotsec
chroot $R /usr/sbin/aiotd -c /etc/aiotsec/aiotd.conf 2>$T/aiotd.log &
AIOTD=$!
i=0
# (up to 30 s: a loaded host has made its start, TLS and netlink set-up
# under TCG, take over 10)
while ! grep -q 'listening on' $T/aiotd.log && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
t "aiotd starts with the shipped aiotd.conf: h2c on 127.0.0.1 port 8089" 0 \
	"listening on 127.0.0.1 port 8089 \(h2c" cat $T/aiotd.log
t "aiotd found the loaded module" 1 "" grep -q "module: not loaded" $T/aiotd.log
t "aiotd keeps its state file in /var/lib/aiotsec" 0 "" test -f $R/var/lib/aiotsec/aiotd.state
kill $AIOTD 2>/dev/null
wait $AIOTD
echo $? >$T/aiotd.rc
t "SIGTERM stops aiotd, exit status 0" 0 "^0\$" cat $T/aiotd.rc
in_root modprobe -r aiotsec
rm -rf $R/var/lib/aiotsec

# The units under systemd, and the upgrade. systemd runs as PID 1 of a PID
# and mount namespace chrooted into the root (as systemd-nspawn would run
# it, container=; the guest's network and kernel): aiotsec.service binds the
# readers and loads the one key store, the one owner of the device table;
# aiotd.service, after it and wanting it, runs aiotd as a dynamic user that
# holds no key and changes no device: a restart of either service leaves the
# devices and the other service as they were. Then dpkg -i of the next version
# of aiotsec-tools and aiotd (the host put them in /root/aiotsec-upgrade:
# the same tree, VERSION+upgrade1; aiotsec-dkms is not upgraded here, as
# its DKMS build would take minutes under TCG, and its maintainer scripts
# touch no unit and no loaded module). The readers and devices must stay,
# aiotsec.service must not be stopped, aiotd must run again, restarted.
# Every command runs in the namespaces of that systemd (nsenter); dpkg by
# its path, as the initramfs' busybox chroot prefers its own applets (a
# dpkg among them) for the names it runs.
cp $R$ks $R/etc/aiotsec/devices.ks
printf '01  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f  enc,pi\n' >>$R/etc/aiotsec/devices.ks
chmod 600 $R/etc/aiotsec/devices.ks
printf 'readers rd0 rd1\nkeystore /etc/aiotsec/devices.ks\n' >$R/etc/aiotsec/aiotsec.conf
# / shared within that namespace (unshare made it private, and systemd
# in a container leaves it so): the credentials a unit's child mounts
# reach the unit by propagation, as on a booted system.
chroot $R unshare --pid --fork --mount --mount-proc sh -c \
	'mount --make-rshared / && exec env container=aiotsec-test /lib/systemd/systemd --unit=basic.target' \
	</dev/null >$T/systemd.log 2>&1 &
UNSHARE=$!
SD=
i=0
while [ -z "$SD" ] && [ $i -lt 100 ]; do
	SD=$(cat /proc/$UNSHARE/task/$UNSHARE/children 2>/dev/null | cut -d' ' -f1)
	[ -n "$SD" ] || sleep 0.1
	i=$((i + 1))
done
in_sd() { chroot $R nsenter -t "$SD" -m -p -r -w "$@"; }
sd_up() {
	i=0
	while [ $i -lt 120 ]; do
		case $(in_sd systemctl is-system-running 2>/dev/null) in
		running|degraded) return 0 ;;
		esac
		sleep 0.5
		i=$((i + 1))
	done
	in_sd systemctl --failed --no-pager
	cat $T/systemd.log
	return 1
}
ndev() { in_sd aiotctl device show | grep -Ec '^[0-9a-f]{32} '; }
bound() { echo $(in_sd aiotctl reader show | awk '$1 ~ /^[0-9]+$/ { print $2 }' | sort); }
mainpid() { in_sd systemctl show -p MainPID --value aiotd; }
t "systemd runs in the root (PID 1 of its namespace)" 0 "" sd_up
t "aiotd.service is ordered after aiotsec.service and wants it" 0 "" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w systemctl show -p After aiotd | grep -qw aiotsec.service && chroot $R nsenter -t $SD -m -p -r -w systemctl show -p Wants aiotd | grep -qw aiotsec.service"
t "systemctl start aiotd: aiotsec.service (bounded unit) started with it, both active" 0 "^active active\$" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w systemctl start aiotd; echo \$(chroot $R nsenter -t $SD -m -p -r -w systemctl is-active aiotsec aiotd)"
t "aiotsec.service bound rd0 and rd1" 0 "^rd0 rd1\$" bound
t "aiotsec.service loaded the key store's two devices" 0 "^2\$" ndev
PID1=$(mainpid)
t "aiotd runs as a user of its own, not root" 0 "^Uid:[[:space:]]+[1-9][0-9]+" \
	in_sd grep '^Uid:' /proc/$PID1/status
t "aiotd has CAP_NET_ADMIN and CAP_NET_BIND_SERVICE alone (CapEff 0x1400)" 0 "^CapEff:[[:space:]]+0000000000001400\$" \
	in_sd grep '^CapEff:' /proc/$PID1/status
aiotd_log() { in_sd journalctl -u aiotd -o cat --no-pager; }
t "aiotd connected to the module and synced nothing (the table is aiotsec.service's)" 0 "" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w journalctl -u aiotd -o cat --no-pager >$T/j; cat $T/j; grep -q 'module: connected' $T/j && ! grep -qi 'sync' $T/j"
t "aiotd metrics for Prometheus: 127.0.0.1 port 9089, HTTP/1.1" 0 "metrics on 127.0.0.1 port 9089 " aiotd_log
# a device outside the key store, added by hand: a sync (as aiotd did
# with a key store of its own) would delete it; aiotd's restart must not
printf '000102030405060708090a0b0c0d0e0f\n' >$R/root/k3
chmod 600 $R/root/k3
t "a device added by hand (aiotctl device add 03), outside the key store" 0 "^3\$" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w aiotctl device add 03 key /root/k3 policy tid,mi,mac=8 && chroot $R nsenter -t $SD -m -p -r -w aiotctl device show | grep -Ec '^[0-9a-f]{32} '"
t "systemctl restart aiotd: a new aiotd" 0 "" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w systemctl restart aiotd && [ \"\$(chroot $R nsenter -t $SD -m -p -r -w systemctl show -p MainPID --value aiotd)\" != $PID1 ]"
t "restart of aiotd: every device stays, the one added by hand too (3)" 0 "^3\$" ndev
t "restart of aiotd: rd0 and rd1 still bound" 0 "^rd0 rd1\$" bound
PID1=$(mainpid)
t "systemctl restart aiotsec: the table is its key store's again (2: the owner's sync)" 0 "^2\$" \
	sh -c "chroot $R nsenter -t $SD -m -p -r -w systemctl restart aiotsec && chroot $R nsenter -t $SD -m -p -r -w aiotctl device show | grep -Ec '^[0-9a-f]{32} '"
t "restart of aiotsec: aiotd left running (the same process)" 0 "" \
	sh -c "[ \"\$(chroot $R nsenter -t $SD -m -p -r -w systemctl show -p MainPID --value aiotd)\" = $PID1 ] && [ \"\$(chroot $R nsenter -t $SD -m -p -r -w systemctl is-active aiotd)\" = active ]"
t "aiotd's state file is its own, mode 600 (UMask=0077)" 0 "^600 " \
	in_sd stat -L -c '%a %U' /var/lib/aiotsec/aiotd.state
t "dpkg -i the next version of aiotsec-tools and aiotd" 0 "" \
	in_sd /usr/bin/dpkg -i /root/aiotsec-upgrade/aiotsec-tools_$VERSION+upgrade1_amd64.deb \
	/root/aiotsec-upgrade/aiotd_$VERSION+upgrade1_amd64.deb
t "upgraded: aiotd is at $VERSION+upgrade1" 0 "^$VERSION[+]upgrade1\$" in_sd dpkg-query -W -f='${Version}\n' aiotd
t "upgrade: aiotsec.service was not stopped (still active, no stop ran)" 0 "^active\$" \
	in_sd systemctl is-active aiotsec
t "upgrade: rd0 and rd1 still bound" 0 "^rd0 rd1\$" bound
t "upgrade: both devices still loaded" 0 "^2\$" ndev
t "upgrade: aiotd active again" 0 "^active\$" in_sd systemctl is-active aiotd
restarted() {
	p=$(mainpid)
	echo "MainPID $PID1 before, $p after"
	[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$PID1" ]
}
t "upgrade: aiotd was restarted (a new process)" 0 "" restarted
in_sd systemctl stop aiotd aiotsec
in_sd systemctl exit
i=0
while kill -0 $UNSHARE 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $UNSHARE 2>/dev/null
wait $UNSHARE
rm -f $R/etc/aiotsec/devices.ks $R/root/k3
umount $R/tmp $R/run $R/dev $R/sys $R/proc
umount $R
exit 0
