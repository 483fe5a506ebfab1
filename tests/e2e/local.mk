# tests/e2e/: end-to-end cases through the sipri daemon, each in its own
# namespaces (tests/lib/common.sh): pbxsim over vdahdi on the PRI side;
# SIPp (sipp/, dtmf/) or baresip (baresip/) on the SIP side.  Every case
# ends by checking that no call is live and every B-channel is idle.
# The PBX-only cases (pbxsim_*.sh) register with pbxsim (tdm/pbxsim).
# SPDX-License-Identifier: GPL-2.0-or-later
GW_E2E = \
	tests/e2e/gw_acl.sh \
	tests/e2e/gw_addr.sh \
	tests/e2e/gw_addr_nat.sh \
	tests/e2e/gw_auth_in.sh \
	tests/e2e/gw_auth_out.sh \
	tests/e2e/gw_baresip.sh \
	tests/e2e/gw_cable.sh \
	tests/e2e/gw_cancel_pri_sip.sh \
	tests/e2e/gw_cancel_sip_pri.sh \
	tests/e2e/gw_capacity.sh \
	tests/e2e/gw_causes_pri_sip.sh \
	tests/e2e/gw_causes_sip_pri.sh \
	tests/e2e/gw_causes_trunk.sh \
	tests/e2e/gw_cdr.sh \
	tests/e2e/gw_chansel.sh \
	tests/e2e/gw_chansel_pref.sh \
	tests/e2e/gw_crash.sh \
	tests/e2e/gw_ctl.sh \
	tests/e2e/gw_ctl_service.sh tests/e2e/gw_ctl_originate.sh \
	tests/e2e/gw_chansel_in.sh \
	tests/e2e/gw_daemon.sh \
	tests/e2e/gw_dns.sh \
	tests/e2e/gw_dtmf_jitter.sh \
	tests/e2e/gw_dtmf_pri_sip.sh \
	tests/e2e/gw_dtmf_sip_pri.sh \
	tests/e2e/gw_echo.sh \
	tests/e2e/gw_failover.sh \
	tests/e2e/gw_faults_badfcs.sh \
	tests/e2e/gw_faults_burst.sh \
	tests/e2e/gw_faults_cable.sh \
	tests/e2e/gw_faults_dchan.sh \
	tests/e2e/gw_faults_peer.sh \
	tests/e2e/gw_faults_restart.sh \
	tests/e2e/gw_faults_sighup.sh \
	tests/e2e/gw_faults_vdahdi.sh \
	tests/e2e/gw_flood.sh \
	tests/e2e/gw_group_spread.sh \
	tests/e2e/gw_flood_again.sh \
	tests/e2e/gw_tcpgate.sh \
	tests/e2e/gw_trace.sh \
	tests/e2e/gw_overload.sh \
	tests/e2e/gw_guard_restart.sh \
	tests/e2e/gw_hold_pri.sh \
	tests/e2e/gw_kamailio.sh \
	tests/e2e/gw_jitter.sh \
	tests/e2e/gw_lifetime.sh \
	tests/e2e/gw_metrics.sh \
	tests/e2e/gw_numbers.sh \
	tests/e2e/gw_options.sh \
	tests/e2e/gw_overlap.sh \
	tests/e2e/gw_pi.sh \
	tests/e2e/gw_prack_policy.sh \
	tests/e2e/gw_prack_uac.sh \
	tests/e2e/gw_prack_uas.sh \
	tests/e2e/gw_pri_sip.sh tests/e2e/gw_chan_closing.sh \
	tests/e2e/gw_privacy.sh \
	tests/e2e/gw_prilog.sh \
	tests/e2e/gw_reinvite.sh \
	tests/e2e/gw_restart.sh \
	tests/e2e/gw_restart_up.sh \
	tests/e2e/gw_rtpguard.sh \
	tests/e2e/gw_sdnotify.sh \
	tests/e2e/gw_sip_pri.sh \
	tests/e2e/gw_stimer.sh \
	tests/e2e/gw_timers.sh \
	tests/e2e/gw_tones.sh \
	tests/e2e/gw_tls.sh \
	tests/e2e/gw_torture.sh \
	tests/e2e/gw_update.sh \
	tests/e2e/dahdi_tools.sh \
	tests/e2e/demo_clone.sh
TESTS += $(GW_E2E)
EXTRA_DIST += $(GW_E2E) tests/e2e/local.mk tests/e2e/demo.sh \
	tests/e2e/gw_lib.sh tests/e2e/addr_lib.sh tests/e2e/media_lib.sh tests/e2e/dialog_lib.sh \
	tests/e2e/prack_lib.sh tests/e2e/baresip_lib.sh tests/e2e/fault_lib.sh tests/e2e/sipp tests/e2e/dtmf tests/e2e/baresip
