# ---- in-dialog requests: UPDATE, session timers, re-INVITE (issue 4) ----
DIALOG_E2E = tests/e2e/gw_update.sh tests/e2e/gw_stimer.sh \
	tests/e2e/gw_reinvite.sh
TESTS += $(DIALOG_E2E)
EXTRA_DIST += $(DIALOG_E2E) tests/e2e/dialog.mk \
	tests/e2e/dialog_lib.sh \
	tests/e2e/sipp/uac_update.xml tests/e2e/sipp/uas_update.xml \
	tests/e2e/sipp/uac_stimer.xml tests/e2e/sipp/uas_stimer.xml \
	tests/e2e/sipp/uac_reinvite.xml tests/e2e/sipp/uas_glare.xml \
	tests/e2e/sipp/uac_glare.xml tests/e2e/sipp/uac_se_bad.xml \
	tests/e2e/sipp/uac_se_notimer.xml
# ---- end in-dialog ----

# the Session-Expires / Min-SE parser (sip/stimer.c): fuzz target, corpus
TESTS += tests/fuzz/fuzz_stimer.sh
check_PROGRAMS += tests/fuzz/fuzz_stimer
tests_fuzz_fuzz_stimer_SOURCES = tests/fuzz/fuzz_stimer.c gateway/cc.c \
	gateway/log.c
tests_fuzz_fuzz_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_stimer_LDADD = tests/fuzz/libreplay.a sip/libsipri_sip.a \
	$(RE_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_stimer.sh tests/fuzz/corpus/stimer

# RFC 4028 negotiation, row by row (tests/unit/test_stimer.c)
TESTS += tests/unit/test_stimer
check_PROGRAMS += tests/unit/test_stimer
tests_unit_test_stimer_SOURCES = tests/unit/test_stimer.c gateway/cc.c \
	gateway/log.c
tests_unit_test_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_stimer_LDADD = sip/libsipri_sip.a $(RE_LIBS)
