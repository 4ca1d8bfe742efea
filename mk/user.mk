# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# User-space build of the protocol core (proto/, mk/proto.mk) on the
# OpenSSL primitives: the vector tool, the host tests and the libFuzzer
# harnesses.
#
# Included by the top-level Makefile; also runs on its own:
#   make -f mk/user.mk host-test
#
#   vector-tool   build tests/proto/vectool, print only its absolute path
#   host-test     build and run every host test, vectool check on both
#                 vector files and the fill round trip, tests/vectors/
#                 against ../shared/vectors/ (when there): TAP, then a
#                 final "N passed, N failed"
#   fuzz-smoke    run each libFuzzer harness FUZZ_SECONDS (default 20) s
#   fuzz          run each harness FUZZ_LONG_SECONDS (default 300) s
#   user-clean    remove $(BUILD)/user
#
# Everything is built under $(BUILD)/user. V=1 shows the commands; the
# flags are mk/common.mk's.

U_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
include $(dir $(U_MK))common.mk
include $(dir $(U_MK))proto.mk
U_GOAL := $(.DEFAULT_GOAL)

TOP ?= $(abspath $(dir $(U_MK))..)
BUILD ?= $(TOP)/build
VECTORS ?= $(TOP)/tests/vectors

U := $(abspath $(BUILD))/user
U_VEC := $(abspath $(VECTORS))
U_PROFILE := $(U_VEC)/profile-v1.rsp
U_PRIMS := $(U_VEC)/primitives.rsp
U_INV := $(U_VEC)/profile-v1.1-inventory.rsp

U_CC ?= $(CC_USER)
FUZZ_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 300

# Flags: mk/common.mk.
U_INC := $(PROTO_INC) -I$(TOP)/tests/lib
U_CFLAGS := $(WARN) $(SAN_OPT) $(DEFS) $(U_INC)
U_FUZZ_SAN := $(SAN)
U_FUZZ_CFLAGS := $(WARN) $(FUZZ_OPT) $(DEFS) $(U_INC) -I$(TOP)/tests/proto
U_LDLIBS := -lcrypto

# Sources, relative to $(TOP).
U_CORE := $(PROTO_CORE)
U_LIB := tests/proto/rsp.c tests/proto/vec.c tests/proto/ivec.c \
	tests/lib/tap.c
U_THELP := tests/proto/thelp.c
U_VECTOOL := tests/proto/vectool.c tests/proto/vt_check.c \
	tests/proto/vt_corpus.c
U_TESTS := $(sort $(notdir $(basename \
	$(wildcard $(TOP)/tests/proto/test_*.c))))
U_FUZZERS := fuzz_codec fuzz_rsp

u_obj = $(patsubst %.c,$(U)/obj/%.o,$(1))
u_fobj = $(patsubst %.c,$(U)/fuzz/obj/%.o,$(1))

U_HOST_BINS := $(addprefix $(U)/,$(U_TESTS))
U_FUZZ_BINS := $(addprefix $(U)/fuzz/,$(U_FUZZERS))

.PHONY: vector-tool host-test fuzz-smoke fuzz user-clean

# Objects reached only through pattern rules are not to be deleted.
.SECONDARY: $(call u_obj,$(U_CORE) $(U_LIB) $(U_THELP) $(U_VECTOOL) \
	$(patsubst %,tests/proto/%.c,$(U_TESTS)))

vector-tool: $(U)/vectool
	@echo $(U)/vectool

# ---- Objects ----------------------------------------------------------------

$(U)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(U_CFLAGS) -MMD -MP -c -o $@ $<

$(U)/fuzz/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(U_FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(U) -name '*.d' 2>/dev/null)

# ---- Programs ---------------------------------------------------------------

$(U)/vectool: $(call u_obj,$(U_VECTOOL) $(U_LIB) $(U_CORE))
	$(Q)$(U_CC) $(U_CFLAGS) -o $@ $^ $(U_LDLIBS)

$(U)/test_%: $(U)/obj/tests/proto/test_%.o \
		$(call u_obj,$(U_THELP) $(U_LIB) $(U_CORE))
	$(Q)$(U_CC) $(U_CFLAGS) -o $@ $^ $(U_LDLIBS)

$(U)/fuzz/fuzz_codec: $(call u_fobj,tests/proto/fuzz_codec.c $(U_CORE))
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(U_FUZZ_SAN) -o $@ $^ $(U_LDLIBS)

$(U)/fuzz/fuzz_rsp: $(call u_fobj,tests/proto/fuzz_rsp.c \
		tests/proto/rsp.c tests/proto/vec.c $(U_CORE))
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(U_FUZZ_SAN) -o $@ $^ $(U_LDLIBS)

# ---- Host tests -------------------------------------------------------------

