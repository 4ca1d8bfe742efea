# SPDX-License-Identifier: GPL-2.0 OR MIT
# Bench part aiotdinv (sourced by scripts/bench.sh): an inventory round
# of 1,000 present devices (of 10,000 provisioned) through aiotd's
# request-inv by area (numDevices 1000: the round stops at the last one),
# against the same round through `aiotctl inventory ... stop 1000`, in the
# same boot, on Debian's stock kernel; goal: aiotd's rate at least 0.8 of
# aiotctl's. Guest side tests/qemu/guest/bench-aiotd-inv.sh.

bench_aiotdinv() {
	local kv tools dmod d="$OUT/aiotd-inv-data"
	kv=$(debian_kver)
	tools=$(make -s -C "$TOP" agent-vm-tools)
	make -s -C "$TOP" sim aiotd >/dev/null
	dmod=$("$TOP/scripts/kmod.sh" debian)
	mkdir -p "$d"
	"$tools/genkeys" 10000 >"$d/keys10k"
	python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
json.dump({"afId": "bench", "notifUri": "http://127.0.0.1:9000/n",
           "targetArea": {"areaIds": [{"plmnId": {"mcc": "001", "mnc": "01"},
                                       "aiotAreaCode": "000001"}]},
           "numDevices": 1000, "timeInterval": 120},
          open(d + "/inv_area.json", "w"))
PY
	"$VM" --kernel "/boot/vmlinuz-$kv" --kmods-from "$kv" \
		--add "$dmod/aiotsec.ko=/aiotsec/aiotsec.ko" \
		--add "$TOP/build/user/aiotctl=/aiotsec/aiotctl" \
		--add "$TOP/build/user/aiotsim=/aiotsec/aiotsim" \
		--add "$TOP/build/user/aiotd=/aiotsec/aiotd" \
		--add "$TOP/build/user/afrecv=/aiotsec/afrecv" \
		--add "/usr/bin/curl=/aiotsec/curl" \
		--add "$d/keys10k=/aiotsec/keys10k" \
		--add "$d/inv_area.json=/aiotsec/inv_area.json" \
		--add "$GUEST_DIR/bench-aiotd-inv.sh=/aiotsec/bench-aiotd-inv.sh" \
		--timeout 1500 --name bench-aiotdinv --log-dir "$OUT/aiotdinv" \
		-- /aiotsec/bench-aiotd-inv.sh
	bench_collect aiotdinv
}
