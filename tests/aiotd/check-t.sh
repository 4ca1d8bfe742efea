#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# check-t.sh AIOTD: `aiotd -t` refuses what starting would refuse (a
# missing file, a listen address that is no IP literal, TLS files that do
# not load, a metrics_listen that is not ADDRESS:PORT, a reader that does
# not exist, a keystore (aiotsec.service's now), an unreadable callback
# file, a state directory it cannot write, an area on a reader that does
# not exist or defined twice), binds nothing, and accepts a good
# configuration. TAP on stdout.
set -u
aiotd=${1:?usage: check-t.sh AIOTD}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
case_t() {	# case_t DESCRIPTION WANT-STATUS PATTERN CONFIG-LINES...
	desc=$1 want=$2 pat=$3
	shift 3
	n=$((n + 1))
	printf '%s\n' "$@" >"$T/c$n.conf"
	"$aiotd" -t -c "$T/c$n.conf" >"$T/out" 2>&1
	st=$?
	if [ "$st" = "$want" ] && grep -q -- "$pat" "$T/out"; then
		echo "ok $n - aiotd -t: $desc"
	else
		fails=$((fails + 1))
		echo "not ok $n - aiotd -t: $desc (exit $st, want $want)"
		sed 's/^/# /' "$T/out"
	fi
}
mkdir "$T/state" "$T/ro"
chmod 500 "$T/ro"
: >"$T/keys"
case_t "a good configuration" 0 ": ok$" "listen 127.0.0.1" \
	"state_file $T/state/aiotd.state"
case_t "listen localhost: not an IP literal" 2 "listen localhost: not an IP address" \
	"listen localhost" "state_file none"
case_t "listen = 0.0.0.0 (a stray '=')" 2 "not an IP address" \
	"listen = 0.0.0.0" "state_file none"
case_t "a reader that does not exist" 2 "reader aiotnosuch0: no such interface" \
	"listen ::1" "state_file none" "reader aiotnosuch0"
case_t "areas on existing readers (lo), one with a NID" 0 ": ok$" \
	"listen ::1" "state_file none" "area 001-01/0a0b0c lo" \
	"area 001-001:0123456789a/0A0B0C lo"
case_t "an area whose reader does not exist" 2 \
	"area 001-01/0a0b0c: reader aiotnosuch1: no such interface" \
	"listen ::1" "state_file none" "area 001-01/0a0b0c lo aiotnosuch1"
case_t "an area defined twice (case of the code ignored)" 2 \
	":3: area: area 001-01/0a0b0c: already defined on line 2" \
	"listen ::1" "area 001-01/0a0b0c lo" "area 001-01/0A0B0C lo"
case_t "an area code of 2 octets" 2 "CODE '0a0b': 6 hex digits" \
	"listen ::1" "area 001-01/0a0b lo"
case_t "an area without a reader" 2 "area 001-01/0a0b0c: no reader" \
	"listen ::1" "area 001-01/0a0b0c"
case_t "TLS files that do not load" 2 "tls_cert $T/none.pem: cannot load" \
	"listen ::1" "state_file none" "tls_cert $T/none.pem" "tls_key $T/none.key"
case_t "keystore: gone, the device table is aiotsec.service's" 2 \
	"c[0-9]*.conf:3: keystore: aiotd loads no keys: .*/etc/aiotsec/aiotsec.conf" \
	"listen ::1" "state_file none" "keystore $T/keys"
case_t "metrics_listen localhost:9089: not an IP literal" 2 "metrics_listen 'localhost:9089': localhost is not an IPv4" \
	"listen ::1" "state_file none" "metrics_listen localhost:9089"
case_t "metrics_listen ::1:9089: IPv6 without brackets" 2 "metrics_listen '::1:9089'" \
	"listen ::1" "state_file none" "metrics_listen ::1:9089"
case_t "metrics_listen 127.0.0.1 (no port)" 2 "want ADDRESS:PORT" \
	"listen ::1" "state_file none" "metrics_listen 127.0.0.1"
case_t "metrics_listen 127.0.0.1:65536" 2 "port 0 to 65535" \
	"listen ::1" "state_file none" "metrics_listen 127.0.0.1:65536"
case_t "metrics_listen [::1]:9089" 0 ": ok$" \
	"listen ::1" "state_file none" "metrics_listen [::1]:9089"
case_t "metrics_listen none" 0 ": ok$" \
	"listen ::1" "state_file none" "metrics_listen none"
if [ "$(id -u)" != 0 ]; then
	case_t "a state directory it cannot write" 2 "its directory $T/ro" \
		"listen ::1" "state_file $T/ro/aiotd.state"
fi
n=$((n + 1))
if "$aiotd" -t -c "$T/missing.conf" >"$T/out" 2>&1; then
	fails=$((fails + 1))
	echo "not ok $n - aiotd -t: a configuration file that is not there"
else
	echo "ok $n - aiotd -t: a configuration file that is not there"
fi
echo "1..$n"
[ "$fails" = 0 ]
