#!/bin/sh
# A B-channel whose close is late on the media plane: with
# debug_close_us = 1000000 a media thread waits 1 s before it closes a
# call's B-channel, as a descheduled one would (doc/ARCHITECTURE, "The
# B-channel": the core never waits for it on a call's way).
#  1. PRI -> SIP: the PBX clears a call on channel 1 and at once sends
#     the next SETUP for channel 1, exclusive: sipri's open finds the
#     channel still open (EBUSY, as DAHDI answers a second open), waits
#     for the media plane once, and the call is answered on channel 1;
#  2. SIP -> PRI: a call placed 0.5 s after one on channel 1 ended is
#     hunted onto channel 2: a timeslot is not hunted while its close is
#     on its way (ascending hunting would take channel 1 otherwise).
# After each, no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts with debug_close_us = 1000000" \
	gw_start 'debug_close_us = 1000000'

# 1. PRI -> SIP, channel 1 twice in a row
sipp_start uas1 uas_answer.xml -mp 6100 -m 2
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 4930131 chan=1 exclusive; expect connect timeout=10;
	hangup 16; expect cleared;
	call 4930132 chan=1 exclusive; expect connect timeout=10;
	log second answered; hangup 16; expect cleared'
check "sipri's span comes up" gw_up
gw_wait pbx1 uas1
check "PBX: both calls on channel 1 answered and cleared" pbx_passed pbx1
check "SIPp: two calls answered" sipp_passed uas1
check "sipri's open of channel 1 found it still closing and waited" \
	grep -q "channel 1 is still closing on the media plane" \
	"$work/sipri.log"
check "after the calls: no call live, no B-channel open" gw_idle
gw_show pbx1 uas1

# 2. SIP -> PRI, the second call while channel 1 is still closing
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	expect setup chan=1 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared;
	expect setup chan=2 timeout=10; log second on 2;
	proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared'
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_start uac2 uac_call.xml -s +4930781 127.0.0.1:5060 \
	-key caller +495551234 -d 1000 -mp 6300 -m 2 -r 1 -rp 1500
gw_wait pbx2 uac2
check "PBX: the first call on channel 1, the second hunted onto 2" \
	pbx_passed pbx2
check "SIPp: both calls answered and hung up" sipp_passed uac2
check "after the calls: no call live, no B-channel open" gw_idle
gw_show pbx2 uac2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
