#!/bin/sh
# Overlap dialling through sipri.  Span 2 has overlap =
# yes and [general] t302 = 3000; route "ext" (prefix 2) has max_length 4;
# route "ovl" sends SIP -> PRI calls to +4930... with overlap, 2 digits
# in the SETUP.
# PRI -> SIP (pbxsim calls, SIPp answers); the INVITE carries the whole
# number in each case:
#  1. Sending Complete in the SETUP: no SETUP ACKNOWLEDGE, INVITE at once.
#  2. SETUP "5" without Sending Complete, then INFORMATION 5, 5, #: the
#     '#' ends the number (it is not part of it): INVITE sip:555.
#  3. SETUP "6", then 6, 6: T302 ends the number after 3 s: INVITE 666.
#  4. SETUP "2", then 3, 4, 5, 6: at 4 digits route ext's length rule
#     ends the number, well before T302: INVITE 2345; the 6 sent after
#     it is not part of the number, and the call goes on.
# SIP -> PRI (SIPp calls, pbxsim answers):
#  5. INVITE +4930777: SETUP called=30 without Sending Complete, then
#     after SETUP ACKNOWLEDGE one INFORMATION per digit 7, 7, 7; the PBX
#     sees 30777 and answers.
#  6. SETUP "1", then 1: T302 ends "11", which route service takes only
#     from 4 digits (min_length): the call is refused with cause 28
#     (invalid number format, address incomplete), not 3.
#  9. SETUP "7", then a 7 every second, ten of them: each restarts T302
#     (3 s), but overlap_max (5 s) ends the collection while they still
#     trickle: the INVITE carries fewer than the eleven digits.  SIPp
#     rings; the PBX hangs up after its last digit: CANCEL.
#  7. INVITE +493, the start of route ovl's prefix +4930: 484 Address
#     Incomplete with Reason cause 28 (RFC 3398); 8. INVITE +4420, which
#     no route could take: 404.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

GW_CONF="$work/overlap.conf"
sed -e 's/^node = cpe$/&\noverlap = yes/' -e '/^\[route pri-to-sip\]/,$d' \
	"$top_srcdir/conf/loopback.conf" > "$GW_CONF"
cat >> "$GW_CONF" <<'END'
[route ext]
direction = pri-to-sip
match = prefix:2
max_length = 4
trunk = loopback

[route service]
direction = pri-to-sip
match = prefix:1
min_length = 4
trunk = loopback

[route pri-to-sip]
direction = pri-to-sip
match = regex:^[2-9]
trunk = loopback

[route ovl]
direction = sip-to-pri
match = prefix:+4930
overlap = yes
overlap_digits = 2
group = pbx

[route sip-to-pri]
direction = sip-to-pri
match = regex:^[^+]
group = pbx
END

# pri_call N SCRIPT [SCENARIO]: SIPp answers (uas_answer.xml, or
# SCENARIO in $work); pbxsim runs SCRIPT, then expects the answer, hangs
# up and expects the call cleared
pri_call() {
	if [ -n "${3:-}" ]; then
		SIPP_DIR=$work sipp_start "uas$1" "$3" -mp "6${1}00"
	else
		sipp_start "uas$1" uas_answer.xml -mp "6${1}00"
	fi
	pbx_start "pbx$1" --span 1 --node network -e "wait up 10; $2;
		expect connect timeout=10; hangup 16; expect cleared"
	gw_wait "pbx$1" "uas$1"
	pbx_passed "pbx$1" || gw_show "pbx$1" "uas$1"
}

check "sipri starts with overlap on span 2" gw_start "t302 = 3000" \
	"overlap_max = 5000"
check "configuration has the overlap span" grep -q "^overlap = yes" "$GW_CONF"

pri_call 1 'call 4930123; expect proceeding timeout=5'
check "1: Sending Complete in the SETUP: proceeding, answered" pbx_passed pbx1
check "1: no SETUP ACKNOWLEDGE" sh -c "! grep -q 'SETUP ACKNOWLEDGE' '$work/pbx1.log'"
check "1: INVITE with the whole number" \
	sipp_msg uas1 '^INVITE sip:4930123@127\.0\.0\.1:5062 SIP/2\.0'
check "1: no call live, no B-channel open" gw_idle

pri_call 2 'call 5 complete=no; expect setup_ack timeout=5; info 55#;
	expect proceeding timeout=2'
check "2: '#' ends the number at once: proceeding, answered" pbx_passed pbx2
check "2: INVITE sip:555, without the '#'" \
	sipp_msg uas2 '^INVITE sip:555@127\.0\.0\.1:5062 SIP/2\.0'
check "2: no call live, no B-channel open" gw_idle

pri_call 3 'call 6 complete=no; expect setup_ack timeout=5; info 66;
	log digits sent; expect proceeding timeout=6; log proceeding'
