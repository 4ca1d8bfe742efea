#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# metrics.sh AIOTD VERSION_FILE: aiotd started on loopback (ports 0), as a
# scraper sees it: /metrics over plain HTTP/1.1 on metrics_listen passes
# Debian's `promtool check metrics`, carries aiotd_build_info with the
# version of VERSION_FILE and aiotd_module_up as /sys/module says; the API's
# HTTP/2 port has no /metrics (404 pointing at metrics_listen); Debian's
# Prometheus scrapes it (target up, the build_info series stored); with
# metrics_listen none there is no such listener. TAP on stdout.
set -u
aiotd=${1:?usage: metrics.sh AIOTD VERSION_FILE}
version=$(cat "${2:?usage: metrics.sh AIOTD VERSION_FILE}")
T=$(mktemp -d)
PID=
trap '[ -z "$PID" ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
i=0
ok() {	# STATUS DESC
	i=$((i + 1))
	if [ "$1" = 0 ]; then echo "ok $i - $2"; else echo "not ok $i - $2"; fi
}
start() {	# CONF: aiotd in the background, until it listens
	"$aiotd" -c "$1" 2>"$T/log" &
	PID=$!
	n=0
	while ! grep -q 'listening on' "$T/log" && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	# the metrics listener's line comes after
	sleep 0.2
}
stop() {
	kill $PID 2>/dev/null
	wait $PID 2>/dev/null
	PID=
}

printf 'listen 127.0.0.1\nport 0\nmetrics_listen 127.0.0.1:0\nstate_file none\n' >"$T/a.conf"
start "$T/a.conf"
mport=$(sed -n 's/.*metrics on 127\.0\.0\.1 port \([0-9]*\) .*/\1/p' "$T/log")
aport=$(sed -n 's/.*listening on 127\.0\.0\.1 port \([0-9]*\) .*/\1/p' "$T/log")
[ -n "$mport" ] && [ -n "$aport" ]
ok $? "aiotd says where: the API on port $aport, metrics on port $mport"
[ -n "$mport" ] || sed 's/^/# /' "$T/log"
code=$(curl -s --http1.1 -o "$T/m" -D "$T/h" -w '%{http_code} %{http_version}' \
	"http://127.0.0.1:$mport/metrics")
[ "$code" = "200 1.1" ] && grep -qi '^content-type: text/plain; version=0.0.4' "$T/h"
ok $? "GET /metrics over plain HTTP/1.1: 200, text format 0.0.4 ($code)"
out=$(promtool check metrics <"$T/m" 2>&1)
st=$?
ok $st "promtool check metrics: the whole of aiotd's metrics"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# promtool: /'
[ $st != 127 ] || echo "# no promtool: scripts/setup.sh installs Debian's prometheus"
grep -qx "aiotd_build_info{version=\"$version\"} 1" "$T/m"
ok $? "aiotd_build_info{version=\"$version\"} 1"
if [ -d /sys/module/aiotsec ]; then up=1; else up=0; fi
grep -qx "aiotd_module_up $up" "$T/m"
ok $? "aiotd_module_up $up (/sys/module/aiotsec $([ $up = 1 ] || echo 'not ')there)"
if [ $up = 0 ]; then
	! grep -q '^aiotsec_' "$T/m"
	ok $? "module down: no aiotsec_* series (the gauge says why)"
fi
# one metric per meaning: no 'counter' label, every counter named _total
! grep -q 'counter="' "$T/m" &&
	awk '$1 == "#" && $2 == "TYPE" && $4 == "counter" && $3 !~ /_total$/ { bad = 1; print "# " $3 } END { exit bad }' "$T/m"
ok $? "no 'counter' label; every counter's name ends in _total"
code=$(curl -s --http2-prior-knowledge -o "$T/b" -w '%{http_code}' "http://127.0.0.1:$aport/metrics")
[ "$code" = 404 ] && grep -q 'metrics_listen' "$T/b"
ok $? "the API's HTTP/2 port: /metrics is 404, naming metrics_listen ($code)"
code=$(curl -s --http1.1 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$mport/metrics")
[ "$code" = 405 ]
ok $? "POST on metrics_listen: 405 ($code)"
# Debian's Prometheus itself scrapes it: the target is up, the series are in
# its database (a second or two; its web port is a free-looking high one)
if command -v prometheus >/dev/null 2>&1; then
	wport=$((20000 + $$ % 20000))
	printf 'global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: aiotd\n    static_configs: [ { targets: ["127.0.0.1:%s"] } ]\n' \
		"$mport" >"$T/prom.yml"
	prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/tsdb" \
		--web.listen-address="127.0.0.1:$wport" >"$T/prom.log" 2>&1 &
	PROM=$!
	n=0
	while [ $n -lt 150 ]; do
		curl -s "http://127.0.0.1:$wport/api/v1/query?query=aiotd_build_info" >"$T/q" 2>/dev/null &&
			grep -q "\"version\":\"$version\"" "$T/q" && break
		sleep 0.1
		n=$((n + 1))
	done
	curl -s "http://127.0.0.1:$wport/api/v1/targets" >"$T/targets" 2>/dev/null
	kill $PROM 2>/dev/null
	wait $PROM 2>/dev/null
	grep -q '"health":"up"' "$T/targets" && grep -q "\"version\":\"$version\"" "$T/q"
	ok $? "Prometheus (Debian's) scrapes it: target up, aiotd_build_info{version=\"$version\"} stored"
	grep -q '"health":"up"' "$T/targets" || { sed 's/^/# /' "$T/targets"; tail -n 5 "$T/prom.log" | sed 's/^/# /'; }
else
	ok 1 "Prometheus scrapes it: no prometheus (scripts/setup.sh installs Debian's)"
fi
stop

printf 'listen 127.0.0.1\nport 0\nmetrics_listen none\nstate_file none\n' >"$T/b.conf"
start "$T/b.conf"
! grep -q 'metrics on' "$T/log" && grep -q 'listening on' "$T/log"
ok $? "metrics_listen none: no metrics listener"
stop
echo "1..$i"
