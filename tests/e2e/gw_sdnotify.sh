#!/bin/sh
# sipri under systemd's Type=notify (debian/sipri.service), the service
# manager's socket played by tests/tools/notifyrecv (sd_notify(3)):
#  - a span that cannot be opened: sipri exits 1 and sends no READY=1;
#  - READY=1 once span 2's D-channel is open (sipri holds it then), with
#    a STATUS; a call goes through;
#  - WATCHDOG_USEC=2000000 with WATCHDOG_PID = sipri's: WATCHDOG=1 comes
#    again and again from the loop, every second (half the interval: no
#    sooner, and never as late as the interval), during a call too;
#  - SIGTERM: STOPPING=1, then a clean exit;
#  - WATCHDOG_PID naming another process: no watchdog pings.
# All through one socket: datagrams arrive in the order they were sent.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=90
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

NOTIFYRECV="$top_builddir/tests/tools/notifyrecv"
msgs="$work/notify.msg"
"$NOTIFYRECV" "$work/notify.sock" > "$msgs" 2> "$work/notify.err" &
notify_pid=$!
check "the manager's socket is bound" wait_for 5 test -S "$work/notify.sock"
export NOTIFY_SOCKET="$work/notify.sock"

# sipri with WATCHDOG_PID set to its own pid (the wrapper execs it)
cat > "$work/sipri-wd" <<EOF
#!/bin/sh
WATCHDOG_PID=\$\$ WATCHDOG_USEC=2000000 exec "$SIPRI" "\$@"
EOF
chmod +x "$work/sipri-wd"

# count PATTERN: how many lines of what the manager got match
count() {
	grep -c -- "$1" "$msgs"
}

# at_least N PATTERN: N lines or more match (wait_for polls it)
at_least() {
	[ "$(count "$2")" -ge "$1" ]
}

# line PATTERN: the number of the first line that matches (0: none)
line() {
	awk -v p="$1" '$0 ~ p { print NR; found = 1; exit } END { if (!found) print 0 }' "$msgs"
}

# gaps_outside LO HI: how many gaps between one WATCHDOG=1 and the next
# are not in LO..HI ms
gaps_outside() {
	awk -v lo="$1" -v hi="$2" '$2 == "WATCHDOG=1" {
		if (t && ($1 - t < lo || $1 - t > hi)) n++; t = $1 }
		END { print n + 0 }' "$msgs"
}

# 1. no DAHDI yet: span 2 cannot be opened
"$SIPRI" -d -f "$top_srcdir/conf/loopback.conf" > "$work/fail.log" 2>&1
check "a span that cannot be opened: sipri exits 1" test $? -eq 1
check "... saying so" grep -q "cannot start" "$work/fail.log"

# 2. READY=1 once the span is open
sipri_bin=$SIPRI
SIPRI="$work/sipri-wd"
check "sipri starts under a watchdog" gw_start
SIPRI=$sipri_bin
check "READY=1 arrives" wait_for 5 grep -q " READY=1$" "$msgs"
check "... only once: the failed start sent none before it" \
	test "$(count " READY=1$")" -eq 1
check "... with a STATUS naming the open spans" \
	grep -q " STATUS=running, spans open: 1$" "$msgs"
check "sipri holds span 2's D-channel" \
	sh -c "ls -l /proc/$gw_pid/fd | grep -q ' /dev/dahdi/channel$'"
check "sipri logs the watchdog's period: half WATCHDOG_USEC" \
	grep -q "watchdog: a ping every 1000 ms" "$work/sipri.log"

# 3. pings repeat, also while a call is up (SIPp hangs up after 3 s)
sipp_start uas1 uas_answer.xml -set uasbye 1 -d 3000 -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10; call 4930123;
	expect connect timeout=10; expect disconnect cause=16 timeout=15;
	expect cleared'
gw_up
gw_wait pbx1 uas1
check "a call went through, SIPp cleared it" pbx_passed pbx1
check "... SIPp passed" sipp_passed uas1
check "after the call: no call live, no B-channel open" gw_idle
check "five WATCHDOG=1 pings" wait_for 10 at_least 5 " WATCHDOG=1$"
check "... the first after READY=1" \
	test "$(line " WATCHDOG=1$")" -gt "$(line " READY=1$")"
diag "ms between pings: $(awk '$2 == "WATCHDOG=1" { if (t) printf "%d ", $1 - t; t = $1 }' "$msgs")"
check "... none sooner than half the interval after the last (900 ms)" \
	test "$(gaps_outside 900 999999)" -eq 0
check "... none as late as WATCHDOG_USEC (2000 ms): systemd would kill" \
	test "$(gaps_outside 0 1999)" -eq 0

# 4. SIGTERM
check "SIGTERM: sipri exits 0 with no call live" gw_stop
check "... after STOPPING=1" grep -q " STOPPING=1$" "$msgs"

# 5. a watchdog for another process is not ours (sd_watchdog_enabled(3))
export WATCHDOG_PID=1 WATCHDOG_USEC=2000000
check "sipri runs again, WATCHDOG_PID naming another process" gw_run
unset WATCHDOG_PID WATCHDOG_USEC
check "... READY=1 again" wait_for 5 at_least 2 " READY=1$"
check "... and no watchdog (it would be logged before READY=1)" \
	sh -c "! grep -q 'watchdog:' '$work/sipri.log'"
check "SIGTERM: sipri exits 0" gw_stop

kill "$notify_pid"
wait "$notify_pid" 2>/dev/null
check "notifyrecv saw no error" test ! -s "$work/notify.err"
gw_show uas1 pbx1
vdahdi_stop
done_testing
