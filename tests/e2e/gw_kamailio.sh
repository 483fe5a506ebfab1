#!/bin/sh
# Scale-out behind kamailio (conf/kamailio): kamailio's dispatcher on
# 127.0.0.1:5060 spreads SIP -> PRI calls over two sipri, A on
# 127.0.0.2 (span 2, its PBX on span 1) and B on 127.0.0.3 (span 4, its
# PBX on span 3), each with its own vdahdi E1 pair, and probes them with
# OPTIONS; PRI -> SIP calls from both go out through kamailio to SIPp on
# 127.0.0.1:5062.  Both sipri have a plain trunk to kamailio's address:
# neither knows it sits behind a proxy.
#  1. B's span is down: B answers OPTIONS 503, the dispatcher marks it
#     down, and every call goes to A; B sees no INVITE at all.
#  2. B's span comes up: OPTIONS 200 marks it up, and both carry calls.
#  3. A PRI -> SIP call from each PBX reaches SIPp through kamailio,
#     which stays in the path (Record-Route): the BYE sipri sends when
#     the PBX hangs up arrives at SIPp through kamailio too.
# After each phase no call is live in either sipri and no B-channel is
# open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-180}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

ip addr add 127.0.0.2/8 dev lo 2>/dev/null
ip addr add 127.0.0.3/8 dev lo 2>/dev/null

# gw_conf NAME IP SPAN RTP: a sipri on IP, span SPAN, its trunk kamailio
gw_conf() {
	b=$(( ($3 - 1) * 31 ))
	sed -e "s/^listen = udp:.*/listen = udp:$2:5060/" \
	    -e "s/^\[span 2\]$/[span $3]/" \
	    -e "s/^dchan = 47$/dchan = $((b + 16))/" \
	    -e "s/^bchan = 32-46,48-62$/bchan = $((b + 1))-$((b + 15)),$((b + 17))-$((b + 31))/" \
	    -e "s/^port = 5062$/port = 5060/" \
	    "$top_srcdir/conf/loopback.conf" > "$work/$1.conf"
	sed -i "s/^listen = 127.0.0.1:9580$/listen = $2:9580/" "$work/$1.conf"
	printf '[general]\nrtp_ports = %s\nt303 = 4000\ncontrol = /run/sipri/%s.ctl\n' \
		"$4" "$1" >> "$work/$1.conf"
}
# gw_launch NAME: start that sipri, its log NAME.log, its pid in NAME.pid
gw_launch() {
	"$SIPRI" -d -v -v -f "$work/$1.conf" > "$work/$1.log" 2>&1 &
	echo $! > "$work/$1.pid"
	wait_for 5 grep -q "running" "$work/$1.log"
}
# idle NAME: that sipri has no call live
idle() {
	wait_for 10 sh -c "! grep -q 'calls live=' '$work/$1.log' ||
		grep 'calls live=' '$work/$1.log' | tail -n 1 |
		grep -q 'calls live=0 busy_channels=0'"
}
both_idle() {
	idle gwA && idle gwB &&
		wait_for 5 sh -c "! grep -q 'bopen=[1-9]' /dev/dahdi/vdahdi"
}
# stop NAME: SIGTERM, exit 0 with no call live and no sanitizer report
stop() {
	pid=$(cat "$work/$1.pid")
	kill -TERM "$pid"
	wait "$pid" &&
		grep -q "stopped: calls live=0" "$work/$1.log" &&
		! grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" \
			"$work/$1.log"
}
# span_up NAME SPAN PBX: that sipri's span is up and fully restarted, and
# its PBX has let Q.921 settle (gw_ready)
span_up() {
	wait_for 20 grep -q "span $2 up" "$work/$1.log" &&
		wait_for 15 grep -q "pri($2){[A-Z]*}: all channels restarted" \
			"$work/$1.log" &&
		wait_for 15 grep -q "log: ready" "$work/$3.log"
}
calls_at() { grep -c "SIP call for" "$work/$1.log"; }
invites_at() { grep -c "INVITE from" "$work/$1.log"; }

vdahdi_start --pairs 2
system_conf 2 e1 > "$work/system.conf"
dahdi_cfg -c "$work/system.conf"
gw_conf gwA 127.0.0.2 2 20000-20999
gw_conf gwB 127.0.0.3 4 21000-21999
check "sipri A starts on 127.0.0.2, span 2" gw_launch gwA
check "sipri B starts on 127.0.0.3, span 4" gw_launch gwB

