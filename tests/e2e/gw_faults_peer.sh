#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): the SIP peer vanishes under
# load.  12 calls each way, held by the PBX, with the SIPp peers echoing
# the RTP they get (a peer that sends media while it lives); then both
# SIPp processes are killed: no more RTP, no answer to anything.  sipri
# must clear every call by its timers: the RTP watch (rtp_timeout = 3)
# clears the answered calls with cause 41, the PRI side at once (the PBX
# sees DISCONNECT cause 41, the B-channels are released), and their BYEs
# end unanswered at Timer F (64*T1); then no call is live.  A new SIP
# peer gets calls both ways again, and nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

pbx_script pbx <<END
autoanswer hold=30000
wait up 15
log ready
load calls=12 rate=10 hold=30000 called=4930 nowait
expect load attempted=12 timeout=60
autoanswer hold=$FAULT_HOLD
$(fault_pbx_again)
END
FAULT_UAS_ARGS=-rtp_echo
check "sipri starts with rtp_timeout = 3; the PBX's link has settled" \
	fault_start 'rtp_timeout = 3'
( cd "$work" && exec sipp -sf "$SIPP_DIR/uac_fault.xml" -i 127.0.0.1 \
	-p 5064 -mp 6064 -s +4930777 127.0.0.1:5060 -key caller +495551234 \
	-r 10 -m 12 -rtp_echo -trace_msg -message_file "$work/load.msg" \
	> "$work/load.out" 2>&1 ) &
uac_pid=$!
check "24 calls are up, 12 each way" fault_calls_up 24
# the peers' RTP has reached every call (show calls counts it every 50
# packets) before they go
check "... each has had RTP from its peer" wait_for 10 sh -c \
	"[ \$('$CTL' -j show calls | jq '[.[] | select(.rtp_rx_packets > 0)] | length') -eq 24 ]"
kill -KILL "$fault_uas_pid" "$uac_pid"
wait "$fault_uas_pid" "$uac_pid" 2>/dev/null
check "the peers gone: sipri's RTP watch clears the 24 answered calls" \
	wait_for 10 sh -c "[ \$(grep -c 'no RTP from the peer for [0-9]* ms' \
		'$work/sipri.log') -eq 24 ]"
# a new peer, for the calls after the fault (the PBX's come at once)
fault_uas uas2 6200 -rtp_echo
check "... whose peers had been sending RTP until then" \
	sh -c "! grep 'RTP sent' '$work/sipri.log' | grep -q ' 0 RTP received'"
check "... the PBX sees DISCONNECT cause 41 for each" \
	wait_for 5 sh -c "[ \$(grep -c '<- DISCONNECT cause=41' \
		'$work/pbx.log') -eq 24 ]"
released='{CLEARING}: RELEASE/RELEASE COMPLETE received, cause 41'
check "... and each PRI leg, its B-channel with it, is released at once" \
	wait_for 5 sh -c "[ \$(grep -c '$released' '$work/sipri.log') -eq 24 ]"
check "their BYEs end unanswered at Timer F: no call is live" \
	wait_for $FAULT_LINGER sh -c "grep 'calls live=' '$work/sipri.log' |
		tail -n 1 | grep -q 'calls live=0 busy_channels=0'"
diag "$(grep 'load: ' "$work/pbx.log")"
fault_again
fault_end
gw_show pbx after
done_testing
