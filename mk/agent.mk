# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# libaiotsec.a (lib/: netlink, devices, the transaction engine, events,
# stats, sync, key store, policy, hex) and aiotctl (aiotctl/*.c over it,
# on libnl-genl-3 and libcrypto), their host tests and libFuzzer harnesses.
#
# Included by the top-level Makefile; also runs on its own:
#   make -f mk/agent.mk agent-test
#
#   agent             build $(BUILD)/user/libaiotsec.a and $(BUILD)/user/aiotctl
#   install           aiotctl to $(DESTDIR)$(PREFIX)/sbin, aiotctl.8 to
#                     $(DESTDIR)$(PREFIX)/share/man/man8 (PREFIX=/usr/local)
#   install-tools     install, and the rest of the aiotsec-tools package
#                     (completion, unit, helper, /etc/aiotsec); aiotd is the
#                     aiotd package's (mk/aiotd.mk: aiotd-install)
#   agent-test        host tests (key store, policy, ID/hex, argument
#                     parsers, JSON, fingerprints, the command line) under
#                     ASan+UBSan: TAP, then a final "N passed, N failed"
#   agent-fuzz-smoke  each parser harness FUZZ_SECONDS (default 20) s,
#                     one TAP line per harness
#   agent-vm-tools    the helpers of tests/qemu/guest/aiotctl.sh (genkeys, dropcap,
#                     jsonchk, fakedev), print their directory
#   agent-clean       remove $(BUILD)/user/agent and aiotctl
#
# Objects go under $(BUILD)/user/agent. V=1 shows the commands.

A_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
include $(dir $(A_MK))common.mk
include $(dir $(A_MK))proto.mk
A_GOAL := $(.DEFAULT_GOAL)

TOP ?= $(abspath $(dir $(A_MK))..)
BUILD ?= $(TOP)/build
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 20

A_OUT := $(abspath $(BUILD))/user
A := $(A_OUT)/agent
A_CC ?= $(CC_USER)
A_FUZZ_CC ?= $(FUZZ_CC)
A_PKG ?= $(PKG_CONFIG)
A_Q := $(Q)

A_NL_CFLAGS := $(shell $(A_PKG) --cflags libnl-genl-3.0 2>/dev/null)
A_NL_LIBS := $(shell $(A_PKG) --libs libnl-genl-3.0 2>/dev/null)
# The tests read aiotctl's JSON with jansson (tests/agent/jsonv.c).
A_JSON_CFLAGS := $(shell $(A_PKG) --cflags jansson 2>/dev/null)
A_JSON_LIBS := $(shell $(A_PKG) --libs jansson 2>/dev/null)
# Flags: mk/common.mk's, with the version and the include paths.
A_VERSION := $(shell cat $(TOP)/VERSION)
A_DEFS := -DAIOTSEC_VERSION='"$(A_VERSION)"' $(DEFS)
A_INC := -I$(TOP)/aiotctl -I$(TOP)/lib $(PROTO_INC)
A_CFLAGS := $(WARN) $(OPT) $(A_DEFS) $(A_INC) $(A_NL_CFLAGS) $(A_XCFLAGS)
A_SAN := $(SAN)
A_TCFLAGS := $(WARN) $(SAN_OPT) $(A_DEFS) $(A_INC) -I$(TOP)/tests/lib \
	$(A_NL_CFLAGS) $(A_JSON_CFLAGS)
A_FCFLAGS := $(WARN) $(FUZZ_OPT) $(A_DEFS) $(A_INC)

