#!/bin/sh
# The SIP leg as UAC (the siptest harness calls a SIPp UAS): answered
# calls with BYE from each side, failures mapped to causes (with and
# without Reason), CANCEL with Reason (also held until the first 1xx), the
# CANCEL/200 race, Timer C, Timer B, and the identity headers.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/sip/lib.sh"

uac_case answer uas_answer_wait.xml "-m call -H 300 -f 4930123 -n 4940777"
ev "PROCEEDING"; ok $? "answer: 100 -> PROCEEDING"
ev "ALERTING cause=0 progress=0 early=0"; ok $? "answer: 180 without SDP -> ALERTING, no early media"
ev "CONNECT .*law=A"; ok $? "answer: 200 -> CONNECT, PCMA"
ev "RELEASE cause=16"; ok $? "answer: core DISCONNECT -> BYE with Reason 16 (checked by SIPp) -> RELEASE"
rx answer "^ACK sip:"; ok $? "answer: 2xx ACKed"
rx answer "^CSeq: [0-9]+ ACK"; ok $? "answer: ACK has a CSeq"
inv_cseq=$(tr -d '\r' < "$W/answer.msg" | sed -n 's/^CSeq: \([0-9]*\) INVITE$/\1/p' | head -1)
ack_cseq=$(tr -d '\r' < "$W/answer.msg" | sed -n 's/^CSeq: \([0-9]*\) ACK$/\1/p' | head -1)
bye_cseq=$(tr -d '\r' < "$W/answer.msg" | sed -n 's/^CSeq: \([0-9]*\) BYE$/\1/p' | head -1)
[ -n "$inv_cseq" ] && [ "$inv_cseq" = "$ack_cseq" ] && [ "$bye_cseq" -gt "$inv_cseq" ]
ok $? "answer: ACK CSeq = INVITE CSeq ($inv_cseq/$ack_cseq), BYE CSeq above ($bye_cseq)"
rx answer "^From: <sip:4930123@127.0.0.1>;tag="; ok $? "answer: From user = calling number"
rx answer "^To: <sip:4940777@127.0.0.1:5062>"; ok $? "answer: To user = called number"
rx answer "^P-Asserted-Identity: <sip:4930123@127.0.0.1>"; ok $? "answer: P-Asserted-Identity"
rx answer "^INVITE sip:4940777@127.0.0.1:5062 SIP/2.0"; ok $? "answer: Request-URI"
rx answer "^m=audio [0-9]+ RTP/AVP 8 0 101"; ok $? "answer: offer PCMA, PCMU, telephone-event"

uac_case farbye uas_answer_bye.xml "-m call-wait" -key cause 17
ev "PROGRESS cause=0 progress=8 early=1"; ok $? "farbye: 183 with SDP -> PROGRESS, progress 8, early media"
ev "DISCONNECT cause=17"; ok $? "farbye: BYE Reason 17 -> DISCONNECT 17"

for c in "404 1" "480 18" "486 17" "487 16" "503 41" "603 21"; do
	set -- $c
	sed "s/STATUS/$1/" "$SC/uas_fail.xml" > "$W/uas_fail_$1.xml"
	SC=$W uac_case "fail$1" "uas_fail_$1.xml" "-m call-wait" -key reason "X-Test: 1"
	ev "DISCONNECT cause=$2 "; ok $? "fail$1: $1 -> DISCONNECT cause $2"
done
SC=$W uac_case failreason uas_fail_480.xml "-m call-wait" -key reason "Reason: Q.850;cause=38;text=\"oos\""
ev "DISCONNECT cause=38 "; ok $? "failreason: 480 with Reason Q.850 38 -> cause 38 (RFC 3326 wins)"

uac_case cancel uas_cancel.xml "-m cancel -K 100 -k 17" -key cause 17
ev "ALERTING"; ok $? "cancel: ALERTING"
ev "RELEASE cause=17"; ok $? "cancel: CANCEL, 487, RELEASE cause 17"
rx cancel "^CANCEL sip:4940777@127.0.0.1:5062 SIP/2.0"; ok $? "cancel: CANCEL to the INVITE's Request-URI"
rx cancel "^Reason: Q.850;cause=17\$"; ok $? "cancel: CANCEL carries Reason: Q.850;cause=17"
grep -q "DISCONNECT" "$W/h.out"; [ $? -ne 0 ]; ok $? "cancel: no DISCONNECT echoed to the core that cleared"

uac_case cancel1xx uas_cancel_late1xx.xml "-m cancel-now -k 31" -key cause 31
ev "RELEASE cause=31"; ok $? "cancel1xx: CANCEL held until the 180 (SIPp fails on an early one)"
rx cancel1xx "^Reason: Q.850;cause=31\$"; ok $? "cancel1xx: CANCEL carries Reason: Q.850;cause=31"

uac_case race uas_race.xml "-m cancel -K 100 -k 16" -key cause 16
ev "RELEASE cause=16"; ok $? "race: 200 after CANCEL is ACKed and BYEd (checked by SIPp)"
rx race "^BYE sip:"; ok $? "race: BYE sent after the crossing 200"
grep -q "CONNECT" "$W/h.out"; [ $? -ne 0 ]; ok $? "race: no CONNECT reaches the core"

uac_case timerc uas_timer_c.xml "-m call-wait -C 1000"
ev "DISCONNECT cause=19 "; ok $? "timerc: Timer C after 180 -> CANCEL and DISCONNECT cause 19"
rx timerc "^Reason: Q.850;cause=19\$"; ok $? "timerc: CANCEL carries Reason cause 19"

uac_case timerb uas_silent.xml "-m call-wait -B 1000"
ev "DISCONNECT cause=102 "; ok $? "timerb: no response -> DISCONNECT cause 102 (408 mapping)"

uac_case restricted uas_ident.xml "-m call-wait -f 4930123 -r -d 4950555"
rx restricted "^From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag="; ok $? "restricted: anonymous From"
rx restricted "^Privacy: id"; ok $? "restricted: Privacy: id"
rx restricted "^P-Asserted-Identity: <sip:4930123@127.0.0.1>"; ok $? "restricted: P-Asserted-Identity keeps the number"
rx restricted "^Diversion: <sip:4950555@127.0.0.1>;reason=unconditional;counter=1"; ok $? "restricted: Diversion"
ev "DISCONNECT cause=1 "; ok $? "restricted: 404 -> cause 1"

[ -n "$KEEP" ] || rm -rf "$W"
done_testing
