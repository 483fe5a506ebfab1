#!/bin/sh
# Inbound access control (the security issue, item 1; sip/acl.c):
#  1. The loopback profile as shipped accepts SIP only from 127.0.0.1.
#     SIPp on 127.0.0.2 sends 5 INVITEs and an OPTIONS: each gets 403
#     Forbidden, statelessly (no 100 Trying); the PBX sees no SETUP (its
#     offered counter stays 0 through the window); sipri makes no leg, no
#     RTP socket and no call (no "RTP on" debug line, no "calls live="
#     line, and at the end the counters legs=3 rtp=3: the calls of parts
#     2 and 3 only); the refusals are logged once (rate limit).
#  2. RFC 3325 §4: the loopback trunk is not trusted.  An INVITE from
#     127.0.0.1 with From +495551234, P-Asserted-Identity +4930999888 and
#     Privacy: id gives a SETUP with the From number, presentation allowed.
#     A trunk "core" on 127.0.0.3, trusted, added by SIGHUP: the same
#     INVITE from there gives the P-Asserted-Identity number, presentation
#     restricted; and 127.0.0.2 is still refused.
#  3. Requests inside a dialog pass whatever their source: the loopback
#     trunk reloaded with "sources = none" (OPTIONS from 127.0.0.1 now
#     gets 403), a PRI -> SIP call to it answered by SIPp on 127.0.0.1,
#     which hangs up: its BYE reaches the call (the PBX sees DISCONNECT
#     cause 16).
# After each part no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

check "sipri starts on the loopback profile" gw_start

# the PBX: no SETUP at all while part 1 runs, then the two of part 2
pbx_start pbx --span 1 --node network --timeout 100 -e 'wait up 10;
	log window open; sleep 8; expect stats offered=0 timeout=1;
	log window closed;
	expect setup called=30781 calling=5551234 cton=national pres=allowed timeout=20;
	reject 17; expect cleared; log call 1 cleared;
	expect setup called=30782 calling=30999888 cton=national pres=restricted timeout=20;
	reject 17; expect cleared; log call 2 cleared'
check "sipri's span comes up" gw_up
check "the PBX is ready" wait_for 15 pbx_logged pbx "log: window open"

# stranger NAME SCENARIO ARGS...: SIPp on 127.0.0.2:5062 to sipri
stranger() {
	name=$1 sf=$2
	shift 2
	( cd "$work" && sipp -sf "$sf" -i 127.0.0.2 -p 5062 -timeout 20s \
		-timeout_error -trace_msg -message_file "$work/$name.msg" \
		-trace_err -error_file "$work/$name.err" "$@" \
		> "$work/$name.out" 2>&1; echo $? > "$work/$name.rc" )
}

# 1. 127.0.0.2 is no trunk's
stranger inv "$SIPP_DIR/uac_fail.xml" -s +4930780 127.0.0.1:5060 \
	-key caller +495551234 -m 5 -r 10 -mp 6300
check "127.0.0.2: SIPp's 5 INVITEs all failed as expected" sipp_passed inv
check "... with 403 Forbidden" sipp_msg inv '^SIP/2\.0 403 Forbidden'
check "... and nothing else: no 100 Trying, no other status" \
	sh -c "! grep -E '^SIP/2\.0 ' '$work/inv.msg' | grep -vq ' 403 '"
sed -e '/<recv response="200"/d' \
	-e 's|<recv response="503"|<recv response="403"|' \
	"$SIPP_DIR/uac_options.xml" > "$work/uac_options_403.xml"
stranger opt "$work/uac_options_403.xml" 127.0.0.1:5060 -m 1
check "127.0.0.2: OPTIONS gets 403 too" sipp_passed opt
gw_show inv opt
check "sipri opened no RTP socket (no 'RTP on' line)" \
	sh -c "! grep -q 'RTP on' '$work/sipri.log'"
check "sipri made no SIP leg (no leg's log line)" \
	sh -c "! grep -q 'sip(' '$work/sipri.log'"
