#!/bin/sh
# The SIP leg as UAS (SIPp calls the siptest harness): answered calls with
# BYE from each side, 180/183, codec choice, late offer, rejections with
# Reason, CANCEL, DTMF by INFO, P-Asserted-Identity/Privacy/Diversion.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/sip/lib.sh"

uas_case answer uac_bye.xml answer -key cause 16
ev "SETUP called= calling=4930555 pres=0 .*user=answer"; ok $? "answer: SETUP with calling number from From, R-URI user"
ev "CONNECT_ACK .*law=A"; ok $? "answer: ACK confirms, PCMA chosen (first offered)"
ev "DISCONNECT cause=16"; ok $? "answer: BYE -> DISCONNECT cause 16 (Reason)"
ev "RELEASE"; ok $? "answer: RELEASE"
rx answer "SIP/2.0 100 Trying"; ok $? "answer: 100 Trying sent"

uas_case bye_cause uac_bye.xml answer -key cause 31
ev "DISCONNECT cause=31"; ok $? "bye_cause: BYE Reason cause 31 -> DISCONNECT cause 31"

uas_case pcmu uac_pcmu_first.xml answer -key cause 16
ev "CONNECT_ACK .*law=U"; ok $? "pcmu: PCMU offered first -> PCMU chosen"

uas_case ring uac_bye.xml ring-answer -key cause 16
rx ring "SIP/2.0 180 Ringing"; ok $? "ring: ALERTING -> 180 Ringing"

uas_case early uac_bye.xml early-answer -key cause 16
rx early "SIP/2.0 183 Session Progress"; ok $? "early: PROGRESS -> 183"
awk '/SIP\/2.0 183/{p=1} p && /^m=audio/{print; exit}' "$W/early.msg" | grep -q "RTP/AVP 8"
ok $? "early: 183 carries the SDP answer (PCMA)"

uas_case hangup uac_wait_bye.xml answer-hangup
ev "RELEASE cause=16"; ok $? "hangup: core DISCONNECT -> BYE (Reason checked by SIPp), RELEASE"

uas_case late uac_late_offer.xml answer -key cause 16
ev "CONNECT_ACK .*law=U"; ok $? "late: offer in 200, answer (PCMU) taken from the ACK"

for c in "17 486" "1 404" "34 503" "21-user 603" "21 403" "19 480"; do
	set -- $c
	uas_case "reject$1" uac_reject.xml "reject-$1"
	cause=${1%-user}
	rx "reject$1" "SIP/2.0 $2 "; ok $? "reject-$1: status $2"
	rx "reject$1" "Reason: Q.850;cause=$cause\$"; ok $? "reject-$1: Reason: Q.850;cause=$cause"
done

uas_case cancel uac_cancel.xml ring -key cause 31
ev "DISCONNECT cause=31"; ok $? "cancel: CANCEL Reason cause 31 -> DISCONNECT cause 31"
ev "RELEASE"; ok $? "cancel: RELEASE"

uas_case info uac_info.xml answer -key cause 16
ev "INFO .*digits=5"; ok $? "info: dtmf-relay Signal=5 -> CC_INFO 5"
ev "INFO .*digits=#"; ok $? "info: dtmf-relay Signal=# -> CC_INFO #"

uas_case ident uac_ident.xml reject-16
ev "SETUP called= calling=4930123456 pres=1 redir=4940999 redir_reason=1"
ok $? "ident: calling from P-Asserted-Identity, Privacy: id restricts, Diversion -> redirecting"

# RFC 3325 §4: the same INVITE from an untrusted peer (-u): its
# P-Asserted-Identity and Privacy are dropped, the caller is From's user
h_start -u
sipp_run untrusted uac_ident.xml -s reject-16
ok $? "untrusted: SIPp scenario uac_ident.xml passes"
h_stop
ok $? "untrusted: harness clean exit, no live legs"
ev "SETUP called= calling=4930555 pres=0 redir=4940999"
ok $? "untrusted: calling from From, presentation allowed, no PAI/Privacy"

# sip/acl.c, RFC 3261 §8.2: the harness's one peer is 127.0.0.1; SIPp on
# 127.0.0.2 gets 403 for its INVITE and its OPTIONS, statelessly (no 100
# Trying: no transaction), and no leg, RTP socket or SETUP is made.  The
# untrusted call before is the control: there the counters moved.
grep -q "^live 0 rtp_tx [0-9]* legs 1 rtp 1 refused 0$" "$W/h.out" ||
	grep "^live" "$W/h.out" | diag "$(cat)"
