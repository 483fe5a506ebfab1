#!/bin/sh
# B-channel selection with channel_selection = preferred on sipri's span
# (Q.931 §4.5.13, §5.2.3.1 b):
#  1. the SETUP asks for channel 1, preferred; the PBX picks channel 5
#     in CALL PROCEEDING: sipri follows to 5 and the call connects there,
#     with SIPp's 1004 Hz measured by the PBX on channel 5;
#  2. again with SIPp echoing RTP: the PBX's own 1004 Hz on channel 7
#     comes back, so audio flows both ways on the network's channel.
# After each call no call is live and no B-channel is open: the channel
# first asked for was released, not left busy.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
gw_sed='/^\[span 2\]/a channel_selection = preferred'
check "sipri starts with channel_selection = preferred" gw_start
check "... the option is in its config" \
	grep -q '^channel_selection = preferred' "$work/sipri.conf"

pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30781 chan=1 exclusive=no timeout=20;
	proceeding chan=5; alerting; answer;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_start uac1 uac_call.xml -s +4930781 127.0.0.1:5060 \
	-key caller +495551234 -set play 1 -set waitbye 1 -mp 6300
gw_wait pbx1 uac1
check "PBX: preferred SETUP for 1; on its channel 5 SIPp's 1004 Hz measured" \
	pbx_passed pbx1
check "... the PBX moved the call: CALL PROCEEDING chan=5" \
	pbx_logged pbx1 'call\(1\) -> CALL PROCEEDING chan=5'
check "SIPp: answered, then BYE from the gateway" sipp_passed uac1
check "after the call: no call live, no B-channel open" gw_idle
{ pbx_passed pbx1 && sipp_passed uac1; } || gw_show uac1 pbx1

pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	expect setup called=30782 chan=1 exclusive=no timeout=20;
	proceeding chan=7; alerting; answer;
	sleep 0.5; tone 1004 -10 2.5;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	expect disconnect cause=16 timeout=15; expect cleared'
sleep 2
sipp_start uac2 uac_call.xml -s +4930782 127.0.0.1:5060 \
	-key caller +495551234 -rtp_echo -mp 6400 -d 6000
gw_wait pbx2 uac2
check "PBX: on channel 7 its 1004 Hz came back from SIPp's echo" \
	pbx_passed pbx2
check "SIPp: answered and hung up" sipp_passed uac2
check "after the call: no call live, no B-channel open" gw_idle
{ pbx_passed pbx2 && sipp_passed uac2; } || gw_show uac2 pbx2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
