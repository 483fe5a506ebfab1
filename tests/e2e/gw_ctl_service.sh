#!/bin/sh
# sipri-ctl channel block/unblock on a switch type with SERVICE messages
# (NI-2, "national"): besides leaving hunting, the channel is declared
# out of service to the far end (SERVICE, change status 2) and back in
# service (status 0); libpri answers SERVICE ACKNOWLEDGE.  pbxsim runs
# the same switch type and logs what it receives.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

gw_sed='s/^switchtype = euroisdn$/switchtype = national/'
check "sipri starts with span 2 on NI-2 (national)" gw_start
pbx_start pbx --span 1 --node network --switch national -e 'wait up 10;
	log ready; sleep 20'
gw_ready pbx
check "channel block 2 3" "$CTL" channel block 2 3
check "... the PBX got SERVICE for channel 3, out of service" \
	wait_for 10 pbx_logged pbx '<- SERVICE chan=3 status=2'
check "channel unblock 2 3" "$CTL" channel unblock 2 3
check "... and SERVICE back in service" \
	wait_for 10 pbx_logged pbx '<- SERVICE chan=3 status=0'
check "no call live, no B-channel open" gw_idle
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
