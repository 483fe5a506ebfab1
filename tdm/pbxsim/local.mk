# pbxsim: the scriptable PRI peer (see tdm/pbxsim/README)
# SPDX-License-Identifier: GPL-2.0-or-later

noinst_LIBRARIES += tdm/pbxsim/libpbxsim.a
tdm_pbxsim_libpbxsim_a_SOURCES = \
	tdm/pbxsim/pbxsim.h \
	tdm/pbxsim/action.c tdm/pbxsim/audio.c tdm/pbxsim/auto.c \
	tdm/pbxsim/call.c tdm/pbxsim/calls.c tdm/pbxsim/expect.c \
	tdm/pbxsim/load.c tdm/pbxsim/log.c tdm/pbxsim/run.c \
	tdm/pbxsim/script.c \
	tdm/pbxsim/cadence.c tdm/pbxsim/tone_expect.c \
	tdm/pbxsim/hybrid.c
tdm_pbxsim_libpbxsim_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS) \
	$(SPANDSP_CFLAGS)

bin_PROGRAMS += tdm/pbxsim/pbxsim
tdm_pbxsim_pbxsim_SOURCES = tdm/pbxsim/main.c
tdm_pbxsim_pbxsim_CPPFLAGS = $(tdm_pbxsim_libpbxsim_a_CPPFLAGS)
tdm_pbxsim_pbxsim_LDADD = tdm/pbxsim/libpbxsim.a tdm/pri/libtdmpri.a \
	common/libsipricommon.a \
	$(PRI_LIBS) $(RE_LIBS) $(SPANDSP_LIBS) -lm
EXTRA_DIST += tdm/pbxsim/README

# ---- tests: unit tests, and end-to-end cases over vdahdi ----------------
PBXSIM_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS) $(SPANDSP_CFLAGS)
PBXSIM_TEST_LDADD = tdm/pbxsim/libpbxsim.a tdm/pri/libtdmpri.a \
	common/libsipricommon.a \
	$(PRI_LIBS) $(RE_LIBS) $(SPANDSP_LIBS) -lm
TESTS += tests/unit/test_pbxsim_tone tests/unit/test_pbxsim_script
check_PROGRAMS += tests/unit/test_pbxsim_tone tests/unit/test_pbxsim_script
tests_unit_test_pbxsim_tone_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_pbxsim_tone_LDADD = $(PBXSIM_TEST_LDADD)
tests_unit_test_pbxsim_script_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_pbxsim_script_LDADD = $(PBXSIM_TEST_LDADD)
PBXSIM_E2E = tests/e2e/pbxsim_basic.sh tests/e2e/pbxsim_reject.sh \
	tests/e2e/pbxsim_overlap.sh tests/e2e/pbxsim_cable.sh \
	tests/e2e/pbxsim_badfcs.sh tests/e2e/pbxsim_t1.sh \
	tests/e2e/pbxsim_switchtypes.sh tests/e2e/pbxsim_multi.sh \
	tests/e2e/pbxsim_load.sh
TESTS += $(PBXSIM_E2E)
EXTRA_DIST += $(PBXSIM_E2E) tests/e2e/pbxsim_lib.sh
