#!/bin/sh
# A real softphone through sipri: baresip (auto-answer) receives a PRI
# call and sends one, with audio.  baresip
# runs headless on 127.0.0.1:5062 (tests/e2e/baresip): its microphone is a
# 600 Hz sine (ausine), what it sends and receives is dumped to WAV files
# (sndfile), and the test drives it through ctrl_tcp.
#  1. PRI -> baresip: pbxsim calls 4930123, baresip answers by itself
#     (PCMA).  The PBX measures baresip's 600 Hz at the level baresip
#     encoded it (1004 Hz must not pass for it); the PBX's 1004 Hz at
#     -10 dBm0 is in baresip's received WAV; the PBX hangs up (cause 16)
#     and baresip's call ends.
#  2. baresip -> PRI: baresip dials sip:+4930777@127.0.0.1:5060 (it
#     prefers PCMU: sipri transcodes to the E1's A-law); the SETUP carries
#     called 30777 and calling 30123, national; the PBX answers, measures
#     baresip's 600 Hz (1500 Hz must not pass for it), its own 1500 Hz
#     reaches baresip's WAV; baresip hangs up and the PBX sees DISCONNECT
#     cause 16.
#  3. baresip -> PRI with DTMF: baresip sends 0123456789*#ABCD by RFC
#     4733 (sndcode); the PBX detects each digit once, in order.
# After each call no call is live and no B-channel is open; sipri and
# baresip exit cleanly.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
: "${SANDBOX_TIMEOUT:=90}"

. "$top_srcdir/tests/e2e/baresip_lib.sh"
bs_find
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

BS_FREQ=600

span_up() {
	grep -E 'span 2 (up|down)' "$work/sipri.log" | tail -n 1 | grep -q up
}

check "sipri starts on the loopback profile" gw_start
check "baresip starts, listening on 127.0.0.1:5062 and ctrl_tcp" bs_start

# 1: PRI -> baresip, the PBX clears
pbx_start pbx1 --span 1 --node network -e "wait up 10;
	call 4930123 calling=5551234 ton=international cton=national;
	expect connect timeout=10; tone 1004 -10 3;
	expect tone $BS_FREQ level=-3 ltol=2 ftol=3 timeout=10;
	expect notone 1004 ftol=50 timeout=5;
	drain; hangup 16; expect cleared"
check "sipri's span comes up" gw_up
gw_wait pbx1
check "PBX: baresip answered; its ${BS_FREQ} Hz measured (not 1004); cleared" \
	pbx_passed pbx1
check "baresip answered the INVITE by itself" \
	grep -q 'Call established: sip:+495551234@127.0.0.1' "$work/baresip.log"
check "baresip's call ended" wait_for 5 bs_ended 1
check "baresip's BYE came with Reason: Q.850;cause=16" \
	grep -q '^Reason: Q\.850;cause=16' "$work/baresip.log"
check "after the call: no call live, no B-channel open" gw_idle
check "baresip dumped the call's audio" keep_wavs call1
check "baresip received the PBX's 1004 Hz at -10 dBm0 (its WAV)" \
	wav_check "$work"/call1/*-dec.wav 1004 -10
check "the PBX got baresip's tone at the level baresip sent it" \
	same_level pbx1 "$work"/call1/*-enc.wav

# 2: baresip -> PRI, baresip clears
pbx_start pbx2 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30777 ton=national npi=isdn calling=30123 cton=national timeout=20;
	proceeding; alerting; answer; tone 1500 -10 3;
	expect tone $BS_FREQ level=-3 ltol=2 ftol=3 timeout=10;
	expect notone 1500 ftol=50 timeout=5;
	drain; log measured;
	expect disconnect cause=16 timeout=15; expect cleared"
wait_for 20 grep -q 'log: ready' "$work/pbx2.log" && wait_for 10 span_up
check "baresip dials sip:+4930777@127.0.0.1:5060" \
	bs_ctl dial sip:+4930777@127.0.0.1:5060
wait_for 20 grep -q 'log: measured' "$work/pbx2.log"
check "baresip hangs up" bs_ctl hangup
gw_wait pbx2
check "PBX: SETUP numbers as mapped; baresip's ${BS_FREQ} Hz measured (not 1500); DISCONNECT cause 16" \
	pbx_passed pbx2
check "baresip's call was answered" \
	grep -q 'Call established: sip:+4930777@127.0.0.1:5060' "$work/baresip.log"
check "baresip's call ended" wait_for 5 bs_ended 2
check "after the call: no call live, no B-channel open" gw_idle
check "baresip dumped the call's audio" keep_wavs call2
check "baresip received the PBX's 1500 Hz at -10 dBm0 (its WAV)" \
	wav_check "$work"/call2/*-dec.wav 1500 -10
check "the PBX got baresip's tone at the level baresip sent it" \
	same_level pbx2 "$work"/call2/*-enc.wav
diag "codecs: $(grep -o 'Set audio encoder: [A-Z0-9]*' "$work/baresip.log" |
	tr '\n' ' ')"

# 3: baresip -> PRI with DTMF: baresip sends 0123456789*#ABCD
# as RFC 4733 (its only method); the PBX detects each digit once, in order
pbx_start pbx3 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30778 timeout=20; proceeding; alerting; answer;
	log answered; expect dtmf '0123456789*#ABCD' timeout=20;
	expect disconnect cause=16 timeout=15; expect cleared"
wait_for 20 grep -q 'log: ready' "$work/pbx3.log" && wait_for 10 span_up
check "baresip dials sip:+4930778@127.0.0.1:5060" \
	bs_ctl dial sip:+4930778@127.0.0.1:5060
wait_for 20 grep -q 'log: answered' "$work/pbx3.log" && sleep 1
check "baresip sends the 16 digits (sndcode)" bs_ctl sndcode '0123456789*#ABCD'
wait_for 20 grep -q 'DTMF received' "$work/pbx3.log"
check "baresip hangs up" bs_ctl hangup
gw_wait pbx3
check "PBX: baresip's RFC 4733 digits detected on the B-channel, each once, in order" \
	pbx_passed pbx3
check "after the call: no call live, no B-channel open" gw_idle

check "SIGTERM: baresip exits 0" bs_stop
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
if [ "$tap_failed" -gt 0 ]; then
	for n in pbx1 pbx2 pbx3 ctl; do
		[ -s "$work/$n.log" ] && diag "---- $n" && diag "$(cat "$work/$n.log")"
	done
	diag "---- baresip"
	diag "$(tr '\r' '\n' < "$work/baresip.log" | grep -v 'audio=.*bit/s' |
		tail -n 150)"
	diag "---- sipri"
	diag "$(grep -v 'calls live' "$work/sipri.log" | tail -n 60)"
fi
vdahdi_stop
done_testing
