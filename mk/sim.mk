# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The device simulator (tests/sim) and the end-to-end tests (tests/e2e).
# Included by the top-level Makefile after mk/user.mk, whose variables
# and object rules it uses.
#
#   sim             build $(BUILD)/user/aiotsim (optimised, no sanitizer:
#                   it runs in the QEMU guest), print its path
#   sim-bench       build $(BUILD)/user/sim-bench, the core's host
#                   micro-benchmark (tests/sim/bench_sim.c), print its path
#   aiotecho        build $(BUILD)/user/aiotecho, the echo responder and
#                   round-trip requester of make bench, print its path
#   sim-test        build and run the simulator's host test (ASan/UBSan): TAP
#   sim-fuzz-smoke  run the simulator's libFuzzer harness FUZZ_SECONDS
#                   (default 20) s: one TAP line per harness
#   e2e-tests       build $(BUILD)/user/e2e/aiotsec_e2e, the kselftest
#                   harness suite, against kselftest_harness.h of the
#                   unpacked kernel source (scripts/lib.sh ksrc_dir)
#   sim-clean       remove what these targets built

SIM_DIR := $(U)/sim
E2E_DIR := $(U)/e2e

# The protocol core plus the key-store parser the simulator shares with
# aiotctl.
SIM_AGENT := lib/keystore.c lib/policy.c lib/hex.c
SIM_CORE := tests/sim/sim_core.c tests/sim/sim_pop.c tests/sim/sim_app.c \
	tests/sim/sim_fault.c tests/sim/sim_par.c tests/sim/sim_inv.c \
	tests/sim/sim_conf.c
SIM_LIB := $(SIM_CORE) $(U_CORE) $(SIM_AGENT)

# The guest programs: optimised, every warning an error, no sanitizer.
SIM_CFLAGS := $(WARN) $(OPT) $(DEFS) $(U_INC) -I$(TOP)/lib

# The simulator's sources include the key-store header.
$(U)/obj/tests/sim/%.o: U_CFLAGS += -I$(TOP)/lib
$(U)/fuzz/obj/tests/sim/%.o: U_FUZZ_CFLAGS += -I$(TOP)/lib

sim_obj = $(patsubst %.c,$(SIM_DIR)/obj/%.o,$(1))

.PHONY: sim sim-bench aiotecho sim-test sim-fuzz-smoke e2e-tests sim-clean

.SECONDARY: $(call sim_obj,$(SIM_LIB) tests/sim/aiotsim.c tests/sim/sim_io.c \
	tests/sim/bench_sim.c tests/bench/aiotecho.c) \
	$(call u_obj,$(SIM_LIB) tests/sim/test_sim.c tests/sim/test_inv.c)

sim: $(U)/aiotsim
	@echo $(U)/aiotsim

$(SIM_DIR)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(SIM_CFLAGS) -MMD -MP -c -o $@ $<

$(U)/aiotsim: $(call sim_obj,tests/sim/aiotsim.c tests/sim/sim_io.c \
		$(SIM_LIB))
	$(Q)$(U_CC) $(SIM_CFLAGS) -pthread -o $@ $^ $(U_LDLIBS)

# The host micro-benchmark of the core (no network, no sanitizer).
sim-bench: $(U)/sim-bench
	@echo $(U)/sim-bench

$(U)/sim-bench: $(call sim_obj,tests/sim/bench_sim.c $(SIM_LIB))
	$(Q)$(U_CC) $(SIM_CFLAGS) -pthread -o $@ $^ $(U_LDLIBS)

# The bare round trip of make bench (tests/bench/aiotecho.c): guest program.
aiotecho: $(U)/aiotecho
	@echo $(U)/aiotecho

$(U)/aiotecho: $(call sim_obj,tests/bench/aiotecho.c $(U_CORE) $(SIM_AGENT))
	$(Q)$(U_CC) $(SIM_CFLAGS) -o $@ $^ $(U_LDLIBS)

# ---- host test (ASan/UBSan, objects of mk/user.mk) ---------------------

$(U)/obj/tests/sim/test_sim.o $(U)/obj/tests/sim/test_inv.o: U_CFLAGS += -I$(TOP)/tests/proto

# The test counts the primitives' calls (a device outside an inventory's
# filter must make none): the protocol core's calls go through its
# __wrap_ functions.
SIM_TEST_WRAP := -Wl,--wrap=aiot_hmac -Wl,--wrap=aiot_cmac -Wl,--wrap=aiot_ctr

