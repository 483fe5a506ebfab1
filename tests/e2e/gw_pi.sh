#!/bin/sh
# The progress-indicator <-> 18x policy, each row of the
# default table in sipri.conf(5), end to end with pbxsim and SIPp.
# SIP -> PRI (SIPp calls, pbxsim is the called PBX):
#  alert     ALERTING without PI -> 180 without SDP
#  alert8    ALERTING with PI 8 -> 183 with SDP; the PBX's tone reaches
#            SIPp, which echoes it: the PBX measures it before it answers
#  prog8     PROGRESS (PI 8) -> 183 with SDP, early media the same way
# PRI -> SIP (pbxsim calls, SIPp answers, tests/e2e/sipp/pi_uas.xml):
#  ring      180 without SDP -> ALERTING with PI 8: sipri plays the
#            local ringback (the loopback profile's country, us: 440+480
#            Hz; its cadence is measured in gw_tones.sh)
#  ring183   183 with SDP -> PROGRESS with PI 8; SIPp's tone reaches the
#            PBX before CONNECT
#  ring180s  180 with SDP -> ALERTING with PI 8; the same
# In-band DISCONNECT announcements (SIP -> PRI; the trunk's
# inband_disconnect_timer is 3 s here):
#  ann_tmr   the PBX announces before clearing (libpri reports a DISCONNECT
#            with PI 8 as PROGRESS with the cause; pbxsim sends that
#            PROGRESS with cause 17): SIP gets 183 with SDP, the tone
#            reaches SIPp and back, and after 3 s the final 486 (cause 17),
#            while the PBX gets DISCONNECT cause 17
#  ann_rel   the same, but the PBX clears after its announcement: 486 then
# Every case ends with no call live and no B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/prack_lib.sh"

# SIPp here has no 100rel: its early media needs early_media = always
sed 's/^options = 0$/options = 0\ninband_disconnect_timer = 3000\nearly_media = always/' \
	"$top_srcdir/conf/loopback.conf" > "$work/base.conf"
GW_BASE_CONF="$work/base.conf"
"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
check "sipri starts" gw_start

# sip_case NAME SCENARIO MEDIAPORT 'PBX SCRIPT' SIPP-ARGS...: SIPp calls
sip_case() {
	c_name=$1 c_sf=$2 c_mp=$3 c_script=$4
	shift 4
	pbx_start "$c_name-pbx" --span 1 --node network -e "wait up 10;
		expect setup timeout=20; $c_script"
	[ -n "${gw_is_up:-}" ] || { check "sipri's span comes up" gw_up; gw_is_up=1; }
	sleep 2
	sipp_start "$c_name" "$c_sf" -s +4930777 127.0.0.1:5060 \
		-key caller +495551234 -mp "$c_mp" "$@"
	gw_wait "$c_name-pbx" "$c_name"
}
ECHO='sleep 0.3; tone 1004 -10 3; sleep 1;
	expect tone 1004 level=-10 ftol=5 ltol=2 timeout=10'
DONE='answer; sleep 0.5; hangup 16; expect cleared'

sip_case alert uac_call.xml 6100 "proceeding; alerting; sleep 1; $DONE" \
	-set waitbye 1
check "alert: the call completes" both_passed alert-pbx alert
check "alert: ALERTING without PI -> 180 without SDP" \
	resp_has alert 180 '^Content-Length: +0'
check "alert: ... and no 183" sh -c "! grep -q '^SIP/2.0 183' '$work/alert.msg'"
check "alert: no call live, no B-channel open" gw_idle

sip_case alert8 uac_call.xml 6200 "proceeding; alerting pi=8; $ECHO; $DONE" \
	-set waitbye 1 -rtp_echo
check "alert8: the PBX's tone came back through SIP before the answer" \
	both_passed alert8-pbx alert8
check "alert8: ALERTING with PI 8 -> 183 with SDP" \
	resp_has alert8 183 '^Content-Type: application/sdp' '^m=audio'
check "alert8: ... and no 180" sh -c "! grep -q '^SIP/2.0 180' '$work/alert8.msg'"
check "alert8: no call live, no B-channel open" gw_idle

