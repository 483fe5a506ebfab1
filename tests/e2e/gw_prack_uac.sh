#!/bin/sh
# RFC 3262 with sipri as the UAC (PRI -> SIP): pbxsim on
# the network side of span 1 calls through sipri to SIPp
# (tests/e2e/sipp/prack_uas.xml, prack_uas_fork.xml).
#  ok    the INVITE says Supported: 100rel; a reliable 183 with SDP is
#        PRACKed (RAck RSeq CSeq INVITE), SIPp's 1004 Hz reaches the PBX
#        before CONNECT (early media, PROGRESS with PI 8); a reliable 180
#        after the 183 is PRACKed too (ALERTING); the 180 sent again with
#        the same RSeq gets no PRACK; the BYE's CSeq follows the PRACKs'
#  fork  two early dialogs (To tags forkA, forkB): each reliable 1xx is
#        PRACKed on its own dialog; forkB's 200 wins: ACK and BYE go there;
#        a 200 from forkA after that gets ACK and BYE with cause 26
# Every case ends with no call live and no B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/prack_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
check "sipri starts" gw_start

# fork_cseqs NAME: the first BYE (forkA's) is one above the first PRACK
fork_cseqs() {
	req_cseqs "$1" | awk '$1 == "PRACK" && !p { p = $2 }
		$1 == "BYE" && !b { b = $2 } END { exit !(p && b == p + 1) }'
}

CALL='call 4930123 calling=5551234 ton=international cton=national'
sipp_start ok prack_uas.xml -mp 6100
pbx_start ok-pbx --span 1 --node network -e "wait up 10; $CALL;
	expect progress pi=8 timeout=10; sleep 1.2;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	expect alerting timeout=10; expect connect timeout=10;
	sleep 0.5; hangup 16; expect cleared"
check "sipri's span comes up" gw_up
gw_wait ok-pbx ok
check "ok: PROGRESS PI 8, SIPp's 1004 Hz before CONNECT, ALERTING" \
	pbx_passed ok-pbx
check "ok: SIPp got a PRACK for each reliable 1xx and none for the repeat" \
	sipp_passed ok
check "ok: the INVITE says Supported: 100rel" req_has ok INVITE '^Supported: .*100rel'
check "ok: two PRACKs, RAck 1 and 2" \
	sh -c "[ \"\$(grep -c '^RAck: [12] [0-9]* INVITE' '$work/ok.msg')\" -eq 2 ]"
check "ok: CSeq INVITE n, PRACK n+1, PRACK n+2, BYE n+3" cseq_order ok
check "ok: no call live, no B-channel open" gw_idle
gw_show ok ok-pbx

sipp_start fork prack_uas_fork.xml -mp 6200
pbx_start fork-pbx --span 1 --node network -e "wait up 10; $CALL;
	expect progress pi=8 timeout=10; sleep 1.2;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	expect alerting timeout=10; expect connect timeout=10;
	sleep 0.5; hangup 16; expect cleared"
gw_wait fork-pbx fork
check "fork: PRACK on each early dialog, forkB's 200 wins, ACK and BYE to forkB" \
	both_passed fork-pbx fork
check "fork: forkA's late 200 was ACKed and ended with BYE, Reason cause 26" \
	req_has fork BYE '^To: .*tag=forkA' '^Reason: Q\.850;cause=26'
check "fork: each dialog's CSeq space: PRACK n, then BYE n+1 on forkA" \
	fork_cseqs fork
check "fork: no call live, no B-channel open" gw_idle
gw_show fork fork-pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
