#!/bin/sh
# Trunks by DNS name, resolved per RFC 3263 through a DNS server of our own: dnsmasq
# in the test's network namespace, named by [sip] dns_server.
#   1. trunk host a.sipri.test, port 5062: an A lookup; the INVITE goes to
#      sip:+493011@a.sipri.test:5062 and reaches SIPp on 127.0.0.1:5062.
#   2. trunk host srv.sipri.test with no port: RFC 3263 §4.2 looks up
#      _sip._udp.srv.sipri.test (SRV: a.sipri.test port 5062); without
#      the SRV the INVITE would go to port 5060, sipri itself.
#   3. trunk host nx.sipri.test (NXDOMAIN): the call fails at once (503
#      inside sipri, cause 41 to the PBX) and no B-channel stays busy.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

dnsmasq --keep-in-foreground --port=5353 --listen-address=127.0.0.1 \
	--bind-interfaces --no-resolv --no-hosts -C /dev/null --user=root \
	--pid-file="$work/dnsmasq.pid" --local=/sipri.test/ \
	--address=/a.sipri.test/127.0.0.1 \
	--srv-host=_sip._udp.srv.sipri.test,a.sipri.test,5062 \
	--log-queries --log-facility="$work/dns.log" &
check "dnsmasq answers for sipri.test" wait_for 10 test -s "$work/dnsmasq.pid"

# the loopback trunk by name; two more trunks with their routes, which
# come before the catch-all route
gw_sed='/^\[sip\]/a dns_server = 127.0.0.1:5353
s/^host = 127\.0\.0\.1$/host = a.sipri.test/
/^\[route pri-to-sip\]/i [trunk srv]\nhost = srv.sipri.test\n[trunk nx]\nhost = nx.sipri.test\nport = 5062\n[route srv]\ndirection = pri-to-sip\nmatch = prefix:+4932\ntrunk = srv\n[route nx]\ndirection = pri-to-sip\nmatch = prefix:+4933\ntrunk = nx\n'
check "sipri starts with trunks by name" gw_start

pbx_start pbx --span 1 --node network --timeout 90 -e 'wait up 10;
	call 493011 calling=5551234 ton=international cton=national;
	expect connect timeout=15; expect hangup cause=16 timeout=15;
	expect cleared; log call 1 done; sleep 1.5;
	call 493201 calling=5551234 ton=international cton=national;
	expect connect timeout=15; expect hangup cause=16 timeout=15;
	expect cleared; log call 2 done; sleep 1;
	call 493301 calling=5551234 ton=international cton=national;
	expect hangup cause=41 timeout=15; expect cleared; log call 3 done'
check "sipri's span comes up" gw_up

sipp_start uas1 uas_answer.xml -mp 6100 -set uasbye 1 -d 500
gw_wait uas1
check "1: SIPp on a.sipri.test:5062 answered and hung up" sipp_passed uas1
check "1: the INVITE named the trunk's host" \
	sipp_msg uas1 '^INVITE sip:\+493011@a\.sipri\.test:5062 '
check "1: sipri looked a.sipri.test up" grep -q 'query\[A\] a\.sipri\.test' "$work/dns.log"
check "1: the PBX's call was answered and cleared" \
	wait_for 10 pbx_logged pbx 'log: call 1 done'
check "1: no call live, no B-channel open" gw_idle

sipp_start uas2 uas_answer.xml -mp 6200 -set uasbye 1 -d 500
gw_wait uas2
check "2: SIPp, found by SRV, answered and hung up" sipp_passed uas2
check "2: the INVITE has no port: sip:+493201@srv.sipri.test" \
	sipp_msg uas2 '^INVITE sip:\+493201@srv\.sipri\.test '
check "2: sipri asked for _sip._udp.srv.sipri.test (RFC 3263 §4.2)" \
	grep -q 'query\[SRV\] _sip\._udp\.srv\.sipri\.test' "$work/dns.log"
check "2: the PBX's call was answered and cleared" \
	wait_for 10 pbx_logged pbx 'log: call 2 done'
check "2: no call live, no B-channel open" gw_idle

check "3: an unknown name fails the call with cause 41" \
	wait_for 15 pbx_logged pbx 'log: call 3 done'
check "3: no call live, no B-channel open" gw_idle

gw_wait pbx
check "PBX: all three calls went as expected" pbx_passed pbx
pbx_passed pbx || gw_show pbx
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null
vdahdi_stop
done_testing
