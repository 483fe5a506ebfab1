#!/bin/sh
# SIP -> PRI through sipri: a SIPp UAC calls through
# sipri to pbxsim, the PBX on the network side of span 1.
#  1. The SETUP carries the numbers with TON/NPI (R-URI user +4930777 ->
#     called 30777 national ISDN; caller +495551234 -> 5551234 national);
#     SIPp plays a 1004 Hz tone that pbxsim measures; the PBX hangs up and
#     SIPp gets BYE with Reason: Q.850;cause=16.
#  2. SIPp echoes RTP: pbxsim's 1004 Hz comes back, 1500 Hz is not taken
#     for 1004 (measured from the 1500 Hz onset, not on the tail of the
#     1004 Hz echo); SIPp hangs up and the PBX sees DISCONNECT cause 16.
#  3. A non-numeric caller ("sipp") gives a SETUP without calling number.
# After each call no call is live and no B-channel is open.  The two
# calls' B-channels were read on the clock from their first block, on
# both sides (a channel polled for it costs 2 polls).  The media plane
# was told each thing once (the bridge and the DTMF mode not again at
# every message of the set-up), a loop turn's commands in one wake-up
# (sipri_media_commands_total, sipri_media_wakeups_total).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
check "sipri starts on the loopback profile" gw_start

pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 ton=national npi=isdn calling=5551234 cton=national cnpi=isdn timeout=20;
	proceeding; alerting; answer;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # the libpri start-up race (DESIGN.md): let Q.921 settle
uac_call() {
	sipp_start "$1" uac_call.xml -s "$2" 127.0.0.1:5060 -key caller "$3" \
		-d 1000 $4
}
uac_call uac1 +4930777 +495551234 "-set play 1 -set waitbye 1 -mp 6300"
gw_wait pbx1 uac1
check "PBX: SETUP numbers and TON/NPI as mapped; SIPp's 1004 Hz measured" \
	pbx_passed pbx1
check "SIPp: answered, then BYE from the gateway" sipp_passed uac1
check "the PBX's hangup arrives as BYE with Reason: Q.850;cause=16" \
	sipp_msg uac1 '^Reason: Q\.850;cause=16'
check "SIPp saw 180 Ringing before 200 OK" sipp_msg uac1 '^SIP/2\.0 180 '
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac1 pbx1

pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	expect setup called=30778 timeout=20; proceeding; alerting; answer;
	sleep 0.5; tone 1004 -10 2.5;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	drain; tone 1500 -10 2.5; expect notone 1004 ftol=5 onset=1500 timeout=10;
	expect disconnect cause=16 timeout=15; expect cleared'
sleep 2
uac_call uac2 +4930778 +495551234 "-rtp_echo -mp 6400 -d 9000"
gw_wait pbx2 uac2
check "PBX: its 1004 Hz came back from SIPp's echo; 1500 Hz is not 1004" \
	pbx_passed pbx2
check "SIPp: answered and hung up" sipp_passed uac2
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac2 pbx2
polls="sipri's $(vd_polls 2), the PBX's $(vd_polls 1)"
media=$(curl -s http://127.0.0.1:9580/metrics | awk '
	$1 == "sipri_media_commands_total" { c = $2 }
	$1 == "sipri_media_wakeups_total" { w = $2 }
	END { print c + 0, w + 0 }')
diag "media commands and wake-ups after 2 calls: $media"
set -- $media
check "each call told the media plane at most 12 things, in at most 6 wake-ups ($1 commands, $2 wake-ups)" \
	test "$1" -le 24 -a "$2" -gt 0 -a "$2" -le 12
diag "B-channel polls after 2 calls: $polls"
check "B-channels on the clock from the first block: fewer than 2 polls a call ($polls)" \
	test "$(vd_polls 2)" -lt 4 -a "$(vd_polls 1)" -lt 4

pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	expect setup called=30779 calling= timeout=20; proceeding; alerting;
	answer; expect disconnect cause=16 timeout=15; expect cleared'
sleep 2
uac_call uac3 +4930779 sipp "-d 500"
gw_wait pbx3 uac3
check "a non-numeric SIP caller gives a SETUP without calling number" \
	pbx_passed pbx3
check "... and the call completes" sipp_passed uac3
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac3 pbx3

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
