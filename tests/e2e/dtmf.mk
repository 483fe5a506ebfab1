# ---- DTMF relay (issue 5 items 1-2): tools and end-to-end cases ----------
# SPDX-License-Identifier: GPL-2.0-or-later
check_PROGRAMS += tests/tools/rtpdtmf
tests_tools_rtpdtmf_SOURCES = tests/tools/rtpdtmf.c tests/tools/impair.c \
	tests/tools/impair.h
tests_tools_rtpdtmf_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS)
tests_tools_rtpdtmf_LDADD = $(SPANDSP_LIBS) -lm
GW_E2E_DTMF = tests/e2e/gw_dtmf_pri_sip.sh tests/e2e/gw_dtmf_sip_pri.sh \
	tests/e2e/gw_dtmf_jitter.sh
TESTS += $(GW_E2E_DTMF)
EXTRA_DIST += $(GW_E2E_DTMF) tests/e2e/dtmf
# ---- end DTMF ----

# the INFO DTMF body parser's fuzz target (corpus replayed by make check)
TESTS += tests/fuzz/fuzz_dtmfinfo.sh
check_PROGRAMS += tests/fuzz/fuzz_dtmfinfo
tests_fuzz_fuzz_dtmfinfo_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_dtmfinfo_LDADD = tests/fuzz/libreplay.a sip/libsipri_sip.a \
	gateway/libsipricore.a $(RE_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_dtmfinfo.sh

# gateway/dtmf.c and the INFO bodies, without a network
TESTS += tests/unit/test_dtmf
check_PROGRAMS += tests/unit/test_dtmf
tests_unit_test_dtmf_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_unit_test_dtmf_LDADD = sip/libsipri_sip.a gateway/libsipricore.a \
	gateway/libsipriconf.a \
	$(RE_LIBS) $(SPANDSP_LIBS) $(TONEZONE_LIBS) -lm