sip_case prog8 uac_call.xml 6300 "proceeding; progress; $ECHO; $DONE" \
	-set waitbye 1 -rtp_echo
check "prog8: the PBX's tone came back through SIP before the answer" \
	both_passed prog8-pbx prog8
check "prog8: PROGRESS with PI 8 -> 183 with SDP" \
	resp_has prog8 183 '^Content-Type: application/sdp' '^m=audio'
check "prog8: no call live, no B-channel open" gw_idle
gw_show alert8 alert8-pbx
both_passed prog8-pbx prog8 || gw_show prog8 prog8-pbx

# pri_case NAME MEDIAPORT 'PBX EXPECTATIONS' SIPP-ARGS...: the PBX calls
pri_case() {
	c_name=$1 c_mp=$2 c_script=$3
	shift 3
	sipp_start "$c_name" pi_uas.xml -mp "$c_mp" "$@"
	pbx_start "$c_name-pbx" --span 1 --node network -e "wait up 10;
		call 4930123 calling=5551234 ton=international cton=national;
		$c_script; expect connect timeout=10; sleep 0.5; hangup 16;
		expect cleared"
	sleep 1
	gw_wait "$c_name-pbx" "$c_name"
}
TONE='sleep 1.2; expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10'

# the dual tone measures as its stronger half, 440 or 480 Hz: 460 +- 25
pri_case ring 6400 "expect alerting pi=8 timeout=10;
	expect tone 460 ftol=25 ltol=30 dur=0.5 timeout=5" -set ring 1
check "ring: 180 without SDP -> ALERTING PI 8 and sipri's own ringback" \
	both_passed ring-pbx ring
check "ring: the policy asks for local ringback" \
	grep -q "local ringback on" "$work/sipri.log"
check "ring: no call live, no B-channel open" gw_idle

pri_case ring183 6500 "expect progress pi=8 timeout=10; $TONE" -set ring183 1
check "ring183: 183 with SDP -> PROGRESS PI 8, SIPp's tone before CONNECT" \
	both_passed ring183-pbx ring183
check "ring183: no call live, no B-channel open" gw_idle

pri_case ring180s 6600 "expect alerting pi=8 timeout=10; $TONE" -set ring180sdp 1
check "ring180s: 180 with SDP -> ALERTING PI 8, SIPp's tone before CONNECT" \
	both_passed ring180s-pbx ring180s
check "ring180s: no call live, no B-channel open" gw_idle
gw_show ring180s ring180s-pbx

sip_case ann_tmr uac_fail.xml 6700 "proceeding; progress cause=17; $ECHO;
	expect disconnect cause=17 timeout=10; expect cleared" -rtp_echo
check "ann_tmr: the announcement reached SIP and came back, then cause 17" \
	both_passed ann_tmr-pbx ann_tmr
check "ann_tmr: 183 with SDP first" \
	resp_has ann_tmr 183 '^Content-Type: application/sdp'
check "ann_tmr: then 486 with Reason: Q.850;cause=17" \
	resp_has ann_tmr 486 '^Reason: Q\.850;cause=17'
check "ann_tmr: the 486 came when the 3 s timer expired" \
	resp_gap_ge ann_tmr 183 486 2.5
check "ann_tmr: no call live, no B-channel open" gw_idle
gw_show ann_tmr ann_tmr-pbx

sip_case ann_rel uac_fail.xml 6800 "proceeding; progress cause=17; $ECHO;
	hangup 17; expect cleared" -rtp_echo
check "ann_rel: the announcement reached SIP, then the PBX cleared" \
	both_passed ann_rel-pbx ann_rel
check "ann_rel: 183 with SDP, then 486 with Reason: Q.850;cause=17" \
	sh -c "grep -q '^SIP/2.0 183' '$work/ann_rel.msg' &&
		grep -q '^Reason: Q.850;cause=17' '$work/ann_rel.msg'"
check "ann_rel: the final response came before the timer" \
	sh -c "[ \$(grep -c 'ms are over' '$work/sipri.log') -eq 1 ]"
check "ann_rel: no call live, no B-channel open" gw_idle
gw_show ann_rel ann_rel-pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
