#!/bin/sh
# 31 simultaneous calls on a 30-channel E1: 30 SIP
# calls through sipri are answered by the PBX (pbxsim autoanswer) and held;
# the 31st INVITE gets 503 with Reason: Q.850;cause=34 (no circuit/channel
# available).  Then all 30 clear and no call or channel is left.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=120
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A   # SIPp loads it
check "sipri starts" gw_start
pbx_start pbx --span 1 --node network -e 'autoanswer; wait up 10;
	expect stats answered=30 active=30 timeout=40;
	expect stats answered=30 active=0 timeout=40'
gw_up
sleep 1.5   # the libpri start-up race (doc/ARCHITECTURE, facts)

# 30 calls, 10 a second, each held 12 s
( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5062 -m 30 -r 10 -l 30 -d 12000 -key caller +495551234 \
	-mp 6100 -timeout 60s -timeout_error -trace_err \
	-error_file "$work/uac30.err" > "$work/uac30.out" 2>&1
  echo $? > "$work/uac30.rc" ) &
wait_for 30 sh -c "grep -c '{ACTIVE}: CONNECT from B' '$work/sipri.log' |
	grep -qx 30"
ok $? "30 calls are up"

( cd "$work" && sipp -sf "$SIPP_DIR/uac_503.xml" -s +4930999 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5064 -m 1 -mp 6600 -timeout 10s -timeout_error \
	-trace_msg -message_file "$work/uac31.msg" > "$work/uac31.out" 2>&1
  echo $? > "$work/uac31.rc" )
check "the 31st call is refused with 503" sipp_passed uac31
check "... carrying Reason: Q.850;cause=34" sipp_msg uac31 '^Reason: Q\.850;cause=34'

gw_wait uac30 pbx
check "the 30 calls completed (answered, held, cleared by SIP)" sipp_passed uac30
check "the PBX answered 30 and saw them all clear" pbx_passed pbx
check "no call live, no B-channel open" gw_idle
check "SIGTERM: clean exit, no sanitizer report" gw_stop
gw_show uac30 pbx
vdahdi_stop
done_testing
