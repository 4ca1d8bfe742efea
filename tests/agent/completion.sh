#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# completion.sh AIOTCTL COMPLETION: the bash completion offers what the
# command table (aiotctl --help, made from cmds.c) has: every object at
# the top, every command of an object after it, every keyword of a
# command's synopsis after its arguments. TAP on stdout.
set -u
A=${1:?usage: completion.sh AIOTCTL COMPLETION}
C=${2:?usage: completion.sh AIOTCTL COMPLETION}
n=0
fails=0

# The bash-completion helpers the script calls, reduced to what it needs.
_init_completion() {
	words=("${W[@]}")
	cword=$CW
	cur=${W[CW]}
	prev=${W[CW - 1]}
}
_filedir() { :; }
_available_interfaces() { :; }
complete() { :; }
# shellcheck source=/dev/null
. "$C"

# complete_at WORD...: what completing the last (empty) word offers
complete_at() {
	W=("$@")
	CW=$(($# - 1))
	COMPREPLY=()
	_aiotctl
	printf '%s\n' "${COMPREPLY[@]}"
}

check() {	# check DESCRIPTION WANTED-WORD OFFERED...
	local desc=$1 want=$2
	shift 2
	n=$((n + 1))
	if printf '%s\n' "$@" | grep -qx -- "$want"; then
		echo "ok $n - completion: $desc"
	else
		fails=$((fails + 1))
		echo "not ok $n - completion: $desc (offered: $*)"
	fi
}

# The synopses: the table's lines (two spaces, a word), up to the first
# blank line, each cut where its description starts (two spaces).
usage=$("$A" --help | awk 'NR > 3 && /^$/ { exit } NR > 3' |
	sed -n 's/^  \([a-z][^ ]*\)/\1/p' | sed 's/  .*//')
objects=$(printf '%s\n' "$usage" | awk '{ print $1 }' | sort -u)
top=$(complete_at aiotctl "")
for o in $objects; do
	# shellcheck disable=SC2086
	check "object $o at the top" "$o" $top
done
while read -r o c rest; do
	# a command word, or (objects without one) the first argument
	case $c in
	[a-z]*) ;;
	*) rest="$c $rest"; c= ;;
	esac
	if [ -n "$c" ] && [ "$(printf '%s\n' "$usage" | awk -v o="$o" '$1 == o' | wc -l)" -gt 1 ]; then
		# shellcheck disable=SC2046
		check "$o: command $c" "$c" $(complete_at aiotctl "$o" "")
	else
		rest="$c $rest"
		c=
	fi
	for k in $(printf '%s\n' "$rest" | tr '[]|' '   ' | tr ' ' '\n' | grep -x '[a-z][a-z-]*'); do
		# shellcheck disable=SC2046
		check "$o${c:+ $c}: keyword $k" "$k" \
			$(complete_at aiotctl "$o" ${c:+"$c"} x x x "")
	done
done <<<"$usage"
echo "1..$n"
[ -n "$usage" ] && [ "$fails" = 0 ]
