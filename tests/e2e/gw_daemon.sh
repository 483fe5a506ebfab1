#!/bin/sh
# The daemon's contract:
#  - sipri -n prints "configuration OK" for conf/loopback.conf, and for
#    each bad config (unknown key, bad number, missing span, duplicate
#    route) the exact error with file and line, and exits 1;
#  - SIGHUP reloads routes without dropping the call in progress, and the
#    next call follows the new route; a bad config on SIGHUP keeps the old
#    one running and logs why;
#  - SIGUSR1 logs the stats line: calls, SIP legs, transactions, fds;
#  - SIGTERM clears a live call with cause 16 on the PRI and BYE with
#    Reason cause 16 on SIP, then exits 0.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=150
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

out=$("$SIPRI" -n -f "$top_srcdir/conf/loopback.conf" 2>&1)
[ $? -eq 0 ] && [ "$out" = "configuration OK" ]
ok $? "sipri -n: conf/loopback.conf is OK"
for f in unknown-key bad-number missing-span duplicate-route; do
	conf="$top_srcdir/tests/conf/$f.conf"
	want=$(sed -n 's/^# expect: //p' "$conf")
	out=$("$SIPRI" -n -f "$conf" 2>&1)
	rc=$?
	[ $rc -eq 1 ] && [ "$out" = "sipri: $conf:$want" ]
	ok $? "sipri -n: $f.conf exits 1 with \"$out\""
done

# a call through sipri, then SIGHUP with a new route while it is up
check "sipri starts" gw_start
sipp_start uas1 uas_answer.xml -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10; call 4930123;
	expect connect timeout=10; expect disconnect cause=16 timeout=30;
	expect cleared'
gw_up
wait_for 10 grep -q "call(1){ACTIVE}" "$work/sipri.log"
ok $? "call 1 is up"
# SIGUSR1: what sipri holds now (README): the call and its SIP leg; no
# transaction, as libre ends an INVITE client transaction at its 2xx
# (RFC 3261 §17.1.1.2; the fault tests count lingering ones)
kill -USR1 "$gw_pid"
check "SIGUSR1: stats: calls=1 legs=1 transactions=0 fds=N timers=N heap=N" \
	wait_for 5 grep -Eq "stats: calls=1 legs=1 transactions=0 fds=[0-9]+ timers=[0-9]+ heap=[0-9]+$" \
		"$work/sipri.log"
fds=$(sed -n 's/.*stats: calls=.* fds=\([0-9]*\) .*/\1/p' "$work/sipri.log")
check "... fds is sipri's count of open files ($fds)" \
	test "$fds" -eq "$(ls /proc/$gw_pid/fd | wc -l)"
# the new configuration prepends 99 to numbers sent to SIP
sed 's/^\[route pri-to-sip\]/&\nprepend = 99/' "$work/sipri.conf" > "$work/new.conf"
cp "$work/sipri.conf" "$work/old.conf"
cp "$work/new.conf" "$work/sipri.conf"
kill -HUP "$gw_pid"
wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"
ok $? "SIGHUP: configuration reloaded"
sleep 1
! grep -q "call(1){RELEASING}" "$work/sipri.log"
ok $? "the call in progress was not dropped"

# a bad config on SIGHUP keeps the running one
sed -i 's/^dchan = 47/dchan = forty/' "$work/sipri.conf"
kill -HUP "$gw_pid"
wait_for 5 grep -q "reload failed, keeping the running configuration: .*sipri.conf:[0-9]*: \[span 2\] key \"dchan\"" "$work/sipri.log"
ok $? "SIGHUP with a bad config: logged with file, line and key; old config kept"

# SIGTERM with the call still up: cause 16 both ways, clean exit
check "SIGTERM: sipri exits 0 with no call live" gw_stop
gw_wait pbx1 uas1
check "the PBX was cleared with cause 16" pbx_passed pbx1
check "SIPp got BYE" sipp_passed uas1
check "... with Reason: Q.850;cause=16" sipp_msg uas1 '^Reason: Q\.850;cause=16'
check "after shutdown no B-channel is open" sh -c '! grep -q "bopen=[1-9]" /dev/dahdi/vdahdi'
gw_show uas1 pbx1

# the next run takes the new route (loaded by the first SIGHUP)
cp "$work/new.conf" "$work/sipri.conf"
"$SIPRI" -d -v -v -f "$work/sipri.conf" > "$work/sipri2.log" 2>&1 &
gw_pid=$!
sipp_start uas2 uas_answer.xml -mp 6200
pbx_start pbx2 --span 1 --node network -e 'wait up 10; call 4930123;
	expect connect timeout=10; hangup 16; expect cleared'
gw_wait pbx2 uas2
check "with the new route the INVITE goes to 994930123" \
	sipp_msg uas2 '^INVITE sip:994930123@'
kill -TERM $gw_pid; wait $gw_pid
vdahdi_stop
done_testing
