#!/bin/sh
# The PBX holds and retrieves the call (PRI -> SIP
# direction): pbxsim sends Q.931 NOTIFY remote hold (0x79, §4.5.22) and
# remote retrieval (0x7a); sipri offers a=sendonly, then a=sendrecv (RFC
# 3264 §8.4) to the SIP peer, in an UPDATE with SDP when the peer's Allow
# lists UPDATE (RFC 3311 §5.1), else in a re-INVITE; while the hold
# stands sipri sends no RTP (tshark counts what reaches SIPp's port).
#  1. PRI -> SIP, peer with UPDATE (tests/e2e/sipp/uas_hold_update.xml)
#  2. PRI -> SIP, peer without UPDATE: re-INVITEs (uas_hold_reinvite.xml)
#  3. SIP -> PRI, the PBX answers and holds: re-INVITEs (uac_held.xml)
#  4. a NOTIFY hold before CONNECT is logged and ignored; the peer refuses
#     the hold UPDATE with 488: the call stays up, RTP goes on, no other
#     offer follows, the BYE clears it (uas_hold_488.xml)
#  5. the peer answers the hold UPDATE 491: media unchanged, the UPDATE
#     again after the RFC 3261 §14.1 back-off (uas_hold_491.xml)
#  6. hold and retrieval back to back: the second offer waits for the
#     first one's answer (RFC 3311 §5.1: one offer at a time)
#  7. the peer answers the hold UPDATE 481: the dialog is gone (RFC 3261
#     §12.2.1.2), sipri ends the call both ways (uas_hold_481.xml)
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-240}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/dialog_lib.sh"

# t + d, for the tshark windows
t_add() { awk -v t="$1" -v d="$2" 'BEGIN { printf "%.6f", t + d }'; }

# held_rtp NAME PORT N_ACK N_HOLD_200 UNHOLD_PAT N_UNHOLD N_RESUME_200:
# RTP flows before the hold, none while it stands, again after retrieval
held_rtp() {
	t_ack=$(msg_time "$1" "$3" '^ACK ')
	t_hold=$(msg_time "$1" "$4" '^SIP/2[.]0 200')
	t_unhold=$(msg_time "$1" "$6" "$5")
	t_res=$(msg_time "$1" "$7" '^SIP/2[.]0 200')
	check "$1: the hold lasted 1.5 s or more (200 to retrieval offer)" \
		awk -v a="$t_hold" -v b="$t_unhold" \
		'BEGIN { exit !(a != "" && b - a >= 1.5) }'
	check "$1: RTP from sipri flows before the hold" \
		test "$(rtp_count "$2" "$t_ack" "$t_hold")" -gt 10
	check "$1: no RTP from sipri while the hold stands" \
		test "$(rtp_count "$2" "$(t_add "$t_hold" 0.05)" \
			"$t_unhold")" -eq 0
	check "$1: RTP from sipri resumes after the retrieval" \
		test "$(rtp_count "$2" "$t_res" "$(t_add "$t_res" 0.5)")" -gt 10
}

pbx_hold='expect connect timeout=10; sleep 1; notify hold; sleep 2;
	notify retrieval; sleep 1.5; hangup 16; expect cleared'

# pri_sip NAME SCENARIO PORT PBX-SCRIPT [SIPP-ARGS]: the PBX calls SIPp (a
# UAS playing SCENARIO, media port PORT) through sipri, RTP to PORT
# captured
pri_sip() {
	ps_name=$1 ps_sf=$2 ps_port=$3 ps_pbx=$4
	shift 4
	cap_start "rtp$ps_port" "$ps_port"
	sipp_start "$ps_name" "$ps_sf" -mp "$ps_port" "$@"
	pbx_start "pbx_$ps_name" --span 1 --node network -e "wait up 10;
		call 4930124 calling=5551234 ton=international cton=national;
		$ps_pbx"
	gw_wait "pbx_$ps_name" "$ps_name"
	cap_stop
}

# ends NAME: the call leaves nothing behind
ends() {
	check "after the call: no call live, no B-channel open" gw_idle
	gw_show "$1" "pbx_$1"
}

check "sipri starts" gw_start

# 1: the peer allows UPDATE
pri_sip uas1 uas_hold_update.xml 6300 "$pbx_hold"
check "sipri's span came up and the call went through" pbx_passed pbx_uas1
check "SIPp: UPDATE with a=sendonly on the PBX's hold, answered recvonly; \
UPDATE with a=sendrecv on its retrieval" sipp_passed uas1
held_rtp uas1 6300 1 2 '^UPDATE ' 2 3
ends uas1

# 2: the peer lacks UPDATE
pri_sip uas2 uas_hold_reinvite.xml 6400 "$pbx_hold"
check "PBX: connected, held, retrieved, cleared" pbx_passed pbx_uas2
check "SIPp: re-INVITE with a=sendonly on the PBX's hold, answered \
recvonly; re-INVITE with a=sendrecv on its retrieval" sipp_passed uas2
held_rtp uas2 6400 1 2 '^INVITE ' 3 3
ends uas2

