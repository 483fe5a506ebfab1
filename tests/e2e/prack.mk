# 100rel/PRACK (RFC 3262) and the progress-indicator <-> 18x policy
# (issue 4 items 1-3): end-to-end cases over vdahdi with pbxsim and SIPp
# SPDX-License-Identifier: GPL-2.0-or-later
PRACK_E2E = tests/e2e/gw_prack_uas.sh tests/e2e/gw_prack_uac.sh \
	tests/e2e/gw_pi.sh tests/e2e/gw_prack_policy.sh
TESTS += $(PRACK_E2E)
EXTRA_DIST += $(PRACK_E2E) tests/e2e/prack.mk tests/e2e/prack_lib.sh \
	tests/e2e/sipp/prack_uac.xml tests/e2e/sipp/prack_lost.xml \
	tests/e2e/sipp/prack_uac_lo.xml tests/e2e/sipp/prack_uac_offer.xml \
	tests/e2e/sipp/prack_uas.xml tests/e2e/sipp/prack_uas_fork.xml \
	tests/e2e/sipp/pi_uas.xml tests/e2e/sipp/prack_none.xml
