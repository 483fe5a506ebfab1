#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): an INVITE burst at 3 times
# the clean rate.  While the PBX calls at FAULT_RATE, the trunk sends 60
# INVITEs/s for 10 s (sipp_flood, uac_flood.xml), far more than the 30
# B-channels hold.  Every INVITE gets a 503 or becomes a whole call (200,
# ACK, the PBX's BYE); the 503s carry Retry-After and a Reason of the
# gate that answered: 34 no B-channel free, 42 the source's rate
# (invite_rate 50/s, invite_burst 100) or the loop behind
# (overload_queue); without Retry-After, 34 or 44 when the PBX refused the
# SETUP (after re-hunts).  Each gate's refusals are counted in sipri's
# "stopped:" line.  Afterwards calls complete both ways and
# nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

stat_of() {
	grep "stopped: sip " "$work/sipri.log" | grep -o " $1=[0-9]*" |
		cut -d= -f2
}

# refusals: for each INVITE refused with 503, once: whether the 503 had
# Retry-After (1 or 0) and its Reason cause
refusals() {
	tr -d '\r' < "$work/load.msg" |
	awk '/^SIP\/2\.0 / { r = $2 == 503; ra = 0; rs = "-" }
		/^[A-Z]+ sip:/ { r = 0 }
		r && /^Call-ID:/ { id = $2 } r && /^Retry-After:/ { ra = 1 }
		r && /^Reason:/ { sub(/.*cause=/, ""); rs = $0 }
		r && /^Content-Length:/ { print id, ra, rs; r = 0 }' |
		sort -u | cut -d' ' -f2-
}

FAULT_CALLS=100
{ fault_pbx_head; fault_pbx_tail; } | pbx_script pbx
check "sipri starts; the PBX's link has settled" fault_start
sipp_flood load -p 5064 -mp 6600 -r 60 -m 600 -timeout 60s
refusals > "$work/refusals"
n503=$(wc -l < "$work/refusals")
n200=$(fault_answered load)
ngate=$(grep -c '^1 \(34\|42\)$' "$work/refusals")
diag "60 INVITEs/s for 10 s: $n200 calls, $n503 refused: (Retry-After, cause)"
diag "$(sort "$work/refusals" | uniq -c)"
check "every INVITE was refused or became a call" \
	test $((n503 + n200)) -eq 600
check "the calls taken meanwhile: at least 100" test "$n200" -ge 100
check "the excess got 503 from a gate, with Retry-After: at least 100" \
	test "$ngate" -ge 100
check "... any other 503 was the PBX's refusal of the SETUP (34, 44)" \
	sh -c "! grep -vq '^1 \(34\|42\)$\|^0 \(34\|44\)$' '$work/refusals'"
fault_recover 600
fault_end
diag "the gates: rate_limited=$(stat_of rate_limited) busy=$(stat_of busy)" \
	"overload=$(stat_of overload)"
check "... each gate refusal counted by its gate in sipri's stopped: line" \
	test $(($(stat_of rate_limited) + $(stat_of busy) + \
		$(stat_of overload))) -eq "$ngate"
gw_show pbx after
done_testing
