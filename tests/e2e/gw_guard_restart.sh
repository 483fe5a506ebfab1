#!/bin/sh
# A clearing the PBX never confirms (RESTART from sipri;
# Q.931 §5.3.4, §5.5.1): a SIP -> PRI call is answered on channel 1, then
# the PBX stops answering DISCONNECT and RELEASE (pbxsim noclear) and
# SIPp hangs up.  After the leg's 30 s guard sipri drops the call and
# sends RESTART for channel 1, which the PBX's libpri acknowledges (and
# which drops the PBX's stale call, Q.931 §5.5.2); the channel takes
# calls again: the next call gets channel 1 and completes.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

pbx_script pbx <<'END'
wait up 10
expect setup called=30795 chan=1 timeout=20
proceeding
alerting
answer
noclear
expect disconnect cause=16 timeout=15
log disconnect ignored
expect restart chan=1 timeout=45
log restart received
noclear off
expect setup called=30796 chan=1 timeout=20
proceeding
alerting
answer
expect disconnect cause=16 timeout=15
expect cleared
END
pbx_start pbx --span 1 --node network --timeout 120 -f "$work/pbx.pbx"
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)

sipp_start uac1 uac_call.xml -s +4930795 127.0.0.1:5060 \
	-key caller +495551234 -d 1000 -mp 6300
check "the PBX left sipri's DISCONNECT unanswered" \
	wait_for 20 pbx_logged pbx 'log: disconnect ignored'
check "after the guard time sipri sent RESTART for channel 1" \
	wait_for 45 pbx_logged pbx 'log: restart received'
check "SIPp: the call was answered and hung up" sipp_passed uac1
# sipri's libpri sends RELEASE at T305 (30 s, Q.931 §5.3.4.1) about
# when the guard expires: the PBX's libpri forgets the call on that
# RELEASE or the RESTART drops it, whichever comes first
check "the PBX's stale call is gone" \
	pbx_logged pbx 'call\(1\) call cleared'
check "after the RESTART: no call live, no B-channel open" gw_idle
sipp_passed uac1 || gw_show uac1

sipp_start uac2 uac_call.xml -s +4930796 127.0.0.1:5060 \
	-key caller +495551234 -d 1000 -mp 6400
gw_wait pbx uac2
check "PBX: the restarted channel 1 takes the next call" pbx_passed pbx
check "SIPp: the call was answered and hung up" sipp_passed uac2
check "after the call: no call live, no B-channel open" gw_idle
{ pbx_passed pbx && sipp_passed uac2; } || gw_show pbx uac2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 20)"
vdahdi_stop
done_testing