$(SIM_DIR)/test_sim: $(call u_obj,tests/sim/test_sim.c tests/sim/test_inv.c \
		tests/lib/tap.c \
		tests/proto/rsp.c tests/proto/vec.c $(SIM_LIB))
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(U_CFLAGS) -pthread $(SIM_TEST_WRAP) -o $@ $^ $(U_LDLIBS)

sim-test: $(SIM_DIR)/test_sim $(U)/aiotsim
	$(Q)sh $(TOP)/tests/lib/tap-run.sh -n test_sim \
		"$(SIM_DIR)/test_sim $(U_VEC)" \
		-n "aiotsim man page" \
		"sh $(TOP)/tests/sim/manpage.sh $(TOP)/tests/sim/aiotsim.1 $(U)/aiotsim"

# ---- fuzzing ------------------------------------------------------------

$(U)/fuzz/fuzz_sim: $(call u_fobj,tests/sim/fuzz_sim.c $(SIM_LIB))
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(U_FUZZ_SAN) -pthread -o $@ $^ $(U_LDLIBS)

# Seeds: a few inputs of each kind the harness knows (tests/sim/fuzz_sim.c).
$(U)/fuzz/seed/fuzz_sim/.done: $(U)/fuzz/fuzz_sim
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)AIOTSIM_SEEDS=$(@D) $(U)/fuzz/fuzz_sim >/dev/null 2>&1
	@touch $@

sim-fuzz-smoke: $(U)/fuzz/fuzz_sim $(U)/fuzz/seed/fuzz_sim/.done
	@mkdir -p $(U)/fuzz/artifacts
	$(Q)sh $(TOP)/tests/lib/tap-run.sh \
		-n "fuzz_sim: $(FUZZ_SECONDS) s without a finding" \
		"sh $(TOP)/tests/lib/run-fuzz.sh $(U)/fuzz/fuzz_sim \
		$(FUZZ_SECONDS) $(U)/fuzz/corpus/fuzz_sim \
		$(U)/fuzz/seed/fuzz_sim $(U)/fuzz/fuzz_sim.log \
		-timeout=10 -max_len=1200 \
		-artifact_prefix=$(U)/fuzz/artifacts/fuzz_sim-"

# ---- end-to-end tests ---------------------------------------------------

# kselftest_harness.h (and kselftest.h) come from the kernel source at
# build time; they are not part of this tree. The harness needs a few
# warnings off that its macros trip. aiotctl's JSON is read with jansson.
E2E_SRCS := tests/e2e/aiotsec_e2e.c tests/e2e/e2e_util.c tests/e2e/e2e_env.c \
	tests/e2e/e2e_json.c tests/e2e/e2e_stats.c tests/e2e/e2e_data.c \
	tests/e2e/e2e_kernel.c tests/e2e/e2e_wire.c tests/e2e/e2e_batch.c \
	tests/e2e/e2e_inv.c
E2E_CFLAGS = $(WARN) $(OPT) $(DEFS) -I$(TOP)/uapi -I$(TOP)/tests/e2e \
	-I$(E2E_KSFT) -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers

e2e-tests: $(E2E_DIR)/aiotsec_e2e
	@echo $(E2E_DIR)/aiotsec_e2e

$(E2E_DIR)/aiotsec_e2e: $(addprefix $(TOP)/,$(E2E_SRCS)) \
		$(wildcard $(TOP)/tests/e2e/*.h)
	@mkdir -p $(@D)
	$(eval E2E_KSFT := $(shell bash -c '. $(TOP)/scripts/lib.sh && \
		ksrc_dir')/tools/testing/selftests)
	@test -f $(E2E_KSFT)/kselftest_harness.h || \
		{ echo "no kselftest_harness.h under $(E2E_KSFT)" >&2; exit 1; }
	$(Q)$(U_CC) $(E2E_CFLAGS) -o $@ $(addprefix $(TOP)/,$(E2E_SRCS)) \
		$(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)

sim-clean:
	rm -rf $(SIM_DIR) $(E2E_DIR) $(U)/aiotsim $(U)/fuzz/fuzz_sim \
		$(U)/fuzz/seed/fuzz_sim $(U)/fuzz/corpus/fuzz_sim
