# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The flags every user-space fragment of mk/ builds with: compiler,
# warnings, sanitizers, the OpenSSL API level. Included by each of them
# (once, whoever comes first).

ifndef COMMON_MK
COMMON_MK := $(abspath $(lastword $(MAKEFILE_LIST)))

TOP ?= $(abspath $(dir $(COMMON_MK))..)
BUILD ?= $(TOP)/build

# The host compiler, the fuzzing one (libFuzzer is clang's), pkg-config.
CC_USER ?= cc
FUZZ_CC ?= clang
PKG_CONFIG ?= pkg-config

# V=1 shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# Every warning an error, everywhere.
WARN := -Wall -Wextra -Werror
# OpenSSL 3.0 API only: a deprecated function does not even compile.
DEFS := -D_GNU_SOURCE -DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED
# Programs that ship or run in a guest: optimised, no sanitizer.
OPT := -O2 -g
# Host tests: ASan and UBSan, every finding fatal.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_OPT := -O1 -g -fno-omit-frame-pointer $(SAN)
# libFuzzer harnesses' objects (linked with -fsanitize=fuzzer $(SAN)).
FUZZ_OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(SAN)

endif
