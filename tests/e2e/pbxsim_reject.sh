#!/bin/sh
# Calls refused at SETUP by the callee (CPE, span 2): first with cause 17
# (user busy), which the caller must see.  libpri 1.6 cannot send RELEASE
# COMPLETE with cause 17, so pbxsim sends CALL PROCEEDING, then DISCONNECT
# (see reject in tdm/pbxsim/README).  Then with cause 34 (no circuit),
# which libpri sends as RELEASE COMPLETE.  Then a RESTART of B-channel 5
# is acknowledged.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_script net <<'END'
wait up 10
call 4711 calling=100
expect hangup cause=17
expect cleared
call 4712
expect release cause=34
expect cleared
restart 5
expect restart_ack chan=5
END
pbx_script cpe <<'END'
wait up 10
expect setup called=4711 calling=100 timeout=10
reject 17
expect cleared
expect setup called=4712
reject 34
expect restart chan=5 timeout=10
END

pbx_start net --span 1 --node network -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe -f "$work/cpe.pbx"
pbx_wait net cpe

check "caller's scenario passes" pbx_passed net
check "callee's scenario passes" pbx_passed cpe
check "callee refused with cause 17" pbx_logged cpe '-> DISCONNECT cause=17'
check "caller saw cause 17 (user busy)" pbx_logged net '<- (RELEASE|DISCONNECT) cause=17'
check "callee refused with RELEASE COMPLETE, cause 34" pbx_logged cpe '-> RELEASE COMPLETE cause=34'
check "caller saw cause 34" pbx_logged net '<- RELEASE cause=34'
check "caller never saw CONNECT" sh -c "! grep -q '<- CONNECT' $work/net.log"
check "RESTART acknowledged" pbx_logged net '<- RESTART ACKNOWLEDGE chan=5'
vdahdi_stop
done_testing