check "sipri made no call (no 'calls live=' line)" \
	sh -c "! grep -q 'calls live=' '$work/sipri.log'"
check "the refusals are logged: INVITE from 127.0.0.2, 403" \
	grep -q 'INVITE from 127.0.0.2:5062 (UDP): no trunk accepts this source, 403' \
	"$work/sipri.log"
check "... in one line for all of them (rate limit)" \
	test "$(grep -c 'no trunk accepts this source' "$work/sipri.log")" -eq 1
check "the PBX saw no SETUP through the window (offered=0)" \
	wait_for 15 pbx_logged pbx "log: window closed"

# 2. identity: the loopback trunk is not trusted
sipp_start un uac_ident.xml -s +4930781 127.0.0.1:5060 \
	-key caller +495551234 -key pai +4930999888 -key privacy id -mp 6400
gw_wait un
check "untrusted: SIPp's INVITE refused by the PBX (486)" sipp_passed un
check "untrusted: the PBX's SETUP has From's number, presentation allowed" \
	wait_for 10 pbx_logged pbx "log: call 1 cleared"
check "untrusted: no call live, no B-channel open" gw_idle
gw_show un

cat >> "$work/sipri.conf" <<'END'
[trunk core]
host = 127.0.0.3
port = 5062
trusted = yes
END
kill -HUP "$gw_pid"
check "SIGHUP: the trusted trunk core on 127.0.0.3 is in" \
	wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"
( cd "$work" && sipp -sf "$SIPP_DIR/uac_ident.xml" -s +4930782 \
	127.0.0.1:5060 -i 127.0.0.3 -p 5062 -m 1 -timeout 30s -timeout_error \
	-trace_msg -message_file "$work/tr.msg" -key caller +495551234 \
	-key pai +4930999888 -key privacy id -mp 6500 \
	> "$work/tr.out" 2>&1; echo $? > "$work/tr.rc" )
check "trusted: SIPp's INVITE refused by the PBX (486)" sipp_passed tr
check "trusted: the SETUP has the P-Asserted-Identity number, restricted" \
	wait_for 10 pbx_logged pbx "log: call 2 cleared"
check "trusted: no call live, no B-channel open" gw_idle
gw_show tr
stranger inv2 "$SIPP_DIR/uac_fail.xml" -s +4930783 127.0.0.1:5060 \
	-key caller +495551234 -m 1 -mp 6600
check "after the reload 127.0.0.2 still gets 403" sipp_msg inv2 \
	'^SIP/2\.0 403 Forbidden'

gw_wait pbx
check "PBX: no SETUP in the window, then the two SETUPs as expected" \
	pbx_passed pbx
pbx_passed pbx || gw_show pbx

# 3. in-dialog requests of a trunk that accepts none
sed -i 's/^sources = 127\.0\.0\.1$/sources = none/' "$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: the loopback trunk now accepts no request" \
	wait_for 5 sh -c "[ \$(grep -c 'configuration reloaded' \
		'$work/sipri.log') -eq 2 ]"
SIPP_DIR=$work sipp_start opt2 uac_options_403.xml 127.0.0.1:5060
gw_wait opt2
check "OPTIONS from 127.0.0.1 gets 403 now" sipp_passed opt2
sipp_start uas uas_answer.xml -set uasbye 1 -d 1000 -mp 6700
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	call 493011 calling=5551234 ton=international cton=national;
	expect connect timeout=15; expect disconnect cause=16 timeout=15;
	expect cleared'
gw_wait uas pbx3
check "SIPp answered the PRI call and its BYE was taken" sipp_passed uas
check "the PBX saw the SIP side's BYE as DISCONNECT cause 16" \
	pbx_passed pbx3
check "after the call: no call live, no B-channel open" gw_idle
gw_show uas pbx3

check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
check "over the run: 3 SIP legs and 3 RTP sockets, for the 3 calls alone" \
	grep -q "stopped: sip legs=3 rtp=3 refused=" "$work/sipri.log"
diag "$(grep -E 'stopped|no trunk accepts' "$work/sipri.log")"
vdahdi_stop
done_testing
