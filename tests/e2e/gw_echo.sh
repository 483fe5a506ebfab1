#!/bin/sh
# Echo control: SIPp calls through sipri to pbxsim, the
# PBX on span 1, which simulates a line hybrid: what it receives comes
# back 6 dB down (ERL 6 dB) and 10 ms late.  SIPp plays white noise; what
# SIPp receives back is captured and measured.
#  1. Default: sipri asks DAHDI for echo cancellation (vdahdi records
#     DAHDI_ECHOCANCEL_PARAMS with 128 taps) but vdahdi does not cancel,
#     so the echo comes back (the positive control: > -30 dBm0).
#  2. software_ec = yes (SIGHUP reload): the echo SIPp receives is at
#     least 20 dB below case 1, once converged.  Levels are the median of
#     0.25 s windows from 2.5 s to 5 s: on a loaded machine a late wake-up
#     of sipri or pbxsim makes the driver send idle and moves the echo
#     path; the canceller finds it again, but not within the window.
#     Then double talk: 6 s after the answer the PBX's user speaks (700 Hz
#     at -15 dBm0) over the far end's noise; it reaches SIPp within 1 dB
#     (its 700 Hz component, measured apart from the noise's echo).
#  3. SIPp plays the V.25 answer tone with phase reversals: sipri turns
#     echo cancellation off (vdahdi records the request with 0 taps).
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/media_lib.sh"

PBX_ANSWER='wait up 10; expect setup timeout=15; answer;
	hybrid gain=-6 delay=10; expect disconnect timeout=20; expect cleared'
# the same, and the near end talks from 6 s to 8 s (double talk)
PBX_TALK='wait up 10; expect setup timeout=15; answer;
	hybrid gain=-6 delay=10; silence 6; tone 700 -15 2;
	expect disconnect timeout=20; expect cleared'

# echo_call N SCRIPT: one call with noise, the echo captured as capN
echo_call() {
	cap_start "cap$1" 6100
	pbx_start "pbx$1" --span 1 --node network -e "$2"
	[ "$1" = 1 ] && { check "sipri's span comes up" gw_up; sleep 1; }
	PLAY_MS=8000 sipp_play "uac$1" noise -15 8
	gw_wait "uac$1" "pbx$1"
	cap_stop
}

check "sipri starts (DAHDI echo cancellation on by default)" \
	gw_start 'software_ec_taps = 1024'

echo_call 1 "$PBX_ANSWER"
check "1: the call with the hybrid's echo completed" \
	sh -c "$(pbx_passed pbx1 && sipp_passed uac1 && echo true || echo false)"
e0=$(rtp_median cap1 6100 2.5 5)
diag "1: echo without the software canceller: $e0 dBm0 (noise sent at -15)"
check "1: the echo comes back (positive control: $e0 > -30 dBm0)" \
	awk "BEGIN { exit !($e0 > -30) }"
check "1: sipri asked DAHDI for 128 taps of echo cancellation" \
	grep -Eq '^echocan span=2 chan=[0-9]+ taps=128 on=1 off=0' \
	/dev/dahdi/vdahdi
check "1: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1 uac1

check "2: reload with software_ec = yes" gw_reload software_ec yes
echo_call 2 "$PBX_TALK"
check "2: the call completed" \
	sh -c "$(pbx_passed pbx2 && sipp_passed uac2 && echo true || echo false)"
e1=$(rtp_median cap2 6100 2.5 5)
diag "2: echo with the software canceller: $e1 dBm0"
diag "$(grep -E 'echo canceller' "$work/sipri.log")"
check "2: the echo is reduced by at least 20 dB ($e0 -> $e1 dBm0)" \
	awk "BEGIN { exit !($e0 - $e1 >= 20) }"
# the tone's own level (its 700 Hz component): a canceller that lost the
# echo path under load leaves the noise's echo beside it, which is case
# 2's first check, not this one's
t1=$(rtp_median_hz cap2 6100 6.5 7.5 700)
diag "2: double talk: the near end's -15 dBm0 tone reached SIPp at $t1 dBm0 (broadband $(rtp_median cap2 6100 6.5 7.5) dBm0)"
check "2: double talk: near-end speech passes within 1 dB ($t1 dBm0)" \
	awk "BEGIN { exit !($t1 > -16 && $t1 < -14) }"
check "2: no call live, no B-channel open" gw_idle
pbx_passed pbx2 || gw_show pbx2 uac2

# 3: a modem answers from the SIP side
cap_start cap3 6100
pbx_start pbx3 --span 1 --node network -e "$PBX_ANSWER"
PLAY_MS=7000 sipp_play uac3 ans 0 7
gw_wait uac3 pbx3
cap_stop
check "3: the call completed" \
	sh -c "$(pbx_passed pbx3 && sipp_passed uac3 && echo true || echo false)"
check "3: sipri heard ANS/PR and turned echo cancellation off" \
	grep -q "heard: echo cancellation off" "$work/sipri.log"
check "3: ... in DAHDI too (a request for 0 taps)" \
	grep -Eq '^echocan span=2 chan=[0-9]+ taps=0 on=[0-9]+ off=1' \
	/dev/dahdi/vdahdi
check "3: no call live, no B-channel open" gw_idle
pbx_passed pbx3 || gw_show pbx3 uac3

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'echo|calls live' "$work/sipri.log" | tail -n 20)"
diag "$(cat /dev/dahdi/vdahdi 2>/dev/null | grep echocan)"
vdahdi_stop
done_testing
