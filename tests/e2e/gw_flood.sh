#!/bin/sh
# Flood resistance (sip/acl.c, sip/flood.c, sipri.conf(5) [sip]).
#  1. A stranger (127.0.0.2, no trunk's source) floods 400 INVITEs/s for
#     15 s.  Meanwhile the trunk (127.0.0.1) sends OPTIONS every 100 ms:
#     every one is answered, 99% within 100 ms.  Every INVITE gets 403;
#     the PBX sees no SETUP; sipri allocates no leg and no RTP port for
#     them, and its RSS grows by less than 16 MiB.  Afterwards a trunk
#     call is answered.
#  2. The trunk itself floods past its rate (invite_rate = 10/s, burst
#     10): 40 INVITEs/s for 3 s.  The excess gets 503 with Retry-After
#     and Reason cause 42, before any leg exists; the INVITEs within the
#     rate become calls the PBX answers, and they complete.
#  3. No free B-channel: with max_calls = 1 and one call up, a second
#     INVITE gets 503 with Retry-After and cause 34 without a leg.
# After each part no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-240}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
# ASan's quarantine keeps freed memory for a while: that is the
# sanitizer's, not sipri's; keep it small so RSS tells sipri's own
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"

rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$gw_pid/status"
}

# stats LINE: sipri's counters as logged at exit
stat_of() {
	grep "stopped: sip " "$work/sipri.log" | grep -o " $1=[0-9]*" |
		cut -d= -f2
}

# ---- 1. a stranger's flood
check "sipri starts on the loopback profile" gw_start
pbx_start pbx1 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30777 timeout=60; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=10; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx1
rss0=$(rss_kib)
( cd "$work" && sipp -sf "$top_srcdir/tests/e2e/sipp/uac_stranger.xml" \
	-i 127.0.0.2 -p 5070 -s +4930780 127.0.0.1:5060 -key caller \
	+495551234 -r 400 -m 6000 -l 2000 -timeout 60s -timeout_error \
	-trace_err -error_file "$work/flood.err" > "$work/flood.out" 2>&1
  echo $? > "$work/flood.rc" ) &
( cd "$work" && sipp -sf "$SIPP_DIR/uac_options.xml" -i 127.0.0.1 -p 5071 \
	127.0.0.1:5060 -r 10 -m 150 -timeout 60s -timeout_error \
	-trace_rtt -rtt_freq 1 -trace_err -error_file "$work/opt.err" \
	> "$work/opt.out" 2>&1
  echo $? > "$work/opt.rc" ) &
gw_wait flood opt
rss1=$(rss_kib)
check "the flood: SIPp sent 6000 INVITEs, every one got 403" \
	sipp_passed flood
check "OPTIONS every 100 ms during it: all 150 answered" sipp_passed opt
p99=$(cut -d';' -f2 "$work"/uac_options_*_rtt.csv 2>/dev/null |
	grep -E '^[0-9.]+$' | sort -n |
	awk '{ v[NR] = $1 } END { if (NR < 150) { print "none"; exit }
		i = int(NR * 0.99 + 0.999); print v[i] }')
diag "OPTIONS response time p99: $p99 ms; RSS $rss0 -> $rss1 KiB"
check "... their p99 response time is under 100 ms" \
	awk -v p="$p99" 'BEGIN { exit !(p != "none" && p + 0 < 100) }'
check "sipri's RSS grew by less than 16 MiB" \
	test "$((rss1 - rss0))" -lt 16384
sipp_uac uac1 uac_call.xml +4930777 -mp 6500 -d 500
gw_wait pbx1
check "afterwards a trunk call is answered and completes" sipp_passed uac1
check "the PBX saw that call's SETUP and no other" \
	test "$(grep -c '<- SETUP' "$work/pbx1.log")" -eq 1
check "no call live, no B-channel open" gw_idle
gw_show uac1 pbx1 opt flood
check "SIGTERM: sipri exits cleanly" gw_stop
check "6000 INVITEs refused, one leg and one RTP port: the trunk call's" \
	test "$(stat_of refused)" -ge 6000 -a "$(stat_of legs)" -eq 1 \
		-a "$(stat_of rtp)" -eq 1

# ---- 2. the trunk past its rate; 3. no free B-channel
gw_sed='s/^\[sip\]$/&\ninvite_rate = 10\ninvite_burst = 10/'
check "sipri starts with invite_rate = 10, invite_burst = 10" gw_start
pbx_start pbx2 --span 1 --node network -e "autoanswer hold=1000;
	wait up 10; log ready; sleep 8; stats"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx2
sipp_flood trunk -p 5062 -mp 6600 -r 40 -m 120 -timeout 30s
gw_wait pbx2
n503=$(grep -c '^SIP/2.0 503 ' "$work/trunk.msg")
n200=$(grep -c '^SIP/2.0 200 OK' "$work/trunk.msg")
diag "trunk flood: $n503 x 503, $n200 x 200 (INVITE and BYE)"
check "the trunk's 120 INVITEs: each refused or a completed call" \
	sipp_passed trunk
check "the excess got 503" test "$n503" -ge 40
check "... with Retry-After and Reason cause 42" \
	sh -c "grep -q '^Retry-After: 5' '$work/trunk.msg' &&
		grep -q '^Reason: Q.850;cause=42' '$work/trunk.msg'"
answered=$(sed -n 's/.*stats: .* answered=\([0-9]*\) .*/\1/p' \
	"$work/pbx2.log" | tail -n 1)
check "the INVITEs within the rate became calls the PBX answered: 10 to 60" \
	test "${answered:-0}" -ge 10 -a "${answered:-0}" -le 60
check "sipri logged the rate, rate-limited" \
	sh -c "n=\$(grep -c 'over invite_rate' '$work/sipri.log');
		[ \$n -ge 1 ] && [ \$n -le 2 ]"
check "no call live, no B-channel open" gw_idle
gw_show trunk pbx2

check "SIGTERM: sipri exits cleanly" gw_stop
check "sipri logged its refusals" test "$(stat_of rate_limited)" -ge 40

gw_sed=
check "sipri starts with max_calls = 1" gw_start "max_calls = 1"
pbx_start pbx3 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx3
sipp_start uac3 uac_call.xml -s +4930777 127.0.0.1:5060 -key caller \
	+495551234 -mp 6700 -d 4000
wait_for 10 grep -q "call(1) -> CONNECT" "$work/pbx3.log"
legs=$(grep -c 'RTP on ' "$work/sipri.log")
( cd "$work" && sipp -sf "$SIPP_DIR/uac_503.xml" -i 127.0.0.1 -p 5063 \
	-s +4930778 127.0.0.1:5060 -m 1 -timeout 10s -timeout_error \
	-trace_msg -message_file "$work/busy.msg" > "$work/busy.out" 2>&1
  echo $? > "$work/busy.rc" )
gw_wait uac3 pbx3
check "with the one call up, another INVITE gets 503" sipp_passed busy
check "... with Retry-After and Reason cause 34" \
	sh -c "grep -q '^Retry-After: 5' '$work/busy.msg' &&
		grep -q '^Reason: Q.850;cause=34' '$work/busy.msg'"
check "... and no RTP port was opened for it" \
	test "$(grep -c 'RTP on ' "$work/sipri.log")" -eq "$legs"
check "the call up completes" sipp_passed uac3
check "no call live, no B-channel open" gw_idle
gw_show uac3 pbx3 busy
check "SIGTERM: sipri exits cleanly" gw_stop
vdahdi_stop
done_testing
