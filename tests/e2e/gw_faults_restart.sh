#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): a RESTART storm from the PBX
# under load.  3 s into the load, with calls up both ways, the PBX sends
# RESTART for every B-channel (Q.931 §5.5.1), three times over, half a
# second apart (pbxsim `restart all`): 90 RESTARTs.  sipri acknowledges
# every one (§5.5.2), clears the calls on each channel with cause 41 and
# keeps taking calls between the rounds; afterwards calls complete both
# ways and nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

{
	fault_pbx_head
	cat <<'END'
sleep 3
restart all
sleep 0.5
restart all
sleep 0.5
restart all
log storm over
END
	fault_pbx_tail
} | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
check "calls are up both ways; the stats line counts their transactions" \
	fault_calls_up 8
check "the PBX's RESTART storm is over" \
	wait_for 20 pbx_logged pbx 'log: storm over'
check "sipri acknowledged all 90 RESTARTs" \
	wait_for 10 sh -c "[ \$(grep -c '<- RESTART ACKNOWLEDGE' \
		'$work/pbx.log') -eq 90 ]"
check "... logged each" \
	test "$(grep -c 'RESTART received for channel' "$work/sipri.log")" -eq 90
n=$(grep -c 'call dropped without signalling, cause 41' "$work/sipri.log")
check "... and cleared the calls it struck with cause 41 ($n)" test "$n" -ge 5
fault_recover
fault_end
gw_show pbx load after
done_testing
