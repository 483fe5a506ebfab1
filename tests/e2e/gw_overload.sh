#!/bin/sh
# Overload control (sip/overload.c, sipri.conf(5) [sip] overload_queue):
# the loop is slowed by debug_stall_us = 80000 (80 ms for every INVITE
# it takes), so that 20 INVITEs/s from the trunk are more than it can
# take.  While more than overload_queue = 16384 bytes wait in the SIP
# socket, new INVITEs get a stateless 503 with Retry-After and Reason
# cause 42; ACKs and BYEs are still handled, so every call taken
# completes: SIPp sees each INVITE refused or a whole call, the PBX
# answers as many as got 200, no call hangs for want of an ACK, and
# afterwards a call at an idle moment is taken.  The SIP socket's
# receive buffer is the configured 4 MiB.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

stat_of() {
	grep "stopped: sip " "$work/sipri.log" | grep -o " $1=[0-9]*" |
		cut -d= -f2
}

# The D-channel unpaced: at 64 kbit/s, with a loop that stalls 80 ms per
# call taken, the PBX's answers were measured to lag by over a second, the
# calls taken piled up to the span's 30 channels (6 unpaced) and the last
# 503s came from the busy span rather than from this gate
GW_VDAHDI_ARGS="--hdlc-rate 0"
gw_sed='s/^\[sip\]$/&\noverload_queue = 16384\ndebug_stall_us = 80000/'
check "sipri starts with overload_queue = 16384, debug_stall_us = 80000" \
	gw_start
kib=$(sed -n 's/.*UDP receive buffer of \([0-9]*\) KiB.*/\1/p' \
	"$work/sipri.log" | head -n 1)
diag "SIP UDP receive buffer: ${kib:-?} KiB"
check "the SIP UDP socket's receive buffer is at least udp_rcvbuf (4 MiB)" \
	test "${kib:-0}" -ge 4096
pbx_start pbx --span 1 --node network -e "autoanswer hold=200;
	wait up 10; log ready; sleep 20; stats"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx
sipp_flood load -p 5062 -mp 6600 -r 20 -m 120 -timeout 60s
n503=$(grep -c '^SIP/2.0 503 ' "$work/load.msg")
n200=$(grep -A8 '^SIP/2.0 200 OK' "$work/load.msg" | grep -c '^CSeq: 1 INVITE')
diag "20 INVITEs/s on a slowed loop: $n503 x 503, $n200 answered"
check "every INVITE was refused or became a call that completed" \
	sipp_passed load
check "the loop behind: at least 10 INVITEs got 503" test "$n503" -ge 10
check "... with Retry-After and Reason cause 42" \
	sh -c "grep -q '^Retry-After: 5' '$work/load.msg' &&
		grep -q '^Reason: Q.850;cause=42' '$work/load.msg'"
check "the calls taken meanwhile: at least 10" test "$n200" -ge 10
check "the PBX released every call; no call live, no B-channel open" gw_idle
check "no call waited for an ACK that was lost" \
	sh -c "! grep -q 'no ACK' '$work/sipri.log'"
check "sipri logged it, rate-limited" \
	sh -c "n=\$(grep -c 'the loop is behind' '$work/sipri.log');
		[ \$n -ge 1 ] && [ \$n -le 3 ]"
# on another port: the load's last retransmissions may still be answered
sipp_flood after -p 5063 -mp 6700 -m 1 -timeout 30s
taken() {
	sipp_passed "$1" && grep -q '^SIP/2.0 200 OK' "$work/$1.msg"
}
check "afterwards a call is taken" taken after

check "no call live, no B-channel open" gw_idle
gw_show load after pbx
check "SIGTERM: sipri exits cleanly" gw_stop
diag "$(grep "stopped: sip " "$work/sipri.log")"
check "each 503 was the overload gate's: none for the rate or a busy span" \
	test "$(stat_of overload)" -ge 10 -a "$(stat_of busy)" -eq 0 \
		-a "$(stat_of rate_limited)" -eq 0
vdahdi_stop
done_testing
