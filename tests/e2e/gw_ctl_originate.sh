#!/bin/sh
# sipri-ctl originate SPAN NUMBER [tone] (gateway/originate.c): a test
# call out of span 2, with no SIP leg, to pbxsim on span 1.
#  1. An extension that answers and echoes the B-channel: with "tone"
#     sipri reports 1004 Hz back at about -10 dBm0, gapless, cleared by
#     sipri with cause 16; the PBX saw the SETUP to the number and a
#     DISCONNECT cause 16.  As text; then as JSON (-j) with the echo 6 dB
#     down, which the level says.
#  2. The same without "tone": silence out, nothing back though the
#     echo is there.
#  3. An extension that hangs up 500 ms after answering: cleared by the
#     PRI side, still answered, exit 0.
#  4. A busy extension (cause 17): exit 1, the cause on stderr.
#  5. Errors: a span that is not there, a number that is not digits.
#  6. Another client is answered while a test call runs.
# After each call every B-channel is idle again.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

err_has() { grep -Eq -- "$1" "$work/ctl.err"; }
# jout JQ: JQ of the JSON in ctl.out, one line
jout() { jq -r "$1" "$work/ctl.out" | tr '\n' ' ' | sed 's/ $//'; }
# near X WANT TOL: |X - WANT| <= TOL
near() { awk -v x="$1" -v w="$2" -v t="$3" \
	'BEGIN { d = x - w; if (d < 0) d = -d; exit !(x != "" && d <= t) }'; }
all_idle() {
	wait_for 5 sh -c "'$CTL' show spans | grep -q 'B-channels: 30 idle, 0 busy'" &&
		gw_idle
}

check "sipri starts on the loopback profile" gw_start
# the echo is pbxsim's hybrid: what the B-channel brings, at its gain
pbx_start pbx --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=4001 timeout=30; proceeding; alerting; answer;
	hybrid gain=0; expect disconnect cause=16 timeout=20; expect cleared;
	expect setup called=4001 timeout=30; alerting; answer; hybrid gain=-6;
	expect disconnect cause=16 timeout=20; expect cleared;
	expect setup called=4002 timeout=30; answer; hybrid gain=0;
	expect disconnect cause=16 timeout=20; expect cleared;
	expect setup called=4003 timeout=30; answer; sleep 0.5; hangup 16;
	expect cleared;
	expect setup called=4004 timeout=30; reject 17; expect cleared;
	expect setup called=4005 timeout=30; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared'
gw_ready pbx

# 1. the tone, echoed
check "originate 2 4001 tone: exit 0" ctl originate 2 4001 tone
check "... answered, on span 2" out_has '^span 2 channel [0-9]+: 4001 answered after [0-9]+ ms$'
check "... sent 1004 Hz at -10 dBm0" out_has '^sent: 1004 Hz at -10 dBm0$'
check "... received the tone back" out_has '^received: 100[0-9]\.[0-9] Hz at -(9\.[0-9]|10\.[0-9]) dBm0, longest gap 0\.0 ms$'
check "... cleared by sipri, cause 16" out_has '^cleared: cause 16 \(normal call clearing\) by sipri$'
check "the PBX saw DISCONNECT cause 16" wait_for 10 \
	pbx_logged pbx 'DISCONNECT cause=16'
check "every B-channel idle" all_idle
check "originate -j 2 4001 tone: exit 0" ctl -j originate 2 4001 tone
check "... answered, the tone sent" test \
	"$(jout '[.span, .number, .answered, .tone_sent, .sent_hz, .sent_dbm0, .received] | map(tostring) | join(",")')" = \
	"2,4001,true,true,1004,-10,true"
check "... 1004 Hz back (within 2 Hz)" near "$(jout .received_hz)" 1004 2
check "... at -16 dBm0 (within 1 dB): the echo's level" near "$(jout .received_dbm0)" -16 1
check "... no gap" near "$(jout .max_gap_ms)" 0 0
check "... cause 16, by sipri" test "$(jout '[.cause, .released_by] | map(tostring) | join(",")')" = "16,sipri"
check "... a channel" sh -c "[ $(jout .channel) -ge 1 ]"
check "every B-channel idle" all_idle

# 2. silence
check "originate 2 4002 (no tone): exit 0" ctl -j originate 2 4002
check "... nothing sent, nothing back" test \
	"$(jout '[.answered, .tone_sent, .received] | map(tostring) | join(",")')" = \
	"true,false,false"
check "every B-channel idle" all_idle

# 3. the far end hangs up first
check "originate 2 4003 tone: exit 0" ctl -j originate 2 4003 tone
check "... answered, cleared by the PRI side with cause 16" test \
	"$(jout '[.answered, .cause, .released_by] | map(tostring) | join(",")')" = \
	"true,16,pri"
check "every B-channel idle" all_idle

# 4. busy
check "originate 2 4004 tone: exit 1" sh -c "! '$CTL' originate 2 4004 tone > '$work/ctl.out' 2> '$work/ctl.err'"
check "... not answered, cause 17 on stderr" err_has '^span 2 channel [0-9]+: 4004 not answered$'
check "... the cause" err_has '^cleared: cause 17 \(user busy\) by the PRI side$'
check "... nothing on stdout" test ! -s "$work/ctl.out"
check "every B-channel idle" all_idle

# 5. errors
check "originate on a span that is not there: exit 1" sh -c "! '$CTL' originate 9 4001 > /dev/null 2> '$work/ctl.err'"
check "... says so" err_has '^no span 9$'
check "originate to a number that is not digits: exit 1" sh -c "! '$CTL' originate 2 40a1 > /dev/null 2> '$work/ctl.err'"
check "... usage" err_has '^usage: originate SPAN NUMBER \[tone\]$'

# 6. another client during a test call
"$CTL" -j originate 2 4005 tone > "$work/orig5.out" 2>&1 &
orig_pid=$!
check "during a test call: show spans answers, a channel busy" wait_for 10 \
	sh -c "'$CTL' show spans | grep -q 'B-channels: 29 idle, 1 busy'"
wait "$orig_pid"
check "... and the test call ends well" test $? -eq 0
check "... answered" sh -c "jq -e .answered '$work/orig5.out' > /dev/null"
check "every B-channel idle" all_idle
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
