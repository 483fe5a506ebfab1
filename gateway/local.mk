# gateway: the call core (state machine, calls, logging)
noinst_LIBRARIES += gateway/libsipricore.a
gateway_libsipricore_a_SOURCES = \
	gateway/cc.h gateway/cc.c gateway/log.h gateway/log.c \
	gateway/call.h gateway/call_int.h gateway/call.c gateway/fsm.c \
	gateway/jb.h gateway/jb.c gateway/media.h gateway/media.c \
	gateway/dtmf.h gateway/dtmf.c
gateway_libsipricore_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)

TESTS += tests/unit/test_fsm
check_PROGRAMS += tests/unit/test_fsm
EXTRA_DIST += tests/unit/fsm_test.ok
tests_unit_test_fsm_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_fsm_LDADD = gateway/libsipricore.a $(RE_LIBS)

TESTS += tests/unit/test_jb
check_PROGRAMS += tests/unit/test_jb
tests_unit_test_jb_LDADD = gateway/libsipricore.a $(RE_LIBS)

TESTS += tests/unit/test_media
check_PROGRAMS += tests/unit/test_media
tests_unit_test_media_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_unit_test_media_LDADD = gateway/libsipricore.a $(RE_LIBS) $(SPANDSP_LIBS) -lm

# the daemon
bin_PROGRAMS += gateway/sipri
gateway_sipri_SOURCES = gateway/main.c gateway/gw.h gateway/gw.c gateway/legs.c \
	gateway/overlap.c gateway/trunk.h gateway/trunk.c \
	gateway/dtmf_relay.c
gateway_sipri_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) \
	-DSYSCONFDIR='"$(sysconfdir)"'
gateway_sipri_LDADD = gateway/libsipricore.a gateway/libsipriconf.a \
	sip/libsipri_sip.a tdm/libsipritdm.a tdm/pri/libtdmpri.a \
	$(RE_LIBS) $(PRI_LIBS) $(SPANDSP_LIBS) -lm

# end-to-end cases through the daemon (pbxsim + vdahdi + SIPp)
check_PROGRAMS += tests/tools/mkpcap
tests_tools_mkpcap_SOURCES = tests/tools/mkpcap.c tests/tools/impair.c \
	tests/tools/impair.h
tests_tools_mkpcap_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS)
tests_tools_mkpcap_LDADD = $(SPANDSP_LIBS) -lm
GW_E2E = tests/e2e/gw_pri_sip.sh tests/e2e/gw_sip_pri.sh tests/e2e/gw_daemon.sh \
	tests/e2e/gw_capacity.sh \
	tests/e2e/gw_torture.sh
TESTS += $(GW_E2E)
EXTRA_DIST += $(GW_E2E) tests/e2e/gw_lib.sh tests/e2e/sipp

# ---- baresip ----
TESTS += tests/e2e/gw_baresip.sh
EXTRA_DIST += tests/e2e/gw_baresip.sh tests/e2e/baresip

# ---- issue 3 "Failures and collisions" end-to-end cases ------------------
GW_E2E_FAIL = tests/e2e/gw_causes_sip_pri.sh tests/e2e/gw_causes_pri_sip.sh \
	tests/e2e/gw_cancel_sip_pri.sh tests/e2e/gw_cancel_pri_sip.sh \
	tests/e2e/gw_timers.sh tests/e2e/gw_cable.sh tests/e2e/gw_restart.sh \
	tests/e2e/gw_causes_trunk.sh tests/e2e/gw_dns.sh
TESTS += $(GW_E2E_FAIL)
EXTRA_DIST += $(GW_E2E_FAIL)
# ---- end of the "Failures and collisions" block ---------------------------
