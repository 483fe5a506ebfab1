# ---- issue 4 items 7-8: OPTIONS, trunk failover, overlap dialling ----
TESTS += tests/unit/test_failover
check_PROGRAMS += tests/unit/test_failover
tests_unit_test_failover_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_test_failover_LDADD = $(CONF_TEST_LDADD)
GW_E2E_OPT = tests/e2e/gw_options.sh tests/e2e/gw_failover.sh \
	tests/e2e/gw_overlap.sh
TESTS += $(GW_E2E_OPT)
EXTRA_DIST += $(GW_E2E_OPT)
TESTS += tests/unit/test_tdm_overlap
check_PROGRAMS += tests/unit/test_tdm_overlap
tests_unit_test_tdm_overlap_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_tdm_overlap_LDADD = tdm/libsipritdm.a tdm/pri/libtdmpri.a \
	$(PRI_LIBS) $(RE_LIBS) -lm
# ---- end of issue 4 items 7-8 ----
