#!/bin/sh
# CANCEL before answer, SIP -> PRI: a SIPp UAC calls through sipri to
# pbxsim, which rings; SIPp CANCELs after the 180.  SIPp gets 200 for the CANCEL and 487 for the
# INVITE (RFC 3261 §9.2) and the PBX sees DISCONNECT with
#  1. cause 16 when the CANCEL has no Reason (RFC 3398 §7.2.3),
#  2. the cause of the CANCEL's Reason: Q.850;cause=31 (RFC 3326).
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

pbx_start pbx --span 1 --node network --timeout 60 -e 'wait up 10;
	expect setup called=30711 timeout=20; proceeding; alerting;
	expect disconnect cause=16 timeout=10; expect cleared;
	log call 1 cleared;
	expect setup called=30712 timeout=20; proceeding; alerting;
	expect disconnect cause=31 timeout=10; expect cleared;
	log call 2 cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)

# 1: CANCEL without Reason
sipp_uac uac1 uac_cancel.xml +4930711 -d 500 -mp 6300 \
	-key xhdr X-Test -key xval none
check "1: SIPp got 180, 200 for its CANCEL, then 487" sipp_passed uac1
check "1: the INVITE got 487 Request Terminated" sipp_msg uac1 '^SIP/2\.0 487 '
check "1: the PBX saw DISCONNECT cause 16" \
	wait_for 10 pbx_logged pbx 'log: call 1 cleared'
check "1: no call live, no B-channel open" gw_idle
sipp_passed uac1 || gw_show uac1

# 2: CANCEL with Reason: Q.850;cause=31
sipp_uac uac2 uac_cancel.xml +4930712 -d 500 -mp 6400 \
	-key xhdr Reason -key xval 'Q.850;cause=31'
check "2: SIPp got 180, 200 for its CANCEL, then 487" sipp_passed uac2
check "2: the CANCEL carried Reason: Q.850;cause=31" \
	sipp_msg uac2 '^Reason: Q\.850;cause=31'
check "2: the PBX saw DISCONNECT with the Reason's cause 31" \
	wait_for 10 pbx_logged pbx 'log: call 2 cleared'
check "2: no call live, no B-channel open" gw_idle
sipp_passed uac2 || gw_show uac2

gw_wait pbx
check "PBX: both calls rang and were cleared with their causes" pbx_passed pbx
pbx_passed pbx || gw_show pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
