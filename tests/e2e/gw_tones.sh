#!/bin/sh
# Call-progress tones on the B-channel: pbxsim, the PBX
# on span 1, calls through sipri to a SIPp UAS.
#  1. country = de: SIPp answers 180 without SDP; sipri sends ALERTING
#     with PI 8 and plays the German ringback, which pbxsim measures:
#     425 Hz, 1 s on / 4 s off (+-10 Hz, +-50 ms), two cycles.
#  2. country = us (SIGHUP reload): 440+480 Hz, 2 s on / 4 s off.
#  3. inband_disconnect on span 2 (reload): SIPp refuses with 486; sipri
#     clears with PI 8 and cause 17 (PROGRESS with cause, as libpri sends
#     it) and plays the German busy tone, 425 Hz 480/480 ms; the PBX does
#     not hang up, so T306 expires and sipri sends DISCONNECT cause 17.
#  4. SIPp refuses with 404 (cause 1, unallocated number): the special
#     information tone, 950/1400/1800 Hz 3 x 330 ms, then 1 s off; the PBX
#     hangs up during it.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/media_lib.sh"


check "sipri starts with country = de" gw_start 'country = de' 't306 = 5000'

# 1: the German ringback
sipp_start uas1 uas_cancel.xml -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 493021 calling=5551234; expect alerting pi=8 timeout=10;
	expect cadence 425 on=1000 off=4000 cycles=2 timeout=20;
	hangup 16; expect release timeout=10; expect cleared'
check "sipri's span comes up" gw_up
gw_wait uas1 pbx1
check "1: de: ALERTING with PI 8, ringback 425 Hz 1 s on / 4 s off" \
	pbx_passed pbx1
diag "$(grep 'measured cadence' "$work/pbx1.log")"
check "1: SIPp rang and was cancelled" sipp_passed uas1
check "1: sipri logged the local ringback" \
	grep -q "playing ringback tone (de)" "$work/sipri.log"
check "1: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1

# 2: the US ringback, after a reload
check "2: reload with country = us" gw_reload country us
sipp_start uas2 uas_cancel.xml -mp 6200
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 493022 calling=5551234; expect alerting pi=8 timeout=10;
	expect cadence 440+480 on=2000 off=4000 cycles=2 timeout=25;
	hangup 16; expect release timeout=10; expect cleared'
gw_wait uas2 pbx2
check "2: us: ringback 440+480 Hz 2 s on / 4 s off" pbx_passed pbx2
diag "$(grep 'measured cadence' "$work/pbx2.log")"
check "2: SIPp rang and was cancelled" sipp_passed uas2
check "2: no call live, no B-channel open" gw_idle
pbx_passed pbx2 || gw_show pbx2

# 3: busy in-band, then T306
gw_reload country de
check "3: reload with inband_disconnect on span 2" \
	gw_reload inband_disconnect yes 'span 2'
sipp_start uas3 uas_reject.xml -mp 6300
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	call 493023 calling=5551234;
	expect progress pi=8 cause=17 timeout=10;
	expect cadence 425 on=480 off=480 cycles=3 timeout=6;
	expect disconnect cause=17 timeout=8; expect cleared'
gw_wait uas3 pbx3
check "3: busy: PI 8 with cause 17, busy tone 425 Hz 480/480 ms, \
DISCONNECT cause 17 at T306" pbx_passed pbx3
diag "$(grep 'measured cadence' "$work/pbx3.log")"
check "3: SIPp refused with 486" sipp_passed uas3
check "3: sipri played busy and T306 expired" sh -c "
	grep -q 'playing busy tone (de)' '$work/sipri.log' &&
	grep -q 'T306 expired' '$work/sipri.log'"
check "3: no call live, no B-channel open" gw_idle
pbx_passed pbx3 || gw_show pbx3

# 4: 404 -> cause 1 -> the special information tone
sed 's/^SIP\/2.0 486 Refused/SIP\/2.0 404 Not Found/' \
	"$SIPP_DIR/uas_reject.xml" > "$work/uas_404.xml"
sipp_dir=$SIPP_DIR
SIPP_DIR=$work
sipp_start uas4 uas_404.xml -mp 6400
SIPP_DIR=$sipp_dir
pbx_start pbx4 --span 1 --node network -e 'wait up 10;
	call 493024 calling=5551234;
	expect progress pi=8 cause=1 timeout=10;
	expect cadence 950+1400 on=990 off=1000 cycles=1 timeout=6;
	hangup 16; expect release timeout=10; expect cleared'
gw_wait uas4 pbx4
check "4: 404: PI 8 with cause 1, SIT 950/1400/1800 Hz 990 ms on, 1 s off" \
	pbx_passed pbx4
diag "$(grep 'measured cadence' "$work/pbx4.log")"
check "4: SIPp refused with 404" sipp_passed uas4
check "4: no call live, no B-channel open" gw_idle
pbx_passed pbx4 || gw_show pbx4

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 30)"
vdahdi_stop
done_testing
