#!/bin/sh
# Calls to a group of spans go to the span with the most free B-channels
# (gateway/legs.c, sipri.conf(5) group): with span 2 and span 4 in group
# pbx (two vdahdi E1 pairs, a PBX answering on each), 6 calls held at
# once from SIP end up 3 on each span, not 6 on the first; so the set-up
# signalling is spread over both D-channels too.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# the loopback profile with span 4 in group pbx too
{
	sed 's/^\[sip\]$/&\ninvite_rate = 0/' "$top_srcdir/conf/loopback.conf"
	printf '[span 4]\ndchan = 109\nbchan = 94-108,110-124\n'
	printf 'switchtype = euroisdn\nnode = cpe\ngroup = pbx\n'
	printf '[general]\nt303 = 4000\n'
} > "$work/sipri.conf"
vdahdi_start --pairs 2
system_conf 2 e1 > "$work/system.conf"
dahdi_cfg -c "$work/system.conf"
check "sipri starts with spans 2 and 4 in group pbx" gw_run
for s in 1 3; do
	pbx_start pbx$s --span $s --node network -e 'wait up 10; log ready;
		autoanswer hold=3000; sleep 60'
done
restarted_twice() {
	[ "$(grep -c 'all channels restarted' "$work/sipri.log")" -ge 2 ]
}
both_up() {
	wait_for 20 grep -q 'span 2 up' "$work/sipri.log" &&
		wait_for 20 grep -q 'span 4 up' "$work/sipri.log" &&
		wait_for 15 grep -q 'log: ready' "$work/pbx1.log" &&
		wait_for 15 grep -q 'log: ready' "$work/pbx3.log" &&
		wait_for 15 restarted_twice
}
check "both spans up, both PBXs settled" both_up
sipp_flood six -p 5062 -mp 6600 -r 10 -m 6 -l 6 -timeout 30s
check "SIPp's 6 calls all completed" sipp_passed six
n1=$(grep -c '<- SETUP' "$work/pbx1.log")
n3=$(grep -c '<- SETUP' "$work/pbx3.log")
diag "SETUPs: span 2 (PBX 1) $n1, span 4 (PBX 3) $n3"
check "3 calls on each span" test "$n1" -eq 3 -a "$n3" -eq 3
check "no call live, no B-channel open" gw_idle
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
