#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Host test of dist/aiotsec-apply (what aiotsec.service runs) against a
# stand-in aiotctl that logs its calls and keeps the readers in a file:
# the configuration's errors name file and line, and up, reload and down
# make the calls they must. The real thing runs in stage package.
#   apply.sh APPLY
set -u
APPLY=${1:?usage: apply.sh APPLY}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
TAP_OUT=$T/out
t() { tap_run "$@"; }	# t DESC WANT_STATUS PATTERN CMD...
# The stand-in: reader add/del/show over $T/readers, every call in $T/log.
cat >"$T/aiotctl" <<'STUB'
#!/bin/sh
echo "aiotctl $*" >>"$STATE/log"
case "$1 $2" in
"reader show") i=1; while read -r r; do echo "$i $r"; i=$((i + 1)); done <"$STATE/readers" ;;
"reader add") echo "$3" >>"$STATE/readers" ;;
"reader del") grep -vx "$3" "$STATE/readers" >"$STATE/r.new"; mv "$STATE/r.new" "$STATE/readers" ;;
esac
exit 0
STUB
chmod 755 "$T/aiotctl"
printf '#!/bin/sh\necho "modprobe $*" >>"$STATE/log"\nmkdir -p "$STATE/sysmod"\n' >"$T/modprobe"
chmod 755 "$T/modprobe"
: >"$T/readers"
export STATE=$T AIOTCTL=$T/aiotctl MODPROBE=$T/modprobe SYSMOD=$T/sysmod
run() { : >"$T/log"; "$APPLY" "$@"; }
calls() { cat "$T/log"; }

cat >"$T/c.conf" <<'C'
# comment
readers rd0 rd1   # trailing comment
keystore	/etc/aiotsec/devices.ks
timeout 1500
max_rejects 5
min_group 32
max_rounds 2
C
t "up: exit 0" 0 "" run up "$T/c.conf"
t "up: the module first" 0 "" sh -c "head -n 1 '$T/log' | grep -qx 'modprobe aiotsec'"
t "up: settings, readers, then sync" 0 "" sh -c "calls() { grep -v 'reader show' '$T/log'; }; [ \"\$(calls | tr '\n' '|')\" = 'modprobe aiotsec|aiotctl config set timeout 1500 max-rejects 5 min-group 32 max-rounds 2|aiotctl reader add rd0|aiotctl reader add rd1|aiotctl sync /etc/aiotsec/devices.ks|' ]"
: >"$T/log"
t "up again: no reader added twice, no modprobe" 0 "" sh -c "'$APPLY' up '$T/c.conf' >/dev/null 2>&1 && ! grep -q 'reader add\|modprobe' '$T/log' && grep -q 'aiotctl sync' '$T/log'"
: >"$T/log"
sed -i 's/^readers .*/readers rd1 rd2/' "$T/c.conf"
t "reload: exit 0" 0 "" "$APPLY" reload "$T/c.conf"
t "reload: rd2 added, rd0 unbound, rd1 kept" 0 "" sh -c "grep -qx 'aiotctl reader add rd2' '$T/log' && grep -qx 'aiotctl reader del rd0' '$T/log' && ! grep -q 'reader add rd1\|reader del rd1' '$T/log'"
t "reload: sync again" 0 "" grep -qx "aiotctl sync /etc/aiotsec/devices.ks" "$T/log"
mkdir -p "$T/cred"
printf 'x\n' >"$T/cred/keystore"
: >"$T/log"
t "a credential replaces the path" 0 "" sh -c "CREDENTIALS_DIRECTORY='$T/cred' '$APPLY' reload '$T/c.conf' && grep -qx 'aiotctl sync $T/cred/keystore' '$T/log'"
: >"$T/log"
t "down: exit 0" 0 "" "$APPLY" down "$T/c.conf"
t "down: flush, then its readers unbound" 0 "" sh -c "grep -qx 'aiotctl device flush' '$T/log' && grep -qx 'aiotctl reader del rd1' '$T/log' && grep -qx 'aiotctl reader del rd2' '$T/log' && [ ! -s '$T/readers' ]"
rm -rf "$T/sysmod"
: >"$T/log"
t "down without the module: nothing to do" 0 "" sh -c "'$APPLY' down '$T/c.conf' && [ ! -s '$T/log' ]"
printf 'readers rd0\nbogus 1\n' >"$T/b.conf"
t "an unknown key: file and line" 1 "b.conf:2: unknown key 'bogus'" "$APPLY" up "$T/b.conf"
printf 'timeout 2s\n' >"$T/b.conf"
t "a setting not a number" 1 "b.conf:1: timeout: not a number: 2s" "$APPLY" up "$T/b.conf"
printf 'keystore\n' >"$T/b.conf"
t "no value" 1 "b.conf:1: keystore: no value" "$APPLY" up "$T/b.conf"
printf 'max-pending 3\n' >"$T/b.conf"
t "aiotctl's dashes are not keys (one spelling: underscores, as aiotd.conf)" 1 "b.conf:1: unknown key 'max-pending'" "$APPLY" up "$T/b.conf"
# the earlier "name = value" (dashes): read, with one warning naming the new line
printf '# old\nreaders = rd0\nmax-pending = 7\n' >"$T/o.conf"
: >"$T/readers"
t "the old 'name = value' syntax: a warning naming the line to write" 0 "o.conf:2: 'name = value' is the old syntax: write 'readers rd0'" \
	run up "$T/o.conf"
t "the old syntax: applied all the same (max-pending, rd0)" 0 "" sh -c "grep -qx 'aiotctl config set max-pending 7' '$T/log' && grep -qx 'aiotctl reader add rd0' '$T/log'"
t "the old syntax: warned once" 0 "^1\$" sh -c "'$APPLY' up '$T/o.conf' 2>&1 >/dev/null | grep -c 'old syntax'"
: >"$T/log"
t "no such file" 1 "nosuch.conf: no such file" "$APPLY" up "$T/nosuch.conf"
t "an unknown action: usage" 1 "usage: aiotsec-apply up\|reload\|down" "$APPLY" start "$T/c.conf"
t "a bad configuration runs no aiotctl" 0 "" test ! -s "$T/log"
tap_plan "$n"
