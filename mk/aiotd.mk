# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# aiotd, the Naiotf_AIoT service (aiotd/, aiotd/README.md; its HTTP/2
# layer in aiotd/h2/), on libaiotsec.a (mk/agent.mk), libnghttp2, jansson
# and libcurl. Nothing of aiotctl.
# Included by the top-level Makefile after mk/agent.mk.
#
#   aiotd             build $(BUILD)/user/aiotd and the test receiver afrecv
#   aiotd-test        host tests (request bodies, ProblemDetails, base64,
#                     the ID and command mappings, the config file; the
#                     notification sender against the server) under
#                     ASan+UBSan; aiotd.8 against conf.c's keys, ranges and
#                     defaults and main()'s options: TAP
#   aiotd-fuzz-smoke  the request-body harness FUZZ_SECONDS s (TAP)
#   aiotd-hostile     the HTTP/2 server against hostile clients, ten times
#                     aiotd-test's smoke (ASan+UBSan; part of make stress)
#   aiotd-install     what the aiotd package holds (debian/rules: PREFIX=/usr):
#                     aiotd, its page, its unit (paths for PREFIX),
#                     /etc/aiotsec/aiotd.conf (every key commented out at its
#                     default: a conffile must not freeze them) and the
#                     example under share/doc/aiotd, under DESTDIR