# Sources, relative to $(TOP).
# The library: everything under lib/, with the codec's rules (the policy
# syntax checks its bytes with them) and the kernel's key fingerprint
# (the sync plan compares keys by it).
L_SRC := $(sort $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/lib/*.c))) $(PROTO_KDF)
L_AR := $(A_OUT)/libaiotsec.a
# What tests/sim and the bench tools share: the key store and its parts.
A_LIB := lib/hex.c lib/policy.c lib/keystore.c $(PROTO_CODEC)
A_SRC := $(sort $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/aiotctl/*.c)))
A_LIBS := $(L_AR) $(A_NL_LIBS) -lcrypto
A_TAP := tests/lib/tap.c
A_TESTS := test_hex test_policy test_keystore test_args test_json test_fp \
	test_out test_cmds test_nl test_batch test_group test_inv
A_FUZZERS := fuzz_keystore fuzz_policy fuzz_idlist
A_VM_TOOLS := genkeys dropcap jsonchk fakedev
# fakedev: a device on the shared protocol core (device role).
A_FAKEDEV := tests/agent/fakedev.c $(A_LIB) $(PROTO_CORE)

a_obj = $(patsubst %.c,$(A)/obj/%.o,$(1))
a_tobj = $(patsubst %.c,$(A)/tobj/%.o,$(1))
a_fobj = $(patsubst %.c,$(A)/fobj/%.o,$(1))

# What each host test links besides itself and tap.c.
A_DEPS_test_hex := lib/hex.c
A_DEPS_test_batch := lib/idlist.c lib/window.c lib/hex.c
A_DEPS_test_policy := lib/hex.c lib/policy.c $(PROTO_CODEC)
A_DEPS_test_keystore := $(A_LIB)
A_DEPS_test_args := aiotctl/args.c lib/hex.c
A_DEPS_test_json := aiotctl/json.c lib/hex.c tests/agent/jsonv.c
A_LIBS_test_json := $(A_JSON_LIBS)
A_DEPS_test_fp := $(PROTO_KDF)
A_DEPS_test_out := aiotctl/out.c aiotctl/json.c lib/hex.c tests/agent/jsonv.c
A_LIBS_test_out := $(A_JSON_LIBS)
# The command table links every command (all of aiotctl but main.c) and
# the library.
A_DEPS_test_cmds := $(filter-out aiotctl/main.c,$(A_SRC)) $(L_SRC)
A_LIBS_test_cmds := $(A_NL_LIBS)
A_ARGS_test_cmds := $(TOP)/aiotctl/aiotctl.8
# The group from the key store to the message, the plan and the table.
A_DEPS_test_group := $(filter-out aiotctl/main.c,$(A_SRC)) $(L_SRC) \
	tests/agent/jsonv.c
A_LIBS_test_group := $(A_NL_LIBS) $(A_JSON_LIBS)
A_DEPS_test_nl := lib/nl.c aiotctl/words.c
A_LIBS_test_nl := $(A_NL_LIBS)
A_DEPS_test_inv := lib/inv.c lib/nl.c
A_LIBS_test_inv := $(A_NL_LIBS)

.PHONY: agent install agent-test agent-fuzz-smoke agent-vm-tools agent-clean

agent: $(L_AR) $(A_OUT)/aiotctl

$(L_AR): $(call a_obj,$(L_SRC))
	@rm -f $@
	$(A_Q)ar rcs $@ $^

$(A_OUT)/aiotctl: $(call a_obj,$(A_SRC)) $(L_AR)
	$(A_Q)$(A_CC) $(A_CFLAGS) $(A_XLDFLAGS) -o $@ $(call a_obj,$(A_SRC)) $(A_LIBS)

install: $(A_OUT)/aiotctl
	install -D -m 755 $(A_OUT)/aiotctl $(DESTDIR)$(PREFIX)/sbin/aiotctl
	install -D -m 644 $(TOP)/aiotctl/aiotctl.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/aiotctl.8

# What the aiotsec-tools package holds (debian/rules: PREFIX=/usr): aiotctl
# and its page, the bash completion, the unit, its helper and the example
# configuration (dist/). aiotd has a package of its own (mk/aiotd.mk:
# aiotd-install), so that a host with aiotctl alone does not pull libcurl
# and nghttp2.
# The units name the package's paths (/usr/sbin, /usr/lib/aiotsec,
# /usr/share/doc/aiotd); A_UNIT_SED makes them $(PREFIX)'s when installing
# (nothing changes with PREFIX=/usr).
UNITDIR ?= /lib/systemd/system
A_UNIT_SED := s|/usr/sbin/|$(PREFIX)/sbin/|g; s|/usr/lib/aiotsec/|$(PREFIX)/lib/aiotsec/|g; s|/usr/share/doc/aiotd/|$(PREFIX)/share/doc/aiotd/|g
.PHONY: install-tools
install-tools: install
	install -D -m 644 $(TOP)/dist/aiotsec.conf.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/aiotsec.conf.5
	install -D -m 644 $(TOP)/dist/aiotctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/aiotctl
	install -d $(DESTDIR)$(UNITDIR)
	sed '$(A_UNIT_SED)' $(TOP)/dist/aiotsec.service >$(DESTDIR)$(UNITDIR)/aiotsec.service
	chmod 644 $(DESTDIR)$(UNITDIR)/aiotsec.service
	install -D -m 755 $(TOP)/dist/aiotsec-apply \
		$(DESTDIR)$(PREFIX)/lib/aiotsec/aiotsec-apply
	install -D -m 644 $(TOP)/dist/aiotsec.conf \
		$(DESTDIR)/etc/aiotsec/aiotsec.conf

# ---- Objects ----------------------------------------------------------------

$(A)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_CFLAGS) -MMD -MP -c -o $@ $<

$(A)/tobj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_TCFLAGS) -MMD -MP -c -o $@ $<

$(A)/fobj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) $(A_FCFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(A) -name '*.d' 2>/dev/null)

# Objects reached only through pattern rules are not to be deleted.
.SECONDARY: $(call a_obj,$(A_SRC) $(L_SRC)) $(call a_tobj,$(A_TAP) $(A_LIB) \
	$(L_SRC) $(PROTO_KDF) $(filter-out aiotctl/main.c,$(A_SRC)) \
	tests/agent/jsonv.c $(patsubst %,tests/agent/%.c,$(A_TESTS)))

# ---- Host tests -------------------------------------------------------------

define a_test_rule
$(A)/$(1): $(call a_tobj,tests/agent/$(1).c $(A_TAP) $(A_DEPS_$(1)))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $$@ $$^ $$(A_LIBS_$(1)) -lcrypto
endef
$(foreach t,$(A_TESTS),$(eval $(call a_test_rule,$(t))))

$(A)/jsonchk-san: $(call a_tobj,tests/agent/jsonchk.c tests/agent/jsonv.c)
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(A_JSON_LIBS)

agent-test: $(addprefix $(A)/,$(A_TESTS)) $(A_OUT)/aiotctl $(A)/jsonchk-san
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh \
		$(foreach t,$(A_TESTS),-n $(t) "$(A)/$(t) $(A_ARGS_$(t))") \
		-n "aiotctl command line (usage, help, exit codes)" \
		"sh $(TOP)/tests/agent/cli.sh $(A_OUT)/aiotctl $(A)/jsonchk-san" \
		-n "man page" "sh $(TOP)/tests/agent/manpage.sh $(TOP)/aiotctl/aiotctl.8" \
		-n "aiotsec-apply (the unit's helper)" "sh $(TOP)/tests/agent/apply.sh $(TOP)/dist/aiotsec-apply" \
		-n "bash completion against the command table" \
		"bash $(TOP)/tests/agent/completion.sh $(A_OUT)/aiotctl $(TOP)/dist/aiotctl.bash-completion"

# ---- Fuzzing ----------------------------------------------------------------

$(A)/fuzz/fuzz_keystore: $(call a_fobj,tests/agent/fuzz_keystore.c $(A_LIB))
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) -fsanitize=fuzzer $(A_SAN) -o $@ $^

$(A)/fuzz/fuzz_policy: $(call a_fobj,tests/agent/fuzz_policy.c \
		lib/hex.c lib/policy.c $(PROTO_CODEC))
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) -fsanitize=fuzzer $(A_SAN) -o $@ $^

$(A)/fuzz/fuzz_idlist: $(call a_fobj,tests/agent/fuzz_idlist.c \
		lib/idlist.c lib/hex.c)
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) -fsanitize=fuzzer $(A_SAN) -o $@ $^

A_FUZZ_MAXLEN_fuzz_idlist := 4096
A_FUZZ_MAXLEN_fuzz_keystore := 4096
A_FUZZ_MAXLEN_fuzz_policy := 64

# $(call a_fuzz_cmd,HARNESS,SECONDS): one TAP test for tap-run.sh.
a_fuzz_cmd = -n "$(1): $(2) s without a finding" \
	"sh $(TOP)/tests/lib/run-fuzz.sh $(A)/fuzz/$(1) $(2) \
	$(A)/fuzz/corpus/$(1) $(TOP)/tests/agent/seeds/$(1:fuzz_%=%) \
	$(A)/fuzz/$(1).log -timeout=10 -max_len=$(A_FUZZ_MAXLEN_$(1)) \
	-dict=$(TOP)/tests/agent/$(1).dict \
	-artifact_prefix=$(A)/fuzz/artifacts/$(1)-"

agent-fuzz-smoke: $(addprefix $(A)/fuzz/,$(A_FUZZERS))
	@mkdir -p $(A)/fuzz/artifacts
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh \
		$(foreach f,$(A_FUZZERS),$(call a_fuzz_cmd,$(f),$(FUZZ_SECONDS)))

# ---- Helpers of the in-VM test ---------------------------------------------

$(A)/vm/%: $(A)/obj/tests/agent/%.o
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_CFLAGS) -o $@ $^

$(A)/vm/jsonchk: $(call a_obj,tests/agent/jsonchk.c tests/agent/jsonv.c)
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_CFLAGS) -o $@ $^ $(A_JSON_LIBS)

$(A)/vm/fakedev: $(call a_obj,$(A_FAKEDEV))
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_CFLAGS) -o $@ $^ -lcrypto

agent-vm-tools: $(addprefix $(A)/vm/,$(A_VM_TOOLS)) $(A_OUT)/aiotctl
	@echo $(A)/vm

agent-clean:
	rm -rf $(A) $(A_OUT)/aiotctl $(L_AR)

# Included before the top-level Makefile's own first target, this file
# must not become its default goal; on its own, the default is agent.
ifeq ($(abspath $(firstword $(MAKEFILE_LIST))),$(A_MK))
.DEFAULT_GOAL := agent
else
.DEFAULT_GOAL := $(A_GOAL)
endif
