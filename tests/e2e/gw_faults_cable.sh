#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): the cable pulled under load.
# With calls up both ways, the E1 pair is cut (vdahdi `cut 1`) for 3 s:
# sipri takes span 2 down and clears its calls with cause 38; INVITEs
# meanwhile are refused.  After `restore 1` the span comes back and
# calls complete both ways; then nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

{ fault_pbx_head; fault_pbx_tail; } | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
check "calls are up both ways; the stats line counts their transactions" \
	fault_calls_up 8
diag "$(fault_stats)"
echo "cut 1" > /dev/dahdi/vdahdi
check "cable cut: sipri takes span 2 down" \
	wait_for 5 grep -q "span 2 down" "$work/sipri.log"
check "... and clears its calls with cause 38" \
	wait_for 5 grep -q "cause=38\|cause 38" "$work/sipri.log"
sleep 3   # the outage: the load runs on against a dead span
echo "restore 1" > /dev/dahdi/vdahdi
check "cable restored: sipri brings span 2 up again" \
	wait_for 20 sh -c "[ \$(grep -c 'span 2 up' '$work/sipri.log') -ge 2 ]"
fault_recover
fault_end
gw_show pbx load after
done_testing
