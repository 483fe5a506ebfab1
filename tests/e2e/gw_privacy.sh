#!/bin/sh
# Privacy in sipri's log (sipri.conf(5), LOGGING), at the default level
# (info: sipri runs without -v).  The trunk is trusted, so Privacy: id
# restricts the caller's presentation (RFC 3325 §4).
#  1. SIP -> PRI with Privacy: id from +495551234: the PBX sees the
#     number, presentation restricted; sipri's log holds it only as
#     xxxxxxx34.
#  2. SIP -> PRI for the user 100%0D%0Afoo (and from 200%0D%0Abar),
#     with an ESC in the Call-ID: the decoded CR/LF are logged as
#     %0D%0A, the ESC as %1B; no log line starts with foo or bar.
#  3. PRI -> SIP from 5551234, presentation restricted: the INVITE has
#     Privacy: id; sipri's log holds the number only as xxxxx34.
#  4. SIP -> PRI with Privacy: id from the untrusted trunk at 127.0.0.2:
#     the PBX sees the number, presentation allowed (RFC 3325 §4), but
#     sipri's log still hides it: the caller asked.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

gw_sed='s/^trusted = no$/trusted = yes/
$a [trunk stranger]\nhost = 127.0.0.2\nport = 5062\noptions = 0\nsources = 127.0.0.2\ntrusted = no'
GW_VERBOSE=
check "sipri starts at the default log level, trunk trusted" gw_start
log=$work/sipri.log

pbx_start pbx1 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30771 calling=5551234 pres=restricted timeout=20;
	reject 17; expect cleared'
check "sipri's span comes up, the PBX's has settled" gw_ready pbx1
sipp_start uac1 uac_ident.xml -s +4930771 127.0.0.1:5060 \
	-key caller +495551234 -key pai +495551234 -key privacy id
gw_wait pbx1 uac1
check "1: Privacy: id: the PBX sees 5551234, presentation restricted" \
	pbx_passed pbx1
check "1: ... and refuses it" sipp_passed uac1
check "1: sipri's log shows the caller hidden" \
	grep -q "calling 'xxxxxxx34'" "$log"
check "1: ... and nowhere in full" sh -c "! grep -q 5551234 '$log'"
check "1: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1 uac1

pbx_start pbx2 --span 1 --node network -e 'wait up 10; log ready;
	expect setup timeout=20; reject 17; expect cleared'
check "the new PBX's span is up and settled" gw_ready pbx2
esc=$(printf '\033')
sipp_start uac2 uac_fail.xml -s '100%0D%0Afoo' 127.0.0.1:5060 \
	-key caller '200%0D%0Abar' -cid_str "esc$esc[31m-%u-%p@%s"
gw_wait pbx2 uac2
check "2: a user with CR/LF: the PBX refuses the call" pbx_passed pbx2
check "2: ... and SIPp sees it fail" sipp_passed uac2
check "2: it is logged with %0D%0A" grep -q "100%0D%0Afoo" "$log"
check "2: no forged log line" sh -c "! grep -Eq '^(foo|bar)' '$log'"
check "2: the Call-ID's ESC is logged as %1B" grep -q 'sip(esc%1B\[31m-' "$log"
check "2: no ESC reaches the log" sh -c "! grep -q '$esc' '$log'"
check "2: no call live, no B-channel open" gw_idle
sipp_passed uac2 || gw_show pbx2 uac2

sipp_start uas3 uas_answer.xml -mp 6300
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	call 4003 calling=5551234 cton=national pres=restricted;
	expect connect timeout=10; sleep 0.5; hangup 16; expect cleared'
gw_wait pbx3 uas3
check "3: PRI -> SIP, presentation restricted: answered, cleared" \
	pbx_passed pbx3
check "3: ... SIPp got the BYE" sipp_passed uas3
check "3: the INVITE carries Privacy: id" sipp_msg uas3 '^Privacy: id'
check "3: sipri's log shows the caller hidden" \
	grep -q "calling xxxxx34 (national)" "$log"
check "3: ... and nowhere in full" sh -c "! grep -q 5551234 '$log'"
check "3: no call live, no B-channel open" gw_idle
pbx_passed pbx3 || gw_show pbx3 uas3

pbx_start pbx4 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30774 calling=5551234 pres=allowed timeout=20;
	reject 17; expect cleared'
check "the new PBX's span is up and settled" gw_ready pbx4
SIPP_IP=127.0.0.2
sipp_start uac4 uac_ident.xml -s +4930774 127.0.0.1:5060 \
	-key caller +495551234 -key pai +495551234 -key privacy id
SIPP_IP=
gw_wait pbx4 uac4
check "4: untrusted Privacy: id: the PBX sees 5551234, allowed" \
	pbx_passed pbx4
check "4: ... and refuses it" sipp_passed uac4
check "4: sipri's log hides the caller in the INVITE line" \
	grep -q "INVITE from 127.0.0.2:5062 to '+4930774' calling 'xxxxxxx34'" \
	"$log"
check "4: ... and in the SETUP line" \
	grep -q "called 30774 (national), calling xxxxx34" "$log"
check "4: ... and nowhere in full" sh -c "! grep -q 5551234 '$log'"
check "4: no call live, no B-channel open" gw_idle
pbx_passed pbx4 || gw_show pbx4 uac4

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(cat "$log")"
vdahdi_stop
done_testing
