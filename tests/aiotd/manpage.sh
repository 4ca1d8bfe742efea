#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# manpage.sh PAGE CONF_C AIOTD_C: aiotd.8 renders without a groff warning,
# documents every option of aiotd.c's getopt() string, and every key of
# conf.c's table with its range and its default as conf.c defines them
# (set_defaults()). TAP on stdout.
set -u
page=${1:?usage: manpage.sh PAGE CONF_C AIOTD_C}
conf=${2:?usage: manpage.sh PAGE CONF_C AIOTD_C}
main=${3:?usage: manpage.sh PAGE CONF_C AIOTD_C}
if ! command -v man >/dev/null 2>&1; then
	echo "ok 1 - aiotd.8 renders # SKIP no man(1) here"
	echo "1..1"
	exit 0
fi
i=0
ok() {	# COND-STATUS DESC
	i=$((i + 1))
	if [ "$1" = 0 ]; then echo "ok $i - $2"; else echo "not ok $i - $2"; fi
}
warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
[ -z "$warn" ]
ok $? "aiotd.8 renders without warnings"
[ -z "$warn" ] || printf '%s\n' "$warn" | sed 's/^/# /'
text=$(LC_ALL=C.UTF-8 MANWIDTH=1000 man -l "$page" 2>/dev/null)

for want in SYNOPSIS OPTIONS CONFIGURATION SIGNALS SIGHUP SIGTERM \
	"EXIT STATUS" FILES /etc/aiotsec/aiotd.conf Type=notify \
	/naiotf-aiot/v1/request-inv /naiotf-aiot/v1/request-cmd AIoTNotif \
	/metrics "aiotctl(8)" "aiotsec.conf(5)"; do
	printf '%s' "$text" | grep -qF -- "$want"
	ok $? "aiotd.8 documents '$want'"
done

# The options: the letters of getopt()'s string in main().
opts=$(sed -n 's/.*getopt\(_long\)\{0,1\}(argc, argv, "\([^"]*\)".*/\2/p' "$main" | tr -d :)
[ -n "$opts" ]
ok $? "aiotd.c has a getopt() string ('$opts')"
synopsis=$(printf '%s\n' "$text" | sed -n '/^SYNOPSIS/,/^[A-Z]/p')
options=$(printf '%s\n' "$text" | sed -n '/^OPTIONS/,/^[A-Z]/p')
for o in $(printf '%s' "$opts" | sed 's/./& /g'); do
	printf '%s' "$synopsis" | grep -q -- "-$o" &&
		printf '%s' "$options" | grep -Eq -- "^ {7}-$o( |\$)"
	ok $? "aiotd.8: option -$o in SYNOPSIS and OPTIONS"
done
# and no option the code does not take
for o in $(printf '%s\n' "$options" | sed -n 's/^       -\([a-zA-Z]\).*/\1/p'); do
	case $opts in *"$o"*) r=0 ;; *) r=1 ;; esac
	ok $r "aiotd.8: option -$o is one of getopt()'s ('$opts')"
done

# CONFIGURATION: each key's paragraph, as "KEY<TAB>TEXT" lines. A tag
# is at 7 blanks; its text follows on the same line or at 14 blanks.
paras=$(printf '%s\n' "$text" | sed -n '/^CONFIGURATION/,/^[A-Z]/p' | awk '
	/^       [a-z_]+( |$)/ {
		if (k != "") print k "\t" t
		sub(/^ +/, ""); k = $1; sub(/^[a-z_]+ */, ""); t = $0; next }
	/^              / && k != "" { sub(/^ +/, ""); t = t " " $0; next }
	END { if (k != "") print k "\t" t }')
para() { printf '%s\n' "$paras" | awk -F '\t' -v k="$1" '$1 == k { print $2 }'; }

# conf.c's table: S("name", field) U/Z("name", field, lo, hi)
sed -n 's/^[[:space:]]*\([SUZ]\)("\([a-z_]*\)", *\([a-z_]*\)\(.*\)),$/\1 \2 \3 \4/p' "$conf" >"${TMPDIR:-/tmp}/aiotd-keys.$$"
nkeys=$(wc -l <"${TMPDIR:-/tmp}/aiotd-keys.$$")
[ "$nkeys" -gt 10 ]
ok $? "conf.c's key table read ($nkeys keys)"
while read -r kind name field rest; do
	p=$(para "$name")
	[ -n "$p" ]
	ok $? "aiotd.8 CONFIGURATION: $name"
	# the default: c->FIELD = VALUE; in set_defaults() (strings: "...")
	def=$(sed -n "/^static int set_defaults/,/^}/s/^[[:space:]]*c->$field = \(.*\);\$/\1/p" "$conf")
	case $def in
	'') want=none ;;			# not set: NULL, or 0 (none)
	strdup\(\"\"\)) want=empty ;;
	strdup\(*) want=$(printf '%s' "$def" | sed 's/strdup("\(.*\)")/\1/') ;;
	*) want=$(($def)) ;;
	esac
	case $kind in
	S) ;;
	*)
		lo=$(printf '%s' "$rest" | sed 's/^, *\([^,]*\), *\(.*\)$/\1/')
		hi=$(printf '%s' "$rest" | sed 's/^, *\([^,]*\), *\(.*\)$/\2/')
		lo=$(($lo)) hi=$(($hi))
		printf '%s' "$p" | grep -qF -- "$lo to $hi"
		ok $? "aiotd.8: $name: range $lo to $hi"
		;;
	esac
	printf '%s' "$p" | grep -Eq -- "\(default:? $want([ ;),]|\$)"
	ok $? "aiotd.8: $name: default $want"
done <"${TMPDIR:-/tmp}/aiotd-keys.$$"
rm -f "${TMPDIR:-/tmp}/aiotd-keys.$$"
# and no key conf.c does not know
for k in $(printf '%s\n' "$paras" | cut -f 1); do
	grep -q "^[[:space:]]*[SUZ](\"$k\"," "$conf"
	ok $? "aiotd.8: key $k is in conf.c's table"
done

# A quote that groff printed rather than took: an odd number of '"'.
odd=$(printf '%s\n' "$text" | awk '{ n = gsub(/"/, "\""); if (n % 2) print }')
[ -z "$odd" ]
ok $? "aiotd.8: no stray quote"
[ -z "$odd" ] || printf '%s\n' "$odd" | sed 's/^/# /'
echo "1..$i"
