#!/bin/sh
# The per-trunk 100rel policy, with the loopback
# trunk (SIPp on 127.0.0.1:5062) set to each value in turn:
#  disabled   an INVITE with Require: 100rel gets 420 with Unsupported:
#             100rel, and no call starts; sipri's own INVITE offers no
#             100rel (empty Supported, no Require)
#  required   an INVITE without 100rel gets 421 with Require: 100rel;
#             sipri's INVITE says Require: 100rel, and the call with
#             reliable 183 and 180 completes (tests/e2e/sipp/prack_uas.xml)
#  and after SIGHUP with the trunk back to disabled, 420 again
# Every case ends with no call live and no B-channel open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/prack_lib.sh"

"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
GW_BASE_CONF="$work/base.conf"
CALL='call 4930123 calling=5551234 ton=international cton=national'

# gw_leg_free: a refused INVITE left no SIP leg: it was refused before
# one existed (sip/prack.c, statelessly), and no B-channel is open
gw_leg_free() {
	! grep -q "INVITE from" "$work/sipri.log" &&
		! grep -q 'bopen=[1-9]' /dev/dahdi/vdahdi
}

trunk_100rel() {
	sed "s/^options = 0\$/options = 0\n100rel = $1/" \
		"$top_srcdir/conf/loopback.conf" > "$work/base.conf"
	gw_start
}

check "sipri starts with 100rel = disabled for the trunk" trunk_100rel disabled
sipp_start off420 prack_lost.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -mp 6100
gw_wait off420
check "disabled: Require: 100rel gets 420 with Unsupported: 100rel" \
	sipp_passed off420
check "disabled: the 420 on the wire" \
	resp_has off420 420 '^Unsupported: 100rel'
check "disabled: no call started" sh -c "! grep -q 'SIP call for' '$work/sipri.log'"
check "disabled: no leg was made, no B-channel open" gw_leg_free
gw_show off420

sipp_start offinv uas_answer.xml -mp 6200
pbx_start offinv-pbx --span 1 --node network -e "wait up 10; $CALL;
	expect connect timeout=10; sleep 0.5; hangup 16; expect cleared"
check "sipri's span comes up" gw_up
gw_wait offinv-pbx offinv
check "disabled: the PRI call to SIP completes" both_passed offinv-pbx offinv
check "disabled: sipri's INVITE offers no 100rel" \
	sh -c "! grep -Eq '^(Supported|Require):.*100rel' '$work/offinv.msg'"
check "disabled: no call live, no B-channel open" gw_idle
gw_show offinv offinv-pbx
check "sipri stops cleanly" gw_stop
vdahdi_stop

check "sipri starts with 100rel = required for the trunk" trunk_100rel required
sipp_start req421 prack_none.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -mp 6300
gw_wait req421
check "required: an INVITE without 100rel gets 421" sipp_passed req421
check "required: the 421 says Require: 100rel" \
	resp_has req421 421 '^Require: 100rel'
check "required: no leg was made, no B-channel open" gw_leg_free
gw_show req421

sipp_start reqinv prack_uas.xml -mp 6400
pbx_start reqinv-pbx --span 1 --node network -e "wait up 10; $CALL;
	expect progress pi=8 timeout=10; expect alerting timeout=10;
	expect connect timeout=10; sleep 0.5; hangup 16; expect cleared"
check "sipri's span comes up" gw_up
gw_wait reqinv-pbx reqinv
check "required: the call with reliable 183 and 180 completes" \
	both_passed reqinv-pbx reqinv
check "required: sipri's INVITE says Require: 100rel" \
	req_has reqinv INVITE '^Require: 100rel' '^Supported: 100rel'
check "required: no call live, no B-channel open" gw_idle
gw_show reqinv reqinv-pbx

# SIGHUP back to disabled: the new trunk policy holds for the next INVITE
# (the sipua's peers are renewed with the configuration)
sed "s/^options = 0\$/options = 0\n100rel = disabled/" \
	"$top_srcdir/conf/loopback.conf" > "$work/sipri.reload.conf"
awk '/^\[general\]/ { g = 1 } g' "$work/sipri.conf" >> "$work/sipri.reload.conf"
cp "$work/sipri.reload.conf" "$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: the configuration is reloaded" \
	wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"
sipp_start hup420 prack_lost.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -mp 6500
gw_wait hup420
check "after SIGHUP to disabled: Require: 100rel gets 420" \
	resp_has hup420 420 '^Unsupported: 100rel'
gw_show hup420

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
