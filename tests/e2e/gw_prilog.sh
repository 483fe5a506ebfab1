#!/bin/sh
# The PRI leg's log: lines pri(SPAN/CHAN){STATE}: for a
# call's Q.931 messages, pri(SPAN){UP|DOWN}: for the span, and libpri's
# own messages as pri(SPAN): libpri: ..., one line each (tdm/log.c).
#  1. At debug level (-v -v) with [span 2] pri_debug = q931: a PRI -> SIP
#     call on B-channel 5 (exclusive) gives SETUP received with both
#     numbers and their types, CONNECT sent and DISCONNECT received with
#     cause 16, all on pri(2/5); libpri's Q.931 decodes arrive, each line
#     with the prefix and none empty.
#  2. Same daemon: a SIP -> PRI call gives SETUP sent, CONNECT received
#     and DISCONNECT sent with cause 16 on the channel the PBX saw.
#  3. A second daemon at the default level (info), same pri_debug: the
#     call milestones are logged, libpri's chatter and the message-by-
#     message detail are not.
# After each call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-100}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# logged PATTERN [FILE]: sipri's log holds a line matching PATTERN (-E)
logged() {
	grep -Eq -- "$1" "${2:-$work/sipri.log}"
}

# the time stamp every line of sipri's stderr log starts with
TS='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} '

gw_sed='/^node = cpe$/a pri_debug = q931'
check "sipri starts at debug level with pri_debug = q931" gw_start

# 1: PRI -> SIP on B-channel 5; the PBX clears
sipp_start uas1 uas_answer.xml -mp 6100
pbx_start pbx1 --span 1 --node network -e 'wait up 10;
	call 4930123 calling=5551234 ton=international cton=national chan=5 exclusive;
	expect connect chan=5 timeout=10; sleep 0.5;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
check "the span's line: pri(2){UP}: D-channel up" \
	logged "${TS}pri\(2\)\{UP\}: D-channel up$"
gw_wait pbx1 uas1
check "PBX: the call on channel 5 was answered and cleared" pbx_passed pbx1
check "SIPp: answered and cleared" sipp_passed uas1
check "SETUP received on pri(2/5), numbers with their types, exclusive" \
	logged "${TS}pri\(2/5\)\{PRESENT\}: SETUP received: called 4930123 \(international\), calling 5551234 \(national\), channel 5 exclusive"
check "CONNECT sent on pri(2/5)" \
	logged "${TS}pri\(2/5\)\{(PROCEEDING|ALERTING)\}: CONNECT sent$"
check "DISCONNECT received on pri(2/5) in ACTIVE, cause 16" \
	logged "${TS}pri\(2/5\)\{ACTIVE\}: DISCONNECT received, cause 16 \(Normal Clearing\)$"
check "message-by-message detail at debug: CALL PROCEEDING sent" \
	logged "${TS}pri\(2/5\)\{PRESENT\}: CALL PROCEEDING sent$"
check "libpri's Q.931 decode of the SETUP, at debug level" \
	logged "${TS}pri\(2\): libpri: .*Message [Tt]ype: SETUP"
check "libpri's decode of an information element (Called Party Number)" \
	logged "${TS}pri\(2\): libpri: < Called Party Number .*'4930123'"
check "a hex dump libpri sends octet by octet is one line" \
	logged "${TS}pri\(2\): libpri: [<>] \[([0-9a-f]{2} )+[0-9a-f]{2}\]$"
check "libpri's lines are whole: none empty, none ending in a newline" \
	sh -c "! grep -Eq 'libpri: *\$' '$work/sipri.log'"
check "every line of a decode carries the prefix (no bare continuation)" \
	sh -c "! grep -E 'Protocol Discriminator|Message Type|Call Ref' \
		'$work/sipri.log' | grep -Evq -- '${TS}pri\(2\): libpri: '"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas1 pbx1

# 2: SIP -> PRI; SIPp clears
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	expect setup called=30777 timeout=20; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=15; expect cleared'
sleep 1
sipp_start uac2 uac_call.xml -s +4930777 127.0.0.1:5060 \
	-key caller +495551234 -d 500
gw_wait pbx2 uac2
check "PBX: SETUP taken, answered, then DISCONNECT cause 16" pbx_passed pbx2
check "SIPp: answered and hung up" sipp_passed uac2
# the B-channel the PBX saw in the SETUP: sipri names the same one
ch=$(sed -nE 's/.*call\([0-9]+\) <- SETUP .*chan=([0-9]+).*/\1/p' \
	"$work/pbx2.log" | head -n 1)
check "the PBX logged the SETUP's channel ($ch)" test -n "$ch"
check "SETUP sent on pri(2/$ch) with the mapped numbers" \
	logged "${TS}pri\(2/$ch\)\{CALLING\}: SETUP sent: called 30777 \(national\), calling 5551234 \(national\), channel $ch exclusive, sending complete$"
check "CONNECT received on pri(2/$ch)" \
	logged "${TS}pri\(2/$ch\)\{ALERTING\}: CONNECT received$"
check "DISCONNECT sent on pri(2/$ch) in ACTIVE, cause 16" \
	logged "${TS}pri\(2/$ch\)\{ACTIVE\}: DISCONNECT sent, cause 16 \(Normal Clearing\)$"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uac2 pbx2
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop

# 3: the default level: milestones only, no libpri chatter
mv "$work/sipri.log" "$work/sipri-debug.log"
"$SIPRI" -d -f "$work/sipri.conf" > "$work/sipri.log" 2>&1 &
gw_pid=$!
check "sipri starts again at the default level" \
	wait_for 5 grep -q "running" "$work/sipri.log"
sipp_start uas3 uas_answer.xml -mp 6300
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	call 4930125 calling=5551234 ton=international cton=national chan=3 exclusive;
	expect connect chan=3 timeout=10; sleep 0.5;
	hangup 16; expect cleared'
check "sipri's span comes up" gw_up
gw_wait pbx3 uas3
check "PBX: the call was answered and cleared" pbx_passed pbx3
check "SIPp: answered and cleared" sipp_passed uas3
check "info level: SETUP received on pri(2/3)" \
	logged "${TS}pri\(2/3\)\{PRESENT\}: SETUP received: called 4930125 "
check "info level: DISCONNECT received on pri(2/3), cause 16" \
	logged "${TS}pri\(2/3\)\{ACTIVE\}: DISCONNECT received, cause 16 "
check "info level: no libpri line at all" \
	sh -c "! grep -q 'libpri' '$work/sipri.log'"
check "info level: no message-by-message detail (CALL PROCEEDING sent)" \
	sh -c "! grep -q 'CALL PROCEEDING sent' '$work/sipri.log'"
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas3 pbx3
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
diag "$(grep -E 'pri\(2/' "$work/sipri-debug.log" | tail -n 30)"
vdahdi_stop
done_testing
