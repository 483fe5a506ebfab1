#!/bin/sh
# The loopback demo (tools/quickstart demo): the real thing.
#   vdahdi E1 pair, dahdi_cfg with conf/system.conf, sipri on span 2 with
#   conf/loopback.conf; pbxsim is the PBX on span 1 and SIPp the SIP
#   phone on 127.0.0.1:5062.
#   1. The PBX calls +4930123 through sipri; the phone answers and echoes
#      the audio; the PBX hears its 1004 Hz tone come back, then hangs up.
#   2. The phone calls +4930777 through sipri; the PBX answers and hears
#      the phone's 1004 Hz tone; the phone hangs up.
# It prints the calls as a ladder and a pass/fail line.
#   tests/e2e/demo.sh BUILDDIR
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/_build}" && pwd)
export top_srcdir top_builddir
. "$top_srcdir/tests/lib/common.sh"
SANDBOX_TIMEOUT=120
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

now() { date +%s.%N; }

# pbx_start_at NAME ARGS: pbxsim, remembering its start on the wall clock
pbx_start_at() {
	now > "$work/$1.t0"
	pbx_start "$@"
}

# ladder: every log on one time line, in three columns
ladder() {
	{
		for n in pbx1 pbx2; do
			awk -v t0="$(cat "$work/$n.t0")" '
				/ (->|<-) |measured tone|DTMF received/ {
					t = t0 + $1; sub(/^ *[0-9.]+ pbxsim\[span1\]: /, "")
					printf "%.3f|1|%s\n", t, $0 }' "$work/$n.log"
		done
		awk -v day="$(date +%s)" '
			BEGIN { d = day - day % 86400 }
			/call\([0-9]+\)\{[A-Z]+\}: .* from [AB], was / {
				split($1, h, ":"); t = d + h[1] * 3600 + h[2] * 60 + h[3]
				match($0, /call\([0-9]+\)\{[A-Z]+\}/)
				c = substr($0, RSTART, RLENGTH); gsub(/[(){}]/, " ", c)
				split(c, w, " ")
				printf "%.3f|2|call %s: %s\n", t, w[2], w[3] }' \
			"$work/sipri.log"
		for n in phone1 phone2; do
			awk -v day="$(date +%s)" '
				BEGIN { d = day - day % 86400 }
				/^-{20,} [0-9-]+ [0-9:.]+$/ { split($3, h, ":")
					t = d + h[1] * 3600 + h[2] * 60 + h[3] }
				/message (sent|received)/ {
					dir = /sent/ ? "<-" : "->"; want = 1; next }
				want && NF { sub(/\r$/, "")
					printf "%.3f|3|%s %s\n", t, dir,
						$1 ~ /^SIP/ ? $2 " " $3 : $1
					want = 0 }' "$work/$n.msg"
		done
	} | sort -t'|' -k1,1n -s | awk -F'|' '
		NR == 1 { t0 = $1 }
		{ pad = $2 == 1 ? "" : $2 == 2 ? sprintf("%34s", "") :
			sprintf("%54s", "")
		  printf "%7.3f  %s%s\n", $1 - t0, pad, $3 }'
}

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
echo "== sipri loopback demo: PBX (pbxsim, span 1) <-> sipri (span 2) <-> SIP phone (SIPp)"
gw_start || { echo "demo: FAIL (sipri did not start)"; exit 1; }
dahdi_scan | grep -E '^\[|^alarms|^description' | paste - - - | sed 's/^/   /'

# 1. PBX -> SIP: the phone echoes the PBX's tone back
sipp_start phone1 uas_answer.xml -rtp_echo -mp 6100
pbx_start_at pbx1 --span 1 --node network -e 'wait up 10;
	call 4930123 calling=5551234 ton=international cton=national;
	expect connect timeout=10; sleep 0.5; tone 1004 -10 2;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
gw_up
gw_wait pbx1 phone1
gw_idle
ok1=$?

# 2. SIP -> PBX: the PBX answers and hears the phone's tone
pbx_start_at pbx2 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	expect disconnect cause=16 timeout=15; expect cleared'
sleep 2
( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5062 -m 1 -timeout 30s -timeout_error -key caller +495551234 \
	-set play 1 -mp 6300 -d 3000 -trace_msg -message_file "$work/phone2.msg" \
	> "$work/phone2.out" 2>&1; echo $? > "$work/phone2.rc" ) &
gw_wait pbx2 phone2
gw_idle
ok2=$?
gw_stop
stopped=$?

echo
printf "%7s  %-34s%-20s%s\n" time "PBX (pbxsim, span 1)" sipri "SIP phone (SIPp)"
ladder
echo
grep -h "measured tone" "$work/pbx1.log" "$work/pbx2.log" | sed 's/^ *[0-9.]* /   /'
vdahdi_stop
if pbx_passed pbx1 && sipp_passed phone1 && [ $ok1 -eq 0 ] &&
   pbx_passed pbx2 && sipp_passed phone2 && [ $ok2 -eq 0 ] &&
   [ $stopped -eq 0 ]; then
	echo "demo: PASS (PBX -> SIP and SIP -> PBX answered, 1004 Hz heard both ways, cleared with cause 16, no channel left busy)"
	exit 0
fi
echo "demo: FAIL"
for n in pbx1 phone1 pbx2 phone2; do
	pbx_passed "$n" || sipp_passed "$n" || { echo "---- $n"; tail -n 20 "$work/$n.log" "$work/$n.out" 2>/dev/null; }
done
exit 1
