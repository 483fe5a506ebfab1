#!/bin/sh
# UPDATE (RFC 3311) through sipri, both directions:
#  1. SIP -> PRI: SIPp's UPDATE with an SDP offer in the early dialog of
#     the 180 (with early media) is answered 200 with PCMU; an UPDATE
#     without SDP gets 200 without a body; after the answer an UPDATE
#     offering PCMA gets 200 with PCMA (tests/e2e/sipp/uac_update.xml);
#     Allow lists UPDATE.
#  2. PRI -> SIP: in the early dialog of SIPp's 183, SIPp's UPDATE with a
#     PCMU offer is answered with PCMU; SIPp answers with Session-Expires:
#     4;refresher=uac, so sipri refreshes by UPDATE twice (no SDP,
#     Session-Expires;refresher=uac), about 2 s apart; then SIPp's own
#     UPDATE after the answer gets 200 (tests/e2e/sipp/uas_update.xml).
#     The INVITE asks for the loopback trunk's own session_expires (5),
#     not [general]'s (6).
# The 491 for an UPDATE offer against sipri's pending offer is in
# gw_reinvite.sh (the glare case).  After each call no call is live and no
# B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# the loopback trunk's own session_expires (5) overrides [general]'s (6);
# its ALERTING with PI 8 goes as 180 with SDP (sipri.conf(5) policy)
GW_CONF_SED='/^\[trunk loopback\]/a session_expires = 5\nalerting_inband = 180'
check "sipri starts with session timers of 6 s (5 s toward the trunk), \
Min-SE 3 s" gw_start 'session_expires = 6' 'min_se = 3'

# 1: SIP -> PRI
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting pi=8;
	sleep 3; answer; expect disconnect cause=16 timeout=15;
	expect cleared'
check "sipri's span comes up" gw_up
sleep 1.5   # libpri's start-up race (doc/ARCHITECTURE, facts)
sipp_uac uac1 uac_update.xml +4930777 -mp 6300 -d 1000
gw_wait pbx1
check "SIPp: early UPDATE with and without SDP, UPDATE after the answer, \
each answered as RFC 3311 says" sipp_passed uac1
check "PBX: the call connected and SIPp's BYE cleared it (cause 16)" \
	pbx_passed pbx1
check "the early UPDATE's offer switched sipri to PCMU" \
	grep -q "media: PCMU" "$work/sipri.log"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac1 pbx1

# 2: PRI -> SIP
sipp_start uas2 uas_update.xml -mp 6400 -set se 4
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 4930124 calling=5551234 ton=international cton=national;
	expect connect timeout=10; expect disconnect cause=16 timeout=20;
	expect cleared'
gw_wait pbx2 uas2
check "SIPp: INVITE with Supported: timer; early UPDATE answered PCMU; \
two UPDATE refreshes from sipri; UPDATE after the answer answered" \
	sipp_passed uas2
check "the INVITE to the trunk asks for the trunk's Session-Expires: 5" \
	sipp_msg uas2 '^Session-Expires: 5[^0-9;]'
check "sipri's refresh UPDATE carries Session-Expires: 4;refresher=uac" \
	sipp_msg uas2 '^Session-Expires: 4;refresher=uac'
check "PBX: connected, then SIPp's BYE cleared it (cause 16)" pbx_passed pbx2
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas2 pbx2

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live' "$work/sipri.log" | tail -n 40)"
vdahdi_stop
done_testing
