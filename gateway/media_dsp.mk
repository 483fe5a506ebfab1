# ---- issue 5 items 3-5: tones, echo control, jitter buffer ----------------
# SPDX-License-Identifier: GPL-2.0-or-later
gateway_libsipricore_a_SOURCES += gateway/tone.h gateway/tone.c \
	gateway/echo.h gateway/echo.c gateway/media_ec.h gateway/media_ec.c
gateway_sipri_SOURCES += gateway/progress.c gateway/dspctl.c
gateway_sipri_LDADD += $(TONEZONE_LIBS)
gateway_libsipriconf_a_SOURCES += gateway/conf_media.c
CONF_TEST_LDADD += $(TONEZONE_LIBS)

TESTS += tests/unit/test_tone
check_PROGRAMS += tests/unit/test_tone
tests_unit_test_tone_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_tone_LDADD = gateway/libsipricore.a $(PBXSIM_TEST_LDADD) \
	$(TONEZONE_LIBS)
TESTS += tests/unit/test_echo
check_PROGRAMS += tests/unit/test_echo
tests_unit_test_echo_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_unit_test_echo_LDADD = gateway/libsipricore.a $(RE_LIBS) \
	$(SPANDSP_LIBS) -lm

check_PROGRAMS += tests/tools/rtplevel
tests_tools_rtplevel_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS)
tests_tools_rtplevel_LDADD = $(SPANDSP_LIBS) -lm

# the jitter buffer conceals loss with spandsp's plc
tests_unit_test_jb_LDADD += $(SPANDSP_LIBS) -lm

# fuzz target for the tone-string parser; corpus replayed by make check
TESTS += tests/fuzz/fuzz_tone.sh
check_PROGRAMS += tests/fuzz/fuzz_tone
tests_fuzz_fuzz_tone_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_fuzz_fuzz_tone_LDADD = tests/fuzz/libreplay.a gateway/libsipricore.a \
	$(RE_LIBS) $(SPANDSP_LIBS) $(TONEZONE_LIBS) -lm
EXTRA_DIST += tests/fuzz/fuzz_tone.sh

GW_E2E_MEDIA = tests/e2e/gw_tones.sh tests/e2e/gw_echo.sh tests/e2e/gw_jitter.sh
TESTS += $(GW_E2E_MEDIA)
EXTRA_DIST += $(GW_E2E_MEDIA) tests/e2e/media_lib.sh
# ---- end of the tones/echo/jitter block ------------------------------------
