#!/bin/sh
# DTMF from SIP to the PRI: a SIPp UAC calls through
# sipri to pbxsim, which answers and runs spandsp's DTMF detector on its
# B-channel (tests/e2e/dtmf/uac_dtmf.xml):
#  1. 0123456789*#ABCD by RFC 4733 (each end packet sent three times):
#     the PBX detects each digit once, in order;
#  2. the same by INFO (application/dtmf-relay, then application/dtmf):
#     each once, in order;
#  3. 5 by RFC 4733 and by INFO at once: played once;
#  4. INFO with a text/plain body: 415 with Accept; Signal=X and an
#     application/dtmf body of 17: 400;
#  5. 9 by INFO afterwards: the call is still up, the digit plays.
# SIPp hangs up; the PBX sees DISCONNECT; no call is live and no
# B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
RTPDTMF="$top_builddir/tests/tools/rtpdtmf"
SIPP_DIR="$top_srcdir/tests/e2e/dtmf"
DIGITS='0123456789*#ABCD'

"$RTPDTMF" pcap "$work/dtmf16.pcap" "$DIGITS"
"$RTPDTMF" pcap "$work/dtmf5.pcap" 5
check "sipri starts on the loopback profile" gw_start 'dtmf_level = -12'

pbx_start pbx --span 1 --node network -e "wait up 10; expect setup timeout=15;
	proceeding; alerting; answer; expect dtmf '$DIGITS' timeout=15;
	expect dtmf '$DIGITS' timeout=15; expect dtmf 5 timeout=10;
	expect dtmf 9 timeout=10; expect disconnect cause=16 timeout=10;
	expect cleared"
check "sipri's span comes up" gw_up
sipp_uac uac uac_dtmf.xml 4930777 -mp 6500
gw_wait pbx
check "SIPp: 16 digits by RFC 4733 and by INFO, 415, 400, 400, 200, BYE" \
	sipp_passed uac
check "PBX: every digit detected once, in order, each way; 5 sent both ways once; 9 after the bad INFOs" \
	pbx_passed pbx
check "415 names the body types sipri takes" \
	sipp_msg uac '^Accept: application/dtmf-relay, application/dtmf'
check "the duplicate was seen and not played" \
	grep -q "DTMF 5 from SIP by .*: duplicate, not played" "$work/sipri.log"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac pbx
diag "$(grep -E 'DTMF|dtmf' "$work/sipri.log" | tail -n 50)"

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
