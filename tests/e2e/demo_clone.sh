#!/bin/sh
# The README's first command as a newcomer meets it: a fresh `git clone`
# of this tree into a scratch directory, nothing built, then
# `tools/quickstart demo` there.  It must build everything the demo runs
# (mkpcap included) and print `demo: PASS`: pbxsim -> sipri -> SIPp and
# back, the tone heard both ways, every channel idle at the end.
# The clone takes what is committed (HEAD), as a newcomer's clone would.
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/common.sh"

git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1 ||
	skip_all "not a git checkout (a release tarball has no clone to test)"

tmp=$(mktemp -d /tmp/sipri-clone.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-local "$top_srcdir" "$tmp/sipri"
ok $? "git clone of the tree"

[ ! -e "$tmp/sipri/_build" ] && [ ! -e "$tmp/sipri/configure" ]
ok $? "the clone has nothing built"

out=$(cd "$tmp/sipri" && timeout 1500 tools/quickstart demo 2>&1)
rc=$?
[ $rc -eq 0 ]
ok $? "tools/quickstart demo exits 0 (exit $rc)"
echo "$out" | grep -q '^demo: PASS'
ok $? "it prints demo: PASS"
echo "$out" | grep -q -- '-> INVITE' && echo "$out" | grep -q -- '<- INVITE'
ok $? "its ladder shows the INVITE each way"
[ $rc -eq 0 ] || diag "$(echo "$out" | tail -n 60)"
done_testing
