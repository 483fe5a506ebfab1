#!/bin/sh
# The fault matrix (tests/e2e/fault_lib.sh): vdahdi killed and mounted
# again under load.  With calls up both ways, vdahdi's daemon is killed
# (SIGKILL): every DAHDI fd of sipri's and the PBX's fails with ENOTCONN
# and polls EPOLLERR, as real DAHDI answers ENODEV once a span is removed.
# sipri must take span 2 out of service and clear its calls with cause 38
# at once, not spin on its dead fds, and refuse INVITEs meanwhile.  The
# dead mount is unmounted, vdahdi mounted and configured again and a new
# PBX started: sipri opens its D-channel again by itself, span 2 comes
# up and calls complete both ways; then nothing is left (fault_end).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/fault_lib.sh"

{ fault_pbx_head; echo "sleep 120"; } | pbx_script pbx
{ echo "autoanswer hold=$FAULT_HOLD"; fault_pbx_again; } | pbx_script pbx2
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gw_pid/stat"; }

check "sipri starts; the PBX's link has settled" fault_start
fault_sip_load load 5064 "$FAULT_CALLS"
check "calls are up both ways; the stats line counts their transactions" \
	fault_calls_up 8
diag "$(fault_stats)"
# the sandbox's PID namespace holds this case's processes only
kill -KILL "$(pgrep -x vdahdi)"
check "vdahdi killed: sipri says its D-channel is gone" \
	wait_for 5 grep -q "D-channel 47 gone (Transport endpoint is not connected)" \
		"$work/sipri.log"
check "... takes span 2 down and clears every call with cause 38" \
	wait_for 5 sh -c "grep -q 'span 2 down' '$work/sipri.log' &&
		grep 'calls live=' '$work/sipri.log' | tail -n 1 |
		grep -q 'calls live=0 busy_channels=0'"
kill -TERM "$fault_pbx_pid"
wait "$fault_pbx_pid" 2>/dev/null
t0=$(cpu_ticks)
sleep 2   # a measure of sipri's CPU time while DAHDI is gone
t1=$(cpu_ticks)
diag "sipri's CPU with DAHDI gone: $((t1 - t0)) ticks in 2 s ($clk a second)"
check "... and does not spin on its dead fds: under a quarter of a CPU" \
	test $(((t1 - t0) * 4)) -lt $((2 * clk))
check "... while it refuses INVITEs with cause 38" \
	grep -q '^Reason: Q.850;cause=38' "$work/load.msg"

fusermount3 -u -z /dev/dahdi
vdahdi_start
check "vdahdi mounted and configured again" \
	dahdi_configure "$top_srcdir/conf/system.conf"
check "sipri opens its D-channel again by itself" \
	wait_for 5 grep -q "D-channel 47 open again" "$work/sipri.log"
fault_pbx pbx2
check "a new PBX: span 2 is up again" \
	wait_for 20 sh -c "[ \$(grep -c 'span 2 up' '$work/sipri.log') -ge 2 ]"
fault_recover
fault_end
gw_show pbx pbx2 load after
done_testing
