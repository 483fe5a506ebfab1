#!/bin/sh
# RESTART from the PBX:
# pbxsim calls through sipri to a SIPp UAS, which answers on B-channel 1.
# The PBX then sends RESTART for channel 1 (Q.931 §5.5): sipri answers
# RESTART ACKNOWLEDGE, drops the call and its B-channel, and SIPp gets BYE
# with Reason: Q.850;cause=41 (temporary failure, tdm/span.c).  A new call
# on the same channel then completes.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

# the PBX's own call on channel 1 outlives the RESTART in libpri: it is
# cleared afterwards (sipri no longer knows it)
pbx_script pbx <<'END'
wait up 10
call 493051 calling=5551234 ton=international cton=national chan=1 exclusive
expect connect chan=1 timeout=10
log call up
sleep 0.5
restart 1
expect restart_ack timeout=5
log restarted
sleep 1
hangup 16
expect cleared timeout=10
log first call gone
sleep 1
call 493052 calling=5551234 ton=international cton=national chan=1 exclusive
expect connect chan=1 timeout=10
log second call up
sleep 0.5
hangup 16
expect cleared
END
sipp_start uas1 uas_answer.xml -mp 6100
pbx_start pbx --span 1 --node network --timeout 60 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
check "the call is answered" wait_for 15 pbx_logged pbx 'log: call up'
check "sipri acknowledges the RESTART" \
	wait_for 10 pbx_logged pbx 'log: restarted'
gw_wait uas1
check "SIPp: the answered call ended with the gateway's BYE" sipp_passed uas1
check "the BYE carries Reason: Q.850;cause=41" \
	sh -c "grep -A 12 '^BYE ' '$work/uas1.msg' | grep -q '^Reason: Q\.850;cause=41'"
check "the PBX's stale call is gone" \
	wait_for 15 pbx_logged pbx 'log: first call gone'
check "... sipri no longer knew it: RELEASE COMPLETE cause 81 (Q.931 §5.8.3.2)" \
	pbx_logged pbx 'call\(1\) <- RELEASE COMPLETE cause=81'
check "after the RESTART: no call live, no B-channel open" gw_idle
sipp_passed uas1 || gw_show uas1

sipp_start uas2 uas_answer.xml -mp 6200
gw_wait pbx uas2
check "PBX: a new call on channel 1 completes after the RESTART" pbx_passed pbx
check "SIPp: the new call was answered and cleared" sipp_passed uas2
check "after the new call: no call live, no B-channel open" gw_idle
pbx_passed pbx || gw_show pbx
sipp_passed uas2 || gw_show uas2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|span|RESTART' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
