#!/bin/sh
# re-INVITE through sipri:
#  1. SIP -> PRI (tests/e2e/sipp/uac_reinvite.xml): SIPp's re-INVITEs after
#     the answer: sendonly is answered recvonly (that 200 is retransmitted
#     until SIPp's late ACK, RFC 3261 §13.3.1.4) and the PBX gets NOTIFY
#     remote hold (Q.931 §4.5.22, 0x79; EuroISDN); inactive is answered
#     inactive (meanwhile sipri sends no RTP to SIPp: tshark counts it);
#     sendrecv is answered sendrecv, RTP resumes, and the PBX gets NOTIFY
#     remote retrieval (0x7a); a re-INVITE without SDP gets sipri's offer
#     (PCMA, PCMU) with the answer in the ACK; a PCMU-only offer is
#     answered PCMU and the bridge switches law: the 1004 Hz SIPp then
#     plays in PCMU reaches the PBX at -10 dBm0.
#  2. Glare, PRI -> SIP (tests/e2e/sipp/uas_glare.xml): SIPp's 200 makes
#     sipri the refresher (Session-Expires: 12;refresher=uac) and its Allow
#     has no UPDATE, so sipri refreshes by re-INVITE at 6 s; SIPp's
#     re-INVITE crossing it gets 491, and so does its UPDATE with an offer
#     (RFC 3311 §5.2); SIPp answers sipri's re-INVITE 491 and sipri, owner
#     of the Call-ID, sends it again 2.1-4 s later (RFC 3261 §14.1).
#  3. Glare, SIP -> PRI (tests/e2e/sipp/uac_glare.xml): sipri the UAS is
#     the refresher (SIPp asked refresher=uas, no UPDATE); the same race,
#     and sipri, not the owner of the Call-ID, retries within 0-2 s.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/dialog_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
"$MKPCAP" "$work/tone1004u.pcap" 1004 -10 4 U
check "sipri starts with session timers of 12 s, Min-SE 3 s" \
	gw_start 'session_expires = 12' 'min_se = 3'

# 1: hold, resume, offerless re-INVITE, codec change
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect notify info=0x79 timeout=10;
	expect notify info=0x7a timeout=10;
	expect tone 1004 level=-10 ftol=5 ltol=1 dur=0.5 timeout=10;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
cap_start rtp6300 6300
sipp_uac uac1 uac_reinvite.xml +4930777 -mp 6300
gw_wait pbx1
cap_stop
check "SIPp: hold answered recvonly, inactive inactive, resume sendrecv; \
sipri offers in the 2xx of an offerless re-INVITE; PCMU answered PCMU" \
	sipp_passed uac1
check "PBX: NOTIFY remote hold, NOTIFY remote retrieval, then SIPp's PCMU \
1004 Hz at -10 dBm0 through the re-lawed bridge" pbx_passed pbx1
check "the 200 to the hold re-INVITE, not ACKed, comes again at T1" \
	msg_gap_in uac1 2 '^SIP/2[.]0 200' 3 '^SIP/2[.]0 200' 0.4 0.7
# the hold: from sipri's 200 (recvonly) to SIPp's sendrecv re-INVITE
t_ack=$(msg_time uac1 1 '^ACK ')
t_hold=$(msg_time uac1 2 '^SIP/2[.]0 200')
t_unhold=$(msg_time uac1 4 '^INVITE ')
t_resumed=$(msg_time uac1 5 '^SIP/2[.]0 200')
check "RTP from sipri flows before the hold" \
	test "$(rtp_count 6300 "$t_ack" "$t_hold")" -gt 10
check "no RTP from sipri toward the held party (sendonly, then inactive)" \
	test "$(rtp_count 6300 "$(echo "$t_hold" | awk '{ printf "%.6f", $1 + 0.05 }')" \
		"$t_unhold")" -eq 0
check "RTP from sipri resumes on sendrecv" \
	test "$(rtp_count 6300 "$t_resumed" \
		"$(echo "$t_resumed" | awk '{ printf "%.6f", $1 + 0.4 }')")" -gt 5
check "after the call: no call live, no B-channel open" gw_idle
check "sipri's media counters: blocks held back during the hold, none failed" \
	grep -Eq 'call\(1\).*media: .*\(0 failed, [1-9][0-9]* held back\)' \
	"$work/sipri.log"
gw_show uac1 pbx1

# 2: glare
sipp_start uas2 uas_glare.xml -mp 6400
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 4930124 calling=5551234 ton=international cton=national;
	expect connect timeout=10; expect disconnect cause=16 timeout=30;
	expect cleared'
gw_wait pbx2 uas2
check "SIPp: sipri's refresh re-INVITE; 491 to SIPp's crossing re-INVITE \
and to its UPDATE offer; sipri's re-INVITE again after SIPp's 491" \
	sipp_passed uas2
check "sipri refreshed at half of Session-Expires: 12 (6 s after the ACK)" \
	msg_gap_in uas2 1 '^ACK ' 2 '^INVITE ' 5.8 6.5
check "sipri, owner of the Call-ID, waited 2.1-4 s after the 491" \
	msg_gap_in uas2 3 '^SIP/2[.]0 491' 4 '^INVITE ' 2.05 4.1
check "PBX: connected; SIPp's BYE cleared it (cause 16)" pbx_passed pbx2
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas2 pbx2

# 3: glare, SIP -> PRI: sipri is not the owner of the Call-ID
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	expect setup called=30779 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=30; expect cleared'
sleep 2
sipp_uac uac3 uac_glare.xml +4930779 -mp 6500
gw_wait pbx3
check "SIPp: sipri's refresh re-INVITE as UAS; 491 to SIPp's crossing \
re-INVITE; sipri's re-INVITE again after SIPp's 491" sipp_passed uac3
check "sipri, not the owner of the Call-ID, waited 0-2 s after the 491" \
	msg_gap_in uac3 2 '^SIP/2[.]0 491' 4 '^INVITE ' 0 2.05
check "PBX: connected; SIPp's BYE cleared it (cause 16)" pbx_passed pbx3
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac3 pbx3

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|re-INVITE|491|media:' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
