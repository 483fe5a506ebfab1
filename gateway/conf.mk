# gateway configuration, routing, number and cause mapping: a static
# library the daemon links, plus its unit and bad-config tests.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/libsipriconf.a
gateway_libsipriconf_a_SOURCES = \
	gateway/cc.h \
	gateway/cause.h gateway/cause.c gateway/cause_table.c \
	gateway/cause_name.c \
	gateway/number.h gateway/number.c \
	gateway/conf.h gateway/conf_priv.h gateway/conf.c \
	gateway/conf_ini.c gateway/conf_err.c gateway/conf_val.c \
	gateway/conf_names.c gateway/conf_general.c gateway/conf_span.c \
	gateway/conf_trunk.c gateway/conf_dump.c gateway/conf_dtmf.c \
	gateway/route.h gateway/route_priv.h gateway/route.c \
	gateway/route_conf.c
gateway_libsipriconf_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)

CONF_TEST_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
CONF_TEST_LDADD = gateway/libsipriconf.a $(RE_LIBS)
CONF_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'

TESTS += tests/unit/test_conf
check_PROGRAMS += tests/unit/test_conf
tests_unit_test_conf_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_LDADD = $(CONF_TEST_LDADD)

EXTRA_DIST += conf/sipri.conf conf/loopback.conf

# the bad-config acceptance tests: fixtures in tests/conf/
TESTS += tests/unit/test_conf_bad
check_PROGRAMS += tests/unit/test_conf_bad
tests_unit_test_conf_bad_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_test_conf_bad_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_conf_bad_LDADD = $(CONF_TEST_LDADD)
EXTRA_DIST += tests/conf

TESTS += tests/unit/test_cause
check_PROGRAMS += tests/unit/test_cause
tests_unit_test_cause_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_cause_LDADD = $(CONF_TEST_LDADD)

TESTS += tests/unit/test_number
check_PROGRAMS += tests/unit/test_number
tests_unit_test_number_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_number_LDADD = $(CONF_TEST_LDADD)

TESTS += tests/unit/test_route
check_PROGRAMS += tests/unit/test_route
tests_unit_test_route_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_route_LDADD = $(CONF_TEST_LDADD)

# fuzz target for the parser; its corpus (tests/fuzz/corpus/conf, shipped
# with tests/fuzz/corpus) is replayed by every make check
TESTS += tests/fuzz/fuzz_conf.sh
check_PROGRAMS += tests/fuzz/fuzz_conf
tests_fuzz_fuzz_conf_CFLAGS = $(CONF_TEST_CFLAGS)
tests_fuzz_fuzz_conf_LDADD = tests/fuzz/libreplay.a $(CONF_TEST_LDADD)
EXTRA_DIST += tests/fuzz/fuzz_conf.sh

# the config format's man page
dist_man5_MANS = doc/sipri.conf.5
