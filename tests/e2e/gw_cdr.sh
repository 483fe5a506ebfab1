#!/bin/sh
# Call detail records (gateway/cdr.c, sipri.conf(5) [cdr]): the loopback
# profile writes one JSON line per call attempt to
# /var/log/sipri/cdr.jsonl.  Routes here take only +4930...
#  SIP -> PRI: 1 answered, the PBX hangs up; 2 busy (DISCONNECT 17 -> 486);
#    3 cancelled by SIPp after 180; 4 no route (+4940111 -> 404).
#  PRI -> SIP: 5 answered, the PBX hangs up; 6 busy (486 -> 17);
#    7 the PBX hangs up while it rings (CANCEL, 487); 8 no route.
#  Every field of every record is checked.  Then: SIGHUP after the file
#  was moved (logrotate) puts the next record in a new file; SIGTERM with
#  a call up writes that call's record; a CDR file that cannot be written
#  is logged and calls go on; CSV by config, with its header line.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-200}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

cdr=/var/log/sipri/cdr.jsonl
gw_sed='s/^match = any$/match = prefix:+4930/'
check "sipri starts on the loopback profile, routes for +4930 only" gw_start
check "... it logs where the CDRs go" \
	grep -q "CDRs to $cdr (JSON)" "$work/sipri.log"

# rec CALLED: the record whose called_raw is CALLED
rec() { jq -c "select(.called_raw == \"$1\")" "${2:-$cdr}"; }
# fields CALLED JQ: the record's fields as JQ prints them, one line
fields() { rec "$1" | jq -r "$2" | tr '\n' ' ' | sed 's/ $//'; }
# same WHAT CALLED JQ WANT: a check that JQ of CALLED's record is WANT
same() {
	got=$(fields "$2" "$3")
	[ "$got" = "$4" ] || diag "$2: $3: '$got', wanted '$4'"
	check "$1" test "$got" = "$4"
}
# times CALLED ANSWERED: start <= answer <= end as RFC 3339 UTC with ms,
# duration_ms = end - answer (answer null when not ANSWERED), pdd_ms set
iso='"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"'
cdr_times() {
	r=$(rec "$1")
	echo "$r" | grep -Eq "\"start\":$iso" &&
	echo "$r" | grep -Eq "\"end\":$iso" &&
	if [ "$2" = yes ]; then
		echo "$r" | grep -Eq "\"answer\":$iso" &&
		echo "$r" | jq -e '(.end | sub("Z$"; "") | split(".") |
			(.[0] + "Z" | fromdateiso8601) * 1000 + (.[1] | tonumber))
			- (.answer | sub("Z$"; "") | split(".") |
			(.[0] + "Z" | fromdateiso8601) * 1000 + (.[1] | tonumber))
			- .duration_ms | fabs <= 1' > /dev/null &&
		echo "$r" | jq -e '.duration_ms >= 900 and .pdd_ms >= 0' \
			> /dev/null
	else
		echo "$r" | jq -e '.answer == null and .duration_ms == 0' \
			> /dev/null
	fi
}
common='[.direction, .calling, .called, .calling_raw, .q850_cause,
	.q850_location, .sip_status, .reason, .released_by, .span,
	(.channel != null), .trunk, (.sip_call_id != null), .codec] |
	map(tostring) | join(",")'

pbx_start pbx1 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	sleep 1; hangup 16; expect cleared;
	'"$PBX_FAILURES"
gw_ready pbx1
sipp_uac uac1 uac_call.xml +4930777 -set waitbye 1 -set play 1 -d 3000 -mp 6300
sip_failures
gw_wait pbx1
check "SIP -> PRI: the four calls went as planned" \
	all_passed uac1 uac2 uac3 uac4 pbx1
check "SIP -> PRI: no call live, no B-channel open" gw_idle
diag "$(cat "$cdr")"
check "four records, one per line, each a JSON object" \
	test "$(jq -c . "$cdr" | wc -l)" -eq 4 -a "$(wc -l < "$cdr")" -eq 4

same "1 answered: sip_to_pri, numbers as mapped and as received, 16 by the PBX, 200, span 2, trunk loopback, PCMA" \
	+4930777 "$common" \
	"sip_to_pri,5551234,30777,+495551234,16,2,200,normal call clearing,pri,2,true,loopback,true,PCMA"
