# ---- the PBX's hold and retrieval toward SIP (issue 4 items 4, 6) ----
HOLD_E2E = tests/e2e/gw_hold_pri.sh
TESTS += $(HOLD_E2E)
EXTRA_DIST += $(HOLD_E2E) tests/e2e/hold.mk \
	tests/e2e/sipp/uas_hold_update.xml \
	tests/e2e/sipp/uas_hold_reinvite.xml \
	tests/e2e/sipp/uas_hold_488.xml tests/e2e/sipp/uas_hold_491.xml \
	tests/e2e/sipp/uas_hold_481.xml tests/e2e/sipp/uac_held.xml \
	tests/e2e/sipp/uas_update_silent.xml
# ---- end hold ----
