#!/bin/sh
# Protocol traces (gateway/trace.c, sipri.conf(5) trace_dir, trace):
#  1. With [span 2] trace and [trunk loopback] trace, a SIP -> PRI call
#     leaves span-2.pcap and trunk-loopback.pcap in trace_dir (made by
#     sipri); tshark decodes the first as LAPD/Q.931 (SETUP .. RELEASE
#     COMPLETE, the numbers as sent, our frames as the user side's) and
#     the second as SIP over UDP between the real addresses (INVITE ..
#     BYE, the numbers as SIPp sent them).
#  2. SIGHUP without the trace keys ends both traces: a second call adds
#     nothing; turned on again, a third call is appended to the files.
#  3. A trace_dir that cannot be made is logged and calls go on; a full
#     file system ends the trace with a logged error and the call
#     completes.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

tr=$work/trace
traced='s/^\[span 2\]$/&\ntrace = yes/; s/^\[trunk loopback\]$/&\ntrace = yes/'
gw_sed=$traced
check "sipri starts with span 2 and trunk loopback traced" \
	gw_start "trace_dir = $tr"
check "... it made trace_dir and logged both traces" \
	sh -c "[ -d '$tr' ] && grep -q 'trace $tr/span-2.pcap: started' \
		'$work/sipri.log' &&
		grep -q 'trace $tr/trunk-loopback.pcap: started' '$work/sipri.log'"

# call N CALLED: SIP -> PRI, the PBX answers and hangs up (cause 16)
call() {
	pbx_start pbx$1 --span 1 --node network -e "wait up 10; log ready;
		expect setup called=$2 calling=5551234 timeout=20;
		proceeding; alerting; answer; sleep 0.3; hangup 16;
		expect cleared"
	gw_ready pbx$1
	sipp_start uac$1 uac_call.xml -s +49$2 127.0.0.1:5060 \
		-key caller +495551234 -set waitbye 1 -d 1000 -mp 6300
	gw_wait pbx$1 uac$1
	check "call $1: completes" sh -c "[ \"\$(cat '$work/pbx$1.rc')\" = 0 ] &&
		[ \"\$(cat '$work/uac$1.rc')\" = 0 ]"
	check "call $1: no call live, no B-channel open" gw_idle
}

# reload SED: sipri.conf edited by SED, SIGHUP, wait for the reload
reload() {
	n=$(grep -c 'configuration reloaded' "$work/sipri.log")
	sed -i -e "$1" "$work/sipri.conf"
	kill -HUP "$gw_pid"
	wait_for 5 sh -c "[ \$(grep -c 'configuration reloaded' \
		'$work/sipri.log') -gt $n ]"
}

# ts FILE ARGS...: tshark's fields of FILE in trace_dir, one line a packet
ts() {
	f=$1
	shift
	tshark -r "$tr/$f" -T fields "$@" 2>/dev/null
}
# in_order WORD...: stdin's lines, one word each, hold WORDs in order
in_order() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " "); i = 1 }
		i <= n && $1 == w[i] { i++ } END { exit i <= n }'
}

call 1 30777
diag "Q.931 in span-2.pcap: $(ts span-2.pcap -Y q931 -e q931.message_type |
	tr '\n' ' ')"
q931_call() {
	ts span-2.pcap -Y q931 -e q931.message_type |
		in_order 0x05 0x02 0x01 0x07 0x0f 0x45 0x4d 0x5a
}
check "span-2.pcap: SETUP, CALL PROCEEDING, ALERTING, CONNECT, CONNECT ACK, DISCONNECT, RELEASE, RELEASE COMPLETE" \
	q931_call
check "... the SETUP sent by us, the user side, with the numbers sent" \
	test "$(ts span-2.pcap -Y 'q931.message_type == 0x05' \
		-e frame.p2p_dir -e lapd.direction \
		-e q931.called_party_number.digits \
		-e q931.calling_party_number.digits | tr '\t' ' ')" = \
		"0 0 30777 5551234"
check "... CALL PROCEEDING received, from the network side" \
	test "$(ts span-2.pcap -Y 'q931.message_type == 0x02' \
		-e frame.p2p_dir -e lapd.direction | tr '\t' ' ')" = "1 1"
sip=$(ts trunk-loopback.pcap -Y sip -e ip.src -e udp.srcport -e ip.dst \
	-e udp.dstport -e sip.Method -e sip.Status-Code -e sip.to.user \
	-e sip.from.user | awk '{ $1 = $1; print }')
diag "SIP in trunk-loopback.pcap: $sip"
check "trunk-loopback.pcap: INVITE, 100, 180, 200, ACK, BYE, 200 over UDP" \
	test "$(echo "$sip" | awk '{ print $5 }' | tr '\n' ' ')" = \
		"INVITE 100 180 200 ACK BYE 200 "
check "... INVITE from SIPp's address to sipri's, with the numbers sent" \
	test "$(echo "$sip" | head -n 1)" = \
		"127.0.0.1 5062 127.0.0.1 5060 INVITE +4930777 +495551234"

size() { stat -c %s "$tr/$1"; }
s1=$(size span-2.pcap) t1=$(size trunk-loopback.pcap)
check "SIGHUP without the trace keys: both traces end" \
	reload '/^trace = yes$/d'
check "... logged" sh -c "grep -q 'trace $tr/span-2.pcap: ended' \
	'$work/sipri.log' && grep -q 'trace $tr/trunk-loopback.pcap: ended' \
	'$work/sipri.log'"
call 2 30778
check "... a call then adds nothing to them" \
	test "$(size span-2.pcap) $(size trunk-loopback.pcap)" = "$s1 $t1"
check "SIGHUP with them again: both traces go on" reload "$traced"
call 3 30779
check "... appended: span-2.pcap holds the SETUPs of calls 1 and 3" \
	test "$(ts span-2.pcap -Y 'q931.message_type == 0x05' \
		-e q931.called_party_number.digits | tr '\n' ' ')" = \
		"30777 30779 "
check "... and trunk-loopback.pcap their INVITEs" \
	test "$(ts trunk-loopback.pcap -Y 'sip.Method == "INVITE"' \
		-e sip.to.user | tr '\n' ' ')" = "+4930777 +4930779 "

: > "$work/notadir"
check "trace_dir that cannot be made (a file): SIGHUP takes it" \
	reload "s|^trace_dir = .*|trace_dir = $work/notadir|"
check "... the error is logged" \
	grep -q "trace of span 2: $work/notadir/span-2.pcap: Not a directory" \
		"$work/sipri.log"
call 4 30780

# a full file system: the page each file has holds one call's SIP
# messages (3 KiB), not two
mkdir "$work/small"
mount -t tmpfs -o size=16k tmpfs "$work/small"
check "trace_dir on a file system of 16 KiB: SIGHUP takes it" \
	reload "s|^trace_dir = .*|trace_dir = $work/small|"
dd if=/dev/zero of="$work/small/fill" bs=4k 2> /dev/null
check "... then filled up, but for the two traces' pages" \
	test "$(stat -f -c %a "$work/small")" -eq 0
call 5 30781
call 6 30782
check "... the trunk's trace ended with the error logged" \
	grep -q "trace $work/small/trunk-loopback.pcap: No space left on device; tracing stopped" \
		"$work/sipri.log"
check "... the span's goes on: it holds the SETUPs of calls 5 and 6" \
	test "$(ts ../small/span-2.pcap -Y 'q931.message_type == 0x05' \
		-e q931.called_party_number.digits | tr '\n' ' ')" = \
		"30781 30782 "
umount "$work/small"

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
vdahdi_stop
done_testing
