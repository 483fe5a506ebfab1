#!/bin/sh
# Failures, SIP -> PRI:
# a SIPp UAC calls through sipri; pbxsim, the PBX on span 1, refuses each
# call with a Q.850 cause.  SIPp must get the status of the cause table
# (RFC 3398 §7.2.4.1, and 16 -> 487) and Reason: Q.850;cause=N
# (RFC 3326):
#    1 -> 404   16 -> 487   17 -> 486   21 -> 403   34 -> 503   38 -> 503
# (cause 21 gives 403, not 603: libpri sends the Cause IE with location
# "private network serving the local user", not "user", Q.850 §2.2.4).
# libpri sends RELEASE COMPLETE for causes 1 and 34 and PROCEEDING then
# DISCONNECT for the others: both ways of refusing are covered.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# cause -> SIP status, one call each, numbers 3070N
rows="1:404 16:487 17:486 21:403 34:503 38:503"

check "sipri starts on the loopback profile" gw_start

# one pbxsim refuses the calls in turn
cn=0
for r in $rows; do
	cn=$((cn + 1))
	echo "expect setup called=3070$cn timeout=20; reject ${r%%:*};"
	echo "expect cleared timeout=10; log call $cn cleared"
done > "$work/pbx.pbx"
pbx_start pbx --span 1 --node network --timeout 90 -e 'wait up 10' -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)

cn=0
for r in $rows; do
	cn=$((cn + 1))
	cause=${r%%:*} status=${r##*:}
	sipp_uac uac$cn uac_fail.xml +493070$cn -mp $((6300 + 100 * cn))
	check "cause $cause: SIPp's INVITE failed as expected" sipp_passed uac$cn
	check "cause $cause -> SIP $status" sipp_msg uac$cn "^SIP/2\.0 $status "
	check "cause $cause: Reason: Q.850;cause=$cause" \
		sipp_msg uac$cn "^Reason: Q\.850;cause=$cause([^0-9]|$)"
	check "cause $cause: the PBX cleared the call" \
		wait_for 10 pbx_logged pbx "log: call $cn cleared"
	check "cause $cause: no call live, no B-channel open" gw_idle
	sipp_passed uac$cn || gw_show uac$cn
done
gw_wait pbx
check "PBX: every SETUP arrived and was refused" pbx_passed pbx
pbx_passed pbx || gw_show pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 60)"
vdahdi_stop
done_testing
