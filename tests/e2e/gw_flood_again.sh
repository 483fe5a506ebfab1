#!/bin/sh
# A retransmitted INVITE gets the refusal its first copy got (RFC 3261
# §8.2.7; sip/refused.c):
#  1. with no span up (no PBX yet), an INVITE gets a stateless 503 with
#     Reason cause 38 from sip/flood.c's admission gate, and no leg;
#  2. the PBX brings the span up; the same INVITE comes again (same
#     Call-ID, From tag, CSeq, Via branch and sent-by: a retransmission,
#     RFC 3261 §17.2.3) and gets the same 503 with cause 38: no leg, no
#     SETUP.  Its UAC has had its answer; a call made of the copy would
#     be answered by the PBX and never ACKed;
#  3. a new INVITE is then a call that completes.
# After the calls no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start
sipp_uac first uac_again.xml +4930771 -mp 6300 -cid_str "sipri-again-%u@%s"
check "no span up: the INVITE gets 503" sipp_passed first
check "... with Reason: Q.850;cause=38" sipp_msg first '^Reason: Q\.850;cause=38'

pbx_start pbx --span 1 --node network --timeout 60 -e 'autoanswer hold=500;
	wait up 10; log ready; expect stats answered=1 active=0 timeout=30'
check "the PBX brings span 2 up" gw_ready pbx
sipp_uac again uac_again.xml +4930771 -mp 6300 -cid_str "sipri-again-%u@%s"
check "the same INVITE again: 503 again, not a call" sipp_passed again
check "... with the first answer's Reason: Q.850;cause=38" \
	sipp_msg again '^Reason: Q\.850;cause=38'
check "... and no leg was made of it" \
	sh -c "! grep -q 'sip(sipri-again-1@' '$work/sipri.log'"

sipp_flood call -p 5064 -mp 6400 -m 1 -timeout 30s
check "a new INVITE is a call that completes" \
	sh -c "grep -q '^SIP/2.0 200 OK' '$work/call.msg'"
gw_wait pbx
check "PBX: one call answered, the one SETUP it saw" \
	sh -c "grep -q 'log: ready' '$work/pbx.log' &&
		[ \$(grep -c '<- SETUP' '$work/pbx.log') -eq 1 ]"
pbx_passed pbx || gw_show pbx first again call
check "after the calls: no call live, no B-channel open" gw_idle
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
