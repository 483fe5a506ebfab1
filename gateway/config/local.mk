# gateway/config/: the INI parser and its sections (sipri.conf(5)), loaded
# into one immutable struct conf; it builds route/'s routes, number
# plans and cause maps.  Named config/ so it doesn't clash with conf/.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/config/libsipriconfig.a
gateway_config_libsipriconfig_a_SOURCES = \
	gateway/config/conf.h gateway/config/conf_priv.h \
	gateway/config/conf.c gateway/config/conf_ini.c \
	gateway/config/conf_err.c gateway/config/conf_val.c \
	gateway/config/conf_names.c gateway/config/conf_general.c \
	gateway/config/conf_span.c gateway/config/conf_trunk.c \
	gateway/config/conf_auth.c \
	gateway/config/conf_route.c gateway/config/conf_dump.c \
	gateway/config/conf_dtmf.c gateway/config/conf_media.c \
	gateway/config/conf_source.c gateway/config/conf_addr.c \
	gateway/config/conf_tls.c
gateway_config_libsipriconfig_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)

CONF_TEST_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
CONF_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
CONF_TEST_LDADD = gateway/config/libsipriconfig.a \
	gateway/route/libsipriroute.a common/libsipricommon.a \
	$(RE_LIBS) $(TONEZONE_LIBS)

TESTS += tests/unit/test_conf
check_PROGRAMS += tests/unit/test_conf
tests_unit_test_conf_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_LDADD = $(CONF_TEST_LDADD)
EXTRA_DIST += conf/sipri.conf conf/loopback.conf conf/kamailio

# [sip] advertise, external, local_nets, rtp_bind (conf_addr.c)
TESTS += tests/unit/test_conf_addr
check_PROGRAMS += tests/unit/test_conf_addr
tests_unit_test_conf_addr_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_addr_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_addr_LDADD = $(CONF_TEST_LDADD)

# TLS and SRTP keys and their rules (tests/unit/test_conf_tls.c)
TESTS += tests/unit/test_conf_tls
check_PROGRAMS += tests/unit/test_conf_tls
tests_unit_test_conf_tls_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_tls_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_tls_LDADD = $(CONF_TEST_LDADD)

# the bad-config acceptance tests: fixtures in tests/conf/
TESTS += tests/unit/test_conf_bad
check_PROGRAMS += tests/unit/test_conf_bad
tests_unit_test_conf_bad_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_bad_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_bad_LDADD = $(CONF_TEST_LDADD)
EXTRA_DIST += tests/conf

# fuzz target for the parser; its corpus (tests/fuzz/corpus/conf) is
# replayed by every make check
TESTS += tests/fuzz/fuzz_conf.sh
check_PROGRAMS += tests/fuzz/fuzz_conf
tests_fuzz_fuzz_conf_CFLAGS = $(CONF_TEST_CFLAGS)
tests_fuzz_fuzz_conf_LDADD = tests/fuzz/libreplay.a $(CONF_TEST_LDADD)
EXTRA_DIST += tests/fuzz/fuzz_conf.sh

# the config format's man page
dist_man5_MANS = doc/sipri.conf.5