sed -e "s|^1 sip:127.0.0.2:5060|1 sip:127.0.0.2:5060|" \
	"$top_srcdir/conf/kamailio/dispatcher.list" > "$work/dispatcher.list"
mkdir -p "$work/kam"
kamailio -f "$top_srcdir/conf/kamailio/kamailio.cfg" -DD -E -n 2 \
	-Y "$work/kam" -P "$work/kam/kamailio.pid" \
	-A "DISPATCHER_LIST=\"$work/dispatcher.list\"" \
	> "$work/kamailio.log" 2>&1 &
kam_pid=$!
check "kamailio starts with the recipe; no span is up: both sipri answer OPTIONS 503 and are marked down" \
	wait_for 10 sh -c "grep -q 'gateway down: sip:127.0.0.2:5060' \
		'$work/kamailio.log' &&
		grep -q 'gateway down: sip:127.0.0.3:5060' '$work/kamailio.log'"
diag "$(grep -E 'gateway|ERROR' "$work/kamailio.log" | head -n 5)"

# pbx_up NAME SPAN GW GWSPAN IP: a PBX answering on SPAN; then GW's span
# GWSPAN is up and kamailio has marked the gateway at IP up
pbx_up() {
	pbx_start $1 --span $2 --node network -e 'wait up 10; log ready;
		autoanswer hold=300; sleep 120'
	check "$3's span comes up" span_up $3 $4 $1
	check "... its OPTIONS 200 brings it up in kamailio" wait_for 10 \
		grep -q "gateway up: sip:$5:5060" "$work/kamailio.log"
}
pbx_up pbxA 1 gwA 2 127.0.0.2
sipp_flood one -p 5062 -mp 6600 -r 4 -m 6 -timeout 60s
all_done() { sipp_passed "$1" && ! grep -q '^SIP/2.0 503' "$work/$1.msg"; }
check "B's span down: SIPp's 6 calls through kamailio all completed" \
	all_done one
check "... all 6 carried by A" test "$(calls_at gwA)" -eq 6
check "... B saw no INVITE at all" test "$(invites_at gwB)" -eq 0
check "no call live in either sipri, no B-channel open" both_idle

pbx_up pbxB 3 gwB 4 127.0.0.3
sipp_flood two -p 5062 -mp 6700 -r 4 -m 10 -timeout 60s
diag "10 calls with both up: A carried $(( $(calls_at gwA) - 6 )), B $(calls_at gwB)"
check "both up: SIPp's 10 calls all completed" all_done two
check "... both carried calls (round-robin: at least 3 each)" \
	test $(( $(calls_at gwA) - 6 )) -ge 3 -a "$(calls_at gwB)" -ge 3
check "no call live in either sipri, no B-channel open" both_idle

pkill -x pbxsim
wait_for 5 sh -c "! pgrep -x pbxsim"
sipp_start uas uas_answer.xml -m 2 -mp 6800
for s in 1 3; do
	pbx_start out$s --span $s --node network -e "wait up 10;
		call 4930123 calling=5551234 ton=international cton=national;
		expect connect timeout=10; sleep 0.5; hangup 16; expect cleared"
done
gw_wait out1 out3 uas
out_passed() { pbx_passed out1 && pbx_passed out3 && sipp_passed uas; }
check "PRI -> SIP from both PBXs: each call answered by SIPp and cleared" \
	out_passed
check "... the INVITEs came through kamailio, which record-routes" \
	test "$(grep -c '^Record-Route: <sip:127\.0\.0\.1;lr' "$work/uas.msg")" -ge 2
bye_vias() {
	awk '/^BYE / { b = 1; v = 0 } b && /^Via:/ { v++ }
		b && /^$/ { print v; b = 0 }' "$work/uas.msg"
}
check "... and the BYEs too: two Vias each, kamailio's and sipri's" \
	test "$(bye_vias | tr '\n' ' ')" = "2 2 "
check "no call live in either sipri, no B-channel open" both_idle
gw_show uas out1 out3

check "SIGTERM: sipri A exits cleanly" stop gwA
check "SIGTERM: sipri B exits cleanly" stop gwB
kill "$kam_pid" 2>/dev/null
wait "$kam_pid" 2>/dev/null
vdahdi_stop
done_testing
