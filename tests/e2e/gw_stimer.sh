#!/bin/sh
# Session timers (RFC 4028) through sipri, with
# session_expires = 6 and min_se = 3:
#  1. SIP -> PRI, sipri as UAS: Session-Expires: 2 gets 422 with Min-SE: 3;
#     the retried INVITE (4 s, refresher=uas) is answered with
#     Session-Expires: 4;refresher=uas and Require: timer; sipri then
#     refreshes by UPDATE (the UAC allows it) every 2 s, seen on the wire
#     (tests/e2e/sipp/uac_stimer.xml).
#  2. PRI -> SIP, sipri as UAC: its INVITE offers Supported: timer,
#     Session-Expires: 6, Min-SE: 3; after SIPp's 422 with Min-SE: 8 it
#     asks again for 8; SIPp, the refresher, refreshes once by UPDATE and
#     once by re-INVITE (sipri accepts both), then stops: 8 - 8/3 s after
#     the last refresh sipri sends BYE with Reason: Q.850;cause=102 and the
#     PBX gets DISCONNECT with cause 102 (tests/e2e/sipp/uas_stimer.xml).
#  3. PRI -> SIP, sipri the refresher (SIPp's 200 says refresher=uac) and
#     SIPp's Allow without UPDATE: sipri refreshes by re-INVITE (in
#     gw_reinvite.sh, case 2, the glare case).
#  4. Session-Expires: soon gets 400 (tests/e2e/sipp/uac_se_bad.xml); a UAC
#     without "timer" asking 1 s gets no 422 but 3 s with refresher=uas
#     and no Require: timer, and sipri refreshes it by UPDATE at 1.5 s
#     (tests/e2e/sipp/uac_se_notimer.xml).
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/dialog_lib.sh"

check "sipri starts with session timers of 6 s, Min-SE 3 s" \
	gw_start 'session_expires = 6' 'min_se = 3'

# 1: SIP -> PRI, sipri the refresher
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_uac uac1 uac_stimer.xml +4930777 -mp 6300
gw_wait pbx1
check "SIPp: 422 with Min-SE: 3, then Session-Expires: 4;refresher=uas with \
Require: timer, then two refresh UPDATEs" sipp_passed uac1
check "the 422 is sipri's answer to Session-Expires: 2" \
	sipp_msg uac1 '^SIP/2[.]0 422 Session Interval Too Small'
check "sipri refreshes at half the interval (2 s after the ACK)" \
	msg_gap_in uac1 2 '^ACK ' 1 '^UPDATE ' 1.8 2.5
check "... and again 2 s later" \
	msg_gap_in uac1 1 '^UPDATE ' 2 '^UPDATE ' 1.8 2.5
check "PBX: connected; SIPp's BYE cleared it (cause 16)" pbx_passed pbx1
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac1 pbx1

# 2: PRI -> SIP, SIPp the refresher, then silent
sipp_start uas2 uas_stimer.xml -mp 6400
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 4930124 calling=5551234 ton=international cton=national;
	expect connect timeout=10; expect disconnect cause=102 timeout=20;
	expect cleared'
gw_wait pbx2 uas2
check "SIPp: Supported: timer, Session-Expires: 6, Min-SE: 3; after the \
422, 8; refreshes by UPDATE and re-INVITE accepted; BYE with cause 102" \
	sipp_passed uas2
check "sipri's BYE comes SE - SE/3 = 5.3 s after the last refresh" \
	msg_gap_in uas2 3 '^INVITE ' 1 '^BYE ' 5.0 6.0
check "PBX: DISCONNECT with cause 102 (recovery on timer expiry)" \
	pbx_passed pbx2
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas2 pbx2

# 4: bad input and a UAC without timer support (SIP -> PRI)
sipp_uac uac4 uac_se_bad.xml +4930780 -mp 6500
check "Session-Expires: soon (not delta-seconds) gets 400" sipp_passed uac4
check "after the 400: no call live, no B-channel open" gw_idle
gw_show uac4

pbx_start pbx5 --span 1 --node network -e 'wait up 10;
	expect setup called=30781 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared'
sleep 2
sipp_uac uac5 uac_se_notimer.xml +4930781 -mp 6600
gw_wait pbx5
check "a UAC without timer support asking 1 s gets no 422: 3 s, \
refresher=uas, no Require: timer; sipri refreshes by UPDATE" \
	sipp_passed uac5
check "... 1.5 s after the answer" \
	msg_gap_in uac5 1 '^ACK ' 1 '^UPDATE ' 1.3 2.0
check "PBX: connected; SIPp's BYE cleared it (cause 16)" pbx_passed pbx5
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac5 pbx5

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|session' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
