#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): the D-channel flaps under
# load, with no alarm: with calls up both ways, vdahdi corrupts every
# frame both ends send (`badfcs 1 N`, `badfcs 2 N`), so that Q.921 runs
# out of retransmissions (T200, N200) and releases the data link; sipri
# logs the D-channel down, takes span 2 out of service and clears its
# calls with cause 38.  Then the corruption stops, the data link is
# established again (SABME, UA), the span comes back.  Twice.  Afterwards
# calls complete both ways and nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

# logged N PATTERN: sipri's log holds N lines matching PATTERN
logged() {
	[ "$(grep -c "$2" "$work/sipri.log")" -ge "$1" ]
}

FAULT_CALLS=120
{ fault_pbx_head; fault_pbx_tail; } | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
for flap in 1 2; do
	check "flap $flap: calls are up both ways" fault_calls_up 8
	printf 'badfcs 1 1000000\nbadfcs 2 1000000\n' > /dev/dahdi/vdahdi
	check "flap $flap: every frame lost: sipri's D-channel goes down" \
		wait_for 20 logged $flap 'D-channel down'
	check "flap $flap: ... span 2 down, its calls cleared with cause 38" \
		wait_for 5 logged $flap 'span 2 down'
	printf 'badfcs 1 0\nbadfcs 2 0\n' > /dev/dahdi/vdahdi
	check "flap $flap: frames pass again: the D-channel comes back up" \
		wait_for 20 logged $((flap + 1)) 'span 2 up'
done
check "no alarm all along: a data link failure only" \
	sh -c "! grep -q 'alarm' '$work/sipri.log'"
check "calls were cleared with cause 38" \
	grep -q 'call dropped without signalling, cause 38' "$work/sipri.log"
fault_recover
fault_end
gw_show pbx load after
done_testing
