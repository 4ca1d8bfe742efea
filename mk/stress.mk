# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The stress campaign's guest programs (tests/stress). Included by the
# top-level Makefile after mk/user.mk, whose variables it uses.
#
#   stress-tools   build $(BUILD)/user/stress/{nlfuzz,frfuzz,failnth} (optimised,
#                  every warning an error, no sanitizer: they run in the
#                  QEMU guest), print the directory
# (`make stress` and `make stress-smoke`, in the top-level Makefile, run
# tests/qemu/stress.sh.)

STRESS_DIR := $(U)/stress
STRESS_CFLAGS := $(WARN) $(OPT) $(DEFS) $(U_INC) -I$(TOP)/tests/stress
STRESS_CORE := $(addprefix $(TOP)/,$(U_CORE))
STRESS_H := $(TOP)/tests/stress/stress.h $(wildcard $(TOP)/kernel/*.h) \
	$(TOP)/uapi/linux/aiotsec.h

.PHONY: stress-tools

stress-tools: $(STRESS_DIR)/nlfuzz $(STRESS_DIR)/frfuzz $(STRESS_DIR)/failnth
	@echo $(STRESS_DIR)

$(STRESS_DIR)/nlfuzz: $(TOP)/tests/stress/nlfuzz.c $(STRESS_H)
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(STRESS_CFLAGS) -o $@ $<

$(STRESS_DIR)/failnth: $(TOP)/tests/stress/failnth.c $(TOP)/uapi/linux/aiotsec.h
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(STRESS_CFLAGS) -o $@ $<

$(STRESS_DIR)/frfuzz: $(TOP)/tests/stress/frfuzz.c $(STRESS_CORE) $(STRESS_H)
	@mkdir -p $(@D)
	$(Q)$(U_CC) $(STRESS_CFLAGS) -o $@ $(TOP)/tests/stress/frfuzz.c \
		$(STRESS_CORE) $(U_LDLIBS)
