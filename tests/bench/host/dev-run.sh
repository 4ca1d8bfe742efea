#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# dev-run.sh BENCH_DEV OUTDIR
#
# Run "BENCH_DEV run" under callgrind twice: with OpenSSL's default code
# paths (host) and with the vector and crypto extensions masked out of
# OPENSSL_ia32cap (scalar: no AES-NI, SSSE3, AVX, PCLMULQDQ, XOP; no BMI,
# AVX2, AVX-512, ADX, SHA-NI). Each dump the program requests ("case N")
# becomes a line of OUTDIR/host.counts or OUTDIR/scalar.counts:
#
#   case N Ir sha_calls sha_Ir aes_calls aes_Ir kexp_calls kexp_Ir
#
# Ir: instructions of the N steps. sha, aes: the SHA-256 compression and
# AES block functions, found as the function with the most instructions of
# its own in the cal_sha256 and cal_aes128ctr dumps (libcrypto's are
# unnamed, without debug symbols); kexp: AES_set_encrypt_key. Their calls
# and the instructions under them (inclusive). In the scalar run each call
# is one block or one key expansion for the message sizes used here.
set -eu

bin=$1
out=$2
SCALAR_CAP='~0x12000a0200000000:~0xe00b0128'

# hottest DIR CASE: the function with the most self cost in CASE's dump.
hottest() {
	awk '/^fn=/ { fn = substr($0, 4); next }
	     /^calls=/ { incl = 1; next }
	     /^[0-9+*-]/ { if (incl) incl = 0; else self[fn] += $2 }
	     END { for (f in self) if (self[f] > max) { max = self[f]; h = f }
		   print h }' "$(grep -l "^desc: Trigger: Client Request: $2 " \
		"$1"/callgrind.out.*)"
}

run() {
	cfg=$1
	shift
	dir=$out/cg-$cfg
	rm -rf "$dir"
	mkdir -p "$dir"
	# A fixed environment: getenv() in the measured code scans it.
	if ! env -i PATH="$PATH" "$@" valgrind --tool=callgrind --collect-atstart=no \
		--compress-strings=no --callgrind-out-file="$dir/callgrind.out" \
		"$bin" run >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		echo "dev-run.sh: $cfg run failed" >&2
		exit 1
	fi
	sha=$(hottest "$dir" cal_sha256)
	aes=$(hottest "$dir" cal_aes128ctr)
	for f in "$dir"/callgrind.out.*; do
		awk -v sha="$sha" -v aes="$aes" -v kexp=AES_set_encrypt_key '
		/^desc: Trigger: Client Request: / { name = $5; it = $6 }
		/^totals: / { ir = $2 }
		/^cfn=/ { cfn = substr($0, 5) }
		/^calls=/ { split($1, c, "="); n = c[2]; incl = 1; next }
		/^[0-9+*-]/ && incl {
			incl = 0
			calls[cfn] += n
			cost[cfn] += $2
		}
		END {
			if (name == "" || name == "setup")
				exit
			print name, it, ir, calls[sha] + 0, cost[sha] + 0, \
			      calls[aes] + 0, cost[aes] + 0, \
			      calls[kexp] + 0, cost[kexp] + 0
		}' "$f"
	done >"$out/$cfg.counts"
	echo "callgrind ($cfg): $(wc -l <"$out/$cfg.counts") cases," \
		"dumps in $dir"
}

command -v valgrind >/dev/null || {
	echo "dev-run.sh: valgrind not found" >&2
	exit 1
}
run host
run scalar "OPENSSL_ia32cap=$SCALAR_CAP"
