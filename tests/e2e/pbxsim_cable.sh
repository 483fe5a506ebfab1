#!/bin/sh
# The cable pulled mid-call (vdahdi fault injection `cut 1`): both sides see
# the DAHDI ALARM event, the D-channel goes down (Q.921: T203 then T200 x
# N200; T203 set to 2 s here) and the call is cleared (libpri's T309, set
# to 2 s here).  After `restore 1`
# both sides see NOALARM, the D-channel comes back up and a new call then
# completes.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_script net <<'END'
wait up 10
call 1000
expect connect
log call up
expect alarm timeout=10
expect dchan_down timeout=10
expect cleared timeout=10
expect noalarm timeout=20
wait up 15
call 2000
expect connect
hangup 16
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect setup called=1000 timeout=10
answer
log call up
expect alarm timeout=10
expect dchan_down timeout=10
expect cleared timeout=10
expect noalarm timeout=20
wait up 15
expect setup called=2000 timeout=15
answer
expect disconnect cause=16
expect cleared
END

timers="--timer T203=2000 --timer T309=2000"
pbx_start net --span 1 --node network $timers -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe $timers -f "$work/cpe.pbx"

wait_for 15 sh -c "grep -q 'log: call up' $work/net.log && grep -q 'log: call up' $work/cpe.log"
ok $? "the first call is up"
echo "cut 1" > /dev/dahdi/vdahdi
ok $? "cable cut"
wait_for 5 sh -c "grep -q '^span 1 .*alarms=RED' /dev/dahdi/vdahdi && grep -q '^span 2 .*alarms=RED' /dev/dahdi/vdahdi"
ok $? "both spans of the pair are in alarm (RED)"
wait_for 15 sh -c "grep -q 'call cleared' $work/net.log && grep -q 'call cleared' $work/cpe.log"
ok $? "both sides cleared the call"
echo "restore 1" > /dev/dahdi/vdahdi
ok $? "cable restored"
pbx_wait net cpe

check "network side's scenario passes" pbx_passed net
check "CPE side's scenario passes" pbx_passed cpe
for side in net cpe; do
	check "$side: saw ALARM, then NOALARM" \
		sh -c "grep -q 'DAHDI event alarm' $work/$side.log && grep -q 'DAHDI event noalarm' $work/$side.log"
	check "$side: D-channel went down and came back up" \
		sh -c "grep -q 'D-channel down' $work/$side.log && [ \$(grep -c 'D-channel up' $work/$side.log) -ge 2 ]"
	check "$side: second call completed" \
		sh -c "[ \$(grep -c 'CONNECT chan=' $work/$side.log) -eq 2 ]"
done
vdahdi_stop
done_testing
