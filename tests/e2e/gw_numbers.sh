#!/bin/sh
# One boundary for numbers: every SIP URI user comes
# from common/sipuser.c, and a number that does not fit is refused, never
# sent truncated or uninitialised.  Span 2 has overlap = yes; numbering
# has country code 49 (conf/loopback.conf).  One SIPp UAS takes exactly
# one call for cases 1-2 and one for case 3.
#  1. pbxsim calls a 31-digit national number: with the country code it
#     is 33 digits, longer than a number holds: the PBX sees cause 28
#     (invalid number format) and no INVITE leaves sipri.
#  2. pbxsim calls *21#34 (en bloc): the Request-URI and To carry the same
#     user, *21%2334 (RFC 3261 §25.1); SIPp answers, the PBX clears.
#  3. Overlap: SETUP 5, then INFORMATION "5", CR, LF, "Via: evil", "5#":
#     only [0-9*#] count, so the INVITE is for 555 and no CR, LF or
#     letter of the digits reaches a SIP header.
#  4. SIP -> PRI: an INVITE for a 40-digit user, too long to route: 484
#     with Reason cause 28 (RFC 3398), not 404.
# After each case no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

gw_sed='s/^node = cpe$/&\noverlap = yes/'
check "sipri starts with overlap on span 2" gw_start

long=1234567890123456789012345678901   # 31 digits
sipp_start uas1 uas_answer.xml -mp 6100
pbx_start pbx1 --span 1 --node network -e "wait up 10;
	call $long calling=5551234 ton=national cton=national;
	expect hangup cause=28 timeout=5; expect cleared; log refused;
	call *21#34 calling=5551234 cton=national;
	expect connect timeout=10; sleep 1; hangup 16; expect cleared"
gw_wait pbx1 uas1
check "1: a 31-digit national number: the PBX sees cause 28" \
	pbx_logged pbx1 'log: refused'
check "1: ... sipri says why" grep -q \
	"PRI call: called number '$long' does not convert.*cause 28" \
	"$work/sipri.log"
check "1: ... and sends no INVITE (SIPp's only INVITE is case 2's)" \
	sh -c "[ \$(grep -c '^INVITE ' '$work/uas1.msg') -eq 1 ] &&
		! grep -q '$long' '$work/uas1.msg'"
check "2: *21#34 answered and cleared" pbx_passed pbx1
check "2: SIPp's call was answered and cleared" sipp_passed uas1
check "2: Request-URI user *21%2334" \
	sipp_msg uas1 '^INVITE sip:\*21%2334@127\.0\.0\.1:5062 SIP/2\.0'
check "2: To: the same user, escaped the same way" \
	sipp_msg uas1 '^To: <sip:\*21%2334@127\.0\.0\.1:5062>'
check "2: From: the calling number" sipp_msg uas1 '^From: <sip:\+495551234@'
check "1, 2: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1 uas1

sipp_start uas3 uas_answer.xml -mp 6300
pbx_start pbx3 --span 1 --node network -e "wait up 10;
	call 5 complete=no; expect setup_ack timeout=5;
	info '5\\r\\nVia: evil\\x7f5#'; expect proceeding timeout=5;
	expect connect timeout=10; sleep 1; hangup 16; expect cleared"
gw_wait pbx3 uas3
check "3: INFORMATION with CR, LF and letters: answered, cleared" \
	pbx_passed pbx3
check "3: the INVITE is for 555: only [0-9*#] of the digits count" \
	sipp_msg uas3 '^INVITE sip:555@127\.0\.0\.1:5062 SIP/2\.0'
check "3: To: <sip:555@...>" sipp_msg uas3 '^To: <sip:555@127\.0\.0\.1:5062>'
check "3: nothing of 'Via: evil' reaches SIP" \
	sh -c "! grep -qi 'evil' '$work/uas3.msg'"
check "3: no call live, no B-channel open" gw_idle
pbx_passed pbx3 || gw_show pbx3 uas3

sipp_uac uac4 uac_fail.xml 1234567890123456789012345678901234567890
check "4: SIP -> PRI, a 40-digit user: refused" sipp_passed uac4
check "4: ... with 484 Address Incomplete" sipp_msg uac4 '^SIP/2\.0 484 '
check "4: ... and Reason cause 28" sipp_msg uac4 '^Reason: Q\.850;cause=28'
check "4: no call live, no B-channel open" gw_idle
sipp_passed uac4 || gw_show uac4

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'call\(|calls live|number' "$work/sipri.log" | tail -n 30)"
vdahdi_stop
done_testing
