# gateway/route/: routing (match, rewrite, egress), number mapping
# between Q.931 parties and SIP users, and Q.850 <-> SIP status causes.
# It reads the routes the configuration loaded, but never the loader.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/route/libsipriroute.a
gateway_route_libsipriroute_a_SOURCES = \
	gateway/route/route.h gateway/route/route_priv.h \
	gateway/route/route.c \
	gateway/route/number.h gateway/route/number.c \
	gateway/route/cause.h gateway/route/cause.c \
	gateway/route/cause_table.c gateway/route/cause_name.c
gateway_route_libsipriroute_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)

ROUTE_TEST_LDADD = gateway/route/libsipriroute.a common/libsipricommon.a \
	$(RE_LIBS)
TESTS += tests/unit/test_cause tests/unit/test_number
check_PROGRAMS += tests/unit/test_cause tests/unit/test_number
tests_unit_test_cause_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_cause_LDADD = $(ROUTE_TEST_LDADD)
tests_unit_test_number_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_number_LDADD = $(ROUTE_TEST_LDADD)

# routes as sipri.conf writes them: loaded by the config, then looked up
TESTS += tests/unit/test_route tests/unit/test_failover
check_PROGRAMS += tests/unit/test_route tests/unit/test_failover
tests_unit_test_route_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_route_LDADD = $(CONF_TEST_LDADD)
tests_unit_test_failover_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_failover_LDADD = $(CONF_TEST_LDADD)
