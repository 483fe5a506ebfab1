#!/bin/sh
# DTMF through a bad network, detected exactly once: a SIPp UAC calls through sipri to
# pbxsim and sends 0123456789*#ABCD as RFC 4733 events whose packets leave
# with +-30 ms of jitter, 5% of neighbours swapped and 5% lost
# (tests/tools/rtpdtmf, tests/tools/impair.h), two different draws.  The
# PBX must detect every digit exactly once, in order: a reordered update
# must not restart a digit, a lost start packet must not lose it, and the
# repeated end packets must not play it twice.  A draw without impairment
# comes first as the control.  No call is live and no B-channel open after
# each call.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
RTPDTMF="$top_builddir/tests/tools/rtpdtmf"
SIPP_DIR="$top_srcdir/tests/e2e/dtmf"
DIGITS='0123456789*#ABCD'

check "sipri starts on the loopback profile" gw_start

# jitter_call NAME IMPAIRMENT...: one call, the digits once, exactly
jitter_call() {
	jc=$1   # not "name": the gw_lib and pbxsim_lib helpers set that
	shift
	"$RTPDTMF" pcap "$work/dtmf16.pcap" "$DIGITS" "$@" || return 1
	pbx_start "$jc-pbx" --span 1 --node network -e "wait up 10;
		expect setup timeout=15; proceeding; alerting; answer;
		expect dtmf '$DIGITS' timeout=15;
		expect disconnect cause=16 timeout=15; expect cleared"
	gw_up || return 1
	sleep 1.5   # the libpri start-up race (doc/ARCHITECTURE, facts)
	sipp_uac "$jc" uac_dtmf_play.xml 4930777 -mp 6500
	gw_wait "$jc-pbx"
	# pbxsim's expect dtmf wants exactly these digits: a doubled or a
	# lost one fails it
	sipp_passed "$jc" && pbx_passed "$jc-pbx"
}

for c in "clean" "seed1 jitter=30 reorder=5 loss=5 seed=1" \
	 "seed7 jitter=30 reorder=5 loss=5 seed=7"; do
	case_=${c%% *}
	[ "$case_" = "$c" ] && set -- || set -- ${c#* }
	check "$case_: the 16 digits detected once each, in order" \
		jitter_call "$case_" "$@"
	check "$case_: no call live, no B-channel open" gw_idle
	pbx_passed "$case_-pbx" || gw_show "$case_" "$case_-pbx"
done
diag "$(grep -E 'DTMF' "$work/sipri.log" | tail -n 20)"

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
