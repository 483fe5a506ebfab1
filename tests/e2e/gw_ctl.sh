#!/bin/sh
# sipri-ctl(8) over the control socket (gateway/ctl.c, ctl_cmd.c): sipri
# on the loopback profile listens at /run/sipri/sipri.ctl, mode 0660.
#  1. show spans / show trunks, as text and as JSON (-j).
#  2. A held SIP -> PRI call: show calls -j lists it with both numbers;
#     hangup ID 17 clears it with cause 17 at the PBX and a BYE with
#     Reason: Q.850;cause=17 at SIPp.
#  3. channel block takes a channel out of hunting (the next call gets
#     another; show spans and the metrics say blocked), unblock brings it
#     back; channel restart sends RESTART for it.
#  4. reload, trace on|off span N, trace on trunk NAME.
#  5. Errors go to stderr with exit status 1: an unknown command, a call
#     that is not there, a socket nobody listens on.
#  6. A client that connects and says nothing does not hold up another.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

sock=/run/sipri/sipri.ctl
# ctl_json JQ ARGS...: sipri-ctl -j ARGS, JQ of its output
ctl_json() {
	q=$1
	shift
	"$CTL" -j "$@" | jq -r "$q" | tr '\n' ' ' | sed 's/ $//'
}

check "sipri starts on the loopback profile" gw_start "trace_dir = $work/trace"
check "the control socket: $sock, mode 0660" \
	sh -c "[ -S $sock ] && [ \$(stat -c %a $sock) = 660 ]"
check "show spans: span 2 down before the PBX" ctl show spans
check "... says so" out_has '^span 2: down, D-channel down'

pbx_start pbx --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=17 timeout=20; expect cleared;
	expect setup called=30778 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared;
	expect restart timeout=10; log restarted'
gw_ready pbx
check "show spans: span 2 up, 30 idle B-channels" ctl show spans
check "... as text" out_has '^span 2: up, D-channel up, alarms 0x0, B-channels: 30 idle, 0 busy, 0 blocked, 0 restarting'
check "... as JSON: span 2 up, channel 1 idle" test \
	"$(ctl_json '.[0] | [.span, .up, .dchannel_up, .channels["1"]] | map(tostring) | join(",")' show spans)" = \
	"2,true,true,idle"
check "show trunks: loopback up, not registering" ctl show trunks
check "... as text" out_has '^trunk loopback: 127.0.0.1:5062, up \(OPTIONS off\), registration none'
check "... as JSON" test "$(ctl_json '.[0] | [.trunk, .up, .registration] | map(tostring) | join(",")' show trunks)" = \
	"loopback,true,null"

sipp_start uac1 uac_call.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -set waitbye 1 -d 30000 -mp 6300
check "a call is up" wait_for 10 grep -q "call(1){ACTIVE}" "$work/sipri.log"
check "show calls -j: the call, with both numbers, ACTIVE" test \
	"$(ctl_json '.[0] | [.id, .direction, .calling, .called, .state, .pri.span, .sip.trunk, .codec] | map(tostring) | join(",")' show calls)" = \
	"1,sip_to_pri,5551234,30777,ACTIVE,2,loopback,PCMA"
check "show calls: as text" ctl show calls
check "... one line for it" out_has '^call 1 sip_to_pri ACTIVE: 5551234 -> 30777, span 2 channel'
check "hangup 1 17: done" ctl hangup 1 17
check "... says so" out_has '^call 1: cleared with cause 17'
gw_wait uac1
check "SIPp got BYE with Reason: Q.850;cause=17" \
	sipp_msg uac1 '^Reason: Q\.850;cause=17'
check "the PBX saw DISCONNECT cause 17" wait_for 10 \
	pbx_logged pbx 'call\(1\) <- DISCONNECT cause=17'
check "no call live, no B-channel open" gw_idle
check "show calls: none" ctl show calls
check "... says so" out_has '^no calls$'

check "channel block 2 1" ctl channel block 2 1
check "... blocked" test "$(ctl_json '.[0].channels["1"]' show spans)" = blocked
check "... the metrics count it" sh -c "curl -s http://127.0.0.1:9580/metrics |
	grep -q '^sipri_bchannels{span=\"2\",state=\"blocked\"} 1$'"
sipp_uac uac2 uac_call.xml +4930778 -d 500 -mp 6300
check "... the next call hunts another channel" sh -c "grep 'called=30778' \
	'$work/pbx.log' | grep -q 'chan=2 '"
check "no call live, no B-channel open" gw_idle
check "channel unblock 2 1: idle again" ctl channel unblock 2 1
check "... idle" test "$(ctl_json '.[0].channels["1"]' show spans)" = idle
check "channel restart 2 5" ctl channel restart 2 5
check "... the PBX got RESTART for channel 5" \
	wait_for 10 pbx_logged pbx 'log: restarted'
check "... logged" grep -q 'RESTART sent for channel 5' "$work/sipri.log"

check "reload" ctl reload
check "... the configuration reloaded" \
	wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"
check "trace on span 2" ctl trace on span 2
check "... started" test -f "$work/trace/span-2.pcap"
check "trace off span 2" ctl trace off span 2
check "... ended" grep -q "trace $work/trace/span-2.pcap: ended" \
	"$work/sipri.log"
check "trace on trunk loopback" ctl trace on trunk loopback
check "... started" test -f "$work/trace/trunk-loopback.pcap"

check "an unknown command: exit 1" sh -c "! '$CTL' frobnicate > /dev/null 2>&1"
ctl frobnicate
check "... its error on stderr, nothing on stdout" sh -c \
	"grep -q '^unknown command' '$work/ctl.err' && ! [ -s '$work/ctl.out' ]"
check "hangup of a call that is not there: exit 1" \
	sh -c "! '$CTL' hangup 999 2> '$work/ctl.err'"
check "... no call 999" grep -q '^no call 999$' "$work/ctl.err"
check "a socket nobody listens on: exit 1, on stderr" sh -c \
	"! '$CTL' -s /run/sipri/none show spans 2> '$work/ctl.err' &&
	grep -q 'is sipri running' '$work/ctl.err'"

# a client that connects and says nothing
sleep 30 | socat - UNIX-CONNECT:$sock > /dev/null 2>&1 &
check "with a silent client connected, another is answered at once" \
	timeout 2 "$CTL" show spans
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
check "... the socket is gone" test ! -e $sock
vdahdi_stop
done_testing