ok $? "control: the untrusted call counted 1 leg, 1 RTP socket"
h_start
sipp_run stranger uac_reject.xml -s answer -i 127.0.0.2
ok $? "stranger: SIPp's INVITE from 127.0.0.2 ends"
rx stranger "^SIP/2.0 403 Forbidden"; ok $? "stranger: INVITE -> 403"
! grep -q "SIP/2.0 100 " "$W/stranger.msg"
ok $? "stranger: no 100 Trying before it (no transaction)"
sed "s/METHOD/OPTIONS/g" "$SC/request.xml" > "$W/request_stranger.xml"
SC=$W sipp_run stranger_opt request_stranger.xml -s x -key maxfwd 70 \
	-key totag "" -i 127.0.0.2
rx stranger_opt "^SIP/2.0 403 Forbidden"; ok $? "stranger: OPTIONS -> 403"
h_stop
ok $? "stranger: harness clean exit, no live legs"
grep -q "^live 0 rtp_tx 0 legs 0 rtp 0 refused [1-9]" "$W/h.out" ||
	grep "^live" "$W/h.out" | diag "$(cat)"
ok $? "stranger: no leg, no RTP socket; the requests counted as refused"
! grep -q "^EV" "$W/h.out"; ok $? "stranger: nothing reached the core"
grep -q "no trunk accepts this source, 403" "$W/h.err"
ok $? "stranger: the refusal is logged"
[ "$(grep -c "no trunk accepts this source" "$W/h.err")" -eq 1 ]
ok $? "stranger: ... once for the three requests (rate limit)"

# single requests: status, and Allow where RFC 3261 §8.2.1 wants it
req_case() {
	name=$1 met=$2 mf=$3 tag=$4 want=$5
	sed "s/METHOD/$met/g" "$SC/request.xml" > "$W/request_$met.xml"
	SC=$W uas_case "$name" "request_$met.xml" answer -key maxfwd "$mf" -key totag "$tag"
	rx "$name" "^SIP/2.0 $want "; ok $? "$name: $met -> $want"
}
req_case mf0 INVITE 0 "" 483
req_case options OPTIONS 70 "" 200
rx options "^Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO"; ok $? "options: Allow"
req_case options_mf0 OPTIONS 0 "" 200
req_case subscribe SUBSCRIBE 70 "" 405
rx subscribe "^Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO"; ok $? "subscribe: 405 carries Allow"
req_case message MESSAGE 70 "" 405
# RFC 3311 §5.2: UPDATE is ours now, and outside any dialog there is none
req_case update UPDATE 70 "" 481
req_case unknown FOOBAR 70 "" 501
# RFC 4028 / RFC 3261 §8.2.2.3: the harness runs with session timers off,
# so Require: timer gets 420 with Unsupported: timer
sed 's/METHOD/INVITE/g; s/^\( *\)Max-Forwards: \[maxfwd\]/&\n\1Require: timer/' \
	"$SC/request.xml" > "$W/request_timer.xml"
SC=$W uas_case reqtimer request_timer.xml answer -key maxfwd 70 -key totag ""
rx reqtimer "^SIP/2.0 420 " && rx reqtimer "^Unsupported: timer"
ok $? "reqtimer: Require: timer with timers off -> 420, Unsupported: timer"
req_case byeunknown BYE 70 ";tag=nosuchdialog" 481
req_case cancelunknown CANCEL 70 "" 481
req_case infounknown INFO 70 ";tag=nosuchdialog" 481

# RTP: SIPp plays a G.711 A-law pcap, the harness echoes every packet
# back to SIPp's media port; tshark counts what arrives there
tshark -i lo -n -f "udp and dst port 6000" -w "$W/rtp.pcap" > /dev/null 2>&1 &
TPID=$!
wait_for 5 test -s "$W/rtp.pcap"
uas_case rtp uac_rtp.xml answer -key cause 16 -mp 6000 \
	-key pcap /usr/share/sip-tester/g711a.pcap
sleep 0.2
kill "$TPID"; wait "$TPID"
rx_n=$(sed -n 's/.*RELEASE.* rtp_rx=\([0-9]*\)/\1/p' "$W/h.out")
echo_n=$(tshark -r "$W/rtp.pcap" -n 2>/dev/null | grep -c "RTP\|UDP")
[ "${rx_n:-0}" -ge 40 ]; ok $? "rtp: harness received $rx_n A-law packets"
[ "${echo_n:-0}" -ge 40 ]; ok $? "rtp: $echo_n echoed packets reached SIPp's media port"

[ -n "$KEEP" ] || rm -rf "$W"
done_testing
