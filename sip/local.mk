# sip/: the SIP leg on libre's SIP core (see sip/sipleg.h)
# SPDX-License-Identifier: GPL-2.0-or-later

noinst_LIBRARIES += sip/libsipri_sip.a
sip_libsipri_sip_a_SOURCES = \
	sip/sipleg.h sip/sip_int.h \
	sip/ua.c sip/leg.c sip/uas.c sip/uac.c sip/dialog.c \
	sip/modify.c sip/reinvite.c sip/hold.c sip/stimer.c sip/options.c sip/dtmf.c \
	sip/prack.c sip/hdr.c sip/media.c sip/log.c sip/acl.c
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

# RFC 4028 negotiation, row by row (tests/unit/test_stimer.c)
TESTS += tests/unit/test_stimer
check_PROGRAMS += tests/unit/test_stimer
tests_unit_test_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_stimer_LDADD = $(SIP_TEST_LDADD)

# fuzz targets for the SIP leg's own parsers: Session-Expires/Min-SE
# (stimer.c), RAck/RSeq (prack.c), the INFO DTMF bodies (dtmf.c); their
# corpora are replayed by make check
TESTS += tests/fuzz/fuzz_stimer.sh tests/fuzz/fuzz_rel100.sh \
	tests/fuzz/fuzz_dtmfinfo.sh
check_PROGRAMS += tests/fuzz/fuzz_stimer tests/fuzz/fuzz_rel100 \
	tests/fuzz/fuzz_dtmfinfo
tests_fuzz_fuzz_stimer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_stimer_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_rel100_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_rel100_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
tests_fuzz_fuzz_dtmfinfo_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_dtmfinfo_LDADD = tests/fuzz/libreplay.a $(SIP_TEST_LDADD)
EXTRA_DIST += tests/fuzz/fuzz_stimer.sh tests/fuzz/fuzz_rel100.sh \
	tests/fuzz/fuzz_dtmfinfo.sh tests/fuzz/corpus/stimer \
	tests/fuzz/corpus/rel100

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
