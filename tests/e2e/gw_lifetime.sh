#!/bin/sh
# Call lifetime bounds (sipri.conf(5): rtp_timeout, max_call_duration,
# max_min_se).  SIPp calls through sipri to pbxsim, which answers.
#  1. rtp_timeout = 2: SIPp plays 4 s of 1004 Hz, then sends nothing.
#     The PBX hears the tone (the call lives while RTP flows), then gets
#     DISCONNECT cause 41; SIPp gets BYE with Reason: Q.850;cause=41, no
#     sooner than 5 s after its ACK (4 s of RTP, then 2 s without).
#  2. rtp_timeout = 2 and a SIPp peer that never sends RTP: the PBX holds
#     the call 0.5 s after the answer, for 5 s (SIPp answers the hold
#     a=recvonly: it sends nothing by agreement), retrieves it and hangs
#     up 1 s later: the call is not cleared by the watch (cause 16, the
#     PBX's own).
#  3. max_call_duration = 2: the call is cleared 2 s after the answer,
#     cause 16 to the PBX, BYE with Reason: Q.850;cause=16 to SIPp.
#  4. An INVITE with Min-SE: 86400, above max_min_se (7200): 403; the PBX
#     sees no SETUP.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/dialog_lib.sh"

# ---- 1, 2, 4: rtp_timeout = 2
check "sipri starts with rtp_timeout = 2" gw_start "rtp_timeout = 2"
pbx_start pbx1 --span 1 --node network -e "wait up 10; log ready;
	expect setup timeout=20; proceeding; alerting; answer;
	expect tone 1004 onset=1004 dur=1 ftol=30 maxgap=1000 timeout=10;
	expect disconnect cause=41 timeout=15; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx1
sipp_uac uac1 uac_call.xml +4930777 -mp 6500 -set play 1 -set waitbye 1
gw_wait pbx1
check "1: SIPp played its tone, then got sipri's BYE" sipp_passed uac1
check "1: PBX: the tone came through, then DISCONNECT cause 41" \
	pbx_passed pbx1
check "1: the BYE carries Reason: Q.850;cause=41" \
	sipp_msg uac1 '^Reason: Q\.850;cause=41'
check "1: the BYE came after 4 s of RTP and 2 s without" \
	msg_gap_in uac1 1 '^ACK ' 1 '^BYE ' 5 12
check "1: sipri logged why" grep -q "no RTP from the peer for" \
	"$work/sipri.log"
check "1: no call live, no B-channel open" gw_idle
gw_show uac1 pbx1

pbx_start pbx2 --span 1 --node network -e "wait up 10; log ready;
	expect setup timeout=20; proceeding; alerting; answer;
	sleep 0.5; notify hold; sleep 5; notify retrieval; sleep 1;
	hangup 16; expect cleared"
check "the new PBX's span is up and settled" gw_ready pbx2
sipp_uac uac2 uac_held.xml +4930777 -mp 6600
gw_wait pbx2
check "2: SIPp, held and retrieved, saw the PBX's BYE" sipp_passed uac2
check "2: PBX: held 5 s without RTP, retrieved, cleared by itself" \
	pbx_passed pbx2
check "2: sipri did not clear the held call" \
	sh -c "[ \$(grep -c 'no RTP from the peer' '$work/sipri.log') -eq 1 ]"
check "2: no call live, no B-channel open" gw_idle
gw_show uac2 pbx2

setups=$(grep -c 'SETUP sent' "$work/sipri.log")
sipp_uac uac4 uac_minse_big.xml +4930777 -mp 6700
check "4: Min-SE: 86400 gets 403" sipp_passed uac4
check "4: sipri logged the bound" grep -q "Min-SE above max_min_se 7200" \
	"$work/sipri.log"
check "4: no SETUP went to the PBX" \
	test "$(grep -c 'SETUP sent' "$work/sipri.log")" -eq "$setups"
check "4: no call live, no B-channel open" gw_idle
gw_show uac4
check "SIGTERM: sipri exits cleanly" gw_stop

# ---- 3: max_call_duration = 2
check "sipri starts with max_call_duration = 2" gw_start \
	"max_call_duration = 2"
pbx_start pbx3 --span 1 --node network -e "wait up 10; log ready;
	expect setup timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=10; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx3
sipp_uac uac3 uac_call.xml +4930777 -mp 6800 -set waitbye 1
gw_wait pbx3
check "3: SIPp got sipri's BYE" sipp_passed uac3
check "3: PBX: DISCONNECT cause 16" pbx_passed pbx3
check "3: the BYE carries Reason: Q.850;cause=16" \
	sipp_msg uac3 '^Reason: Q\.850;cause=16'
check "3: the BYE came 2 s after the answer" \
	msg_gap_in uac3 1 '^ACK ' 1 '^BYE ' 1.8 4
check "3: sipri logged the limit" \
	grep -q "the maximum duration (2000 ms) is reached" "$work/sipri.log"
check "3: no call live, no B-channel open" gw_idle
gw_show uac3 pbx3
check "SIGTERM: sipri exits cleanly" gw_stop
vdahdi_stop
done_testing
