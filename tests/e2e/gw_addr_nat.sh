#!/bin/sh
# Advertised and external addresses (sipri.conf(5), ADDRESSES): sipri
# listens on 0.0.0.0 with advertise = 198.51.100.10, external =
# 203.0.113.5 and local_nets = 192.0.2.0/24, so the veth to the
# namespace "far" (SIPp at 192.0.2.7, addr_lib.sh) is local and the
# loopback is not.  Checked on the wire, in SIPp's messages:
#  1. SIP -> PRI from 192.0.2.7: the 200's Contact and SDP o=/c= say
#     198.51.100.10 (advertise).
#  2. SIP -> PRI from 127.0.0.1: they say 203.0.113.5 (external).
#  3. PRI -> SIP to the far trunk: the INVITE's Contact, From and SDP
#     say 198.51.100.10.
#  4. PRI -> SIP to 127.0.0.1:5062: they say 203.0.113.5.
#  5. REGISTER (RFC 3261 §10) to a registrar at 127.0.0.1:5064, after a
#     SIGHUP adds its trunk: the binding's Contact says 203.0.113.5
#     (external), and sipri finds that binding in the 200 (its expires,
#     30 s, is what sipri counts with).
# No call carries audio: neither address is reachable here.  After each
# call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/e2e/addr_lib.sh"

addr_conf "udp:0.0.0.0:5060" "advertise = 198.51.100.10" \
	"external = 203.0.113.5" "local_nets = 192.0.2.0/24"
check "a second network: veth to the namespace far" far_start
check "sipri starts with advertise, external and local_nets" gw_start

# NAME ADDR: sipri's Contact, SDP o= and c= in SIPp's trace say ADDR
says() {
	a=$(echo "$2" | sed 's/\./\\./g')
	sipp_msg "$1" "^Contact: <sip:sipri@$a:5060>" &&
		sipp_msg "$1" "^o=.* IN IP4 $a[[:space:]]*\$" &&
		sipp_msg "$1" "^c=IN IP4 $a[[:space:]]*\$"
}

# SIP -> PRI, call K for NUMBER from SIPp at FROM (192.0.2.7: in far)
sip_call() {
	k=$1 num=$2 from=$3 to=127.0.0.1
	pbx_start pbx$k --span 1 --node network -e "wait up 10;
		expect setup called=$num timeout=20; proceeding; alerting;
		answer; expect disconnect cause=16 timeout=15; expect cleared"
	SIPP_IP=$from SIPP_NS=
	[ "$from" = 192.0.2.7 ] && SIPP_NS=$far_ns to=192.0.2.1
	sipp_start uac$k uac_call.xml -s +49$num "$to:5060" \
		-key caller +495551234 -d 500 -mp 6${k}00
	SIPP_IP= SIPP_NS=
	gw_wait pbx$k uac$k
	check "$k: from $from: answered and cleared" pbx_passed pbx$k
	check "$k: ... by SIPp" sipp_passed uac$k
}

# PRI -> SIP, call K for NUMBER to SIPp at TO
pri_call() {
	k=$1 num=$2 to=$3
	SIPP_IP=$to SIPP_NS=
	[ "$to" = 192.0.2.7 ] && SIPP_NS=$far_ns
	sipp_start uas$k uas_answer.xml -mp 6${k}00
	SIPP_IP= SIPP_NS=
	pbx_start pbx$k --span 1 --node network -e "wait up 10;
		call $num calling=5551234 cton=national;
		expect connect timeout=10; sleep 0.5; hangup 16; expect cleared"
	gw_wait pbx$k uas$k
	check "$k: to $to: answered and cleared" pbx_passed pbx$k
	check "$k: ... SIPp got the BYE" sipp_passed uas$k
}

pbx_start pbx0 --span 1 --node network -e 'wait up 10'
check "sipri's span comes up" gw_up
gw_wait pbx0
sleep 1.5   # the libpri start-up race (doc/ARCHITECTURE, facts)

sip_call 1 30771 192.0.2.7
check "1: local peer: Contact, o= and c= say advertise 198.51.100.10" \
	says uac1 198.51.100.10
check "1: no call live, no B-channel open" gw_idle
sipp_passed uac1 || gw_show pbx1 uac1

sip_call 2 30772 127.0.0.1
check "2: peer outside local_nets: they say external 203.0.113.5" \
	says uac2 203.0.113.5
check "2: no call live, no B-channel open" gw_idle
sipp_passed uac2 || gw_show pbx2 uac2

pri_call 3 7003 192.0.2.7
check "3: local trunk: Contact, o= and c= say 198.51.100.10" \
	says uas3 198.51.100.10
check "3: ... and From: <sip:+495551234@198.51.100.10>" \
	sipp_msg uas3 '^From: <sip:\+495551234@198\.51\.100\.10>'
check "3: no call live, no B-channel open" gw_idle
sipp_passed uas3 || gw_show pbx3 uas3

pri_call 4 4004 127.0.0.1
check "4: trunk outside local_nets: they say 203.0.113.5" \
	says uas4 203.0.113.5
check "4: ... and From: <sip:+495551234@203.0.113.5>" \
	sipp_msg uas4 '^From: <sip:\+495551234@203\.0\.113\.5>'
check "4: no call live, no B-channel open" gw_idle
sipp_passed uas4 || gw_show pbx4 uas4

# 5. REGISTER: the Contact is picked like the others
( cd "$work" && sipp -sf "$SIPP_DIR/registrar.xml" -i 127.0.0.1 -p 5064 \
	-m 1 -timeout 20s -timeout_error -trace_msg \
	-message_file "$work/reg5.msg" -trace_err -error_file "$work/reg5.err" \
	> "$work/reg5.out" 2>&1
  echo $? > "$work/reg5.rc" ) &
wait_for 5 sh -c "ss -lun | grep -q '127.0.0.1:5064 '"
gw_reg_trunk reg 5064 4930555
kill -HUP "$gw_pid"
gw_wait reg5
check "5: the registrar took a REGISTER and answered 200" sipp_passed reg5
check "5: its Contact says external 203.0.113.5" sipp_msg reg5 \
	'^Contact: <sip:4930555@203\.0\.113\.5:5060>;expires=60'
check "5: sipri found its binding in the 200: 30 s" wait_for 5 grep -q \
	'register(reg){REGISTERED}: 200 OK, expires in 30 s' "$work/sipri.log"
sipp_passed reg5 || gw_show reg5

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
far_stop
vdahdi_stop
done_testing
