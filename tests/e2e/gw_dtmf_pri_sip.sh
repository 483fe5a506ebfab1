#!/bin/sh
# DTMF from the PRI to SIP: pbxsim plays
# 0123456789*#ABCD in-band (80 ms on, 80 ms off: a 20 ms block lost on a
# loaded machine must not lose a digit) on an answered call to
# a SIPp UAS; tcpdump's twin (dumpcap) captures the RTP sipri sends.
#  1. dtmf = auto, telephone-event negotiated: RFC 4733.  Each digit is
#     one event, in order, with the marker on its start, updates, three
#     end packets and a duration near 80 ms; a DTMF detector run over the
#     RTP audio finds none of them (the in-band copy is suppressed); tshark
#     decodes the same event codes.  Then the PBX sends 147 in a KEYPAD
#     facility and 9 in an INFORMATION (called party number): four more
#     events of the configured 100 ms.
#  2. dtmf = info on the trunk (reload): 16 INFOs with
#     application/dtmf-relay, Signal= in order, Duration= near 80 ms; then
#     KEYPAD 5 and INFORMATION 9: two more INFOs of 100 ms.
#  3. dtmf = auto with no telephone-event in the answer, dtmf_info = dtmf:
#     16 INFOs with application/dtmf bodies, in order.
#  4. The negative control, dtmf = inband: no event, no INFO, and the
#     detector finds all 16 digits in the RTP audio.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
RTPDTMF="$top_builddir/tests/tools/rtpdtmf"
SIPP_DIR="$top_srcdir/tests/e2e/dtmf"
DIGITS='0123456789*#ABCD'

# dtmf_call NAME PORT KEYPAD [SIPP ARGS]: the PBX calls, plays the digits (and KEYPAD digits), hangs up
dtmf_call() {
	dc=$1 port=$2 keypad=$3
	shift 3
	cap_start "$dc" "$port"
	sipp_start "$dc" uas_dtmf.xml -mp "$port" "$@"
	pbx_start "pbx_$dc" --span 1 --node network -e "wait up 10;
		call 4930123 calling=5551234 ton=international cton=national;
		expect connect timeout=10; sleep 0.5; dtmf '$DIGITS' on=80 off=80; drain;
		sleep 0.5; ${keypad:+keypad $keypad; sleep 1; info 9; sleep 1;}
		hangup 16; expect cleared"
	gw_up
	gw_wait "pbx_$dc" "$dc"
	sleep 0.3
	cap_stop
	"$RTPDTMF" scan "$work/$dc.pcap" "$port" > "$work/$dc.scan"
	diag "$(cat "$work/$dc.scan")"
}

# the digits of the events in the scan, in order
events() {
	awk '/^event/ { printf "%s", $2 } END { print "" }' "$work/$1.scan"
}

# events_ok NAME N MIN MAX: the first N events well formed: marker on the
# start, updates, 3 end packets, MIN..MAX samples long
events_ok() {
	grep '^event' "$work/$1.scan" | head -n "$2" |
	awk -v n0="$2" -v lo="$3" -v hi="$4" '{ n++; split($0, f, /[ =]/)
		for (i = 1; i < length(f); i++) v[f[i]] = f[i + 1]
		if (v["marker"] != 1 || v["ends"] != 3 || v["updates"] < 1 ||
		    v["duration"] < lo || v["duration"] > hi) bad++ }
		END { exit !(n == n0 && !bad) }'
}

inband() {
	sed -n 's/^inband "\(.*\)".*/\1/p' "$work/$1.scan"
}

audio_flowed() {
	[ "$(sed -n 's/^inband .* packets=//p' "$work/$1.scan")" -gt 100 ]
}

# the Signal= values of the INFOs SIPp received, in order
info_signals() {
	grep -a '^Signal=' "$work/$1.msg" | cut -c8 | tr -d '\n'
}

# SIPp's trace has each INFO's body right after its headers: the
# application/dtmf bodies are the lines after a blank following
# "Content-Type: application/dtmf"
info_dtmf_bodies() {
	awk '/^Content-Type: application\/dtmf\r?$/ { want = 1; next }
		want && /^\r?$/ { body = 1; next }
		body { sub(/\r/, ""); printf "%s", $0; want = body = 0 }
		END { print "" }' "$work/$1.msg"
}

reload() {
	n=$(grep -c "configuration reloaded" "$work/sipri.log")
	kill -HUP "$gw_pid"
	wait_for 5 sh -c "[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -gt $n ]"
}

