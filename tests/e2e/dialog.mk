# ---- in-dialog requests: UPDATE, session timers, re-INVITE (issue 4) ----
DIALOG_E2E = tests/e2e/gw_update.sh tests/e2e/gw_stimer.sh \
	tests/e2e/gw_reinvite.sh
TESTS += $(DIALOG_E2E)
EXTRA_DIST += $(DIALOG_E2E) tests/e2e/dialog.mk \
	tests/e2e/dialog_lib.sh \
	tests/e2e/sipp/uac_update.xml tests/e2e/sipp/uas_update.xml \
	tests/e2e/sipp/uac_stimer.xml tests/e2e/sipp/uas_stimer.xml \
	tests/e2e/sipp/uac_reinvite.xml tests/e2e/sipp/uas_glare.xml
# ---- end in-dialog ----
