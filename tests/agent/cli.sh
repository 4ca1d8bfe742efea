#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Host tests of aiotctl's command line: help, usage errors (exit 2), file
# errors found before any netlink, and the message for a missing module
# (when the host has no aiotsec loaded). TAP on stdout.
#   cli.sh AIOTCTL JSONCHK
set -u
A=${1:?usage: cli.sh AIOTCTL JSONCHK}
J=${2:?usage: cli.sh AIOTCTL JSONCHK}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
TAP_OUT=$T/out

# t DESC WANT_STATUS PATTERN CMD...: run CMD, want its exit status and
# PATTERN (grep -E) in its output (stdout and stderr); "" for no check.
t() { tap_run "$@"; }

K16=000102030405060708090a0b0c0d0e0f
printf '%s\n' $K16 >"$T/key"
chmod 600 "$T/key"
printf '%s00000000\n' $K16 >"$T/key20"
chmod 600 "$T/key20"
printf '01 %s tid,mi\n02 %s00000000 tid,mi\n' $K16 $K16 >"$T/bad.ks"
chmod 600 "$T/bad.ks"

t "--help: exit 0, usage on stdout" 0 "^usage: aiotctl" "$A" --help
t "-V prints the version" 0 "^aiotctl " "$A" -V
t "no object: exit 2" 2 "an OBJECT is required" "$A"
t "unknown object: exit 2" 2 "unknown object 'bogus'" "$A" bogus
t "a typo of an object: one line, the nearest name" 2 \
	"^aiotctl: unknown object 'autth' \(did you mean 'auth'\? 'aiotctl help' lists them\)$" \
	sh -c "'$A' autth 01 2>&1 | wc -l | grep -qx 1 && '$A' autth 01"
t "a typo of a command: one line, the nearest name" 2 \
	"^aiotctl: device: unknown command 'ad' \(did you mean 'add'\? 'aiotctl help device' lists them\)$" \
	sh -c "'$A' device ad 01 2>&1 | wc -l | grep -qx 1 && '$A' device ad 01"
t "unknown option: exit 2" 2 "unknown option '-x'" "$A" -x config show
for o in reader device load sync auth command inventory monitor stats config; do
	t "$o help: exit 0" 0 "^usage: aiotctl" "$A" $o help
done
t "device add --help after the ID" 0 "^usage: aiotctl device add" "$A" device add 01 --help
t "unknown device command: exit 2" 2 "unknown command 'frob'" "$A" device frob
t "bad ID: exit 2" 2 "'0g': ID: not a hex digit" "$A" device add 0g key "$T/key" policy tid,mi
t "ID too long: exit 2" 2 "at most 32" "$A" device del 000000000000000000000000000000000001
t "policy without integrity: exit 2" 2 "integrity is required: pi or mi" "$A" device add 01 key "$T/key" policy tid
t "policy below min: exit 2" 2 "is below min" "$A" device add 01 key "$T/key" policy tid,pi min mi
t "group of 7 bytes: exit 2, before the key is read" 2 \
	"^aiotctl: device add: group: 14 hex digits, want 16 \(8 bytes\) \('00112233445566'\)$" \
	"$A" device add 01 key "$T/nokey" policy tid,pi group 00112233445566
t "group not hex: exit 2" 2 "^aiotctl: device replace: group: not a hex digit \('001122334455667x'\)$" \
	"$A" device replace 01 key "$T/nokey" policy tid,pi group 001122334455667x
t "group given twice: exit 2" 2 "group" \
	"$A" device add 01 key "$T/nokey" policy tid,pi group 0011223344556677 group 0011223344556677