check "sipri starts on the loopback profile (dtmf = auto)" gw_start

# 1: RFC 4733
dtmf_call ev 6100 147
check "PBX: call placed, digits played, KEYPAD sent, cleared" pbx_passed pbx_ev
check "SIPp: answered and cleared" sipp_passed ev
check "RFC 4733: 16 events, KEYPAD 147, INFORMATION 9, each once, in order" \
	test "$(events ev)" = "${DIGITS}1479"
check "RFC 4733: marker, updates, three end packets, 50-110 ms each" \
	events_ok ev 16 400 880
check "KEYPAD and INFORMATION: the configured 100 ms each" sh -c "
	grep '^event' '$work/ev.scan' | tail -n 4 | grep -c 'duration=800' | grep -qx 4"
check "the RTP audio flowed" audio_flowed ev
check "no in-band copy of any digit in the RTP audio" test -z "$(inband ev)"
check "tshark decodes the same 20 event codes" test "$(tshark -r "$work/ev.pcap" \
	-d udp.port==6100,rtp -Y 'rtpevent.end_of_event == 1' \
	-T fields -e rtpevent.event_id 2>/dev/null | uniq | tr '\n' ' ')" = \
	"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1 4 7 9 "
check "no INFO was sent" test -z "$(info_signals ev)"
check "after the call: no call live, no B-channel open" gw_idle
gw_show ev pbx_ev

# 2: INFO application/dtmf-relay, by the trunk's key
sed -i '/^\[trunk loopback\]/a dtmf = info' "$work/sipri.conf"
check "reload with dtmf = info on the trunk" reload
dtmf_call info 6200 5
check "PBX: call placed, digits played, cleared" pbx_passed pbx_info
check "SIPp: 18 INFOs answered, cleared" sipp_passed info
check "INFO: Signal= 0123456789*#ABCD, then KEYPAD 5 and INFORMATION 9, in order" \
	test "$(info_signals info)" = "${DIGITS}59"
check "INFO: application/dtmf-relay, Duration= 50-110 ms, the ISDN ones 100" sh -c "
	[ \$(grep -ac '^Content-Type: application/dtmf-relay' '$work/info.msg') -eq 18 ] &&
	grep -a '^Duration=' '$work/info.msg' | cut -d= -f2 | tr -d '\r' |
	awk '{ if (NR <= 16 && (\$1 < 50 || \$1 > 110)) bad++
		if (NR > 16 && \$1 != 100) bad++ } END { exit !(NR == 18 && !bad) }'"
check "INFO mode: no RFC 4733 event, no in-band copy" \
	test -z "$(events info)" -a -z "$(inband info)"
check "after the call: no call live, no B-channel open" gw_idle
gw_show info pbx_info

# 3: auto without telephone-event: INFO, application/dtmf bodies
sed -i -e '/^dtmf = info$/d' \
	-e '/^\[trunk loopback\]/a dtmf = auto\ndtmf_info = dtmf' "$work/sipri.conf"
check "reload with dtmf = auto, dtmf_info = dtmf" reload
dtmf_call noev 6300 "" -set noev 1
check "PBX: call placed, digits played, cleared" pbx_passed pbx_noev
check "SIPp: answered without telephone-event, 16 INFOs, cleared" sipp_passed noev
check "auto falls back to INFO: application/dtmf bodies in order" \
	test "$(info_dtmf_bodies noev)" = "$DIGITS"
check "no in-band copy in the audio" test -z "$(inband noev)"
check "after the call: no call live, no B-channel open" gw_idle
gw_show noev pbx_noev

# 4: in-band only: the negative control for the detector
sed -i -e '/^dtmf = auto$/d' -e '/^dtmf_info = dtmf$/d' \
	-e '/^\[trunk loopback\]/a dtmf = inband' "$work/sipri.conf"
check "reload with dtmf = inband" reload
dtmf_call inb 6400 ""
check "PBX: call placed, digits played, cleared" pbx_passed pbx_inb
check "inband: the detector finds all 16 digits in the RTP audio" \
	test "$(inband inb)" = "$DIGITS"
check "inband: no event, no INFO" test -z "$(events inb)" -a -z "$(info_signals inb)"
check "after the call: no call live, no B-channel open" gw_idle
gw_show inb pbx_inb

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'DTMF|dtmf' "$work/sipri.log" | tail -n 30)"
vdahdi_stop
done_testing
