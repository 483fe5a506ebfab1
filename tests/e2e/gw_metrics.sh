#!/bin/sh
# Prometheus metrics (gateway/metrics.c, sipri.conf(5) [metrics]): the
# loopback profile serves them at http://127.0.0.1:9580/metrics.
#  1. Before the PBX: the span is down, its D-channel too; promtool's
#     lint passes.
#  2. PBX up: span and D-channel up, 30 idle B-channels; during a held
#     call 1 active call and 1 busy channel.
#  3. After an answered, a busy, a cancelled and a no-route call from
#     SIP, and an INVITE from a stranger: the call counters by direction
#     and result, the causes, the final responses, the setup histogram,
#     the rejected requests by reason; promtool passes again.
#  4. Only GET /metrics: 404 elsewhere, 405 for POST; a client that
#     connects and sends nothing does not hold up the next scrape.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

url=http://127.0.0.1:9580/metrics
scrape() { curl -s -f "$url" > "$work/m.txt"; }
# metric NAME{LABELS}: its value in the last scrape
metric() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "none" }' \
		"$work/m.txt"
}
# is NAME{LABELS} VALUE [WHAT]: a check on the last scrape
is() {
	v=$(metric "$1")
	[ "$v" = "$2" ] || diag "$1 is $v, wanted $2"
	check "${3:-$1 = $2}" test "$v" = "$2"
}
lint() { promtool check metrics < "$work/m.txt" || { promtool check metrics < "$work/m.txt" 2>&1 | head -5 | while read l; do diag "$l"; done; false; }; }

gw_sed='s/^match = any$/match = prefix:+4930/'
check "sipri starts on the loopback profile" gw_start
check "... it logs the metrics URL" \
	grep -q "metrics on http://127.0.0.1:9580/metrics" "$work/sipri.log"
check "GET /metrics: 200" scrape
check "... as Prometheus text 0.0.4" sh -c "curl -s -D - -o /dev/null \
	'$url' | grep -qi '^Content-Type: text/plain; version=0.0.4'"
is 'sipri_span_up{span="2"}' 0 "no PBX: span 2 down"
is 'sipri_dchannel_up{span="2"}' 0 "... its D-channel down"
check "promtool check metrics passes" lint

pbx_start pbx --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=20; expect cleared;
	'"$PBX_FAILURES"
gw_ready pbx
scrape
is 'sipri_span_up{span="2"}' 1 "PBX up: span 2 up"
is 'sipri_dchannel_up{span="2"}' 1 "... its D-channel up"
is 'sipri_span_alarms{span="2",alarm="red"}' 0 "... no red alarm"
is 'sipri_bchannels{span="2",state="idle"}' 30 "... 30 idle B-channels"
is 'sipri_calls_active' 0

sipp_start uac1 uac_call.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -d 2000 -mp 6300
check "a call is up" wait_for 10 grep -q "call(1){ACTIVE}" "$work/sipri.log"
scrape
is 'sipri_calls_active' 1 "during it: 1 call active"
is 'sipri_bchannels{span="2",state="busy"}' 1 "... 1 B-channel busy"
is 'sipri_bchannels{span="2",state="idle"}' 29 "... 29 idle"
gw_wait uac1
check "call 1 completed" sipp_passed uac1
check "no call live, no B-channel open" gw_idle
sip_failures
gw_wait pbx
check "the busy, cancelled and no-route calls went as planned" \
	all_passed uac2 uac3 uac4 pbx
check "no call live, no B-channel open" gw_idle
SIPP_IP=127.0.0.2 sipp_start stranger uac_fail.xml -s +4930780 \
	127.0.0.1:5060 -key caller +495551234 -mp 6300
gw_wait stranger

scrape
for r in answered:1 failed:1 cancelled:1 rejected:1; do
	is "sipri_calls_total{direction=\"sip_to_pri\",result=\"${r%:*}\"}" \
		"${r#*:}" "calls from SIP, ${r%:*}: ${r#*:}"
done
is 'sipri_calls_total{direction="pri_to_sip",result="answered"}' 0 \
	"calls from the PRI, answered: 0"
for c in 16:2 17:1 3:1; do
	is "sipri_q850_causes_total{direction=\"sip_to_pri\",cause=\"${c%:*}\"}" \
		"${c#*:}" "cause ${c%:*}: ${c#*:}"
done
for s in 200 486 487 404; do
	is "sipri_sip_responses_total{code=\"$s\"}" 1 "SIP $s: 1"
done
is 'sipri_call_setup_seconds_count' 1 "call setup histogram: 1 answered call"
is 'sipri_call_setup_seconds_bucket{le="+Inf"}' 1 "... in its +Inf bucket"
is 'sipri_trunk_up{trunk="loopback"}' 1 "trunk loopback up"
is 'sipri_sip_rejected_total{reason="acl"}' 2 \
	"the stranger's INVITE and its ACK: 2 refused by the ACL"
is 'sipri_rtp_lost_packets_total' 0
is 'sipri_cdr_write_errors_total' 0
is 'sipri_calls_active' 0
check "promtool check metrics passes" lint

check "GET /other: 404" test "$(curl -s -o /dev/null -w '%{http_code}' \
	http://127.0.0.1:9580/other)" = 404
check "POST /metrics: 405" test "$(curl -s -o /dev/null -w '%{http_code}' \
	-X POST "$url")" = 405
# a client that connects and sends nothing (tests/tools/tcpconn holds it
# until its standard input ends)
sleep 30 | "$top_builddir/tests/tools/tcpconn" -w 30 -H 127.0.0.1 9580 \
	> /dev/null &
slow=$!
check "with a slow client connected, the next scrape is answered" scrape
check "... at once" sh -c "curl -s -m 2 -f '$url' > /dev/null"
kill $slow 2>/dev/null

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
