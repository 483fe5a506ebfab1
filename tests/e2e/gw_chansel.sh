#!/bin/sh
# B-channel selection for SIP -> PRI calls with the default
# channel_selection = exclusive (Q.931 §4.5.13, §5.1.2):
#  1. the SETUP asks for channel 1 (ascending hunting) exclusively, and
#     the call completes on it;
#  2. glare: the PBX refuses the SETUP with cause 44 (requested channel
#     not available, Q.931 §5.2.3.1 c): sipri hunts again, skipping the
#     refused channel, and the SETUP for channel 2 completes the call;
#  3. every attempt is refused with 44: after two re-hunts (channels 1, 2
#     and 3) SIPp gets 503 with Reason: Q.850;cause=44 (RFC 3398 §7.2.4.1:
#     the resource-unavailable class) and no fourth SETUP follows.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

uac_call() {
	sipp_start "$1" uac_call.xml -s "$2" 127.0.0.1:5060 \
		-key caller +495551234 -d 1000 -mp "$3"
}

pbx_script pbx <<'END'
wait up 10
expect setup called=30771 chan=1 exclusive=yes timeout=20
log exclusive setup
proceeding
alerting
answer
expect disconnect cause=16 timeout=15
expect cleared
expect setup called=30772 chan=1 exclusive=yes timeout=20
reject 44
expect cleared
log refused chan 1
expect setup called=30772 chan=2 exclusive=yes timeout=10
log retried on chan 2
proceeding
alerting
answer
expect disconnect cause=16 timeout=15
expect cleared
expect setup called=30773 chan=1 timeout=20
reject 44
expect cleared
expect setup called=30773 chan=2 timeout=10
reject 44
expect cleared
expect setup called=30773 chan=3 timeout=10
reject 44
expect cleared
log all refused
sleep 2
END
pbx_start pbx --span 1 --node network --timeout 90 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)

uac_call uac1 +4930771 6300
gw_wait uac1
check "exclusive: the PBX saw SETUP for channel 1, exclusive" \
	pbx_logged pbx 'log: exclusive setup'
check "... and SIPp's call was answered and hung up" sipp_passed uac1
check "after the call: no call live, no B-channel open" gw_idle
sipp_passed uac1 || gw_show uac1

uac_call uac2 +4930772 6400
gw_wait uac2
check "glare: the PBX refused channel 1 with cause 44" \
	pbx_logged pbx 'log: refused chan 1'
check "... sipri re-hunted: SETUP for channel 2" \
	pbx_logged pbx 'log: retried on chan 2'
check "... SIPp saw the call answered on the second attempt" sipp_passed uac2
check "... with one 200 OK and no failure response" \
	sh -c "! grep -Eq '^SIP/2\.0 [3-6][0-9][0-9] ' '$work/uac2.msg'"
check "after the call: no call live, no B-channel open" gw_idle
sipp_passed uac2 || gw_show uac2

sipp_uac uac3 uac_fail.xml +4930773 -mp 6500
check "every channel refused: SIPp got its failure response" sipp_passed uac3
check "... 503 Service Unavailable" sipp_msg uac3 '^SIP/2\.0 503 '
check "... with Reason: Q.850;cause=44" sipp_msg uac3 '^Reason: Q\.850;cause=44'
gw_wait pbx
check "PBX: three SETUPs on channels 1, 2, 3, each refused" pbx_passed pbx
check "... and no fourth SETUP" \
	test "$(grep -c '<- SETUP called=30773' "$work/pbx.log")" -eq 3
check "after the refusals: no call live, no B-channel open" gw_idle
sipp_passed uac3 || gw_show uac3
pbx_passed pbx || gw_show pbx

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
