#!/bin/sh
# The basic call on a T1 pair (mu-law, D-channel on timeslot 24) with the
# National ISDN switchtype: SETUP with numbers checked by the callee,
# PROCEEDING, ALERTING with in-band progress, CONNECT, a 1004 Hz tone each
# way, the DTMF string, and clearing with cause 16 from the caller.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

system_conf 1 t1 > "$work/sys.conf"
vdahdi_start --type t1
check "dahdi_cfg configures the T1 pair" dahdi_configure "$work/sys.conf"

pbx_script net <<'END'
wait up 10
call 5551234 calling=5559876 ton=national npi=isdn chan=2 exclusive
expect proceeding
expect alerting pi=8
expect connect
tone 1004 -10 2
expect tone 1004 level=-10 timeout=10
dtmf 0123456789*#ABCD
drain
sleep 1
hangup 16
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect setup called=5551234 calling=5559876 ton=national npi=isdn chan=2 timeout=10
proceeding
alerting pi=8
answer
expect tone 1004 level=-10 timeout=10
sleep 1
tone 1004 -10 2
expect dtmf 0123456789*#ABCD timeout=10
expect disconnect cause=16 timeout=10
expect cleared
END

sw="--switch national"
pbx_start net --span 1 --node network $sw -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe $sw -f "$work/cpe.pbx"
pbx_wait net cpe

check "caller's scenario passes" pbx_passed net
check "callee's scenario passes" pbx_passed cpe
check "caller runs T1 on D-channel 24" pbx_logged net 'D-channel 24, network side, T1, national'
check "callee runs T1 on D-channel 48" pbx_logged cpe 'D-channel 48, CPE side, T1, national'
check "callee saw the SETUP on B-channel 2, exclusive" \
	pbx_logged cpe '<- SETUP called=5551234 ton=national npi=isdn calling=5559876 .* chan=2 exclusive'
check "caller saw ALERTING with progress indicator 8" pbx_logged net '<- ALERTING chan=2 pi=8'
check "1004 Hz measured each way" \
	sh -c "grep -Eq 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.' $work/net.log && grep -Eq 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.' $work/cpe.log"
check "DTMF received intact" pbx_logged cpe 'DTMF received 0123456789\*#ABCD'
check "callee saw DISCONNECT with cause 16" pbx_logged cpe '<- DISCONNECT cause=16'
vdahdi_stop
done_testing
