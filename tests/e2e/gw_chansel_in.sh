#!/bin/sh
# B-channel selection for PRI -> SIP calls on sipri's span, the user side
# (Q.931 §5.2.3.1):
#  1. a SIP call holds channel 1 (sipri hunts ascending); the PBX's next
#     SETUP asks for channel 1 again, preferred, as in glare: sipri takes
#     another free channel, names it in CALL PROCEEDING (c), and the call
#     completes there;
#  2. the same SETUP with channel 1 exclusive is refused with RELEASE
#     COMPLETE cause 44, requested channel not available (d).
# After the calls no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

pbx_script pbx <<'END'
wait up 10
log ready
expect setup called=30781 chan=1 timeout=20
proceeding
alerting
answer
log sip call on 1
call 49301 calling=5551234 chan=1
expect proceeding chan=2 timeout=10
log moved to 2
expect connect timeout=10
hangup 16
expect cleared
log moved call done
call 49302 calling=5551234 chan=1 exclusive
expect hangup cause=44 timeout=10
expect cleared
log exclusive refused
hangup 16 call=1
expect cleared
END
pbx_start pbx --span 1 --node network --timeout 60 -f "$work/pbx.pbx"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx

sipp_start uac uac_flood.xml -s +4930781 127.0.0.1:5060 -p 5064 \
	-key caller +495551234 -mp 6300
check "the SIP call is up on channel 1" \
	wait_for 15 pbx_logged pbx 'log: sip call on 1'
sipp_start uas uas_fault.xml -mp 6100
check "channel 1 preferred, busy: sipri answers CALL PROCEEDING on 2" \
	wait_for 10 pbx_logged pbx 'log: moved to 2'
check "... and says why" grep -q "channel 1 preferred is busy here: taking channel 2" \
	"$work/sipri.log"
check "... the call completes on channel 2" \
	wait_for 10 pbx_logged pbx 'log: moved call done'
check "channel 1 exclusive, busy: RELEASE COMPLETE cause 44" \
	wait_for 10 pbx_logged pbx 'log: exclusive refused'
gw_wait pbx uac uas
check "PBX: its scenario passes" pbx_passed pbx
check "SIPp: the SIP call completed" sipp_passed uac
check "SIPp: the call moved to channel 2 was answered and cleared" \
	sipp_passed uas
check "after the calls: no call live, no B-channel open" gw_idle
pbx_passed pbx || gw_show pbx
sipp_passed uas || gw_show uas uac

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
