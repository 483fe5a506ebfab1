#!/bin/sh
# vdahdi's command line, the contract tests and users rely on:
# `vdahdi [-f] [--pairs N] [--type e1|t1] [--hdlc-rate KBITS] MOUNTPOINT`.
#  - without -f it returns only once the mount is ready, daemonised;
#  - with -f it stays in the foreground (the same process serves the
#    mount) and exits 0 when `fusermount3 -u` unmounts it;
#  - --pairs and --type shape the spans (channel counts per type);
#  - the D-channels run at 64 kbit/s unless --hdlc-rate says otherwise;
#  - a bad --pairs or --hdlc-rate is refused with a clear error, a
#    missing mount point with the usage.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
tmp=$(mktemp -d /tmp/vd_cmdline.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$VDAHDI" /dev/dahdi
ok $? "without -f: vdahdi returns (exit 0)"
test -e /dev/dahdi/ctl && test -e /dev/dahdi/vdahdi
ok $? "... and the mount is ready when it does"
pgrep -x vdahdi > /dev/null
ok $? "... served by a daemon left behind"
grep -q 'hdlc_kbps=64$' /dev/dahdi/vdahdi
ok $? "D-channels at 64 kbit/s by default"
fusermount3 -u /dev/dahdi
wait_for 5 sh -c '! pgrep -x vdahdi > /dev/null'
ok $? "fusermount3 -u stops the daemon"

"$VDAHDI" -f --pairs 2 --type t1 /dev/dahdi &
fg=$!
wait_for 5 test -e /dev/dahdi/ctl
ok $? "with -f: the mount comes up"
kill -0 $fg 2>/dev/null && [ "$(pgrep -x vdahdi)" = "$fg" ]
ok $? "... served by the process started, still in the foreground"
grep -c '^span ' /dev/dahdi/vdahdi > "$tmp/spans" 2>/dev/null
[ "$(cat "$tmp/spans")" = 4 ]
ok $? "--pairs 2: 4 spans in the status file (got $(cat "$tmp/spans"))"
[ -e /dev/dahdi/chan/1/024 ] && [ -e /dev/dahdi/chan/4/024 ] &&
	[ ! -e /dev/dahdi/chan/1/025 ]
ok $? "--type t1: 24 channels per span"
fusermount3 -u /dev/dahdi
wait $fg
"$VDAHDI" -f --hdlc-rate 0 /dev/dahdi &
fg=$!
wait_for 5 test -e /dev/dahdi/ctl && grep -q 'hdlc_kbps=0$' /dev/dahdi/vdahdi
ok $? "--hdlc-rate 0: unpaced D-channels"
fusermount3 -u /dev/dahdi
wait $fg
ok $? "fusermount3 -u ends the foreground vdahdi with status 0"

"$VDAHDI" --pairs x /dev/dahdi 2> "$tmp/err"
[ $? -ne 0 ] && grep -q -- '--pairs must be' "$tmp/err"
ok $? "a bad --pairs is refused, and the error says why"
"$VDAHDI" --hdlc-rate 9999 /dev/dahdi 2> "$tmp/err"
[ $? -ne 0 ] && grep -q -- '--hdlc-rate must be' "$tmp/err"
ok $? "a bad --hdlc-rate is refused, and the error says why"
"$VDAHDI" 2> "$tmp/err"
[ $? -ne 0 ] && grep -q usage "$tmp/err"
ok $? "a missing mount point is refused with the usage"
done_testing
