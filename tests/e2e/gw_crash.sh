#!/bin/sh
# Crash recovery (Q.931 §5.5): pbxsim calls through sipri to a SIPp UAS,
# which answers on B-channel 1.  sipri is killed with SIGKILL mid-call:
# nothing clears the call, and the PBX still holds it on channel 1.  sipri
# is started again and, by default (restart_on_up), RESTARTs every
# B-channel as its D-channel comes up: the PBX drops its stale call
# (Q.931 §5.5.2), and all 30 channels are in service within 15 s of the
# restart.  Then 30 simultaneous SIP -> PRI calls are all answered, on
# every channel, and all clear.  Without the RESTART the PBX would refuse
# channel 1 (cause 44) and one of the 30 calls would fail.
# At the end no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# ms_between HH:MM:SS.mmm HH:MM:SS.mmm: the milliseconds from one time of
# day to the next (sipri's log stamps), -1 when the second is missing
ms_between() {
	[ -n "$2" ] || { echo -1; return; }
	echo "$1 $2" | awk '
		function ms(t, x) {
			split(t, x, /[:.]/)
			return ((x[1] * 60 + x[2]) * 60 + x[3]) * 1000 + x[4]
		}
		{ d = ms($2) - ms($1); print d < 0 ? d + 86400000 : d }'
}

check "sipri starts on the loopback profile" gw_start

pbx_script pbx <<'END'
autoanswer
wait up 10
call 493051 calling=5551234 ton=international cton=national chan=1 exclusive
expect connect chan=1 timeout=10
log call up
expect restart chan=1 timeout=40
expect cleared timeout=5
expect stats restarted=1 active=0 timeout=5
log no stale call
expect stats answered=30 active=30 timeout=40
log 30 calls up
expect stats answered=30 active=0 timeout=40
END
sipp_start uas1 uas_answer.xml -mp 6100 -set nobye 1
pbx_start pbx --span 1 --node network --timeout 120 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
check "the PBX's call through sipri is answered on channel 1" \
	wait_for 15 pbx_logged pbx 'log: call up'
gw_wait uas1
check "SIPp answered it" sipp_passed uas1
check "sipri holds the call" \
	wait_for 5 grep -q 'call(1){ACTIVE}: CONNECT from B' "$work/sipri.log"

kill -KILL "$gw_pid"
{ wait "$gw_pid"; } 2>/dev/null
check "SIGKILL: sipri dies mid-call" test $? -eq 137
mv "$work/sipri.log" "$work/sipri-killed.log"
t_start=$(date +%H:%M:%S.%3N)
check "sipri starts again" gw_run
check "its span comes up, every channel restarted" gw_up
check "the RESTART dropped the PBX's stale call: no call left there" \
	wait_for 10 pbx_logged pbx 'log: no stale call'
check "... the call on channel 1 (Q.931 §5.5.2)" \
	pbx_logged pbx 'call\(1\) B-channel 1 restarted: call dropped'
check "... 30 RESTARTs for 30 B-channels from the new sipri" \
	test "$(grep -c 'RESTART ACKNOWLEDGE received' "$work/sipri.log")" -eq 30
t_done=$(sed -n 's/^\([0-9:.]*\) pri(2){UP}: all channels restarted.*/\1/p' \
	"$work/sipri.log")
ms=$(ms_between "$t_start" "$t_done")
diag "started again at $t_start, every channel in service at $t_done: $ms ms"
diag "$(grep -E 'D-channel|restarting|all channels restarted' "$work/sipri.log")"
check "every channel in service within 15 s of the restart ($ms ms)" \
	test "$ms" -ge 0 -a "$ms" -lt 15000

# 30 calls at once, each held 10 s
( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5062 -m 30 -r 30 -l 30 -d 10000 -key caller +495551234 \
	-mp 6200 -timeout 60s -timeout_error -trace_err \
	-error_file "$work/uac30.err" > "$work/uac30.out" 2>&1
  echo $? > "$work/uac30.rc" ) &
check "the PBX holds 30 calls at once" \
	wait_for 30 pbx_logged pbx 'log: 30 calls up'
check "... through sipri: 30 calls connected, on every B-channel, channel 1 too" \
	wait_for 10 sh -c "grep -c '{ACTIVE}: CONNECT from B' '$work/sipri.log' |
		grep -qx 30"
gw_wait uac30 pbx
check "SIPp: the 30 calls were answered, held and cleared" sipp_passed uac30
check "the PBX answered 30 and saw them all clear" pbx_passed pbx
check "no call live, no B-channel open" gw_idle
{ sipp_passed uac30 && pbx_passed pbx; } || gw_show uac30 pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