D_PKGS := libnghttp2 jansson libcurl
D_CFLAGS_PKG := $(shell $(A_PKG) --cflags $(D_PKGS) 2>/dev/null)
D_LIBS := $(shell $(A_PKG) --libs $(D_PKGS) 2>/dev/null) -lssl -lcrypto -lpthread
D_INC := -I$(TOP)/aiotd -I$(TOP)/aiotd/h2
D_CORE := aiotd/req.c aiotd/area.c aiotd/h2/uri.c aiotd/dest.c
D_SRV := aiotd/h2/h2srv.c aiotd/h2/h2h1.c aiotd/h2/h2io.c
D_H2 := $(D_SRV) aiotd/h2/h2cli.c aiotd/h2/uri.c
D_SRC := $(sort $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/aiotd/*.c))) aiotd/h2/h1srv.c \
	$(D_H2)
D := $(A_OUT)/aiotd-obj

.PHONY: aiotd aiotd-test aiotd-fuzz-smoke aiotd-install aiotd-hostile

aiotd: $(A_OUT)/aiotd $(A_OUT)/afrecv

$(D)/obj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_CFLAGS) $(D_INC) $(D_CFLAGS_PKG) -MMD -MP -c -o $@ $<

$(D)/tobj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_CC) $(A_TCFLAGS) $(D_INC) $(D_CFLAGS_PKG) -MMD -MP -c -o $@ $<

$(D)/fobj/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) $(A_FCFLAGS) $(D_INC) $(D_CFLAGS_PKG) -MMD -MP -c -o $@ $<

-include $(shell find $(D) -name '*.d' 2>/dev/null)

$(A_OUT)/aiotd: $(patsubst %.c,$(D)/obj/%.o,$(D_SRC)) $(L_AR)
	$(A_Q)$(A_CC) $(A_CFLAGS) $(A_XLDFLAGS) -o $@ \
		$(patsubst %.c,$(D)/obj/%.o,$(D_SRC)) $(L_AR) $(A_NL_LIBS) $(D_LIBS)

# The AF side of the tests: an h2c/TLS receiver of notifications.
$(A_OUT)/afrecv: $(patsubst %.c,$(D)/obj/%.o,tests/aiotd/afrecv.c $(D_SRV))
	$(A_Q)$(A_CC) $(A_CFLAGS) -o $@ $^ $(D_LIBS)

$(D)/test_req: $(patsubst %.c,$(D)/tobj/%.o,tests/aiotd/test_req.c \
		$(D_CORE) aiotd/conf.c aiotd/log.c $(A_TAP))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(D_LIBS)

# areas, targetArea and filteringInfo, the module's refusals as ProblemDetails
$(D)/test_area: $(patsubst %.c,$(D)/tobj/%.o,tests/aiotd/test_area.c \
		$(D_CORE) $(A_TAP))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(D_LIBS)

# the notification sender against the server, in one process
$(D)/test_cb: $(patsubst %.c,$(D)/tobj/%.o,tests/aiotd/test_cb.c \
		aiotd/cb.c aiotd/log.c aiotd/state.c aiotd/dest.c $(D_H2) $(A_TAP))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(D_LIBS)

# aiotd's HTTP/2 server against hostile clients, in one process
$(D)/test_hostile: $(patsubst %.c,$(D)/tobj/%.o,tests/aiotd/test_hostile.c \
		tests/aiotd/h2peer.c $(D_SRV) $(A_TAP))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(D_LIBS)

# the module's series and the metrics listener (metrics_listen), promtool
$(D)/test_metrics: $(patsubst %.c,$(D)/tobj/%.o,tests/aiotd/test_metrics.c \
		aiotd/mseries.c aiotd/h2/h1srv.c $(L_SRC) $(A_TAP))
	$(A_Q)$(A_CC) $(A_TCFLAGS) -o $@ $^ $(A_NL_LIBS) -lcrypto -lpthread

# its https case: a throw-away self-signed certificate for 127.0.0.1
$(D)/cb-cert.pem:
	@mkdir -p $(@D)
	$(A_Q)openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-days 2 -keyout $(D)/cb-key.pem -out $@ 2>/dev/null

aiotd-test: $(D)/test_req $(D)/test_area $(D)/test_cb $(D)/test_hostile $(D)/test_metrics \
		$(D)/cb-cert.pem $(A_OUT)/aiotd
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n test_req "$(D)/test_req $(TOP)/tests/aiotd"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n test_area "$(D)/test_area"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n test_cb \
		"$(D)/test_cb $(D)/cb-cert.pem $(D)/cb-key.pem"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n "test_hostile smoke" \
		"$(D)/test_hostile smoke $(D)/cb-cert.pem $(D)/cb-key.pem"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n test_metrics "$(D)/test_metrics"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n "aiotd metrics over HTTP/1.1" \
		"sh $(TOP)/tests/aiotd/metrics.sh $(A_OUT)/aiotd $(TOP)/VERSION"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n "aiotd -t" \
		"sh $(TOP)/tests/aiotd/check-t.sh $(A_OUT)/aiotd"
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n "man page" \
		"sh $(TOP)/tests/aiotd/manpage.sh $(TOP)/aiotd/aiotd.8 \
		$(TOP)/aiotd/conf.c $(TOP)/aiotd/main.c"

aiotd-hostile: $(D)/test_hostile $(D)/cb-cert.pem
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh -n "test_hostile stress" \
		"$(D)/test_hostile stress $(D)/cb-cert.pem $(D)/cb-key.pem"

# make stress (top-level Makefile) runs it before the guest campaign
stress: aiotd-hostile

$(D)/fuzz/fuzz_req: $(patsubst %.c,$(D)/fobj/%.o,tests/aiotd/fuzz_req.c $(D_CORE))
	@mkdir -p $(@D)
	$(A_Q)$(A_FUZZ_CC) -fsanitize=fuzzer $(A_SAN) -o $@ $^ $(D_LIBS)

aiotd-fuzz-smoke: $(D)/fuzz/fuzz_req
	@mkdir -p $(D)/fuzz/artifacts
	$(A_Q)sh $(TOP)/tests/lib/tap-run.sh \
		-n "fuzz_req: $(FUZZ_SECONDS) s without a finding" \
		"sh $(TOP)/tests/lib/run-fuzz.sh $(D)/fuzz/fuzz_req $(FUZZ_SECONDS) \
		$(D)/fuzz/corpus/fuzz_req $(TOP)/tests/aiotd/seeds \
		$(D)/fuzz/fuzz_req.log -timeout=10 -max_len=8192 \
		-dict=$(TOP)/tests/aiotd/fuzz_req.dict \
		-artifact_prefix=$(D)/fuzz/artifacts/fuzz_req-"

aiotd-install: $(A_OUT)/aiotd
	install -D -m 755 $(A_OUT)/aiotd $(DESTDIR)$(PREFIX)/sbin/aiotd
	install -d $(DESTDIR)$(UNITDIR)
	sed '$(A_UNIT_SED)' $(TOP)/aiotd/aiotd.service \
		>$(DESTDIR)$(UNITDIR)/aiotd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/aiotd.service
	install -D -m 644 $(TOP)/aiotd/aiotd.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/aiotd.8
	install -D -m 644 $(TOP)/aiotd/aiotd.conf.example \
		$(DESTDIR)/etc/aiotsec/aiotd.conf
	install -D -m 644 $(TOP)/aiotd/aiotd.conf.example \
		$(DESTDIR)$(PREFIX)/share/doc/aiotd/aiotd.conf.example
