#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): SIGHUP reloads under load.
# With calls up both ways, sipri is told to reload five times, the file
# changed each time (the route to SIP gains or loses max_call_duration):
# each reload is logged, and no call is dropped for it: every SIP call
# answered ends with the PBX's own hangup (BYE with Reason cause 16), and
# the PBX's calls fail, if at all, only for want of a channel (34, 44).
# Afterwards calls complete both ways and nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

# toggle: the next configuration differs from the running one
toggle() {
	if grep -q '^max_call_duration' "$work/sipri.conf"; then
		sed -i '/^max_call_duration/d' "$work/sipri.conf"
	else
		printf 'max_call_duration = 3600\n' >> "$work/sipri.conf"
	fi
}

{ fault_pbx_head; fault_pbx_tail; } | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
reload=1
while [ $reload -le 5 ] && fault_calls_up 5; do
	toggle
	kill -HUP "$gw_pid"
	wait_for 5 sh -c "[ \$(grep -c 'configuration reloaded' \
		'$work/sipri.log') -ge $reload ]" || break
	reload=$((reload + 1))
done
check "five reloads, each with calls up, each logged" test $reload -eq 6
check "no reload failed" \
	sh -c "! grep -q 'reload failed' '$work/sipri.log'"
fault_recover
n200=$(fault_answered load)
n16=$(awk '/^BYE / { bye = 1 } /^Call-ID:/ && bye { id = $2 }
	/^Reason: Q\.850;cause=16/ && bye { print id; bye = 0 }' \
	"$work/load.msg" | sort -u | wc -l)
check "every SIP call answered ($n200) ended with the PBX's hangup ($n16)" \
	test "$n200" -eq "$n16" -a "$n200" -gt 0
check "the PBX's calls failed only for want of a channel" \
	sh -c "! grep 'load: failed with cause=' '$work/pbx.log' |
		grep -vq 'cause=34 \|cause=44 '"
check "sipri dropped no call without signalling" \
	sh -c "! grep -q 'dropped without signalling' '$work/sipri.log'"
fault_end
gw_show pbx load after
done_testing
