# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Host benchmarks (tests/bench/host/README.md): device-side cost per message
# under callgrind (part A) and message overhead per policy (part B).
#
# Included by the top-level Makefile; also runs on its own:
#   make -f mk/bench-host.mk bench-host
#
#   bench-host        build, run both parts, print the tables, write the
#                     TSV lines to $(BUILD)/bench/host.tsv
#   bench-host-clean  remove $(BUILD)/bench/host and host.tsv
#
# Optimised (-O2), no sanitizer. V=1 shows the commands.

BH_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
include $(dir $(BH_MK))common.mk
include $(dir $(BH_MK))proto.mk
BH_GOAL := $(.DEFAULT_GOAL)

TOP ?= $(abspath $(dir $(BH_MK))..)
BUILD ?= $(TOP)/build

BH_OUT := $(abspath $(BUILD))/bench
BH := $(BH_OUT)/host
BH_SRC := tests/bench/host

BH_Q := $(Q)
BH_CC ?= $(CC_USER)
BH_CFLAGS := $(WARN) $(OPT) $(DEFS) $(PROTO_INC) -I$(TOP)/$(BH_SRC)
BH_LDLIBS := -lcrypto -lm

# The device-role core on the project's OpenSSL primitives; prim_ossl.c
# is built with its aiot_hmac renamed, prim_pre.c wraps it.
BH_CORE := $(PROTO_CORE)
BH_DEV := $(addprefix $(BH_SRC)/,dev_cost.c cases.c model.c report.c \
	prim_pre.c) $(BH_CORE)
BH_OVH := $(BH_SRC)/overhead.c $(PROTO_CODEC)

bh_obj = $(patsubst %.c,$(BH)/obj/%.o,$(1))

.PHONY: bench-host bench-host-clean
.SECONDARY: $(call bh_obj,$(BH_DEV) $(BH_OVH))

$(BH)/obj/proto/prim_ossl.o: BH_CFLAGS += -Daiot_hmac=bench_ossl_hmac

$(BH)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(BH_Q)$(BH_CC) $(BH_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(BH)/obj -name '*.d' 2>/dev/null)

$(BH)/bench_dev: $(call bh_obj,$(BH_DEV))
	$(BH_Q)$(BH_CC) $(BH_CFLAGS) -o $@ $^ $(BH_LDLIBS)

$(BH)/bench_overhead: $(call bh_obj,$(BH_OVH))
	$(BH_Q)$(BH_CC) $(BH_CFLAGS) -o $@ $^ $(BH_LDLIBS)

bench-host: $(BH)/bench_dev $(BH)/bench_overhead
	$(BH_Q)sh $(TOP)/$(BH_SRC)/dev-run.sh $(BH)/bench_dev $(BH)
	$(BH_Q)$(BH)/bench_dev report $(BH)/dev.tsv $(BH)/host.counts \
		$(BH)/scalar.counts
	$(BH_Q)$(BH)/bench_overhead $(BH)/overhead.tsv
	$(BH_Q)cat $(BH)/dev.tsv $(BH)/overhead.tsv >$(BH_OUT)/host.tsv
	@echo
	@echo "TSV: $(BH_OUT)/host.tsv ($$(wc -l <$(BH_OUT)/host.tsv) lines)"

bench-host-clean:
	rm -rf $(BH) $(BH_OUT)/host.tsv

# Included after the top-level Makefile's first target, this file must not
# become its default goal; on its own, the default is bench-host.
ifeq ($(abspath $(firstword $(MAKEFILE_LIST))),$(BH_MK))
.DEFAULT_GOAL := bench-host
else
.DEFAULT_GOAL := $(BH_GOAL)
endif
