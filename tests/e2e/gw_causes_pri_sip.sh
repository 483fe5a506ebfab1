#!/bin/sh
# Failures, PRI -> SIP:
# pbxsim, the PBX on span 1, calls through sipri to a SIPp UAS that rings
# and then refuses the INVITE.  sipri ACKs the refusal and the PBX must see
# the cause of the table (RFC 3398 §8.2.6.1, and 487 -> 16):
#    404 -> 1   480 -> 18   486 -> 17   487 -> 16   503 -> 41   603 -> 21
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# SIP status -> cause, one call each, to +49301N
rows="404:1 480:18 486:17 487:16 503:41 603:21"

check "sipri starts on the loopback profile" gw_start

# one pbxsim places the calls in turn; the pause between them lets the
# next SIPp start listening
cn=0
for r in $rows; do
	cn=$((cn + 1))
	echo "call 49301$cn calling=5551234 ton=international cton=national;"
	echo "expect alerting timeout=10;"
	echo "expect hangup cause=${r##*:} timeout=10; expect cleared;"
	echo "log call $cn cleared; sleep 1.5"
done > "$work/pbx.pbx"

# uas_start N STATUS: SIPp's uas_reject.xml, refusing with STATUS
uas_start() {
	sed "s|^SIP/2\.0 486 Refused|SIP/2.0 $2 Refused|" \
		"$SIPP_DIR/uas_reject.xml" > "$work/uas_reject_$2.xml"
	SIPP_DIR=$work sipp_start uas$1 "uas_reject_$2.xml" -mp $((6100 + 100 * $1))
}

uas_start 1 404
pbx_start pbx --span 1 --node network --timeout 90 -e 'wait up 10' \
	-f "$work/pbx.pbx"
check "sipri's span comes up" gw_up

cn=0
for r in $rows; do
	cn=$((cn + 1))
	status=${r%%:*} cause=${r##*:}
	[ $cn -gt 1 ] && uas_start $cn "$status"
	gw_wait uas$cn
	check "$status: SIPp rang, refused and got the ACK" sipp_passed uas$cn
	check "$status: the INVITE went to +49301$cn" \
		sipp_msg uas$cn "^INVITE sip:\+49301$cn@127\.0\.0\.1:5062 "
	check "$status: SIPp refused with $status" \
		sipp_msg uas$cn "^SIP/2\.0 $status Refused"
	check "$status: sipri ACKed the $status" sipp_msg uas$cn '^ACK sip:'
	check "$status -> the PBX saw cause $cause" \
		wait_for 10 pbx_logged pbx "log: call $cn cleared"
	check "$status: no call live, no B-channel open" gw_idle
	pbx_logged pbx "log: call $cn cleared" || { gw_show uas$cn; diag "$(cat $work/pbx.log)"; break; }
done
gw_wait pbx
check "PBX: every call ended with its cause" pbx_passed pbx
pbx_passed pbx || gw_show pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 60)"
vdahdi_stop
done_testing
