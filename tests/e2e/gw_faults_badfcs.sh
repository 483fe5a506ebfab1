#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): BADFCS bursts under load.
# With calls up both ways, vdahdi corrupts the FCS of the next 2 frames
# each end of the D-channel sends (`badfcs 1 2`, `badfcs 2 2`), five
# times over, each burst once the last is spent: the receivers drop them
# with BADFCS events (Q.921 §2.9) and Q.921 recovers by retransmission,
# or by resetting the data link, when sipri takes the span down and back
# up, clearing its calls with 38 (tdm/span.c says why it keeps none).
# sipri logs each event; every call of the load is refused or completes,
# calls complete both ways afterwards, and no call is left behind, least
# of all one whose clearing a lost frame carried (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

# spent: no corrupted frame left to send on either span
spent() {
	! grep -q 'badfcs_pending=[1-9]' /dev/dahdi/vdahdi
}

{ fault_pbx_head; fault_pbx_tail; } | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
check "calls are up both ways; the stats line counts their transactions" \
	fault_calls_up 8
burst=0
while [ $burst -lt 5 ] &&
	printf 'badfcs 1 2\nbadfcs 2 2\n' > /dev/dahdi/vdahdi &&
	wait_for 10 spent; do
	burst=$((burst + 1))
done
check "five bursts of 2 bad frames each way, all spent" test $burst -eq 5
bad=$(sed -n 's/^span 2 .* frames_bad=\([0-9]*\) .*/\1/p' /dev/dahdi/vdahdi)
# the last burst's events reach sipri's log when it next pops its
# D-channel's events (a read, or its 100 ms poll): wait for them
seen_all() {
	[ "$bad" -ge 10 ] &&
		[ "$(grep -c 'DAHDI event badfcs' "$work/sipri.log")" -eq "$bad" ]
}
check "sipri saw each bad frame sent to it as a BADFCS event ($bad)" \
	wait_for 10 seen_all
diag "$(grep '^span' /dev/dahdi/vdahdi)"
fault_recover
fault_end
gw_show pbx load after
done_testing
