#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# manpage.sh PAGE: the man page renders without a groff warning, and
# documents every command and the exit codes. TAP on stdout.
set -u
page=${1:?usage: manpage.sh PAGE}
if ! command -v man >/dev/null 2>&1; then
	echo "ok 1 - $page renders # SKIP no man(1) here"
	exit 0
fi
warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
if [ -z "$warn" ]; then
	echo "ok 1 - aiotctl.8 renders without warnings"
else
	echo "not ok 1 - aiotctl.8 renders without warnings"
	printf '%s\n' "$warn" | sed 's/^/# /'
fi
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$page" 2>/dev/null)
i=1
for want in "reader add" "device add" "device replace" "device del" \
	"device show" "device flush" "load FILE" "sync FILE" "auth ID" \
	"command ID" "monitor" "stats" "config set" "POLICY SYNTAX" \
	"KEY-STORE FORMAT" "EXIT STATUS" "Verification failure" "EXAMPLES" \
	"DROP REASONS" "unknown_ct" "SECURITY" "FILES" "/var/lib/dkms/mok.pub"; do
	i=$((i + 1))
	if printf '%s' "$text" | grep -q -- "$want"; then
		echo "ok $i - aiotctl.8 documents '$want'"
	else
		echo "not ok $i - aiotctl.8 documents '$want'"
	fi
done
# What the code does, not what it once did: reads need CAP_NET_ADMIN
# (netlink.c: every op GENL_UNS_ADMIN_PERM), and a loose key file is
# refused (cmd_device.c/keystore.c), not merely warned about.
flat=$(printf '%s' "$text" | tr -s ' \n' '  ')
says() {	# says yes|no PHRASE: the page says PHRASE, or must not
	i=$((i + 1))
	if printf '%s' "$flat" | grep -qF -- "$2"; then found=yes; else found=no; fi
	if [ "$found" = "$1" ]; then
		echo "ok $i - aiotctl.8 says '$2': $1"
	else
		echo "not ok $i - aiotctl.8 says '$2': $1"
	fi
}
says no "do not."
says no "draws a warning."
says no "need CAP_NET_ADMIN in the namespace; the"
says yes "Every command needs CAP_NET_ADMIN"
says yes "is refused (see --insecure-keys)"
# A quote that groff printed rather than took (an argument opened
# unquoted): a rendered line with an odd number of '"'.
i=$((i + 1))
odd=$(printf '%s\n' "$text" | awk '{ n = gsub(/"/, "\""); if (n % 2) print }')
if [ -z "$odd" ]; then
	echo "ok $i - aiotctl.8: no stray quote"
else
	echo "not ok $i - aiotctl.8: no stray quote"
	printf '%s\n' "$odd" | sed 's/^/# /'
fi
echo "1..$i"
