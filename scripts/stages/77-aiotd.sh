# SPDX-License-Identifier: GPL-2.0 OR MIT
# Stage aiotd (sourced by scripts/check.sh): aiotd's host tests and fuzz
# smoke, then its end-to-end suite (tests/qemu/guest/aiotd.sh) in QEMU on
# Debian's stock kernel: curl --http2-prior-knowledge and TLS against
# aiotd, aiotsim behind a veth, afrecv as the AF's callback receiver,
# /metrics over HTTP/1.1 through Debian's promtool.
# Counts: aiotd-host, aiotd-fuzz, aiotd-e2e.
# Request bodies, key stores and certificates are made here, on the host
# (python3 and openssl), and added to the guest under /aiotsec/d.

# aiotd_data DIR: key stores, request bodies, a CA, server and client certs.
aiotd_data() {
	local d=$1 g="$TOP/build/user/agent/vm/genkeys"
	mkdir -p "$d" || return 1
	# 1003 devices: 0-999 answer, 1000 is silent, 1001 has the wrong key,
	# 1002 only aiotsim knows until the test adds it to the key store
	# (aiotctl sync, as `systemctl reload aiotsec` does)
	"$g" 1003 >"$d/sim.keys" || return 1
	grep -v '^#' "$d/sim.keys" | head -n 1002 >"$d/aiotd.keys" || return 1
	grep -v '^#' "$d/sim.keys" | tail -n 1 >"$d/extra.keys" || return 1
	python3 - "$d" <<'PY' || return 1
import base64, json, sys
d = sys.argv[1]
ids = [l.split()[0] for l in open(d + "/sim.keys") if not l.startswith("#")]
b = lambda h: base64.b64encode(bytes.fromhex(h)).decode()
cb = "http://127.0.0.1:9000/notify"
def inv(devs, name, **kw):
    o = {"afId": "af-e2e", "notifUri": kw.pop("uri", cb),
         "targetDevices": {"devices": [b(ids[i]) if isinstance(i, int) else i for i in devs]}}
    o.update(kw)
    open(d + "/" + name, "w").write(json.dumps(o))
def cmd(devs, name, **kw):
    kw.setdefault("timeInterval", 20)   # a loaded TCG guest can be slow
    inv(devs, name, **kw)
inv([0], "inv1.json")
inv(list(range(1000)), "inv1000.json")   # the module's 5 s: aiotd's window keeps the queue under it
inv([5], "inv_down.json")
inv([1000], "inv_silent.json", timeInterval=1)
inv([1000], "inv_restart.json", timeInterval=60)
inv([1001], "inv_wrongkey.json", timeInterval=1)
inv([1002], "inv_extra.json", timeInterval=1)
inv([4], "inv_disabled.json", timeInterval=1)
inv([b("0badbeef")], "inv_unknown.json")
inv([0, 1, 2], "inv3.json")
inv([6], "inv_tls.json", uri="https://127.0.0.1:9443/notify")
cmd([3], "write.json", commandType="WRITE", offset=8, data=base64.b64encode(b"hi").decode())
cmd([3], "read.json", commandType="READ", offset=8, length=2)
cmd([3], "read_range.json", commandType="READ", offset=60, length=10)
cmd([4], "disable.json", commandType="PERMANENT_DISABLE")
open(d + "/ids.txt", "w").write("\n".join(b(i) for i in ids) + "\n")
# Inventories by area and by filter (issue 23): two more readers, veth2
# (area A) and veth4 (area B), each with an aiotsim of its own population.
# B: devices 10-59 present (30-59 in group 0101...: a filter 0000 misses
# them) and 1001 (wrong key: an unknown RID); C: 40-89.
# The expected reports: each device's 16-byte ID without its leading
# zero bytes, in base64 (aiotd/README.md), computed here independently.
canon = lambda h: base64.b64encode(bytes.fromhex(h.rjust(32, "0")).lstrip(b"\0") or b"\0").decode()
def lines(name, xs):
    open(d + "/" + name, "w").write("".join(x + "\n" for x in xs))
lines("presB.txt", [ids[i] for i in list(range(10, 60)) + [1001]])
lines("groupsB.txt", [ids[i] + " 0101000000000000" for i in range(30, 60)])
lines("presC.txt", [ids[i] for i in range(40, 90)])
exp = lambda name, r: lines(name, sorted(canon(ids[i]) for i in r))
exp("expA.txt", range(10, 60))
exp("expA_f.txt", range(10, 30))
exp("expAB.txt", range(10, 90))
exp("expF.txt", list(range(10, 30)) + list(range(40, 90)))
A = {"plmnId": {"mcc": "001", "mnc": "01"}, "aiotAreaCode": "00000a"}
B = {"plmnId": {"mcc": "001", "mnc": "01"}, "aiotAreaCode": "00000B"}
U = {"plmnId": {"mcc": "001", "mnc": "01"}, "aiotAreaCode": "00000c"}
def area(name, areas=None, filt=None, devs=None, **kw):
    o = {"afId": "af-e2e", "notifUri": cb}
    if areas:
        o["targetArea"] = {"areaIds": areas}
    if filt is not None:
        o["targetDevices"] = {"filteringInfo": base64.b64encode(filt).decode()}
    if devs is not None:
        o["targetDevices"] = {"devices": [b(ids[i]) for i in devs]}
    o.update(kw)
    open(d + "/" + name, "w").write(json.dumps(o))
area("area_a.json", [A], timeInterval=2)
area("area_ab.json", [A, B], timeInterval=2)
area("area_a_long.json", [A], timeInterval=8)
area("area_ab_long.json", [A, B], timeInterval=8)
area("area_a_f.json", [A], b"\0\0", timeInterval=2)
area("filt_all.json", None, b"\0\0", timeInterval=2)
area("area_a_narrow.json", [A], b"\x01", timeInterval=2)
area("area_unknown.json", [A, U], timeInterval=2)
area("filt_long.json", [A], bytes(9), timeInterval=2)
area("area_a_num5.json", [A], numDevices=5, timeInterval=6)
area("devs_a.json", [A], devs=[10, 70, 500], timeInterval=2)
area("devs_ab.json", [A, B], devs=[10, 70, 500], timeInterval=2)
lines("devs_ok_a.txt", [b(ids[10])])
lines("devs_ok_ab.txt", sorted([b(ids[10]), b(ids[70])]))
open(d + "/big.json", "w").write('{"afId":"' + "x" * 100000 + '"}')
PY
	(
		cd "$d" &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=aiotsec-test-ca \
			-keyout ca.key -out ca.crt &&
		for n in server client; do
			openssl req -newkey rsa:2048 -nodes -subj "/CN=$n" \
				-keyout $n.key -out $n.csr &&
			printf 'subjectAltName=IP:127.0.0.1\n' >$n.ext &&
			openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key \
				-CAcreateserial -days 2 -extfile $n.ext -out $n.crt || exit 1
		done
	) >"$d/openssl.log" 2>&1
}

