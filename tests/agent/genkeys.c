// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * genkeys N [seed S] [start I]: a deterministic key store of N devices on
 * standard output, for tests and benchmarks. IDs are 96-bit EPC-like
 * (e280 and 20 hex digits of I, I+1, ...); keys come from splitmix64 of
 * (S, index), 16 bytes for even and 32 for odd indices; policies cycle
 * through four request/minimum pairs. Same arguments, same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const char *const policies[4] = {
	"tid,mi,mac=8",
	"enc,pi",
	"tid,pc,mi,mac=16 mi,mac=8",
	"enc,pc,pi,mac=8 pc",
};

static unsigned long long number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end) {
		fprintf(stderr, "genkeys: '%s' is not a number\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long long n, seed = 1, start = 0, i;
	static const char digits[] = "0123456789abcdef";
	char line[160];
	uint64_t x, w;
	int a, k, len, klen;

	if (argc < 2 || argc % 2) {
		fprintf(stderr, "usage: genkeys N [seed S] [start I]\n");
		return 2;
	}
	n = number(argv[1]);
	for (a = 2; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "seed"))
			seed = number(argv[a + 1]);
		else if (!strcmp(argv[a], "start"))
			start = number(argv[a + 1]);
		else {
			fprintf(stderr, "genkeys: unknown '%s'\n", argv[a]);
			return 2;
		}
	}
	printf("# genkeys %llu seed %llu start %llu\n", n, seed, start);
	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof(line), "e280%020llx ", start + i);
		x = seed * 0x100000001b3ull ^ (start + i);
		klen = (start + i) % 2 ? 32 : 16;
		for (k = 0; k < klen; k += 8) {
			w = splitmix64(&x);
			for (a = 0; a < 8; a++, w >>= 8) {
				line[len++] = digits[(w >> 4) & 15];
				line[len++] = digits[w & 15];
			}
		}
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %s\n",
				policies[(start + i) % 4]);
		fwrite(line, 1, (size_t)len, stdout);
	}
	return fflush(stdout) ? 1 : 0;
}
