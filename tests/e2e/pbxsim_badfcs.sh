#!/bin/sh
# Corrupted D-channel frames: once the link is up, vdahdi corrupts the FCS
# of the next 3 frames span 1 sends (`badfcs 1 3`).  The far end (span 2)
# drops them with BADFCS events (Q.921 §2.9), vdahdi counts them as
# frames_bad, and Q.921 recovers by retransmission (T200): the call that
# the lost frames carried still completes.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

# the network side waits (settle=3) while the test arms the fault
pbx_script net <<'END'
wait up 10 settle=3
call 3000 calling=42
expect proceeding timeout=20
expect connect timeout=10
hangup 16
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect badfcs timeout=20
expect setup called=3000 calling=42 timeout=20
proceeding
answer
expect disconnect cause=16
expect cleared
END

pbx_start net --span 1 --node network -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe -f "$work/cpe.pbx"
wait_for 10 sh -c "grep -q 'D-channel up' $work/net.log && grep -q 'D-channel up' $work/cpe.log"
ok $? "the D-channel is up at both ends"
echo "badfcs 1 3" > /dev/dahdi/vdahdi
ok $? "armed: corrupt the next 3 frames span 1 sends"
pbx_wait net cpe

check "network side's scenario passes (the call completed)" pbx_passed net
check "CPE side's scenario passes" pbx_passed cpe
n=$(grep -c 'DAHDI event badfcs' "$work/cpe.log")
[ "$n" -eq 3 ]
ok $? "span 2 saw 3 BADFCS events ($n)"
check "span 1 saw none" sh -c "! grep -q 'DAHDI event badfcs' $work/net.log"
status=$(cat /dev/dahdi/vdahdi)
diag "$status"
echo "$status" | grep -q '^span 2 .*frames_bad=3 '
ok $? "vdahdi counted 3 bad frames received by span 2"
echo "$status" | grep -q '^span 1 .*badfcs_pending=0'
ok $? "no corruption left pending"
vdahdi_stop
done_testing