t "missing key: exit 2" 2 "key FILE and policy P are required" "$A" device add 01 policy tid,pi
t "key file of 20 bytes: exit 1" 1 "key20: KEY: 20 bytes, want 16 or 32" "$A" device add 01 key "$T/key20" policy tid,pi
t "missing key file: exit 1" 1 "No such file" "$A" device add 01 key "$T/nokey" policy tid,pi
t "key store error names file:line" 1 "bad.ks:2: KEY: 20 bytes" "$A" load "$T/bad.ks"
t "sync: the same check" 1 "bad.ks:2: KEY: 20 bytes" "$A" sync "$T/bad.ks"
t "load: missing file" 1 "No such file" "$A" load "$T/none"
t "load: bad batch" 2 "batch: must be at least 1" "$A" load "$T/bad.ks" batch 0
t "auth: timeout 0" 2 "timeout: at least 1 ms" "$A" auth 01 timeout 0
t "auth: timeout not a number" 2 "not a decimal number" "$A" auth 01 timeout 5s
t "auth: a COMMAND policy" 2 "a PAGING takes enc or tid, and mac= only" "$A" auth 01 policy tid,pi
t "auth: unknown keyword" 2 "^aiotctl: auth: unknown keyword 'frob'$" "$A" auth 01 frob
t "auth: a malformed ID is an ID error, not an unknown keyword" 2 \
	"^aiotctl: auth: 'zz' is not a device ID \(not a hex digit\)$" "$A" auth zz
t "auth: a too long ID after another is an ID error" 2 \
	"^aiotctl: auth: '0123456789abcdef0123456789abcdef01' is not a device ID" \
	"$A" auth 01 0123456789abcdef0123456789abcdef01
t "command: a malformed ID among many is an ID error" 2 \
	"^aiotctl: command: 'x1' is not a device ID" "$A" command x1 02 payload hi
t "auth: fixed without window" 2 "fixed goes with window N" "$A" auth 01 02 fixed
t "auth: window 0" 2 "window: at least 1" "$A" auth 01 02 window 0
t "auth: IDs and file" 2 "IDs and file exclude each other" "$A" auth 01 02 file /dev/null
t "auth: a file without IDs" 1 "no device IDs in it" "$A" auth file /dev/null
t "auth: a bad line on standard input" 1 "standard input: line 2: " sh -c "printf '01\\nzz\\n' | '$A' auth -"
t "command: many IDs need payload" 2 "unknown keyword '03'|an ID and a PAYLOAD" "$A" command 01 02 03
t "command: bad hex payload" 2 "payload: not a hex digit" "$A" command 01 zz hex
t "command: payload over 1024 bytes" 2 "at most 1024" "$A" command 01 "$(head -c 1025 /dev/zero | tr '\0' a)"
t "command: bad dest" 2 "not a MAC address" "$A" command 01 hi dest 01:02
t "config set: unknown setting" 2 "unknown setting 'frob'" "$A" config set frob 1
t "config set: no value" 2 "needs a value" "$A" config set timeout
t "config set min-group: not a number" 2 "^aiotctl: config set: min-group: " "$A" config set min-group x
t "config set max-rounds: not a number" 2 "^aiotctl: config set: max-rounds: " "$A" config set max-rounds -1
t "stats: bad arguments" 2 "^aiotctl: stats: unknown keyword 'frob'$" "$A" stats frob
t "monitor: bad count" 2 "count: " "$A" monitor count x
t "inventory: a MAC of 5 bytes" 2 "inventory: mac: 4, 8 or 16 \\('5'\\)" "$A" inventory mac 5
t "inventory: a filter bit past BITS" 2 "inventory: filter: a bit set past BITS \\('e1/4'\\)" "$A" inventory filter e1/4
t "inventory: BITS of another length than HEX" 2 "BITS needs ceil\\(BITS/8\\) bytes of HEX" "$A" inventory filter e0/9
t "inventory: BITS over 64" 2 "inventory: filter: " "$A" inventory filter e0/65
t "inventory: filter not hex" 2 "inventory: filter: " "$A" inventory filter zz
t "inventory: a window of 0" 2 "inventory: window: at least 1 ms" "$A" inventory window 0
t "inventory: no such reader" 2 "inventory: reader: no such interface" "$A" inventory reader nosuchif0