# The profile vectors with their four outputs taken out: fill must give
# the file back byte for byte.
$(U)/profile-v1.in.rsp: $(U_PROFILE)
	@mkdir -p $(@D)
	$(Q)grep -v -E '^(PAGING|AUTH_RESP|COMMAND|CMD_RESP) = ' $< >$@

# The same for the inventory vectors (v1.1).
$(U)/profile-v1.1-inventory.in.rsp: $(U_INV)
	@mkdir -p $(@D)
	$(Q)grep -v -E '^(INVENTORY|MATCH|RID|INV_RESP) = ' $< >$@

host-test: $(U_HOST_BINS) $(U)/vectool $(U)/profile-v1.in.rsp \
		$(U)/profile-v1.1-inventory.in.rsp
	$(Q)sh $(TOP)/tests/lib/tap-run.sh \
		$(foreach t,$(U_HOST_BINS),-n $(notdir $(t)) "$(t) $(U_VEC)") \
		-n "vectool check primitives.rsp profile-v1.rsp" \
		"$(U)/vectool check $(U_PRIMS) $(U_PROFILE)" \
		-n "vectool fill gives profile-v1.rsp back from its inputs" \
		"$(U)/vectool fill $(U)/profile-v1.in.rsp | cmp - $(U_PROFILE)" \
		-n "vectool fill leaves the complete profile-v1.rsp unchanged" \
		"$(U)/vectool fill $(U_PROFILE) | cmp - $(U_PROFILE)" \
		-n "vectool check profile-v1.1-inventory.rsp" \
		"$(U)/vectool check $(U_INV)" \
		-n "vectool fill gives profile-v1.1-inventory.rsp back from its inputs" \
		"$(U)/vectool fill $(U)/profile-v1.1-inventory.in.rsp | cmp - $(U_INV)" \
		-n "vectool on broken input" \
		"sh $(TOP)/tests/proto/vectool-neg.sh $(U)/vectool $(U_VEC)" \
		-n "tests/vectors equals ../shared/vectors" \
		"sh $(TOP)/tests/proto/vectors-same.sh $(TOP)/tests/vectors $(TOP)/../shared/vectors"

# ---- Fuzzing ----------------------------------------------------------------

# Seeds: each message of each profile record; each vector file and record.
$(U)/fuzz/seed/fuzz_codec/.done: $(U)/vectool $(U_PROFILE)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)$(U)/vectool corpus codec $(@D) $(U_PROFILE)
	@touch $@

$(U)/fuzz/seed/fuzz_rsp/.done: $(U)/vectool $(U_PROFILE) $(U_PRIMS)
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)$(U)/vectool corpus rsp $(@D) $(U_PRIMS) $(U_PROFILE)
	@touch $@

U_FUZZ_MAXLEN_fuzz_codec := 2048
U_FUZZ_MAXLEN_fuzz_rsp := 4096

# $(call u_fuzz_cmd,HARNESS,SECONDS): one TAP test for tap-run.sh. New
# inputs go to fuzz/corpus/HARNESS, findings to fuzz/artifacts/, the log
# to fuzz/HARNESS.log.
u_fuzz_cmd = -n "$(1): $(2) s without a finding" \
	"sh $(TOP)/tests/lib/run-fuzz.sh $(U)/fuzz/$(1) $(2) \
	$(U)/fuzz/corpus/$(1) $(U)/fuzz/seed/$(1) $(U)/fuzz/$(1).log \
	-timeout=10 -max_len=$(U_FUZZ_MAXLEN_$(1)) \
	-dict=$(TOP)/tests/proto/$(1).dict \
	-artifact_prefix=$(U)/fuzz/artifacts/$(1)-"

U_FUZZ_DEPS := $(U_FUZZ_BINS) \
	$(foreach f,$(U_FUZZERS),$(U)/fuzz/seed/$(f)/.done)

fuzz-smoke: $(U_FUZZ_DEPS)
	@mkdir -p $(U)/fuzz/artifacts
	$(Q)sh $(TOP)/tests/lib/tap-run.sh \
		$(foreach f,$(U_FUZZERS),$(call u_fuzz_cmd,$(f),$(FUZZ_SECONDS)))

fuzz: $(U_FUZZ_DEPS)
	@mkdir -p $(U)/fuzz/artifacts
	$(Q)sh $(TOP)/tests/lib/tap-run.sh \
		$(foreach f,$(U_FUZZERS),$(call u_fuzz_cmd,$(f),$(FUZZ_LONG_SECONDS)))

user-clean:
	rm -rf $(U)

# Included before the top-level Makefile's own first target, this file
# must not become its default goal; on its own, the default is host-test.
ifeq ($(abspath $(firstword $(MAKEFILE_LIST))),$(U_MK))
.DEFAULT_GOAL := host-test
else
.DEFAULT_GOAL := $(U_GOAL)
endif
