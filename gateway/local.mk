# gateway/: the sipri daemon - the main loop (main.c), the glue between
# the call core and the two legs (gw.c, legs.c, overlap.c, dtmf_relay.c,
# progress.c, dspctl.c) and the SIP trunks' state (trunk.c).  The rooms
# below it: call/, media/, route/, config/ (doc/ARCHITECTURE).
# SPDX-License-Identifier: GPL-2.0-or-later
sbin_PROGRAMS += gateway/sipri
gateway_sipri_SOURCES = gateway/main.c gateway/gw.h gateway/gw.c \
	gateway/legs.c gateway/overlap.c gateway/trunk.h gateway/trunk.c \
	gateway/dtmf_relay.c gateway/progress.c gateway/dspctl.c \
	gateway/trace.h gateway/trace.c \
	gateway/acct.h gateway/acct.c gateway/cdr.h gateway/cdr.c \
	gateway/metrics.h gateway/metrics.c \
	gateway/ctl.h gateway/ctl.c gateway/ctl_cmd.c \
	gateway/originate.h gateway/originate.c \
	common/tmrlist.h common/tmrlist.c
gateway_sipri_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(SYSTEMD_CFLAGS) \
	-DSYSCONFDIR='"$(sysconfdir)"'
# libre's tmr_start() is sipri's (common/tmrlist.h)
gateway_sipri_LDFLAGS = -Wl,--export-dynamic-symbol=tmr_start
gateway_sipri_LDADD = gateway/config/libsipriconfig.a \
	gateway/route/libsipriroute.a gateway/call/libsipricall.a \
	gateway/mplane/libsiprimplane.a gateway/media/libsiprimedia.a \
	sip/libsipri_sip.a tdm/libsipritdm.a tdm/pri/libtdmpri.a \
	common/libsipricommon.a \
	$(RE_LIBS) $(PRI_LIBS) $(SPANDSP_LIBS) $(TONEZONE_LIBS) \
	$(SYSTEMD_LIBS) -lm -lpthread

# a call's record (acct.c): ringing, answer and who cleared from the
# messages; the CDR's JSON and CSV forms exactly, escapes and nulls
TESTS += tests/unit/test_acct
check_PROGRAMS += tests/unit/test_acct
tests_unit_test_acct_SOURCES = tests/unit/test_acct.c gateway/acct.c
tests_unit_test_acct_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_acct_LDADD = gateway/route/libsipriroute.a \
	common/libsipricommon.a $(RE_LIBS)

# sipri-ctl(8): the control socket's client
sbin_PROGRAMS += gateway/sipri-ctl
gateway_sipri_ctl_SOURCES = gateway/ctlclient.c

# what a call's record costs (BENCHMARKS.md): not a test
noinst_PROGRAMS += tests/bench/cdr_bench
tests_bench_cdr_bench_SOURCES = tests/bench/cdr_bench.c gateway/acct.c \
	gateway/cdr.c
tests_bench_cdr_bench_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_bench_cdr_bench_LDADD = gateway/route/libsipriroute.a \
	common/libsipricommon.a $(RE_LIBS)
