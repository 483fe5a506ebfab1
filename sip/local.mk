# sip/: the SIP leg on libre's SIP core (see sip/sipleg.h)
# SPDX-License-Identifier: GPL-2.0-or-later

noinst_LIBRARIES += sip/libsipri_sip.a
sip_libsipri_sip_a_SOURCES = \
	sip/sipleg.h sip/sip_int.h \
	sip/ua.c sip/leg.c sip/uas.c sip/uac.c sip/dialog.c \
	sip/modify.c sip/reinvite.c sip/hold.c sip/stimer.c sip/options.c sip/dtmf.c \
	sip/siprtp.h sip/rtp.c \
	sip/prack.c sip/hdr.c sip/media.c sip/rtpguard.c sip/rtpwatch.c sip/flood.c sip/overload.c sip/tcpgate.c sip/log.c sip/acl.c \
	sip/census.c sip/refused.c \
	sip/addr.c sip/tls.c sip/srtp.c sip/sdes.c \
	sip/digest.c sip/auth.c sip/authc.c sip/register.c
sip_libsipri_sip_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)

# ---- tests: a scripted fake core driven by SIPp (tests/sip/) -------------
check_PROGRAMS += tests/sip/siptest
tests_sip_siptest_SOURCES = tests/sip/siptest.c
tests_sip_siptest_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
SIP_TEST_LDADD = sip/libsipri_sip.a common/libsipricommon.a $(RE_LIBS)
tests_sip_siptest_LDADD = $(SIP_TEST_LDADD)

# each case runs sandboxed (tests/lib/common.sh); SIPp, tshark required
SIP_TESTS = tests/sip/uas.sh tests/sip/uac.sh tests/sip/rfc4475.sh
TESTS += $(SIP_TESTS)
EXTRA_DIST += sip/local.mk tests/sip/lib.sh tests/sip/rfc4475.expect \
	tests/corpus/rfc4475 $(SIP_TESTS) \
	tests/sip/request.xml \
	tests/sip/uac_bye.xml \
	tests/sip/uac_cancel.xml \
	tests/sip/uac_ident.xml \
	tests/sip/uac_info.xml \
	tests/sip/uac_late_offer.xml \
	tests/sip/uac_pcmu_first.xml \
	tests/sip/uac_reject.xml \
	tests/sip/uac_rtp.xml \
	tests/sip/uac_wait_bye.xml \
	tests/sip/uas_answer_bye.xml \
	tests/sip/uas_answer_wait.xml \
	tests/sip/uas_cancel.xml \
	tests/sip/uas_cancel_late1xx.xml \
	tests/sip/uas_fail.xml \
	tests/sip/uas_ident.xml \
	tests/sip/uas_race.xml \
	tests/sip/uas_silent.xml \
	tests/sip/uas_timer_c.xml

check_PROGRAMS += tests/sip/sipsend
tests_sip_sipsend_SOURCES = tests/sip/sipsend.c

# the access list by source, row by row (tests/unit/test_sipacl.c)
TESTS += tests/unit/test_sipacl
check_PROGRAMS += tests/unit/test_sipacl
tests_unit_test_sipacl_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_sipacl_LDADD = $(SIP_TEST_LDADD)

# our address toward a peer, rule by rule (tests/unit/test_sipaddr.c)
TESTS += tests/unit/test_sipaddr
check_PROGRAMS += tests/unit/test_sipaddr
tests_unit_test_sipaddr_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_sipaddr_LDADD = $(SIP_TEST_LDADD)

# RFC 4568 a=crypto lines, row by row, and our offers after an answer
# on a leg (tests/unit/test_sdes.c, tests/unit/legkit.h)
TESTS += tests/unit/test_sdes
check_PROGRAMS += tests/unit/test_sdes
tests_unit_test_sdes_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_sdes_LDADD = $(SIP_TEST_LDADD)

# digest authentication: RFC 2617/7616 vectors, nonces and their counts
# (tests/unit/test_sipauth.c)
TESTS += tests/unit/test_sipauth
check_PROGRAMS += tests/unit/test_sipauth
tests_unit_test_sipauth_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_sipauth_LDADD = $(SIP_TEST_LDADD)

# RFC 4028 negotiation, row by row (tests/unit/test_stimer.c)
TESTS += tests/unit/test_stimer
check_PROGRAMS += tests/unit/test_stimer
tests_unit_test_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_stimer_LDADD = $(SIP_TEST_LDADD)

# fuzz targets for the SIP leg's own parsers: Session-Expires/Min-SE
# (stimer.c), RAck/RSeq (prack.c), the INFO DTMF bodies (dtmf.c), the
# credentials of an incoming request (auth.c); their
# corpora are replayed by make check
TESTS += tests/fuzz/fuzz_stimer.sh tests/fuzz/fuzz_rel100.sh \
	tests/fuzz/fuzz_dtmfinfo.sh tests/fuzz/fuzz_sdes.sh tests/fuzz/fuzz_auth.sh
check_PROGRAMS += tests/fuzz/fuzz_stimer tests/fuzz/fuzz_rel100 \
	tests/fuzz/fuzz_dtmfinfo tests/fuzz/fuzz_sdes tests/fuzz/fuzz_auth
tests_fuzz_fuzz_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_stimer_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_rel100_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_rel100_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_dtmfinfo_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_dtmfinfo_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_sdes_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_sdes_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_auth_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_auth_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
EXTRA_DIST += tests/fuzz/fuzz_stimer.sh tests/fuzz/fuzz_rel100.sh \
	tests/fuzz/fuzz_dtmfinfo.sh tests/fuzz/fuzz_sdes.sh \
	tests/fuzz/fuzz_auth.sh tests/fuzz/corpus/sdes tests/fuzz/corpus/stimer \
	tests/fuzz/corpus/rel100

# the media guard's source checks and latching, on a leg's sockets with
# SRTP (tests/unit/test_rtpguard.c, tests/unit/legkit.h)
TESTS += tests/unit/test_rtpguard
check_PROGRAMS += tests/unit/test_rtpguard
tests_unit_test_rtpguard_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_rtpguard_LDADD = $(SIP_TEST_LDADD)
EXTRA_DIST += tests/unit/legkit.h

# SRTP's CPU per channel per frame against plain RTP (BENCHMARKS.md)
noinst_PROGRAMS += tests/bench/srtp_bench
tests_bench_srtp_bench_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_bench_srtp_bench_LDADD = $(RE_LIBS)

# the whole SIP request path, datagrams over loopback to a sipua with a
# fake core (tests/fuzz/fuzz_sipmsg.c); replayed in a private namespace
TESTS += tests/fuzz/fuzz_sipmsg.sh
check_PROGRAMS += tests/fuzz/fuzz_sipmsg
tests_fuzz_fuzz_sipmsg_SOURCES = tests/fuzz/fuzz_sipmsg.c \
	tests/fuzz/fuzz_sipcore.c tests/fuzz/fuzz_sip.h
tests_fuzz_fuzz_sipmsg_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_sipmsg_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
EXTRA_DIST += tests/fuzz/fuzz_sipmsg.sh tests/fuzz/seed_sipmsg.sh \
	tests/fuzz/run_libfuzzer.sh tests/fuzz/FUZZING tests/fuzz/sipmsg.dict
