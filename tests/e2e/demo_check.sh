#!/bin/sh
# The README's first command runs tests/e2e/demo.sh; this runs it inside
# the test suite too, so a change that breaks the demo breaks the build:
# pbxsim -> sipri -> SIPp and back, the tone heard both ways, cleared with
# cause 16, no channel left busy, and the ladder printed.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"

out=$("$top_srcdir/tests/e2e/demo.sh" "$top_builddir" 2>&1)
rc=$?
echo "$out" | grep -q '^demo: PASS'
ok $? "the loopback demo passes (exit $rc)"
echo "$out" | grep -q -- '-> INVITE' && echo "$out" | grep -q -- '<- INVITE'
ok $? "its ladder shows the INVITE each way"
[ $rc -eq 0 ] || diag "$out"
done_testing
