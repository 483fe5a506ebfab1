#!/bin/sh
# CANCEL before answer, PRI -> SIP: pbxsim, the PBX on span 1, calls
# through sipri to a SIPp UAS that rings; the PBX hangs up before the answer.
#  1. sipri CANCELs with Reason: Q.850;cause=16 (RFC 3326), SIPp answers
#     200 and 487, sipri ACKs the 487 (RFC 3261 §9.1, §17.1.1.3).
#  2. The CANCEL/200 race (RFC 3261 §9.1): SIPp answers the CANCEL with
#     200 and at once the INVITE with 200 (as if that 200 had crossed the
#     CANCEL).  sipri must ACK the 2xx and BYE the dialog it did not
#     want, with the PBX's cause; the PBX is cleared and nothing stays up.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

# 1: CANCEL, 487
sipp_start uas1 uas_cancel.xml -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 493021 calling=5551234 ton=international cton=national;
	expect alerting timeout=10; sleep 0.5; hangup 16;
	expect release cause=16 timeout=10; expect cleared'
check "sipri's span comes up" gw_up
gw_wait uas1 pbx1
check "1: PBX: the call rang and was cleared" pbx_passed pbx1
check "1: SIPp: rang, got CANCEL, answered 200 and 487, got the ACK" \
	sipp_passed uas1
check "1: the CANCEL carries Reason: Q.850;cause=16" \
	sipp_msg uas1 '^Reason: Q\.850;cause=16([^0-9]|$)'
# RFC 3261 §9.1: the CANCEL has the INVITE's CSeq number
cseq_of() {
	grep -A 12 "^$1 " "$work/uas1.msg" | sed -n 's/^CSeq: \([0-9]*\) .*/\1/p' |
		head -n 1
}
check "1: the CANCEL has the INVITE's CSeq number" \
	test -n "$(cseq_of INVITE)" -a "$(cseq_of INVITE)" = "$(cseq_of CANCEL)"
check "1: no call live, no B-channel open" gw_idle
sipp_passed uas1 || gw_show uas1
pbx_passed pbx1 || gw_show pbx1

# 2: the 200 crosses the CANCEL
sipp_start uas2 uas_cancel.xml -set race 1 -mp 6200
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 493022 calling=5551234 ton=international cton=national;
	expect alerting timeout=10; sleep 0.5; hangup 16;
	expect release timeout=10; expect cleared'
gw_wait uas2 pbx2
check "2: PBX: the call rang and was cleared" pbx_passed pbx2
check "2: SIPp: got CANCEL, answered 200, got ACK and BYE" sipp_passed uas2
check "2: sipri ACKed the 2xx that crossed its CANCEL" \
	sipp_msg uas2 '^ACK sip:'
check "2: ... and sent BYE" sipp_msg uas2 '^BYE sip:'
check "2: the BYE carries Reason: Q.850;cause=16" \
	sh -c "grep -A 12 '^BYE ' '$work/uas2.msg' | grep -q '^Reason: Q\.850;cause=16'"
check "2: no call live, no B-channel open" gw_idle
sipp_passed uas2 || gw_show uas2
pbx_passed pbx2 || gw_show pbx2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|sip\(' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
