#!/bin/sh
# Cable pulled mid-call:
# pbxsim calls through sipri to a SIPp UAS, which answers.  Then the E1
# pair is cut (vdahdi `cut 1`): sipri sees the alarm, takes span 2 out of
# service and clears the call with cause 38 (network out of order, Q.850):
# SIPp gets BYE with Reason: Q.850;cause=38.  After `restore 1` the span
# comes back and a new call completes.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

pbx_script pbx <<'END'
wait up 10
call 493041 calling=5551234 ton=international cton=national
expect connect timeout=10
log call up
expect alarm timeout=10
expect dchan_down timeout=10
expect cleared timeout=10
expect noalarm timeout=20
wait up 15
call 493042 calling=5551234 ton=international cton=national
expect connect timeout=10
log second call up
sleep 0.5
hangup 16
expect cleared
END
sipp_start uas1 uas_answer.xml -mp 6100
pbx_start pbx --span 1 --node network --timeout 60 \
	--timer T203=2000 --timer T309=2000 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
check "the first call is answered" \
	wait_for 15 pbx_logged pbx 'log: call up'
sleep 0.5
echo "cut 1" > /dev/dahdi/vdahdi
check "cable cut" test $? -eq 0
check "sipri takes span 2 down" wait_for 5 grep -q "span 2 down" "$work/sipri.log"
gw_wait uas1
check "SIPp: the answered call ended with the gateway's BYE" sipp_passed uas1
check "the BYE carries Reason: Q.850;cause=38" \
	sh -c "grep -A 12 '^BYE ' '$work/uas1.msg' | grep -q '^Reason: Q\.850;cause=38'"
check "the PBX cleared the call too (its T309)" \
	wait_for 20 pbx_logged pbx 'call cleared'
check "after the cut: no call live, no B-channel open" gw_idle
sipp_passed uas1 || gw_show uas1

sipp_start uas2 uas_answer.xml -mp 6200
echo "restore 1" > /dev/dahdi/vdahdi
check "cable restored" test $? -eq 0
check "sipri brings span 2 up again, its channels restarted" gw_up 2
gw_wait pbx uas2
check "PBX: alarm, D-channel down, cleared; after the restore a new call completes" \
	pbx_passed pbx
check "SIPp: the new call was answered and cleared" sipp_passed uas2
check "the PBX's hangup arrives as BYE with Reason: Q.850;cause=16" \
	sipp_msg uas2 '^Reason: Q\.850;cause=16'
check "after the new call: no call live, no B-channel open" gw_idle
pbx_passed pbx || gw_show pbx
sipp_passed uas2 || gw_show uas2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|span' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
