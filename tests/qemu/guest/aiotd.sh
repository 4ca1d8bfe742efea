#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Guest side of the aiotd stage (scripts/stages/77-aiotd.sh): aiotd on
# aiotsec.ko, driven by curl over HTTP/2 (h2c prior knowledge, and TLS),
# with aiotsim's devices behind veth1 and afrecv as the AF's notification
# receiver; /metrics over HTTP/1.1, checked by Debian's promtool (the stage
# adds it as /aiotsec/promtool). TAP on stdout. Test data (key stores, bodies, certificates) in
# /aiotsec/d, made by the stage: devices 0-999 answer, 1000 is silent,
# 1001 has the wrong key, 1002 is known to aiotsim only (until the key
# store's reload). The devices are loaded as aiotsec.service loads them
# (aiotctl sync): aiotd never adds or deletes one.
M=/aiotsec
D=$M/d
T=/tmp/aiotd-test
CURL=$M/curl
API=http://127.0.0.1:8089/naiotf-aiot/v1
N=$T/notifs
rm -rf $T && mkdir -p $T
# shellcheck source-path=SCRIPTDIR source=../../lib/tap.sh
. $M/tap.sh

ok_if() {	# ok_if DESC CONDITION-STATUS
	tap_check "$1" "$2" && return 0
	[ -f $T/last ] && head -c 1500 $T/last | tap_diag
	echo
	echo "# aiotd log, last lines:"
	tail -n 6 $T/aiotd.log 2>/dev/null | tap_diag
}
t() {		# t DESC CMD...: CMD must succeed
	desc=$1
	shift
	"$@" >$T/last 2>&1
	ok_if "$desc" $?
}

