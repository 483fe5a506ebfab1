#!/bin/sh
# No answer, with short
# timers (t310 = 3000, timer_c = 4000):
#  1. SIP -> PRI: pbxsim sends CALL PROCEEDING and then nothing.  sipri
#     (CPE) runs T310 (Q.931 §5.1.6, §9.1) and clears with cause 102
#     (recovery on timer expiry); the SIPp UAC gets 504 (RFC 3398 §7.2.4.1)
#     with Reason: Q.850;cause=102.
#  2. PRI -> SIP: the SIPp UAS rings and never answers.  Timer C (RFC 3261
#     §16.6 step 11) fires: sipri CANCELs with Reason: Q.850;cause=19 (no
#     answer from user, user alerted) and the PBX sees DISCONNECT cause 19.
# Each timer must not fire early.  After each call no call is live and no
# B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts with t310 = 3000 and timer_c = 4000" \
	gw_start 't310 = 3000' 'timer_c = 4000'

# sipp_ms NAME RE: when SIPp traced its first message matching RE, in ms
sipp_ms() {
	grep -B 3 -E "$2" "$work/$1.msg" | sed -n \
		's/^-* [0-9-]* \([0-9]*\):\([0-9]*\):\([0-9.]*\)$/\1 \2 \3/p' |
		head -n 1 | awk '{ printf "%d\n", ($1 * 3600 + $2 * 60 + $3) * 1000 }'
}

# 1: T310
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30731 timeout=20; proceeding;
	expect disconnect cause=102 timeout=10; expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
( cd "$work" && sipp -sf "$SIPP_DIR/uac_fail.xml" -s +4930731 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5062 -m 1 -timeout 20s -timeout_error \
	-trace_msg -message_file "$work/uac1.msg" \
	-trace_err -error_file "$work/uac1.err" -key caller +495551234 \
	-mp 6300 > "$work/uac1.out" 2>&1
  echo $? > "$work/uac1.rc" )
gw_wait pbx1
check "1: PBX: proceeding, then DISCONNECT cause 102 from sipri's T310" \
	pbx_passed pbx1
check "1: SIPp: the INVITE failed" sipp_passed uac1
check "1: cause 102 -> 504" sipp_msg uac1 '^SIP/2\.0 504 '
check "1: Reason: Q.850;cause=102" sipp_msg uac1 '^Reason: Q\.850;cause=102'
t0=$(sipp_ms uac1 '^INVITE ') t1=$(sipp_ms uac1 '^SIP/2\.0 504 ')
diag "INVITE -> 504: $((t1 - t0)) ms"
check "1: T310 ran its 3 s (2.9 s <= INVITE -> 504 < 6 s)" \
	test $((t1 - t0)) -ge 2900 -a $((t1 - t0)) -lt 6000
check "1: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1
sipp_passed uac1 || gw_show uac1

# 2: Timer C
sipp_start uas2 uas_cancel.xml -mp 6200
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 493032 calling=5551234 ton=international cton=national;
	expect alerting timeout=10; expect disconnect cause=19 timeout=10;
	expect cleared'
gw_wait uas2 pbx2
check "2: PBX: alerted, then DISCONNECT cause 19" pbx_passed pbx2
check "2: SIPp: rang, got CANCEL, answered 200 and 487, got the ACK" \
	sipp_passed uas2
check "2: the CANCEL carries Reason: Q.850;cause=19" \
	sipp_msg uas2 '^Reason: Q\.850;cause=19([^0-9]|$)'
t0=$(sipp_ms uas2 '^INVITE ') t1=$(sipp_ms uas2 '^CANCEL ')
diag "INVITE -> CANCEL: $((t1 - t0)) ms"
check "2: Timer C ran its 4 s (3.9 s <= INVITE -> CANCEL < 6 s)" \
	test $((t1 - t0)) -ge 3900 -a $((t1 - t0)) -lt 6000
check "2: no call live, no B-channel open" gw_idle
pbx_passed pbx2 || gw_show pbx2
sipp_passed uas2 || gw_show uas2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|sip\(' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