# Help made from the command table.
t "--help has monitor's timeout" 0 "^  monitor \[count N\] \[timeout MS\] " "$A" --help
t "--help: the JSON commands" 0 "^-j prints JSON of reader show, device show" "$A" --help
t "help: like --help" 0 "^  device add ID key FILE\|- policy P \[min P\] \[group HEX\]$" "$A" help
t "help OBJECT" 0 "^       aiotctl \[-j\] device show \[ID\]$" "$A" help device
t "help OBJECT COMMAND: that form only" 0 "^usage: aiotctl config set \[timeout MS\]" "$A" help config set
t "help OBJECT ALIAS" 0 "^usage: aiotctl device del ID" "$A" help device delete
t "help of an unknown object: exit 2" 2 "help: unknown object 'frob'" "$A" help frob
t "help of an unknown command: exit 2" 2 "help: device has no command 'frob'" "$A" help device frob
t "OBJECT COMMAND help" 0 "^usage: aiotctl \[-j\] device show \[ID\]$" "$A" device show help
t "help as a keyword" 0 "^usage: aiotctl \[-j\] load FILE" "$A" load "$T/bad.ks" batch 2 help
t "usage error: the form's synopsis follows" 2 "^usage: aiotctl device add ID key FILE" "$A" device add
t "usage error: only that form's synopsis" 0 "" sh -c "! grep -q 'device flush' '$T/out'"
t "usage error: nothing on stdout" 0 "" sh -c "'$A' device add 2>/dev/null | wc -c | grep -qx 0"

# One keyword parser: duplicates, missing and invalid values.
t "duplicate keyword: named, exit 2" 2 "^aiotctl: device add: keyword 'policy' given twice$" \
	"$A" device add 01 key "$T/key" policy tid,mi policy tid,pi
t "duplicate setting: named, exit 2" 2 "^aiotctl: config set: setting 'timeout' given twice$" \
	"$A" config set timeout 100 timeout 200
t "duplicate flag: named, exit 2" 2 "^aiotctl: sync: keyword 'dry-run' given twice$" \
	"$A" sync "$T/bad.ks" dry-run dry-run
t "duplicate monitor count" 2 "keyword 'count' given twice" "$A" monitor count 1 count 2
t "missing value: named" 2 "^aiotctl: load: batch needs a value$" "$A" load "$T/bad.ks" batch
t "invalid number: keyword and value" 2 "^aiotctl: auth: timeout: not a decimal number \('5s'\)$" \
	"$A" auth 01 timeout 5s
t "number too large: keyword and value" 2 "^aiotctl: config set: max-pending: more than 4294967295 \('4294967296'\)$" \
	"$A" config set max-pending 4294967296
t "invalid count: keyword and value" 2 "^aiotctl: monitor: count: not a decimal number \('x'\)$" \
	"$A" monitor count x
t "invalid policy: keyword and value" 2 "^aiotctl: device add: policy: .*integrity is required: pi or mi \('tid'\)$" \
	"$A" device add 01 key "$T/key" policy tid
t "invalid min: keyword and value" 2 "^aiotctl: device add: min: .* \('frob'\)$" \
	"$A" device add 01 key "$T/key" policy tid,pi min frob
t "invalid dest: keyword and value" 2 "^aiotctl: command: dest: not a MAC address .*\('01:02'\)$" \
	"$A" command 01 hi dest 01:02
t "invalid batch: keyword and value" 2 "^aiotctl: load: batch: must be at least 1 \('0'\)$" \
	"$A" load "$T/bad.ks" batch 0
t "a long value is cut" 2 "\('a{40}\.\.\.'\)$" "$A" auth 01 timeout "$(head -c 100 /dev/zero | tr '\0' a)"
t "hex and text together" 2 "hex and text exclude each other" "$A" command 01 hi hex text
t "a keyword of command is not one of auth" 2 "auth: unknown keyword 'dest'" "$A" auth 01 dest 02:00:00:00:00:01
# Key custody: refused before any netlink, unless --insecure-keys.
chmod 644 "$T/key20"
t "other-readable key file: refused" 1 "key20 holds keys and is readable by others \(chmod 600 it\), or pass --insecure-keys" \
	"$A" device add 01 key "$T/key20" policy tid,pi
t "--insecure-keys: a warning, then on to the module" 1 "warning: .*key20 holds keys and is readable by others.*used anyway" \
	"$A" --insecure-keys device add 01 key "$T/key20" policy tid,pi
