#!/bin/sh
# Our address on a wildcard listener (sipri.conf(5), ADDRESSES): sipri
# listens on udp:0.0.0.0:5060 and RTP on 0.0.0.0, with no advertise
# key.  Two networks: the loopback, and a veth to the namespace "far"
# (192.0.2.1 here, SIPp at 192.0.2.7; addr_lib.sh).  Contact and the
# SDP o=/c= lines carry the address of the interface toward each peer,
# never 0.0.0.0 (RFC 3264 §8.4 would take c=0.0.0.0 for hold).
#  1. SIP -> PRI from 192.0.2.7: the 200's Contact and SDP say
#     192.0.2.1; SIPp's 1004 Hz reaches the PBX, so the address works.
#  2. SIP -> PRI from 127.0.0.1: they say 127.0.0.1.
#  3. PRI -> SIP to the far trunk: the INVITE's Contact, From and SDP
#     say 192.0.2.1; the PBX's 1004 Hz reaches SIPp's echo and comes
#     back.
#  4. SIP -> PRI over TCP from 192.0.2.7 (tcp:0.0.0.0:5060): the 200's
#     Contact says 192.0.2.1 with ;transport=tcp, the SDP 192.0.2.1.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/addr_lib.sh"

check "a second network: veth to the namespace far" far_start
"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
addr_conf "udp:0.0.0.0:5060, tcp:0.0.0.0:5060"
check "sipri starts on 0.0.0.0" gw_start

# sipri's own lines in SIPp's trace: its Contact has the user sipri;
# SIPp's SDP says its own address
no_wildcard() {
	! grep -Eq '^(c=IN IP4 0\.0\.0\.0|o=.* IN IP4 0\.0\.0\.0)|sipri@0\.0\.0\.0' \
		"$work/$1.msg"
}

pbx_start pbx1 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
check "sipri's span comes up, past libpri's start-up race" gw_ready pbx1
SIPP_NS=$far_ns SIPP_IP=192.0.2.7 sipp_start uac1 uac_call.xml \
	-s +4930777 192.0.2.1:5060 -key caller +495551234 \
	-set play 1 -set waitbye 1 -mp 6300
gw_wait pbx1 uac1
check "1: from 192.0.2.7: answered, SIPp's tone reached the PBX" pbx_passed pbx1
check "1: ... SIPp got the BYE" sipp_passed uac1
check "1: Contact: sipri@192.0.2.1:5060" \
	sipp_msg uac1 '^Contact: <sip:sipri@192\.0\.2\.1:5060>'
check "1: SDP c=IN IP4 192.0.2.1" sipp_msg uac1 '^c=IN IP4 192\.0\.2\.1'
check "1: SDP o= ... IN IP4 192.0.2.1" sipp_msg uac1 '^o=.* IN IP4 192\.0\.2\.1'
check "1: no 0.0.0.0 in Contact or SDP" no_wildcard uac1
check "1: no call live, no B-channel open" gw_idle
pbx_passed pbx1 && sipp_passed uac1 || gw_show pbx1 uac1

pbx_start pbx2 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30778 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared'
gw_ready pbx2
sipp_start uac2 uac_call.xml -s +4930778 127.0.0.1:5060 \
	-key caller +495551234 -d 500 -mp 6400
gw_wait pbx2 uac2
check "2: from 127.0.0.1: answered and cleared" pbx_passed pbx2
check "2: ... by SIPp" sipp_passed uac2
check "2: Contact: sipri@127.0.0.1:5060" \
	sipp_msg uac2 '^Contact: <sip:sipri@127\.0\.0\.1:5060>'
check "2: SDP c=IN IP4 127.0.0.1" sipp_msg uac2 '^c=IN IP4 127\.0\.0\.1'
check "2: no 0.0.0.0 in Contact or SDP" no_wildcard uac2
check "2: no call live, no B-channel open" gw_idle
pbx_passed pbx2 && sipp_passed uac2 || gw_show pbx2 uac2

SIPP_NS=$far_ns SIPP_IP=192.0.2.7 sipp_start uas3 uas_answer.xml \
	-rtp_echo -mp 6500
pbx_start pbx3 --span 1 --node network -e 'wait up 10; log ready;
	call 7001 calling=5551234 cton=national; expect connect timeout=10;
	sleep 0.5; tone 1004 -10 2.5;
	expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10;
	hangup 16; expect cleared'
gw_wait pbx3 uas3
check "3: PRI -> far trunk: answered, the PBX's tone came back" pbx_passed pbx3
check "3: ... SIPp got the BYE" sipp_passed uas3
check "3: INVITE Contact: sipri@192.0.2.1:5060" \
	sipp_msg uas3 '^Contact: <sip:sipri@192\.0\.2\.1:5060>'
check "3: From: <sip:+495551234@192.0.2.1>" \
	sipp_msg uas3 '^From: <sip:\+495551234@192\.0\.2\.1>'
check "3: SDP c=IN IP4 192.0.2.1" sipp_msg uas3 '^c=IN IP4 192\.0\.2\.1'
check "3: no 0.0.0.0 in Contact, From or SDP" no_wildcard uas3
check "3: no call live, no B-channel open" gw_idle
pbx_passed pbx3 && sipp_passed uas3 || gw_show pbx3 uas3

pbx_start pbx4 --span 1 --node network -e 'wait up 10; log ready;
	expect setup called=30774 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared'
gw_ready pbx4
SIPP_NS=$far_ns SIPP_IP=192.0.2.7 sipp_start uac4 uac_call.xml -t t1 \
	-s +4930774 192.0.2.1:5060 -key caller +495551234 -d 500 -mp 6600
gw_wait pbx4 uac4
check "4: over TCP from 192.0.2.7: answered and cleared" pbx_passed pbx4
check "4: ... by SIPp" sipp_passed uac4
check "4: Contact: sipri@192.0.2.1:5060;transport=tcp" \
	sipp_msg uac4 '^Contact: <sip:sipri@192\.0\.2\.1:5060;transport=tcp>'
check "4: SDP c=IN IP4 192.0.2.1" sipp_msg uac4 '^c=IN IP4 192\.0\.2\.1'
check "4: no 0.0.0.0 in Contact or SDP" no_wildcard uac4
check "4: no call live, no B-channel open" gw_idle
pbx_passed pbx4 && sipp_passed uac4 || gw_show pbx4 uac4

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
far_stop
vdahdi_stop
done_testing