check "3: T302 ends the number: proceeding, answered" pbx_passed pbx3
check "3: INVITE sip:666" \
	sipp_msg uas3 '^INVITE sip:666@127\.0\.0\.1:5062 SIP/2\.0'
# the PROCEEDING came about T302 (3 s) after the last digit
t302_waited() {
	awk '/log: digits sent/ { s = $1 } /log: proceeding/ { e = $1 }
		END { d = e - s; exit !(d >= 2.8 && d < 4.5) }' "$work/pbx3.log"
}
check "3: ... about 3 s after the last digit" t302_waited
check "3: no call live, no B-channel open" gw_idle

# SIPp rings for half a second before it answers: the fifth digit, one
# INFORMATION after the fourth (libpri sends a digit each), comes while
# the call rings, not after the answer, where it would be DTMF
sed '0,/^  <send retrans="500">$/s||  <pause milliseconds="500"/>\n&|' \
	"$SIPP_DIR/uas_answer.xml" > "$work/uas_ring.xml"
pri_call 4 'call 2 complete=no; expect setup_ack timeout=5; info 3456;
	expect proceeding timeout=1' uas_ring.xml
check "4: the length rule ends the number at 4 digits, before T302" pbx_passed pbx4
check "4: INVITE sip:2345; the fifth digit, too late, is not in it" \
	sipp_msg uas4 '^INVITE sip:2345@127\.0\.0\.1:5062 SIP/2\.0'
check "4: ... and does not disturb the call" \
	sh -c "! grep -q 'refused INFO' '$work/sipri.log'"
check "4: no call live, no B-channel open" gw_idle

pbx_start pbx6 --span 1 --node network -e 'wait up 10;
	call 1 complete=no; expect setup_ack timeout=5; info 1;
	expect hangup cause=28 timeout=6; expect cleared'
gw_wait pbx6
check "6: T302 ends 11, too short for route service (min_length 4): cause 28" \
	pbx_passed pbx6
check "6: no call live, no B-channel open" gw_idle
pbx_passed pbx6 || gw_show pbx6

pbx_start pbx5 --span 1 --node network -e 'wait up 10;
	expect setup called=30 complete=no timeout=20; setup_ack;
	expect number 30777 timeout=5; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=10; expect cleared'
sleep 2   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_start uac5 uac_call.xml -s +4930777 127.0.0.1:5060 -key caller \
	+495551234 -d 500
gw_wait pbx5 uac5
check "5: SIP -> PRI overlap: the PBX got SETUP 30, then 30777 in all" pbx_passed pbx5
check "5: the SETUP had no Sending Complete" \
	pbx_logged pbx5 '<- SETUP called=30 .*complete=no'
check "5: then three INFORMATION messages, one per digit" \
	sh -c "[ \$(grep -c '<- INFORMATION digits=7$' '$work/pbx5.log') -eq 3 ]"
check "5: SIPp's call was answered and cleared" sipp_passed uac5
check "5: no call live, no B-channel open" gw_idle
pbx_passed pbx5 || gw_show pbx5 uac5

trickle='call 7 complete=no; expect setup_ack timeout=5'
for i in 1 2 3 4 5 6 7 8 9 10; do trickle="$trickle; sleep 1; info 7"; done
sipp_start uas9 uas_cancel.xml -mp 6900
pbx_start pbx9 --span 1 --node network -e "wait up 10; $trickle;
	expect proceeding timeout=1; hangup 16; expect cleared"
gw_wait pbx9 uas9
check "9: digits trickling within T302 still end: proceeding" \
	pbx_passed pbx9
check "9: the SIP side rang and was cancelled" sipp_passed uas9
check "9: the INVITE came while the digits still trickled" \
	sipp_msg uas9 '^INVITE sip:7{2,10}@127\.0\.0\.1:5062 SIP/2\.0'
check "9: sipri ended the collection at overlap_max" \
	grep -q "overlap receiving has lasted its 5000 ms" "$work/sipri.log"
check "9: no call live, no B-channel open" gw_idle
pbx_passed pbx9 || gw_show pbx9 uas9

sipp_uac uac7 uac_fail.xml +493
check "7: SIP -> PRI +493, the start of route ovl's prefix: refused" sipp_passed uac7
check "7: ... with 484 Address Incomplete" sipp_msg uac7 '^SIP/2\.0 484 '
check "7: ... and Reason cause 28" sipp_msg uac7 '^Reason: Q\.850;cause=28'
sipp_uac uac8 uac_fail.xml +4420
check "8: +4420, which no route could take: 404" sipp_msg uac8 '^SIP/2\.0 404 '
check "7, 8: no call live, no B-channel open" gw_idle
sipp_passed uac8 || gw_show uac7 uac8

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|overlap' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