cp "$T/bad.ks" "$T/gw.ks"
chmod 620 "$T/gw.ks"
t "group-writable key store: refused" 1 "gw.ks holds keys and is writable by its group" "$A" load "$T/gw.ks"
t "group-writable key store: refused by sync too" 1 "gw.ks holds keys and is writable by its group" "$A" sync "$T/gw.ks"
chmod 600 "$T/gw.ks"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$T/gw.ks"
	t "key store owned by another user: refused" 1 "gw.ks holds keys and is owned by uid 65534, not by uid 0 \(chown it\)" \
		"$A" load "$T/gw.ks"
	t "... and --insecure-keys takes it (then parses it)" 1 "gw.ks:2: KEY: 20 bytes" \
		"$A" --insecure-keys load "$T/gw.ks"
fi
printf '01 %s tid,mi\n02 %s enc,pi tid\n' $K16 $K16 >"$T/good.ks"
chmod 600 "$T/good.ks"
t "load check: offline, the count" 0 "good.ks: 2 devices, valid$" "$A" load "$T/good.ks" check
t "load check -j: JSON" 0 '"devices":2' "$A" -j load "$T/good.ks" check
t "load check: a bad line is named" 1 "bad.ks:2: KEY: 20 bytes" "$A" load "$T/bad.ks" check
printf '01 %s tid,mi group 0011223344556677\n02 %s enc,pi tid group ffffffffffffffff\n03 %s enc,pi\n' \
	$K16 $K16 $K16 >"$T/grp.ks"
printf '01 %s tid,mi group 0011223344556677\n02 %s enc,pi tid group ffff\n' $K16 $K16 >"$T/badgrp.ks"
chmod 600 "$T/grp.ks" "$T/badgrp.ks"
t "load check: groups, with and without MIN, and none" 0 "grp.ks: 3 devices, valid$" "$A" load "$T/grp.ks" check
t "load check: a short group is named, with its line" 1 \
	"^aiotctl: .*badgrp.ks:2: group: 4 hex digits, want 16 \(8 bytes\)$" "$A" load "$T/badgrp.ks" check
t "sync: the same group check, before any netlink" 1 "badgrp.ks:2: group: 4 hex digits" "$A" sync "$T/badgrp.ks"
t "load check: custody too" 1 "gw.ks holds keys" sh -c "chmod 640 '$T/gw.ks'; '$A' load '$T/gw.ks' check"
t "config set timeout 0: at least 1, exit 2" 2 "^aiotctl: config set: timeout: at least 1 ms \('0'\)$" \
	"$A" config set timeout 0
t "config set max-pending 0: at least 1" 2 "max-pending: at least 1 \('0'\)" "$A" config set max-pending 0
# The upper ends are the module's (AIOTSEC_A_LIMITS): asked of it, so
# without it the error is that it is not loaded (the guest checks them).
t "config set timeout 600001: the module's limit" 1 "not loaded" "$A" config set timeout 600001
t "config set max-devices 67108865: the module's limit" 1 "not loaded" "$A" config set max-devices 67108865
t "config set in range: on to the module" 1 "not loaded" "$A" config set max-rejects 256
t "config set max-rounds 0: the module's range, so on to it" 1 "not loaded" "$A" config set max-rounds 0
t "config set min-group 67108865: the module's range too" 1 "not loaded" "$A" config set min-group 67108865
t "key from a pipe: no custody check" 1 "aiotsec module not loaded|not loaded" \
	sh -c "chmod 644 '$T/key'; cat '$T/key' | '$A' device add 01 key - policy tid,pi; r=\$?; chmod 600 '$T/key'; exit \$r"
printf '[{"a":1}]' | "$J" >"$T/n" 2>&1 && [ "$(cat "$T/n")" = 1 ]
t "jsonchk helper counts array elements" 0 "" test "$(cat "$T/n")" = 1

if [ -d /sys/module/aiotsec ]; then
	n=$((n + 1))
	echo "ok $n - module-not-loaded message # SKIP aiotsec is loaded on this host"
else
	t "no module: one line, exit 1" 1 "^aiotctl: aiotsec module not loaded \(modprobe aiotsec / insmod aiotsec.ko\)$" "$A" config show
	t "no module: the message is the only line" 0 "" test "$(wc -l <"$T/out")" -eq 1
fi
tap_plan "$n"
tap_passed