# post ENDPOINT BODYFILE [CURL ARGS]: the status on stdout, the body in $T/body
post() {
	ep=$1 body=$2
	shift 2
	$CURL -s --http2-prior-knowledge -o $T/body -D $T/hdrs -w '%{http_code}' \
		-H 'content-type: application/json' --data-binary @"$body" "$@" "$API/$ep"
}
tid_of() {
	sed -n 's/.*"transId":"\([0-9a-f]*\)".*/\1/p' $T/body
}
# wait_last TID [FILE] [SECONDS]: until the notification with lastRepInd came
wait_last() {
	i=0
	while [ $i -lt $((${3:-20} * 10)) ]; do
		grep "\"transId\":\"$1\"" "${2:-$N}" 2>/dev/null | grep -q '"lastRepInd":true' &&
			{ grep "\"transId\":\"$1\"" "${2:-$N}" >$T/n.$1; cp $T/n.$1 $T/last; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	grep "\"transId\":\"$1\"" "${2:-$N}" >$T/last 2>/dev/null
	return 1
}
# metrics: plain HTTP/1.1 on their own listener (metrics_listen, default
# 127.0.0.1:9089), as Prometheus scrapes them
METRICS=http://127.0.0.1:9089/metrics
metric() {	# metric NAME{LABELS}: its value
	$CURL -s --http1.1 $METRICS |
		awk -v k="$1" '$1 == k { print $2 }'
}
# inv BODY DESC [WAIT]: POST request-inv, expect 200, wait for its last report
TID=
inv() {
	code=$(post "${4:-request-inv}" $D/$1)
	TID=$(tid_of)
	cp $T/body $T/last
	ok_if "$2: 200 with a transId" $([ "$code" = 200 ] && [ -n "$TID" ]; echo $?)
	wait_last "$TID" "$N" "${3:-20}"
	ok_if "$2: lastRepInd came" $?
}
has() {		# has PATTERN: in the notifications of $TID
	grep -q -- "$1" $T/n.$TID
}
# refused DESC STATUS PATTERN ENDPOINT BODYFILE [CURL ARGS]: one check, the
# POST answered STATUS with PATTERN (none if empty) in its body
refused() {
	desc=$1 want=$2 pat=$3
	shift 3
	code=$(post "$@"); cp $T/body $T/last
	ok_if "$desc" $([ "$code" = "$want" ] && { [ -z "$pat" ] || grep -q -- "$pat" $T/body; }; echo $?)
}

start_afrecv() {	# afrecv on 9000
	$M/afrecv --port 9000 --out $N --ready $T/afrecv.ready &
	AFPID=$!
	i=0
	while [ ! -s $T/afrecv.ready ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	rm -f $T/afrecv.ready
}
start_aiotd() {	# start_aiotd CONFIG LOG
	$M/aiotd -c "$1" 2>>"$2" &
	AIOTD=$!
	i=0
	while ! grep -q 'listening on' "$2" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

echo "TAP version 13"
# the plan: each 't "'/'ok_if "' line (not a helper's "$...") is one check,
# each 'inv FILE' line two
echo "1..$(awk '/^[ \t]*(t|ok_if|aok_if|refused) "[^$]/ { n++ } /^inv [a-z]/ { n += 2 } END { print n }' "$0")"

# ---- setup ------------------------------------------------------------------
# aiotd starts before the module is loaded (as at boot, before modprobe)
ip link add veth0 type veth peer name veth1 && ip link set veth0 up && ip link set veth1 up
umask 077
cp $D/aiotd.keys $T/keys
ids() { grep -v '^#' $D/sim.keys | sed -n "$(($1 + 1))p" | awk '{ print $1 }'; }
$M/aiotsim -i veth1 -k $D/sim.keys --fault "silent:$(ids 1000)" \
	--fault "wrong-key:$(ids 1001)" --ready $T/sim.ready --threads 2 \
	--stats $T/sim.stats >$T/sim.out 2>&1 &
SIM=$!
i=0
while [ ! -e $T/sim.ready ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
cat >$T/aiotd.conf <<CONF
# aiotd for the e2e test
listen 127.0.0.1
port 8089
state_file $T/aiotd.state
max_body 65536
max_inflight 64
report_batch 100
report_delay_ms 20
callback_retries 20
callback_backoff_ms 100
callback_backoff_max_ms 800
callback_timeout_ms 2000
CONF
start_afrecv
t "aiotd -t accepts the config" $M/aiotd -t -c $T/aiotd.conf
start_aiotd $T/aiotd.conf $T/aiotd.log
cp $T/aiotd.log $T/last
ok_if "aiotd: up before the module, says so" \
	$(grep -q 'module: not loaded yet' $T/aiotd.log && grep -q 'listening on 127.0.0.1 port 8089' $T/aiotd.log; echo $?)
code=$(post request-inv $D/inv1.json)
cp $T/body $T/last
ok_if "no module: 503 SYSTEM_FAILURE with Retry-After" \
	$([ "$code" = 503 ] && grep -q SYSTEM_FAILURE $T/body && grep -qi '^retry-after:' $T/hdrs; echo $?)
ok_if "no module: aiotd_module_up 0, no aiotsec_* series" \
	$([ "$(metric aiotd_module_up)" = 0 ] && ! $CURL -s --http1.1 $METRICS | grep -q '^aiotsec_'; echo $?)
grep -c 'module: not loaded yet' $T/aiotd.log >$T/absent
insmod $M/aiotsec.ko || { echo "Bail out! insmod"; exit 1; }
$M/aiotctl reader add veth0 || { echo "Bail out! reader add"; exit 1; }
# the devices, as aiotsec.service loads them (aiotsec-apply up: aiotctl
# sync of aiotsec.conf's key store): aiotd never adds or deletes one
$M/aiotctl sync $T/keys >/dev/null || { echo "Bail out! aiotctl sync"; exit 1; }
ndev() { $M/aiotctl device show | grep -Ec '^[0-9a-f]{32} '; }
ndev >$T/ndev0
# aiotd looks for the module once a second by itself, and said it was
# absent once, not once per request or attempt
i=0
while ! grep -q 'module: connected' $T/aiotd.log && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cp $T/aiotd.log $T/last
ok_if "module loaded after aiotd: found within 5 s with no request, its absence logged once" \
	$(grep -q 'module: connected' $T/aiotd.log && [ "$(cat $T/absent)" = 1 ] &&
	  [ "$(grep -c 'module: not loaded yet' $T/aiotd.log)" = 1 ]; echo $?)

# ---- inventory ----------------------------------------------------------------
# the first request after the module came
inv inv1.json "inventory of 1 device"
cp $T/aiotd.log $T/last
ok_if "module loaded after aiotd: connected; it changed no device (no sync of its own)" \
	$(grep -q 'module: connected' $T/aiotd.log && ! grep -qi 'sync' $T/aiotd.log &&
	  [ "$(ndev)" = "$(cat $T/ndev0)" ] && [ "$(cat $T/ndev0)" = 1002 ]; echo $?)

t0=$(cut -d' ' -f1 /proc/uptime)
inv inv1000.json "inventory of 1000 devices" 180
t1=$(cut -d' ' -f1 /proc/uptime)
echo "# inventory of 1000: $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f s", b - a }')"
nd=$(grep -o '"deviceId"' $T/n.$TID | wc -l)
nn=$(wc -l <$T/n.$TID)
echo "# 1000 devices: $nd reports in $nn notifications, window now $(metric aiotd_window_transactions)"
ok_if "inventory of 1000: 1000 reports, none failed, batched (<= 100 per notification)" \
	$([ "$nd" = 1000 ] && ! has failCause && [ "$nn" -ge 10 ] && [ "$nn" -lt 1000 ] &&
	  [ "$(grep -c lastRepInd $T/n.$TID)" = 1 ] && tail -n 1 $T/n.$TID | grep -q lastRepInd; echo $?)
sort -u $T/n.$TID | grep -o '"deviceId":"[^"]*"' | sort -u | wc -l >$T/last
ok_if "inventory of 1000: every device once" $([ "$(cat $T/last)" = 1000 ]; echo $?)
cp $T/aiotd.log $T/last
ok_if "inventory of 1000: sent in batches (AIOTSEC_A_DEV_IDS)" \
	$(grep -q 'module: batch API' $T/aiotd.log && ! grep -q 'no batch API' $T/aiotd.log; echo $?)
metric aiotd_results_unmatched_total >$T/last
ok_if "inventory of 1000: each result seen once (unicast only, no events group)" \
	$([ "$(cat $T/last)" = 0 ]; echo $?)

# ---- commands -----------------------------------------------------------------
inv write.json "WRITE 'hi' at 8" 20 request-cmd
ok_if "WRITE: reported without failCause" $(! has failCause && has '"deviceId"'; echo $?)
inv read.json "READ 2 bytes at 8" 20 request-cmd
ok_if "READ: readCmdRep is the bytes written (aGk=)" $(has '"readCmdRep":"aGk="' && ! has failCause; echo $?)
inv read_range.json "READ outside the device's memory" 20 request-cmd
ok_if "READ out of range: COMMAND_TYPE_SPECIFIC_PARAMETERS_INVALID, then NO_SUCC_INV_RESP" \
	$(has '"failCause":"COMMAND_TYPE_SPECIFIC_PARAMETERS_INVALID"' &&
	  has '"lastRepInd":true,"failCause":"NO_SUCC_INV_RESP"'; echo $?)
inv disable.json "PERMANENT_DISABLE" 20 request-cmd
ok_if "PERMANENT_DISABLE: acknowledged" $(! has failCause; echo $?)
# aiotsim's counters (SIGUSR1 writes --stats): each of the 4 COMMANDs acted
# on once, none sent again (a copy with the same NN would be cmd_replayed)
rm -f $T/sim.stats
kill -USR1 $SIM
i=0
while [ ! -s $T/sim.stats ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cp $T/sim.stats $T/last 2>/dev/null
simstat() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" $T/sim.stats 2>/dev/null; }
ok_if "aiotsim: 4 COMMANDs answered, none replayed" \
	$([ "$(simstat cmd_answers)" = 4 ] && [ "$(simstat cmd_replayed)" = 0 ]; echo $?)
inv inv_disabled.json "inventory of the disabled device"
ok_if "disabled device: no answer: ERROR_UNSPECIFIED, NO_SUCC_INV_RESP" \
	$(has '"failCause":"ERROR_UNSPECIFIED"' && has '"failCause":"NO_SUCC_INV_RESP"'; echo $?)

# ---- failure causes -----------------------------------------------------------
inv inv_unknown.json "unknown device"
ok_if "unknown device: per-device ERROR_UNSPECIFIED, counted as unknown_device" \
	$(has '"failCause":"ERROR_UNSPECIFIED"' &&
	  [ "$(metric 'aiotd_device_results_total{op="inventory",result="unknown_device"}')" = 1 ]; echo $?)
inv inv_silent.json "silent device (timeInterval 1)"
ok_if "silent device: ERROR_UNSPECIFIED, NO_SUCC_INV_RESP, counted as timeout" \
	$(has '"failCause":"ERROR_UNSPECIFIED"' && has '"failCause":"NO_SUCC_INV_RESP"' &&
	  [ "$(metric 'aiotd_device_results_total{op="inventory",result="timeout"}')" -ge 1 ]; echo $?)
inv inv_wrongkey.json "device with the wrong key"
ok_if "wrong key: AUTH_FAILURE, counted as verify_failed" \
	$(has '"failCause":"AUTH_FAILURE"' &&
	  [ "$(metric 'aiotd_device_results_total{op="inventory",result="verify_failed"}')" = 1 ]; echo $?)

# ---- bad input ------------------------------------------------------------------
printf '{"afId":' >$T/trunc.json
code=$(post request-inv $T/trunc.json); cp $T/body $T/last
ok_if "malformed JSON: 400 ProblemDetails" \
	$([ "$code" = 400 ] && grep -q '"status":400' $T/body && grep -q '"title"' $T/body &&
	  grep -qi 'content-type: application/problem+json' $T/hdrs; echo $?)
printf '{"notifUri":"http://127.0.0.1:9000/n","targetDevices":{"devices":["AQ=="]}}' >$T/noaf.json
refused "afId missing: 400, invalidParams names /afId" 400 '"param":"/afId"' \
	request-inv $T/noaf.json
printf '{"afId":"a","notifUri":"http://127.0.0.1:9000/n","targetArea":{"areaIds":["z"]}}' >$T/area.json
refused "targetArea with a bad AiotAreaId: 400 naming /targetArea/areaIds/0" 400 \
	'"param":"/targetArea/areaIds/0"' request-inv $T/area.json
printf '{"afId":"a","notifUri":"http://127.0.0.1:9000/n","targetDevices":{"filteringInfo":"AQ=="}}' >$T/filt.json
refused "filteringInfo 01 (no device's group): 403 INVENTORY_FILTER_TOO_NARROW naming it" 403 \
	'"cause":"INVENTORY_FILTER_TOO_NARROW".*"param":"/targetDevices/filteringInfo"' \
	request-inv $T/filt.json
printf '{"afId":"a","notifUri":"http://127.0.0.1:9000/n","targetDevices":{"devices":["AQ==","**"]}}' >$T/b64.json
refused "bad AiotDevPermId: 400 naming /targetDevices/devices/1" 400 \
	'"param":"/targetDevices/devices/1"' request-inv $T/b64.json
printf '{"afId":"a","commandType":"SELF_DESTRUCT","notifUri":"http://127.0.0.1:9000/n","targetDevices":{"devices":["AQ=="]}}' >$T/ct.json
refused "unknown commandType: 400 naming /commandType" 400 '"param":"/commandType"' \
	request-cmd $T/ct.json
refused "oversized body: 413" 413 '"status":413' request-inv $D/big.json
refused "wrong content type: 415" 415 '' request-inv $D/inv1.json -H 'content-type: text/plain'
code=$($CURL -s --http2-prior-knowledge -o $T/body -w '%{http_code}' $API/request-inv); cp $T/body $T/last
ok_if "GET request-inv: 405" $([ "$code" = 405 ]; echo $?)
code=$($CURL -s --http2-prior-knowledge -o $T/body -w '%{http_code}' -d '{}' $API/request-foo); cp $T/body $T/last
ok_if "unknown resource: 404 ProblemDetails" $([ "$code" = 404 ] && grep -q '"status":404' $T/body; echo $?)

# ---- the AF's endpoint down, then back ----------------------------------------
kill $AFPID; wait $AFPID 2>/dev/null
f0=$(metric 'aiotd_callback_attempts_total{result="fail"}')
code=$(post request-inv $D/inv_down.json); TID=$(tid_of)
sleep 1.5
f1=$(metric 'aiotd_callback_attempts_total{result="fail"}')
echo "# callbacks failed while the AF was down: $f0 -> $f1"
start_afrecv
wait_last "$TID" $N 20
ok_if "AF down for 1.5 s: failures counted, retried, delivered when it is back" \
	$([ "$code" = 200 ] && [ "$f1" -gt "$f0" ] && [ "$(metric aiotd_callback_retries_total)" -gt 0 ] &&
	  ! grep -q failCause $T/n.$TID; echo $?)

# ---- the key store changes: aiotsec.service's reload, under a running aiotd --------
inv inv_extra.json "device not yet in the key store"
ok_if "before the reload: the device is unknown" $(has '"failCause":"ERROR_UNSPECIFIED"'; echo $?)
cat $D/extra.keys >>$T/keys
# what `systemctl reload aiotsec` runs (aiotsec-apply reload: aiotctl sync)
$M/aiotctl sync $T/keys >$T/last 2>&1
inv inv_extra.json "after aiotctl sync (aiotsec.service's reload)"
ok_if "after the reload: the same device is inventoried, aiotd not restarted" \
	$(! has failCause && kill -0 $AIOTD; echo $?)
kill -HUP $AIOTD
sleep 0.3
cp $T/aiotd.log $T/last
ok_if "SIGHUP: logged, nothing reloaded, aiotd runs on, the table as it was" \
	$(grep -q 'SIGHUP: nothing to reload' $T/aiotd.log && kill -0 $AIOTD &&
	  [ "$(ndev)" = 1003 ]; echo $?)

# ---- metrics ----------------------------------------------------------------------
code=$($CURL -s --http1.1 -o $T/metrics -w '%{http_code} %{http_version}' $METRICS)
cp $T/metrics $T/last
ok_if "/metrics over plain HTTP/1.1 on metrics_listen: 200 ($code)" $([ "$code" = "200 1.1" ]; echo $?)
ok_if "/metrics: module up, its counters one metric per meaning, requests, callbacks, latency histogram" \
	$(grep -q '^aiotd_module_up 1$' $T/metrics &&
	  grep -q '^aiotd_build_info{version="[0-9][^"]*"} 1$' $T/metrics &&
	  grep -q '^aiotsec_authentications_total{result="ok"} [1-9]' $T/metrics &&
	  grep -q '^aiotsec_authentications_total{result="fail"} [1-9]' $T/metrics &&
	  grep -q '^aiotsec_commands_total{result="ok"} [1-9]' $T/metrics &&
	  grep -q '^aiotsec_rx_frames_total [1-9]' $T/metrics &&
	  grep -q '^# TYPE aiotsec_rx_frames_dropped_total counter' $T/metrics &&
	  ! grep -q 'counter="' $T/metrics &&
	  grep -q '^aiotd_requests_total{endpoint="request-inv",code="400"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_requests_total{endpoint="request-inv",code="413"} 1$' $T/metrics &&
	  grep -q '^aiotd_callback_attempts_total{result="ok"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_device_latency_seconds_count [1-9]' $T/metrics &&
	  grep -q '^# TYPE aiotd_device_latency_seconds histogram' $T/metrics; echo $?)
if [ -x $M/promtool ]; then
	$M/promtool check metrics <$T/metrics >$T/last 2>&1
else
	echo "no promtool: the stage adds Debian's (scripts/setup.sh installs prometheus)" >$T/last
	false
fi
ok_if "promtool check metrics: the whole text, the module's counters in it" $?
code=$($CURL -s --http2-prior-knowledge -o $T/body -w '%{http_code}' http://127.0.0.1:8089/metrics); cp $T/body $T/last
ok_if "no /metrics on the API's HTTP/2 port: 404 naming metrics_listen" \
	$([ "$code" = 404 ] && grep -q metrics_listen $T/body; echo $?)

# ---- restart: unfinished operations are reported --------------------------------
code=$(post request-inv $D/inv_restart.json); TID=$(tid_of)
sleep 0.3
kill -9 $AIOTD; wait $AIOTD 2>/dev/null
start_aiotd $T/aiotd.conf $T/aiotd.log
ok_if "aiotd restarted: the module's devices stay (1003), none added or deleted" \
	$([ "$(ndev)" = 1003 ]; echo $?)
wait_last "$TID" $N 20
ok_if "killed with an operation pending: on restart its AF gets lastRepInd with failCause AIOTF_RESTARTED" \
	$([ "$code" = 200 ] && has '"lastRepInd":true,"failCause":"AIOTF_RESTARTED"'; echo $?)

# ---- TLS, client certificates, overload ------------------------------------------
cat >$T/tls.conf <<CONF
port 8443
metrics_listen none
tls_cert $D/server.crt
tls_key $D/server.key
tls_client_ca $D/ca.crt
state_file none
max_inflight 2
max_queue 2
retry_after_s 3
callback_ca $D/ca.crt
CONF
$M/afrecv --port 9443 --out $T/notifs-tls --cert $D/server.crt --key $D/server.key &
AFTLS=$!
MAINPID=$AIOTD
start_aiotd $T/tls.conf $T/tls.log
TLSPID=$AIOTD
AIOTD=$MAINPID
TAPI=https://127.0.0.1:8443/naiotf-aiot/v1
code=$($CURL -s --http2 --cacert $D/ca.crt --cert $D/client.crt --key $D/client.key \
	-o $T/body -w '%{http_code} %{http_version}' -H 'content-type: application/json' \
	--data-binary @$D/inv_tls.json $TAPI/request-inv)
TID=$(tid_of); cp $T/body $T/last
ok_if "TLS with a client certificate: 200 over HTTP/2" $([ "$code" = "200 2" ] && [ -n "$TID" ]; echo $?)
wait_last "$TID" $T/notifs-tls 20
ok_if "TLS: the notification reached the https notifUri" $(! grep -q failCause $T/n.$TID; echo $?)
$CURL -s --http2 --cacert $D/ca.crt -o /dev/null -H 'content-type: application/json' \
	--data-binary @$D/inv_tls.json $TAPI/request-inv >$T/last 2>&1
ok_if "TLS without a client certificate: refused" $([ $? != 0 ]; echo $?)
code=$($CURL -s --http2 --cacert $D/ca.crt --cert $D/client.crt --key $D/client.key \
	-o $T/body -D $T/hdrs -w '%{http_code}' -H 'content-type: application/json' \
	--data-binary @$D/inv3.json $TAPI/request-inv); cp $T/hdrs $T/last
ok_if "more devices than max_queue: 503 with Retry-After" \
	$([ "$code" = 503 ] && grep -qi '^retry-after: 3' $T/hdrs; echo $?)

# ---- inventories by area and by filter (issue 23) ---------------------------------
# Two more readers: veth2 (area A, 001-01/00000a) with aiotsim B (devices
# 10-59 present, 30-59 in group 0101..., 1001 with the wrong key: its RID
# is nobody's), veth4 (area B, 001-01/00000b) with aiotsim C (40-89). The
# module's table is the key store's (1003 devices, aiotctl sync above, group 0).
# A second aiotd (8090, its metrics on 9090) serves the two areas.
# aok_if DESC STATUS: ok_if, and on failure the second aiotd's log, the
# simulators' counters and the module's drops
aok_if() {
	ok_if "$1" "$2"
	[ "$2" = 0 ] && return 0
	echo "# area aiotd log, last lines:"
	tail -n 12 $T/area.log | tap_diag
	rm -f $T/simb.stats $T/simc.stats
	kill -USR1 $SIMB $SIMC
	sleep 1
	cat $T/simb.stats $T/simc.stats 2>/dev/null | tr ' ' '\n' | grep -E '^(inv_|tx_|rx_frames)' | tr '\n' ' ' | tap_diag
	echo
	$M/aiotctl stats 2>&1 | grep -E 'inv|unknown|drop|lost|replay' | tap_diag
	return 1
}
ip link add veth2 type veth peer name veth3 && ip link set veth2 up && ip link set veth3 up
ip link add veth4 type veth peer name veth5 && ip link set veth4 up && ip link set veth5 up
$M/aiotctl reader add veth2 && $M/aiotctl reader add veth4
$M/aiotsim -i veth3 -k $D/sim.keys --present $D/presB.txt --groups $D/groupsB.txt \
	--fault "wrong-key:$(ids 1001)" --ready $T/simb.ready --threads 2 \
	--stats $T/simb.stats >$T/simb.out 2>&1 &
SIMB=$!
$M/aiotsim -i veth5 -k $D/sim.keys --present $D/presC.txt --ready $T/simc.ready \
	--threads 2 --stats $T/simc.stats >$T/simc.out 2>&1 &
SIMC=$!
i=0
while { [ ! -e $T/simb.ready ] || [ ! -e $T/simc.ready ]; } && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1)); done
cat >$T/area.conf <<CONF
port 8090
metrics_listen 127.0.0.1:9090
state_file none
report_batch 20
area 001-01/00000a veth2
area 001-01/00000B veth4
CONF
t "aiotd -t: two areas on two readers" $M/aiotd -t -c $T/area.conf
printf 'port 8091\nstate_file none\narea 001-01/00000a veth2\narea 001-01/00000A veth4\n' >$T/area2.conf
$M/aiotd -t -c $T/area2.conf >$T/last 2>&1
aok_if "aiotd -t: an area defined twice refused, the line named" \
	$([ $? = 2 ] && grep -q ':4: area: area 001-01/00000a: already defined on line 3' $T/last; echo $?)
MAINPID=$AIOTD
start_aiotd $T/area.conf $T/area.log
AREAPID=$AIOTD
AIOTD=$MAINPID
API=http://127.0.0.1:8090/naiotf-aiot/v1
# got TID: the deviceIds reported, sorted (each once or not: uniq -d empty)
got() { grep -o '"deviceId":"[^"]*"' $T/n.$1 | sed 's/.*:"\(.*\)"/\1/' | sort; }
# same TID EXPECTED-FILE: exactly those devices, each once
same() { got "$1" >$T/got.$1; cmp -s $T/got.$1 "$2" && [ -z "$(uniq -d $T/got.$1)" ]; }
# ainv BODY DESC: POST, 200, its last report
ainv() {
	code=$(post request-inv $D/$1); TID=$(tid_of); cp $T/body $T/last
	[ "$code" = 200 ] && [ -n "$TID" ] && wait_last "$TID" "$N" 30
}

t0=$(cut -d' ' -f1 /proc/uptime)
ainv area_a.json
aok_if "area A: 200, then lastRepInd" $?
t1=$(cut -d' ' -f1 /proc/uptime)
got $TID >$T/last
aok_if "area A: every device present on its reader, once, nothing else (50 of 1002)" \
	$(same $TID $D/expA.txt && ! has failCause; echo $?)
aok_if "area A: timeInterval 2 is the round's window (lastRepInd after 2 s)" \
	$(awk -v a=$t0 -v b=$t1 'BEGIN { exit !(b - a >= 1.9 && b - a < 15) }'; echo $?)
aok_if "area A: reports batched (report_batch 20: 3 or more notifications), lastRepInd once, last" \
	$([ "$(wc -l <$T/n.$TID)" -ge 3 ] && [ "$(grep -c lastRepInd $T/n.$TID)" = 1 ] &&
	  tail -n 1 $T/n.$TID | grep -q lastRepInd; echo $?)
cp $T/area.log $T/last
aok_if "area A: the log names area and reader; the wrong-key device's answer an unknown RID" \
	$(grep "$TID: area 001-01/00000a: reader veth2: round ended (window): 50 of [0-9]* candidates found" $T/area.log |
	  grep -q ', 1 unknown RIDs, 0 failed MACs'; echo $?)

ainv area_ab.json
aok_if "areas A and B: 200, then lastRepInd" $?
got $TID >$T/last
aok_if "areas A and B: both readers' devices, those on both readers once (80)" \
	$(same $TID $D/expAB.txt; echo $?)
ainv area_a_f.json
aok_if "area A, filteringInfo 0000: 200, then lastRepInd" $?
got $TID >$T/last
aok_if "area A, filter 0000: only its present devices of group 0000... (20; 30-59 stay silent)" \
	$(same $TID $D/expA_f.txt; echo $?)
ainv filt_all.json
aok_if "filteringInfo 0000 alone: 200, then lastRepInd" $?
got $TID >$T/last
aok_if "filter alone: every area's readers, group 0000 only (70)" \
	$(same $TID $D/expF.txt; echo $?)
ainv area_a_num5.json
aok_if "area A, numDevices 5: 200, then lastRepInd" $?
got $TID >$T/last
got $TID >$T/got.$TID
aok_if "numDevices 5: exactly 5 devices, each present on A" \
	$([ "$(wc -l <$T/got.$TID)" = 5 ] && [ -z "$(uniq -d $T/got.$TID)" ] &&
	  [ -z "$(awk 'NR == FNR { e[$0]; next } !($0 in e)' $D/expA.txt $T/got.$TID)" ]; echo $?)
ainv devs_a.json
aok_if "devices 10, 70, 500 with area A: 200, then lastRepInd" $?
aok_if "devices with area A: 10 found on veth2; 70 (area B only) and 500 ERROR_UNSPECIFIED" \
	$(has "\"deviceId\":\"$(cat $D/devs_ok_a.txt)\"}" &&
	  [ "$(grep -o '"failCause":"ERROR_UNSPECIFIED"' $T/n.$TID | wc -l)" = 2 ]; echo $?)
ainv devs_ab.json
aok_if "devices 10, 70, 500 with areas A and B: 200, then lastRepInd" $?
aok_if "devices with areas A and B: 10 and 70 found, 500 ERROR_UNSPECIFIED, each once" \
	$(for x in $(cat $D/devs_ok_ab.txt); do has "\"deviceId\":\"$x\"}" || exit 1; done
	  [ "$(grep -o '"failCause":"ERROR_UNSPECIFIED"' $T/n.$TID | wc -l)" = 1 ] &&
	  [ "$(got $TID | wc -l)" = 3 ]; echo $?)

refused "a filter under MIN_GROUP: 403 ProblemDetails, its cause, filteringInfo named" 403 \
	'"cause":"INVENTORY_FILTER_TOO_NARROW".*"param":"/targetDevices/filteringInfo"' \
	request-inv $D/area_a_narrow.json
refused "an area not served: 400 naming /targetArea/areaIds/1" 400 \
	'"param":"/targetArea/areaIds/1","reason":"an area this AIOTF does not serve (001-01/00000c)"' \
	request-inv $D/area_unknown.json
refused "filteringInfo of 9 bytes: 400 naming it" 400 \
	'"param":"/targetDevices/filteringInfo","reason":"9 bytes: longer than the device group' \
	request-inv $D/filt_long.json

# The same area at once: each inventory is a round of its own (its NN,
# its CT); every device answers each, each report is whole. The module
# runs at most max-rounds (4) in the namespace: the next gets 503.
for k in 1 2 3; do
	post request-inv $D/area_a.json >$T/code.$k; cp $T/body $T/body.$k
done
ok=0
for k in 1 2 3; do
	tid=$(sed -n 's/.*"transId":"\([0-9a-f]*\)".*/\1/p' $T/body.$k)
	[ "$(cat $T/code.$k)" = 200 ] && wait_last "$tid" "$N" 30 && same "$tid" $D/expA.txt &&
		ok=$((ok + 1))
done
echo "$ok of 3" >$T/last
aok_if "three inventories of area A at once: each reports all 50, once" $([ $ok = 3 ]; echo $?)
c1=$(post request-inv $D/area_ab_long.json); t1=$(tid_of)
c2=$(post request-inv $D/area_a_long.json); t2=$(tid_of)
c3=$(post request-inv $D/area_a_long.json); t3=$(tid_of)
code=$(post request-inv $D/area_a.json); cp $T/body $T/last
aok_if "4 rounds in flight (max-rounds): the next is 503 NF_CONGESTION with Retry-After" \
	$([ "$c1$c2$c3" = 200200200 ] && [ "$code" = 503 ] && grep -q NF_CONGESTION $T/body &&
	  grep -qi '^retry-after: [1-9]' $T/hdrs; echo $?)
wait_last "$t1" "$N" 30 && same "$t1" $D/expAB.txt && wait_last "$t2" "$N" 30 &&
	same "$t2" $D/expA.txt && wait_last "$t3" "$N" 30 && same "$t3" $D/expA.txt
aok_if "the refusal touched none of the 4 running: each reports whole" $?
$CURL -s http://127.0.0.1:9090/metrics >$T/metrics
cp $T/metrics $T/last
aok_if "/metrics per area: rounds, ends, devices found, refusals (min_group, busy)" \
	$(grep -q '^aiotd_inventory_rounds_total{area="001-01/00000a"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_inventory_rounds_total{area="001-01/00000b"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_inventory_round_ends_total{area="001-01/00000a",end="window"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_inventory_round_ends_total{area="001-01/00000a",end="stop"} 1$' $T/metrics &&
	  grep -q '^aiotd_inventory_found_total{area="001-01/00000b"} [1-9]' $T/metrics &&
	  grep -q '^aiotd_inventory_refused_total{area="001-01/00000a",reason="min_group"} 1$' $T/metrics &&
	  grep -q '^aiotd_inventory_refused_total{area="001-01/00000a",reason="busy"} 1$' $T/metrics &&
	  grep -q '^aiotd_requests_total{endpoint="request-inv",code="403"} 1$' $T/metrics; echo $?)
kill -USR1 $SIMB
i=0
while [ ! -s $T/simb.stats ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cp $T/simb.stats $T/last 2>/dev/null
simbstat() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" $T/simb.stats 2>/dev/null; }
aok_if "aiotsim B: the filter 0000 left its group-0101 devices silent, for free" \
	$([ "$(simbstat inv_filter_miss)" -ge 30 ]; echo $?)
kill $AREAPID $SIMB $SIMC 2>/dev/null
wait $AREAPID $SIMB $SIMC 2>/dev/null
API=http://127.0.0.1:8089/naiotf-aiot/v1

kill $TLSPID $AIOTD $AFPID $AFTLS $SIM 2>/dev/null
wait $TLSPID $AIOTD $AFPID $AFTLS $SIM 2>/dev/null
echo "# aiotd log:"
tail -n 15 $T/aiotd.log | tap_diag
tap_passed
