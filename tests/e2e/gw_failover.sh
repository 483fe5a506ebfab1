#!/bin/sh
# Trunk failover on OPTIONS pings: one pri-to-sip route
# with the trunks "main" (SIPp on 5062) and "backup" (SIPp on 5064), in
# that order; sipri pings both every second (time limit 500 ms) and marks
# a trunk down after 2 failed pings in a row, up after one answered ping.
#  1. Neither SIPp runs: both trunks go down; a reload (SIGHUP) keeps
#     them down; a PRI call is refused with cause 38 (network out of
#     order).
#  2. backup answers OPTIONS: it comes up and takes the next call.
#  3. main's peer answers the pings with 503: main stays down.
#  4. main answers with 200: it comes up and, first in the route, takes
#     the next call again.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

GW_CONF="$work/failover.conf"
sed -e '/^\[trunk loopback\]/,$d' "$top_srcdir/conf/loopback.conf" > "$GW_CONF"
cat >> "$GW_CONF" <<'END'
[trunk main]
host = 127.0.0.1
port = 5062
options = 1
options_timeout = 500
options_failures = 2

[trunk backup]
host = 127.0.0.1
port = 5064
options = 1
options_timeout = 500
options_failures = 2

[route pri-to-sip]
direction = pri-to-sip
match = any
trunk = main, backup

[route sip-to-pri]
direction = sip-to-pri
match = any
group = pbx
END

logged() {
	grep -q "$1" "$work/sipri.log"
}

# pbx_call NAME NUMBER: the PBX calls NUMBER, which is answered; it hangs up
pbx_call() {
	pbx_start "$1" --span 1 --node network -e "wait up 10; call $2;
		expect connect timeout=10; sleep 0.3; hangup 16; expect cleared"
	gw_wait "$1"
}

check "sipri starts with two pinged trunks" gw_start
check "main goes down after 2 failed pings" \
	wait_for 10 logged "trunk main down: 2 OPTIONS failed in a row"
check "backup goes down too" \
	wait_for 10 logged "trunk backup down: 2 OPTIONS failed in a row"
# a reload keeps each trunk's state by name: with 100 failures needed
# now, a fresh start would count both up again for a long while
sed -i 's/^options_failures = 2$/options_failures = 100/' "$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: the configuration is reloaded" \
	wait_for 5 logged "configuration reloaded"
pbx_start pbx1 --span 1 --node network -e 'wait up 10; call 1001;
	expect hangup cause=38 timeout=10; expect cleared'
check "sipri's span comes up" gw_up
gw_wait pbx1
check "both trunks down, still after the reload: the PRI call is refused with cause 38" \
	pbx_passed pbx1
check "... and sipri says why" logged "every trunk of route pri-to-sip is down"
check "after the refusal: no call live, no B-channel open" gw_idle
pbx_passed pbx1 || gw_show pbx1

# SIPp answering OPTIONS runs on; -m overrides sipp_start's one call
sipp_start backup uas_options.xml -p 5064 -m 100 -mp 6300
check "backup answers a ping: it is up again" \
	wait_for 10 logged "trunk backup up: OPTIONS answered 200"
check "main stays down" sh -c "! grep -q 'trunk main up' '$work/sipri.log'"
pbx_call pbx2 1002
check "the next call is answered" pbx_passed pbx2
check "... by backup: its INVITE went to 127.0.0.1:5064" \
	sipp_msg backup '^INVITE sip:1002@127\.0\.0\.1:5064 SIP/2\.0'
check "backup's pings were OPTIONS to sip:127.0.0.1:5064" \
	sipp_msg backup '^OPTIONS sip:127\.0\.0\.1:5064 SIP/2\.0'
check "after the call: no call live, no B-channel open" gw_idle
pbx_passed pbx2 || gw_show pbx2 backup

# a peer that answers, but with 503, is no better than none
# for 4 s; it also answers the retransmissions of pings that had timed
# out before it started (libre runs their transactions to Timer F)
sipp_start main503 uas_options_503.xml -m 1000 -timeout 4s
gw_wait main503
check "main's peer refused OPTIONS with 503" \
	sipp_msg main503 '^SIP/2\.0 503 Service Unavailable'
check "... and sipri counted them as failed pings" sh -c "[ \$(grep -c \
	'trunk main: OPTIONS failed, [0-9]* in a row: status 503' \
	'$work/sipri.log') -ge 2 ]"
check "... so main stays down" \
	sh -c "! grep -q 'trunk main up' '$work/sipri.log'"

sipp_start main uas_options.xml -m 100 -mp 6400
check "main answers a ping: it is up again" \
	wait_for 10 logged "trunk main up: OPTIONS answered 200"
pbx_call pbx3 1003
check "the next call is answered" pbx_passed pbx3
check "... by main, first in the route, again" \
	sipp_msg main '^INVITE sip:1003@127\.0\.0\.1:5062 SIP/2\.0'
check "... not by backup" \
	sh -c "! grep -q '^INVITE sip:1003@' '$work/backup.msg'"
check "after the call: no call live, no B-channel open" gw_idle
pbx_passed pbx3 || gw_show pbx3 main

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'trunk|call\(|calls live' "$work/sipri.log" | tail -n 30)"
vdahdi_stop
done_testing
