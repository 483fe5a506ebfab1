#!/bin/sh
# The loopback demo (tools/quickstart demo): a PBX on span 1 calls a PBX
# on span 2 over a vdahdi E1 pair, both played by pbxsim; it prints the
# call as a ladder and a pass/fail line.
#   tests/e2e/demo.sh BUILDDIR
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/_build}" && pwd)
export top_srcdir top_builddir
. "$top_srcdir/tests/lib/common.sh"
SANDBOX_TIMEOUT=90
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
PBXSIM_ABSTIME=1
export PBXSIM_ABSTIME

echo "== sipri loopback demo: vdahdi E1 pair, span 1 (network) <-> span 2 (CPE)"
vdahdi_start
dahdi_cfg -c "$top_srcdir/conf/system.conf" >/dev/null || { echo "demo: FAIL (dahdi_cfg)"; exit 1; }
dahdi_scan | grep -E '^\[|^alarms|^description' | paste - - - | sed 's/^/   /'

pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 4930123 calling=5551234 ton=international cton=national;
	expect connect timeout=10; tone 1004 -10 1.5;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	dtmf 0123456789*#ABCD; expect disconnect cause=16 timeout=15;
	expect cleared'
pbx_start pbx2 --span 2 --node cpe -e 'wait up 10;
	expect setup called=4930123 timeout=10; proceeding; alerting; answer;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10; tone 1004 -10 1.5;
	expect dtmf 0123456789*#ABCD timeout=10; hangup 16; expect cleared'
wait

echo
echo "   time  PBX on span 1 (network)               PBX on span 2 (CPE)"
sort -s -n -k1,1 "$work/pbx1.log" "$work/pbx2.log" | awk '
	NR == 1 { t0 = $1 }
	{ $1 = sprintf("%.3f", $1 - t0) }
	/pbxsim\[span1\]/ { sub(/ pbxsim\[span1\]: /, "|"); split($0, f, "|");
		printf "%7s  %-38s\n", f[1], f[2]; next }
	/pbxsim\[span2\]/ { sub(/ pbxsim\[span2\]: /, "|"); split($0, f, "|");
		printf "%7s  %-38s %s\n", f[1], "", f[2] }'
echo
vdahdi_stop
if pbx_passed pbx1 && pbx_passed pbx2; then
	echo "demo: PASS (call set up, 1004 Hz both ways, DTMF intact, cleared with cause 16)"
	exit 0
fi
echo "demo: FAIL"
exit 1
