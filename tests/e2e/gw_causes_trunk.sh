#!/bin/sh
# Per-trunk cause tables, in both directions, with the defaults under
# the per-trunk overrides: the loopback
# trunk (127.0.0.1:5062) overrides cause 17 -> 600 and 486 -> cause 21.
#   1. SIP -> PRI from the trunk: the PBX refuses with 17 -> SIPp gets 600
#      Busy Everywhere (the override), Reason cause 17; cause 1 still
#      gives 404 (the defaults stay under the overrides).
#   2. SIP -> PRI from 127.0.0.2, the trunk "other" without overrides:
#      cause 17 gives the default 486.
#   3. PRI -> SIP to the trunk: SIPp refuses with 486 -> the PBX sees
#      cause 21 (the override); a 404 still gives cause 1.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

gw_sed='/^\[trunk loopback\]/a cause.17 = 600\nstatus.486 = 21
/^\[route pri-to-sip\]/i [trunk other]\nhost = 127.0.0.2\nport = 5062\n'
check "sipri starts with the trunk's overrides" gw_start

pbx_start pbx --span 1 --node network --timeout 100 -e 'wait up 10;
	expect setup called=30701 timeout=20; reject 17; expect cleared;
	log call 1 cleared;
	expect setup called=30702 timeout=20; reject 1; expect cleared;
	log call 2 cleared;
	expect setup called=30703 timeout=20; reject 17; expect cleared;
	log call 3 cleared; sleep 1;
	call 493011 calling=5551234 ton=international cton=national;
	expect hangup cause=21 timeout=15; expect cleared; log call 4 cleared;
	sleep 1.5;
	call 493012 calling=5551234 ton=international cton=national;
	expect hangup cause=1 timeout=15; expect cleared; log call 5 cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)

# refused NAME N STATUS CAUSE WHAT: SIPp's INVITE got STATUS, Reason CAUSE
refused() {
	check "$5: SIPp's INVITE failed as expected" sipp_passed $1
	check "$5: SIP $3" sipp_msg $1 "^SIP/2\.0 $3 "
	check "$5: Reason: Q.850;cause=$4" sipp_msg $1 "^Reason: Q\.850;cause=$4([^0-9]|$)"
	check "$5: the PBX cleared the call" \
		wait_for 10 pbx_logged pbx "log: call $2 cleared"
	check "$5: no call live, no B-channel open" gw_idle
	sipp_passed $1 || gw_show $1
}

sipp_uac uac1 uac_fail.xml +4930701 -mp 6300
refused uac1 1 600 17 "trunk, cause 17"
sipp_uac uac2 uac_fail.xml +4930702 -mp 6400
refused uac2 2 404 1 "trunk, cause 1"
# from another trunk's address: its tables, the defaults
( cd "$work" && sipp -sf "$SIPP_DIR/uac_fail.xml" -s +4930703 127.0.0.1:5060 \
	-i 127.0.0.2 -p 5062 -m 1 -timeout 30s -timeout_error -mp 6500 \
	-trace_msg -message_file "$work/uac3.msg" -key caller +495551234 \
	> "$work/uac3.out" 2>&1; echo $? > "$work/uac3.rc" )
refused uac3 3 486 17 "trunk other, cause 17"

# uas_refuse N STATUS: SIPp's uas_reject.xml refusing with STATUS
uas_refuse() {
	sed "s|^SIP/2\.0 486 Refused|SIP/2.0 $2 Refused|" \
		"$SIPP_DIR/uas_reject.xml" > "$work/uas_reject_$2.xml"
	SIPP_DIR=$work sipp_start uas$1 "uas_reject_$2.xml" -mp $((6600 + 100 * $1))
	gw_wait uas$1
}
uas_refuse 4 486
check "486 from the trunk: SIPp refused and got the ACK" sipp_passed uas4
check "486 from the trunk -> the PBX saw cause 21" \
	wait_for 10 pbx_logged pbx "log: call 4 cleared"
check "486: no call live, no B-channel open" gw_idle
uas_refuse 5 404
check "404 from the trunk: SIPp refused and got the ACK" sipp_passed uas5
check "404 from the trunk -> the PBX saw cause 1" \
	wait_for 10 pbx_logged pbx "log: call 5 cleared"
check "404: no call live, no B-channel open" gw_idle

gw_wait pbx
check "PBX: every call went as the tables say" pbx_passed pbx
pbx_passed pbx || gw_show pbx
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
