#!/bin/sh
# Overlap sending (Q.931 §5.1.3): the caller sends SETUP with the digits
# 12 and no Sending Complete, waits for SETUP ACKNOWLEDGE, then sends 345
# digit by digit in INFORMATION messages.  The callee must see the full
# number 12345 before it proceeds and answers.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_script net <<'END'
wait up 10
call 12 calling=999 complete=no
expect setup_ack
info 345
expect proceeding
expect alerting
expect connect
hangup 16
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect setup called=12 complete=no timeout=10
setup_ack
expect number 12345
proceeding
alerting
answer
expect disconnect cause=16
expect cleared
END

pbx_start net --span 1 --node network -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe -f "$work/cpe.pbx"
pbx_wait net cpe

check "caller's scenario passes" pbx_passed net
check "callee's scenario passes" pbx_passed cpe
check "SETUP carried only the first digits" pbx_logged cpe '<- SETUP called=12 .* complete=no'
check "callee saw the full number 12345" pbx_logged cpe 'called number complete: 12345'
check "three INFORMATION digits arrived" \
	sh -c "[ \$(grep -c '<- INFORMATION digits=' $work/cpe.log) -eq 3 ]"
vdahdi_stop
done_testing
