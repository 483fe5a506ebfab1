# ---- issue 4 items 7-8: OPTIONS, trunk failover, overlap dialling ----
TESTS += tests/unit/test_failover
check_PROGRAMS += tests/unit/test_failover
tests_unit_test_failover_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_failover_LDADD = $(CONF_TEST_LDADD)
GW_E2E_OPT = tests/e2e/gw_options.sh tests/e2e/gw_failover.sh \
	tests/e2e/gw_overlap.sh
TESTS += $(GW_E2E_OPT)
EXTRA_DIST += $(GW_E2E_OPT)
# ---- end of issue 4 items 7-8 ----
