#!/bin/sh
# RESTART from sipri (Q.931 §5.5.1): by default (restart_on_up = yes) sipri
# sends RESTART for each of its 30 B-channels, one at a time, when the
# D-channel comes up; the PBX (libpri, network side) acknowledges each,
# and sipri logs "all channels restarted".
# Calls work afterwards: a SIP call gets channel 1 and completes.
# After the call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile (restart_on_up by default)" gw_start

{
	echo "wait up 10 settle=0"
	for ts in $(seq 1 15) $(seq 17 31); do
		echo "expect restart chan=$ts timeout=10"
	done
	echo "log all restarted"
	echo "expect setup called=30791 chan=1 timeout=20"
	echo "proceeding; alerting; answer"
	echo "expect disconnect cause=16 timeout=15"
	echo "expect cleared"
} | pbx_script pbx
pbx_start pbx --span 1 --node network --timeout 60 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
check "the PBX got RESTART for channels 1-15 and 17-31 in order" \
	wait_for 20 pbx_logged pbx 'log: all restarted'
check "... one at a time, each after the last one's ACK: 30 RESTARTs, no repeat" \
	test "$(grep -c '<- RESTART chan=' "$work/pbx.log")" -eq 30
check "sipri: all channels restarted, once" \
	test "$(grep -c 'pri(2){UP}: all channels restarted' "$work/sipri.log")" -eq 1
diag "$(grep -E 'restarting|all channels restarted' "$work/sipri.log")"
sipp_start uac1 uac_call.xml -s +4930791 127.0.0.1:5060 \
	-key caller +495551234 -d 1000 -mp 6300
gw_wait pbx uac1
check "PBX: after the RESTARTs a call on channel 1 completes" pbx_passed pbx
check "SIPp: the call was answered and hung up" sipp_passed uac1
check "after the call: no call live, no B-channel open" gw_idle
{ pbx_passed pbx && sipp_passed uac1; } || gw_show pbx uac1

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 20)"
vdahdi_stop
done_testing
