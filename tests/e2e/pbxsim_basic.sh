#!/bin/sh
# pbxsim (network, span 1) calls pbxsim (CPE, span 2) over an E1 vdahdi
# pair: SETUP with numbers, TON/NPI and presentation checked by the callee,
# CALL PROCEEDING, ALERTING, CONNECT; a 1004 Hz -10 dBm0 tone each way
# measured within 5 Hz and 1 dB; a 1500 Hz tone that the 1004 Hz check
# must reject (negative control); the DTMF string 0123456789*#ABCD; then
# the callee clears with cause 16, which the caller must see.  Last, the
# negative control once more, end to end: a callee that expects 1004 Hz
# and gets 1500 Hz must fail (exit 1) and say so.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_script net <<'END'
wait up 10
call 1234 calling=5678 ton=national npi=isdn cton=international cnpi=isdn pres=restricted chan=3
expect proceeding chan=3
expect alerting
expect connect
tone 1004 -10 2
expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10
tone 1500 -10 2
dtmf 0123456789*#ABCD
expect disconnect cause=16 timeout=15
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect setup called=1234 calling=5678 ton=national npi=isdn cton=international cnpi=isdn pres=restricted chan=3 timeout=10
proceeding
alerting
answer
expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10
sleep 1
tone 1004 -10 2
expect notone 1004 ftol=5 onset=1500 timeout=10
expect dtmf 0123456789*#ABCD timeout=10
hangup 16
expect cleared
END

pbx_start net --span 1 --node network -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe -f "$work/cpe.pbx"
pbx_wait net cpe

check "caller's scenario passes" pbx_passed net
check "callee's scenario passes" pbx_passed cpe
check "callee saw the SETUP with its numbers" \
	pbx_logged cpe '<- SETUP called=1234 ton=national npi=isdn calling=5678 cton=international cnpi=isdn pres=restricted chan=3'
check "caller saw CALL PROCEEDING, ALERTING and CONNECT" \
	sh -c "grep -q '<- CALL PROCEEDING' $work/net.log && grep -q '<- ALERTING' $work/net.log && grep -q '<- CONNECT' $work/net.log"
check "callee measured 1004 Hz at -10 dBm0" \
	pbx_logged cpe 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.[0-9]+ dBm0'
check "caller measured 1004 Hz at -10 dBm0" \
	pbx_logged net 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.[0-9]+ dBm0'
check "negative control: 1500 Hz measured as 1500 Hz, not 1004" \
	pbx_logged cpe 'measured tone 1(49[5-9]|50[0-5])\.[0-9]+ Hz'
check "callee received the DTMF string intact" \
	pbx_logged cpe 'DTMF received 0123456789\*#ABCD'
check "caller saw DISCONNECT with cause 16" \
	pbx_logged net '<- DISCONNECT cause=16'

pbx_start net2 --span 1 --node network -e 'wait up 10; call 1; expect connect; tone 1500 -10 2; expect hangup timeout=10'
pbx_start cpe2 --span 2 --node cpe -e 'wait up 10; expect setup; answer; expect tone 1004 level=-10'
pbx_wait net2 cpe2
check "negative control: the 1004 Hz check fails on 1500 Hz (exit 1)" \
	test "$(cat "$work/cpe2.rc")" = 1
check "... and says why" pbx_logged cpe2 'FAIL .*1(4[89][0-9]|5[01][0-9])\.[0-9]+ Hz .* is not 1004\.0 Hz'
check "... and clears the call it leaves" pbx_logged net2 '<- DISCONNECT cause=16'
vdahdi_stop
done_testing