check "1: start, answer, end, duration_ms, pdd_ms" cdr_times +4930777 yes
same "1: RTP: packets received, none lost, jitter" +4930777 \
	'[.rtp_rx_packets > 10, .rtp_lost, .jitter_ms >= 0] | map(tostring) | join(",")' \
	"true,0,true"
same "2 busy: cause 17 from the PBX, 486, not answered" +4930778 "$common" \
	"sip_to_pri,5551234,30778,+495551234,17,2,486,user busy,pri,2,true,loopback,true,null"
check "2: times" cdr_times +4930778 no
same "3 cancelled: by SIP, 487, cause 16" +4930779 "$common" \
	"sip_to_pri,5551234,30779,+495551234,16,10,487,normal call clearing,sip,2,true,loopback,true,PCMA"
check "3: times" cdr_times +4930779 no
same "4 no route: 404, cause 3 by sipri, no span" +4940111 "$common" \
	"sip_to_pri,null,null,+495551234,3,1,404,no route to destination,gateway,null,false,loopback,true,null"
check "4: times" cdr_times +4940111 no
# pri_call N CALLED SCRIPT SIPP...: PRI -> SIP call N to CALLED, the PBX
# running SCRIPT after it, SIPp as the UAS with SIPP (none: no SIPp)
pri_call() {
	pc_n=$1 pc_called=$2 pc_script=$3
	shift 3
	[ $# -gt 0 ] && sipp_start uas$pc_n "$@" -mp $((6300 + 100 * pc_n))
	pbx_start pbx$pc_n --span 1 --node network -e "wait up 10; log ready;
		call $pc_called calling=5551234 ton=international cton=national;
		$pc_script; expect cleared"
	gw_wait pbx$pc_n
	[ $# -gt 0 ] && gw_wait uas$pc_n
	check "$pc_n: the PBX's call went as planned" pbx_passed pbx$pc_n
	[ $# -gt 0 ] && check "$pc_n: SIPp's too" sipp_passed uas$pc_n
	check "$pc_n: no call live, no B-channel open" gw_idle
}
pri_call 5 4930125 'expect connect timeout=10; sleep 1; hangup 16' \
	uas_answer.xml -set play 1
pri_call 6 4930126 'expect release cause=17 timeout=10' uas_reject.xml
pri_call 7 4930127 'expect alerting timeout=10; sleep 0.5; hangup 16;
	expect release timeout=10' uas_cancel.xml
pri_call 8 4940118 'expect release cause=3 timeout=10'

same "5 answered: pri_to_sip, numbers, 16 by the PBX, 200 from SIPp" \
	4930125 "$common" \
	"pri_to_sip,+495551234,+4930125,5551234,16,2,200,normal call clearing,pri,2,true,loopback,true,PCMA"
check "5: times" cdr_times 4930125 yes
same "5: RTP: packets received, none lost, jitter" 4930125 \
	'[.rtp_rx_packets > 10, .rtp_lost, .jitter_ms >= 0] | map(tostring) | join(",")' \
	"true,0,true"
same "6 busy: 486 from SIPp, cause 17, by SIP" 4930126 "$common" \
	"pri_to_sip,+495551234,+4930126,5551234,17,10,486,user busy,sip,2,true,loopback,true,null"
check "6: times" cdr_times 4930126 no
same "7 the PBX hung up while SIP rang: CANCEL, 487, by the PBX" \
	4930127 "$common" \
	"pri_to_sip,+495551234,+4930127,5551234,16,2,487,normal call clearing,pri,2,true,loopback,true,null"
check "7: times" cdr_times 4930127 no
same "8 no route: cause 3 by sipri, no SIP at all" 4940118 "$common" \
	"pri_to_sip,null,null,5551234,3,1,null,no route to destination,gateway,2,true,null,false,null"
check "8: times" cdr_times 4940118 no
check "the call ids: 1 to 8, each once" \
	test "$(jq -r .call_id "$cdr" | sort -n | tr '\n' ' ')" = \
		"1 2 3 4 5 6 7 8 "

# sip_call N CALLED: a SIP -> PRI call the PBX answers and clears after
# a second
sip_call() {
	pbx_start pbx$1 --span 1 --node network -e "wait up 10; log ready;
		expect setup called=${2#+49} timeout=20; proceeding; alerting;
		answer; sleep 1; hangup 16; expect cleared"
	gw_ready pbx$1
	sipp_uac uac$1 uac_call.xml $2 -set waitbye 1 -d 3000 -mp 6300
	gw_wait pbx$1
	check "$1: the call went as planned" all_passed uac$1 pbx$1
	check "$1: no call live, no B-channel open" gw_idle
}

# logrotate: the file moved away, SIGHUP, the next record in a new file
mv "$cdr" "$cdr.1"
n=$(grep -c 'configuration reloaded' "$work/sipri.log")
kill -HUP "$gw_pid"
check "SIGHUP after the file was moved: reloaded" wait_for 5 sh -c \
	"[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -gt $n ]"
sip_call 9 +4930790
check "... the next record is alone in a new $cdr" \
	test "$(jq -r .called_raw "$cdr")" = "+4930790"
check "... the moved file kept its 8" test "$(wc -l < "$cdr.1")" -eq 8

# a full file system: the record is lost, logged and counted; calls go
# on.  The CDR file moves (SIGHUP) to a tmpfs of one page, filled up.
small=/var/log/sipri/small
mkdir -p "$small"
mount -t tmpfs -o size=4k tmpfs "$small"
sed -i "s|^file = .*|file = $small/cdr.jsonl|" "$work/sipri.conf"
n=$(grep -c 'configuration reloaded' "$work/sipri.log")
kill -HUP "$gw_pid"
check "SIGHUP: CDRs to $small/cdr.jsonl" wait_for 5 sh -c \
	"[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -gt $n ]"
dd if=/dev/zero of="$small/fill" bs=4k 2> /dev/null
sip_call 10 +4930791
check "... full: the write error is logged, the call went on" grep -q \
	"CDR file $small/cdr.jsonl: write failed: No space left on device" \
	"$work/sipri.log"
rm -f "$small/fill"
sip_call 11 +4930792
check "... room again: the next record is written, whole" \
	test "$(jq -r .called_raw "$small/cdr.jsonl")" = "+4930792"
cdr=$small/cdr.jsonl

# SIGTERM with a call up: it is cleared, and its record written
pbx_start pbx12 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30793 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared'
gw_ready pbx12
sipp_start uac12 uac_call.xml -s +4930793 127.0.0.1:5060 \
	-key caller +495551234 -set waitbye 1 -d 20000 -mp 6300
check "a call is up" wait_for 10 grep -q "call(12){ACTIVE}" "$work/sipri.log"
check "SIGTERM: sipri exits cleanly" gw_stop
same "... the call's record: answered, cleared by sipri with cause 16" \
	+4930793 '[.call_id, .answer != null, .q850_cause, .released_by,
	.sip_status] | map(tostring) | join(",")' "12,true,16,gateway,200"
gw_wait pbx12

# CSV by config: a header line, then a row per call, quoted per RFC 4180
csv=/var/log/sipri/cdr.csv
gw_sed="$gw_sed; s|^file = .*|file = $csv\nformat = csv|"
check "sipri starts with [cdr] format = csv" gw_start
sip_call 13 +4930794
check "the CSV file: the header line, then the call's row" \
	test "$(wc -l < "$csv")" -eq 2
check "... the header names the fields" test "$(head -n 1 "$csv")" = \
	"call_id,direction,calling,called,calling_raw,called_raw,start,answer,end,duration_ms,pdd_ms,q850_cause,q850_location,sip_status,reason,released_by,span,channel,trunk,sip_call_id,codec,rtp_rx_packets,rtp_lost,jitter_ms"
check "... the row: 24 fields, the call's" sh -c "tail -n 1 '$csv' |
	awk -F, 'NF == 24 && \$2 == \"sip_to_pri\" && \$4 == \"30794\" &&
		\$14 == 200 && \$16 == \"pri\" { ok = 1 } END { exit !ok }'"
check "SIGTERM: sipri exits cleanly" gw_stop
vdahdi_stop
done_testing
