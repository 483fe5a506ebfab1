# ---- DTMF relay (issue 5 items 1-2): tools and end-to-end cases ----------
# SPDX-License-Identifier: GPL-2.0-or-later
check_PROGRAMS += tests/tools/rtpdtmf
tests_tools_rtpdtmf_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS)
tests_tools_rtpdtmf_LDADD = $(SPANDSP_LIBS) -lm
GW_E2E_DTMF = tests/e2e/gw_dtmf_pri_sip.sh tests/e2e/gw_dtmf_sip_pri.sh
TESTS += $(GW_E2E_DTMF)
EXTRA_DIST += $(GW_E2E_DTMF) tests/e2e/dtmf
# ---- end DTMF ----
