#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# manpage.sh PAGE AIOTSIM: aiotsim.1 renders without a groff warning or a
# stray quote, and documents every option and fault mode that aiotsim's
# own usage names. TAP on stdout.
set -u
page=${1:?usage: manpage.sh PAGE AIOTSIM}
sim=${2:?usage: manpage.sh PAGE AIOTSIM}
if ! command -v man >/dev/null 2>&1; then
	echo "ok 1 - aiotsim.1 renders # SKIP no man(1) here"
	exit 0
fi
i=1
warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
if [ -z "$warn" ]; then echo "ok $i - aiotsim.1 renders without warnings"
else echo "not ok $i - aiotsim.1 renders without warnings"; printf '%s\n' "$warn" | sed 's/^/# /'; fi
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$page" 2>/dev/null)
i=$((i + 1))
odd=$(printf '%s\n' "$text" | awk '{ n = gsub(/"/, "\""); if (n % 2) print }')
if [ -z "$odd" ]; then echo "ok $i - aiotsim.1: no stray quote"
else echo "not ok $i - aiotsim.1: no stray quote"; fi
usage=$("$sim" --help 2>&1)
words=$(printf '%s\n' "$usage" | grep -o -- '--[a-z-]*' | sort -u)
modes=$(printf '%s\n' "$usage" | sed -n 's/^fault modes: //p' | tr -d ',')
[ -n "$modes" ] || { echo "not ok $((i + 1)) - aiotsim --help lists fault modes"; exit 0; }
for w in $words $modes; do
	i=$((i + 1))
	if printf '%s\n' "$text" | grep -q -- "$w"; then echo "ok $i - aiotsim.1 documents $w"
	else echo "not ok $i - aiotsim.1 documents $w"; fi
done
echo "1..$i"
