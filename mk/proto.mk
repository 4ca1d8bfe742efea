# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The protocol core (proto/) as user space builds it: one list of its
# sources for every user-space program, on the OpenSSL primitives. The
# module's build of the same files is in Kbuild.

P_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
TOP ?= $(abspath $(dir $(P_MK))..)

PROTO_INC := -I$(TOP)/proto -I$(TOP)/uapi
# Frame layout and the policy rules only: no cryptography.
PROTO_CODEC := proto/codec.c
# Derivations and the key fingerprint, on OpenSSL.
PROTO_KDF := $(PROTO_CODEC) proto/kdf.c proto/prim_ossl.c
# Everything: both roles as well.
PROTO_CORE := $(PROTO_KDF) proto/aiotf.c proto/aiotdev.c
