# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part aiotd (sourced by scripts/bench.sh): device completions per
# second through aiotd's request-inv (HTTP/2 in, AIoTNotif out) for 1 and
# 10 simulated devices, on Debian's stock kernel, next to aiotctl's batch
# mode in the same boot when this aiotctl has it; guest side
# tests/qemu/guest/bench-aiotd.sh. Bodies are made here (python3).

bench_aiotd() {
	local kv tools dmod d="$OUT/aiotd-data"
	kv=$(debian_kver)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	make -s -C "$TOP" sim aiotd >/dev/null
	dmod=$("$TOP/scripts/kmod.sh" debian)
	mkdir -p "$d"
	"$tools/genkeys" 10 >"$d/keys10"
	python3 - "$d" <<'PY'
import base64, json, sys
d = sys.argv[1]
ids = [l.split()[0] for l in open(d + "/keys10") if not l.startswith("#")]
for n in (1, 10):
    json.dump({"afId": "bench", "notifUri": "http://127.0.0.1:9000/n",
               "timeInterval": 20,
               "targetDevices": {"devices": [base64.b64encode(bytes.fromhex(i)).decode()
                                             for i in ids[:n]]}},
              open("%s/inv%d.json" % (d, n), "w"))
PY
	"$VM" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
		--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
		--add "$TOP/build/user/aiotd=/aiotsec/aiotd" \
		--add "$TOP/build/user/afrecv=/aiotsec/afrecv" \
		--add "/usr/bin/h2load=/aiotsec/h2load" \
		--add "$d/keys10=/aiotsec/keys10" \
		--add "$d/inv1.json=/aiotsec/inv1.json" \
		--add "$d/inv10.json=/aiotsec/inv10.json" \
		--add "$GUEST_DIR/bench-aiotd.sh=/aiotsec/bench-aiotd.sh" \
		--timeout 1500 --name bench-aiotd --log-dir "$OUT/aiotd" \
		-- /aiotsec/bench-aiotd.sh
	bench_collect aiotd
}
