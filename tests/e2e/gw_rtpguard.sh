#!/bin/sh
# Media that cannot be hijacked (sipri.conf(5), trunk key nat).  A SIPp
# UAC calls through sipri to pbxsim; its SDP names 127.0.0.1:7000, where
# rtpinject plays the peer: a 1004 Hz tone, then RFC 4733 events.
#  1. nat = no: rogue senders play 1500 Hz to sipri's RTP port from
#     another address (127.0.0.2:7000) and from another port
#     (127.0.0.1:7002), and RTCP from 127.0.0.2.  The PBX hears the
#     peer's 1004 Hz clean (frequency, level, no gap) and no 1500 Hz.
#     A telephone-event for 5 on payload type 101, which the SDP did not
#     give (it gave 96), plays nothing; 7 on 96 plays: the PBX's first
#     digit is 7.  sipri logs the refused sources.
#  2. nat = yes: the peer's packets come from 127.0.0.1:7010 (its NAT's
#     mapping), not the SDP's port.  sipri latches to that source after
#     the answer and sends its RTP there (symmetric RTP); a rogue starting
#     later from 127.0.0.1:7012 is not heard.
#  3. Early media without 100rel (the trunk's default early_media =
#     prack): the PBX alerts with PI 8 and plays a tone for 2 s before it
#     answers; sipri's 183 carries SDP, but no RTP reaches the peer's
#     address before the ACK of the 200: the peer never showed that it
#     receives our messages (an INVITE's source is easily forged).
# After each call: no call live, no B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
RTPINJECT="$top_builddir/tests/tools/rtpinject"

ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true

# pbx_answer NAME: the PBX answers, measures the peer's tone, then waits
# for the digits and hangs up
pbx_answer() {
	pbx_start "$1" --span 1 --node network -e "wait up 10; log ready;
		expect setup timeout=15; proceeding; alerting; answer;
		expect tone 1004 onset=1004 dur=1.5 level=-10 ltol=1.5 maxgap=20 timeout=10;
		expect notone 1500 ftol=100 onset=1004 dur=1 timeout=5;
		${2:-} hangup; expect cleared"
}

# ---- 1. the SDP's address and port only; negotiated payload types only
check "sipri starts on the loopback profile" gw_start
pbx_answer pbx1 "expect dtmf 7 timeout=10;"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx1
"$RTPINJECT" --tone 1004 --tone-ms 3500 --secs 7 \
	--rogue 127.0.0.2:7000:1500 --rogue 127.0.0.1:7002:1500 \
	--rtcp 127.0.0.2:7001 --event 5:101:4000 --event 7:96:5500 \
	127.0.0.1:7000 > "$work/inject1.out" 2>&1 &
inj=$!
sipp_uac uac1 uac_guard.xml 4930777
wait $inj
gw_wait pbx1
check "SIPp: the call is answered and the PBX hangs up" sipp_passed uac1
check "PBX: the peer's 1004 Hz, clean; no 1500 Hz; the first digit is 7 (the event on payload type 101 played nothing)" \
	pbx_passed pbx1
check "sipri sent the peer RTP at the SDP's address" \
	grep -q "^gateway RTP from 127.0.0.1:" "$work/inject1.out"
check "sipri refused RTP from another address" \
	grep -q "RTP from 127.0.0.2:7000 refused" "$work/sipri.log"
check "sipri refused RTP from another port" \
	grep -q "RTP from 127.0.0.1:7002 refused" "$work/sipri.log"
check "sipri refused RTCP from another address" \
	grep -q "RTCP from 127.0.0.2:7001 refused" "$work/sipri.log"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac1 pbx1
diag "$(cat "$work/inject1.out")"
check "SIGTERM: sipri exits cleanly" gw_stop

# ---- 2. nat = yes: the first source after the answer, and no other
gw_sed='s/^trusted = no$/trusted = no\nnat = yes/'
check "sipri starts with nat = yes on the trunk" gw_start
pbx_answer pbx2
check "sipri's span comes up, the PBX's has settled" gw_ready pbx2
"$RTPINJECT" --tone 1004 --secs 4 --from 127.0.0.1:7010 \
	--rogue 127.0.0.1:7012:1500 127.0.0.1:7000 \
	> "$work/inject2.out" 2>&1 &
inj=$!
sipp_uac uac2 uac_guard.xml 4930777
wait $inj
gw_wait pbx2
check "SIPp: the call is answered and the PBX hangs up" sipp_passed uac2
check "PBX: the latched peer's 1004 Hz, clean; no 1500 Hz" pbx_passed pbx2
check "sipri latched to the peer's NAT mapping" \
	grep -q "RTP latched to 127.0.0.1:7010 (nat)" "$work/sipri.log"
check "sipri's RTP went to the latched source (symmetric)" \
	grep -Eq "^rx sdp=[0-9]+ from=[1-9][0-9]* " "$work/inject2.out"
check "sipri refused the later source" \
	grep -q "RTP from 127.0.0.1:7012 refused" "$work/sipri.log"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac2 pbx2
diag "$(cat "$work/inject2.out")"
sipp_passed uac2 || diag "$(tail -n 40 "$work/sipri.log")"
check "SIGTERM: sipri exits cleanly" gw_stop

# ---- 3. no early media before a PRACK, by default
. "$top_srcdir/tests/e2e/dialog_lib.sh"
. "$top_srcdir/tests/e2e/prack_lib.sh"
gw_sed=
check "sipri starts on the loopback profile" gw_start
pbx_start pbx3 --span 1 --node network -e "wait up 10; log ready;
	expect setup timeout=15; proceeding; alerting pi=8; tone 1004 -10 2;
	drain; answer; sleep 1; hangup; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx3
"$RTPINJECT" --tone 0 --secs 1 127.0.0.1:7000 > "$work/inject3.out" 2>&1 &
inj=$!
sipp_uac uac3 uac_guard.xml 4930777
wait $inj
gw_wait pbx3
check "SIPp: early media offered, then the call" sipp_passed uac3
check "the 183 carried SDP" resp_has uac3 183 '^m=audio '
t_ack=$(msg_time uac3 1 '^ACK ')
t_rtp=$(sed -n 's/^gateway RTP from .* at //p' "$work/inject3.out")
diag "ACK at $t_ack, sipri's first RTP at $t_rtp"
check "sipri's first RTP to the peer came after the ACK, not in early media" \
	awk -v a="$t_ack" -v r="$t_rtp" 'BEGIN { exit !(a != "" && r != "" &&
		r >= a - 0.005) }'
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac3 pbx3
check "SIGTERM: sipri exits cleanly" gw_stop
vdahdi_stop
done_testing