stage_aiotd() {
	local kver kmod u="$TOP/build/user" d="$OUT/aiotd-data" f adds=()

	make -s -C "$TOP" aiotd-test >"$OUT/aiotd-host.tap" 2>&1
	counts aiotd-host "$OUT/aiotd-host.tap"
	make -s -C "$TOP" aiotd-fuzz-smoke >"$OUT/aiotd-fuzz.tap" 2>&1
	counts aiotd-fuzz "$OUT/aiotd-fuzz.tap"

	if ! make -s -C "$TOP" aiotd agent sim agent-vm-tools >"$OUT/aiotd-build.log" 2>&1 ||
		! aiotd_data "$d"; then
		tail -n 40 "$OUT/aiotd-build.log" "$d/openssl.log" >&2
		stage_fail aiotd-e2e "build aiotd, aiotsim, aiotctl and the test data"
		return 0
	fi
	for f in "$d"/*; do
		adds+=(--add "$f=/aiotsec/d/${f##*/}")
	done
	# Debian's promtool checks /metrics in the guest (without it, that
	# check fails and says so)
	[ ! -x /usr/bin/promtool ] || adds+=(--add "/usr/bin/promtool=/aiotsec/promtool")
	if kver=$(debian_kver) && kmod=$("$TOP/scripts/kmod.sh" debian); then
		"$VM" --kernel "/boot/vmlinuz-$kver" --kmods-from "$kver" \
			--add "$kmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
			--add "$u/aiotctl=/aiotsec/aiotctl" \
			--add "$u/aiotsim=/aiotsec/aiotsim" \
			--add "$u/aiotd=/aiotsec/aiotd" \
			--add "$u/afrecv=/aiotsec/afrecv" \
			--add "/usr/bin/curl=/aiotsec/curl" \
			--add "$GUEST_DIR/aiotd.sh=/aiotsec/aiotd.sh" \
			--add "$TOP/tests/lib/tap.sh=/aiotsec/tap.sh" \
			"${adds[@]}" \
			--timeout 900 --name aiotd-e2e --log-dir "$OUT/aiotd-e2e" \
			-- /aiotsec/aiotd.sh
		counts aiotd-e2e --kernel-log "$OUT/aiotd-e2e/console.log" \
			"$OUT/aiotd-e2e/results.log"
	else
		stage_fail aiotd-e2e "build aiotsec.ko against Debian's headers"
	fi
}