# 3: SIP -> PRI; the PBX answers, then holds
pbx_start pbx3 --span 1 --node network -e "wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	sleep 1; notify hold; sleep 2; notify retrieval; sleep 1.5;
	hangup 16; expect cleared"
sleep 2
cap_start rtp6500 6500
sipp_uac uac3 uac_held.xml +4930777 -mp 6500
gw_wait pbx3
cap_stop
check "SIPp (UAC, no UPDATE): re-INVITE a=sendonly on the PBX's hold, \
a=sendrecv on its retrieval" sipp_passed uac3
check "PBX: answered, held, retrieved, cleared" pbx_passed pbx3
held_rtp uac3 6500 1 2 '^INVITE ' 3 3
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac3 pbx3

# 4: hold before the answer; the hold refused with 488
pri_sip uas4 uas_hold_488.xml 6600 "expect alerting timeout=10;
	notify hold; expect connect timeout=10; sleep 1; notify hold;
	sleep 2.5; notify retrieval; sleep 1; hangup 16; expect cleared"
check "SIPp: no offer before its 200; the hold UPDATE refused with 488; \
no other offer before the BYE" sipp_passed uas4
check "PBX: connected, cleared" pbx_passed pbx_uas4
check "sipri logged the NOTIFY hold before the answer and did not forward it" \
	grep -Eq 'NOTIFY 0x79 from [AB] before the answer: not forwarded' \
	"$work/sipri.log"
t_488=$(msg_time uas4 1 '^SIP/2[.]0 488')
check "uas4: RTP from sipri goes on after the 488 (media unchanged)" \
	test "$(rtp_count 6600 "$(t_add "$t_488" 0.1)" \
		"$(t_add "$t_488" 2)")" -gt 50
check "sipri logged the refused hold offer as rolled back" \
	grep -q 'hold offer refused (488' "$work/sipri.log"
ends uas4

# 5: the hold UPDATE crosses a request of the peer's: 491, and again
pri_sip uas5 uas_hold_491.xml 6700 "expect connect timeout=10; sleep 1;
	notify hold; sleep 6; notify retrieval; sleep 1.5; hangup 16;
	expect cleared"
check "SIPp: the hold UPDATE answered 491, sent again and answered \
recvonly; the retrieval UPDATE answered sendrecv" sipp_passed uas5
check "PBX: connected, held, retrieved, cleared" pbx_passed pbx_uas5
check "sipri, owner of the Call-ID, sent the UPDATE again 2.1-4 s after \
the 491 (RFC 3261 §14.1)" \
	msg_gap_in uas5 1 '^SIP/2[.]0 491' 2 '^UPDATE ' 2.05 4.1
t_491=$(msg_time uas5 1 '^SIP/2[.]0 491')
check "uas5: RTP from sipri goes on after the 491 (the offer rolled back)" \
	test "$(rtp_count 6700 "$(t_add "$t_491" 0.1)" \
		"$(t_add "$t_491" 1.9)")" -gt 50
held_rtp uas5 6700 1 2 '^UPDATE ' 3 3
ends uas5

# 6: the PBX retrieves the call while the hold offer is still pending:
# the retrieval offer follows once the hold is answered
pri_sip uas6 uas_hold_update.xml 6800 "expect connect timeout=10; sleep 1;
	notify hold; notify retrieval; sleep 2; hangup 16; expect cleared"
check "PBX: connected, held and at once retrieved, cleared" \
	pbx_passed pbx_uas6
check "SIPp: UPDATE a=sendonly, then (after its answer) UPDATE a=sendrecv" \
	sipp_passed uas6
t_res=$(msg_time uas6 3 '^SIP/2[.]0 200')
check "uas6: RTP from sipri flows after the retrieval" \
	test "$(rtp_count 6800 "$t_res" "$(t_add "$t_res" 0.5)")" -gt 10
ends uas6

# 7: the peer answers the hold UPDATE 481: the dialog is gone
pri_sip uas7 uas_hold_481.xml 6900 "expect connect timeout=10; sleep 1;
	notify hold; expect disconnect timeout=5; expect cleared"
check "SIPp: the hold UPDATE answered 481, then sipri's BYE" \
	sipp_passed uas7
check "PBX: connected, held, then cleared by sipri" pbx_passed pbx_uas7
ends uas7

# 8: the peer never answers the hold UPDATE: when sipri's transaction
# times out (Timer F, 64*T1 = 32 s) it ends the dialog as for a 408
# (RFC 3261 §12.2.1.2): BYE to SIP, DISCONNECT to the PBX
pri_sip uas8 uas_update_silent.xml 7000 "expect connect timeout=10; sleep 1;
	notify hold; expect disconnect timeout=45; expect cleared" -timeout 60s
check "SIPp: the hold UPDATE went unanswered, then sipri's BYE" \
	sipp_passed uas8
check "PBX: connected, held, then cleared by sipri after the timeout" \
	pbx_passed pbx_uas8
check "sipri ended the call for the UPDATE that got no response" \
	grep -q "UPDATE got 408: ending the call" "$work/sipri.log"
ends uas8

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|NOTIFY|hold|retrieval|UPDATE|re-INVITE' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
