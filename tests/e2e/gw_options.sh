#!/bin/sh
# OPTIONS outside a dialog (RFC 3261 §11.2): SIPp asks
# sipri, on the loopback profile.
#  1. Before any PRI span is up (no PBX yet): 503 Service Unavailable
#     with Retry-After (RFC 3261 §21.5.4).
#  2. Span 2 up (pbxsim runs): 200 with Allow, Accept and Supported, over
#     UDP and over TCP.
#  3. Cable cut (vdahdi `cut 1`): the span goes down and OPTIONS gets 503.
#  4. Cable restored: the span comes back and OPTIONS gets 200 again;
#     a SIP -> PRI call completes.
#  5. Full (max_calls = 1, and that call is up): OPTIONS gets 503, so a
#     proxy that probes routes around sipri (conf/kamailio); once the
#     call has ended, 200 again.
# At the end no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# options NAME [SIPP ARGS]: one OPTIONS to sipri, answered (200 or 503)
options() {
	name=$1
	shift
	sipp_start "$name" uac_options.xml 127.0.0.1:5060 "$@"
	wait $!
	sipp_passed "$name"
}

# answered NAME CODE: SIPp received CODE for its OPTIONS
answered() {
	sipp_msg "$1" "^SIP/2\.0 $2 "
}

check "sipri starts on the loopback profile, max_calls = 1" \
	gw_start "max_calls = 1"
check "no span up yet: OPTIONS is answered" options o1
check "... with 503 Service Unavailable" answered o1 503
check "... and Retry-After" sipp_msg o1 '^Retry-After: [0-9]+'
gw_show o1

pbx_start pbx --span 1 --node network --timeout 60 --timer T203=2000 \
	-e 'wait up 10; expect alarm timeout=30; expect noalarm timeout=30;
	wait up 15; expect setup called=30777 timeout=20; proceeding;
	alerting; answer; expect disconnect cause=16 timeout=10;
	expect cleared'
check "sipri's span comes up" gw_up
check "span up: OPTIONS over UDP is answered" options o2
check "... with 200 OK" answered o2 200
check "... Allow lists INVITE, ACK, BYE, CANCEL, OPTIONS, INFO" \
	sipp_msg o2 '^Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO'
check "... Accept names application/sdp" sipp_msg o2 '^Accept: application/sdp'
check "... Supported is there" sipp_msg o2 '^Supported:'
check "OPTIONS over TCP is answered" options o3 -t t1
check "... answered over TCP" answered o3 200
check "... with Allow" sipp_msg o3 '^Allow: '
gw_show o2 o3

echo "cut 1" > /dev/dahdi/vdahdi
check "cable cut: sipri takes span 2 down" \
	wait_for 5 grep -q "span 2 down" "$work/sipri.log"
check "span down: OPTIONS is answered" options o4
check "... with 503" answered o4 503

echo "restore 1" > /dev/dahdi/vdahdi
check "cable restored: span 2 up again, its channels restarted" gw_up 2
check "span up again: OPTIONS is answered" options o5
check "... 200 OK" answered o5 200
gw_show o4 o5
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_start call uac_call.xml -s +4930777 127.0.0.1:5060 -key caller \
	+495551234 -d 3000 -p 5064
check "a call is up" wait_for 10 grep -q "call(1){ACTIVE}" "$work/sipri.log"
check "full (max_calls): OPTIONS is answered" options o6
check "... with 503" answered o6 503
gw_wait pbx call
check "the PBX saw the cut and the restore, then a call" pbx_passed pbx
check "... which SIPp placed and cleared" sipp_passed call
check "no call live, no B-channel open" gw_idle
check "the call over: OPTIONS is answered" options o7
check "... 200 OK" answered o7 200
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
