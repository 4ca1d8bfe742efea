# aiotsec: top-level build. `make run` and `make check` are the two
# commands a newcomer needs; both install and build what they need.
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
VECTORS ?= $(TOP)/tests/vectors
export TOP BUILD VECTORS

.PHONY: all setup kernel modules module deb check run shell lint kunit bench clean help
all: modules agent

help:
	@echo "make check    every test (installs and builds what it needs)"
	@echo "make run      the main job: boot, provision, authenticate, command"
	@echo "make shell    the make run VM, then a shell in it to try aiotctl by hand"
	@echo "make modules  aiotsec.ko for the test kernel and Debian's kernel"
	@echo "make deb      Debian packages aiotsec-dkms and aiotsec-tools (build/deb/)"
	@echo "make module   production aiotsec.ko for the running kernel (KVER= another)"
	@echo "make kernel   the cached KUnit test kernel"
	@echo "make bench    benchmarks (not in check): table, plot, TSV"
	@echo "make stress   hostile campaign on the KASAN and bench kernels (not in check)"
	@echo "make vector-tool | host-test | fuzz-smoke | fuzz | kunit | lint"

setup:
	@bash scripts/setup.sh

kernel: setup
	@bash tests/qemu/kernel.sh

modules: setup
	@bash scripts/kmod.sh test && bash scripts/kmod.sh debian

# The production module (what aiotsec-dkms builds): no W=1, no sparse,
# no vectors; the running kernel, or KVER=.
module: setup
	@KVER=$(KVER) bash scripts/kmod.sh prod

deb: setup
	@bash scripts/deb.sh

check: setup
	@bash scripts/check.sh

lint kunit: setup
	@bash scripts/check.sh $@

# The hostile campaign (tests/stress/README.md): not part of check, which
# runs only its smoke (stage stress). Boots the KASAN test kernel, then the
# bench kernel; ends with the figures per kernel.
stress: setup
	@bash tests/qemu/stress.sh full

stress-smoke: setup
	@bash tests/qemu/stress.sh smoke

# Benchmarks: not part of check; prints a table and, last, the TSV's path.
bench: setup
	@bash scripts/bench.sh

run: setup
	@bash scripts/run.sh

# The VM of make run (module loaded, reader bound, simulated devices
# answering), with its console and a shell on this terminal.
shell: setup
	@bash scripts/run.sh --shell

clean:
	rm -rf $(BUILD)

include mk/user.mk
include mk/sim.mk
include mk/agent.mk
include mk/aiotd.mk
include mk/bench-host.mk
include mk/stress.mk

# `make fuzz` runs every libFuzzer harness FUZZ_LONG_SECONDS (300 s) each:
# the codec and .rsp reader (mk/user.mk) and, here, the key store, policy,
# simulator frame and aiotd request-body parsers.
.PHONY: fuzz-agent-long fuzz-sim-long fuzz-aiotd-long
fuzz: fuzz-agent-long fuzz-sim-long fuzz-aiotd-long
fuzz-agent-long:
	@$(MAKE) -s agent-fuzz-smoke FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)
fuzz-sim-long:
	@$(MAKE) -s sim-fuzz-smoke FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)
fuzz-aiotd-long:
	@$(MAKE) -s aiotd-fuzz-smoke FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)
