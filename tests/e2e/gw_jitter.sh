#!/bin/sh
# The jitter buffer end to end: SIPp calls through sipri
# to pbxsim, the PBX on span 1, and plays a 1004 Hz tone at -10 dBm0
# whose RTP packets leave with +-30 ms of jitter, 5% of neighbours
# swapped and 5% lost (tests/tools/mkpcap).  pbxsim measures the tone on
# the B-channel over 6 s: 1004 Hz, -10 dBm0 (+-2 dB: concealed packets
# are a little quieter), and no gap longer than one 20 ms frame (sipri
# conceals the lost packets).  Negative controls: the same tone is not
# taken for 1500 Hz, and the stream's loss is real (sipri concealed
# samples).  The call ends with no call live and no B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-90}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/media_lib.sh"

check "sipri starts" gw_start 'jitter_min = 20' 'jitter_max = 200'
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup timeout=15; answer;
	expect tone 1004 level=-10 ltol=2 dur=6 maxgap=20 timeout=10;
	expect notone 1500 dur=1 maxgap=20 timeout=5;
	expect disconnect timeout=15; expect cleared'
check "sipri's span comes up" gw_up
sleep 1
PLAY_MS=10000 sipp_play uac1 1004 -10 10 A jitter=30 reorder=5 loss=5 seed=3
gw_wait uac1 pbx1
check "SIPp's call with the impaired stream completed" sipp_passed uac1
check "pbxsim: 1004 Hz at -10 dBm0 with no gap longer than 20 ms" \
	pbx_passed pbx1
diag "$(grep 'measured tone' "$work/pbx1.log")"
diag "$(grep -E 'jitter buffer|media:' "$work/sipri.log")"
check "the loss was real: sipri concealed lost packets" sh -c "
	grep 'jitter buffer:' '$work/sipri.log' |
	grep -Eq ' [1-9][0-9]* samples concealed'"
check "no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1 uac1

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
