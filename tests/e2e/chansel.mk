# B-channel selection and RESTART (issue 3 item 3): exclusive vs preferred,
# the network picking another channel, glare (cause 44) re-hunts, and
# RESTART sent by sipri; end-to-end over vdahdi with pbxsim and SIPp
# SPDX-License-Identifier: GPL-2.0-or-later
CHANSEL_E2E = tests/e2e/gw_chansel.sh tests/e2e/gw_chansel_pref.sh \
	tests/e2e/gw_restart_up.sh tests/e2e/gw_guard_restart.sh
TESTS += $(CHANSEL_E2E)
EXTRA_DIST += $(CHANSEL_E2E) tests/e2e/chansel.mk
