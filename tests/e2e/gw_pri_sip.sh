#!/bin/sh
# PRI -> SIP through sipri: pbxsim, the PBX on the
# network side of span 1, calls through sipri to a SIPp UAS.
#  1. The INVITE's R-URI, From, To and P-Asserted-Identity carry the
#     numbers mapped to E.164; SIPp answers and plays a 1004 Hz tone from
#     a pcap, which pbxsim measures; the PBX hangs up and SIPp sees BYE
#     with Reason: Q.850;cause=16.
#  2. SIPp echoes RTP: pbxsim's 1004 Hz comes back (1500 Hz must not pass
#     as 1004, measured from the 1500 Hz onset, not on the tail of the
#     1004 Hz echo); SIPp hangs up and the PBX sees DISCONNECT cause 16.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
check "sipri starts on the loopback profile" gw_start

# 1: the PBX clears; SIPp plays a tone
sipp_start uas1 uas_answer.xml -set play 1 -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 4930123 calling=5551234 ton=international cton=national;
	expect alerting timeout=10; expect connect timeout=10;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
gw_wait pbx1 uas1
check "PBX: call answered, SIPp's 1004 Hz tone measured, cleared" pbx_passed pbx1
check "SIPp: the call was answered and cleared" sipp_passed uas1
check "INVITE R-URI: the called number in E.164" \
	sipp_msg uas1 '^INVITE sip:\+4930123@127\.0\.0\.1:5062 SIP/2\.0'
check "To: the called number" sipp_msg uas1 '^To: <sip:\+4930123@'
check "From: the calling number, national TON mapped to +49" \
	sipp_msg uas1 '^From: <sip:\+495551234@'
check "P-Asserted-Identity: the calling number" \
	sipp_msg uas1 '^P-Asserted-Identity: <sip:\+495551234@'
check "the PBX's hangup arrives as BYE with Reason: Q.850;cause=16" \
	sipp_msg uas1 '^Reason: Q\.850;cause=16'
check "the tone arrived at -10 dBm0" pbx_logged pbx1 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.'
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas1 pbx1

# 2: SIPp echoes and clears
sipp_start uas2 uas_answer.xml -rtp_echo -mp 6200 -set uasbye 1 -d 9000
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 4930124 calling=5551234 ton=international cton=national;
	expect connect timeout=10; sleep 0.5; tone 1004 -10 2.5;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	drain; tone 1500 -10 2.5; expect notone 1004 ftol=5 onset=1500 timeout=10;
	expect disconnect cause=16 timeout=15; expect cleared'
gw_wait pbx2 uas2
check "PBX: its 1004 Hz came back from SIPp's echo; 1500 Hz is not 1004" pbx_passed pbx2
check "SIPp: answered and hung up" sipp_passed uas2
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas2 pbx2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
