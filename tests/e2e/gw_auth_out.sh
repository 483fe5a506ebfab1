#!/bin/sh
# Outbound digest authentication and REGISTER (issue 10, item 2;
# sip/authc.c, sip/register.c), against SIPp as the ITSP:
#  1. REGISTER (RFC 3261 §10): the trunk itsp (127.0.0.1:5064) has
#     register = yes.  SIPp's registrar answers the first REGISTER with
#     503 and Retry-After: 2: sipri tries again 2 s later (not 30 s).
#     That one gets 423 with Min-Expires: 120: sipri asks for 120 s at
#     once.  That one gets 401; sipri sends it again with credentials SIPp's verifyauth
#     accepts and the next CSeq; the 200 grants 4 s, and the refresh
#     must reach SIPp within those 4 s, with credentials again.  The
#     log says register(itsp){REGISTERED}.
#  2. A PRI -> SIP call through the loopback trunk, which has
#     credentials: the ITSP answers the INVITE with 401, sipri sends it
#     again with credentials (checked by verifyauth) and a higher CSeq;
#     the call is answered, the PBX hangs up, and the ITSP answers the
#     BYE with 407: the BYE goes again with Proxy-Authorization, and
#     gets 200.  The PBX saw the call connect.
#  3. In the dialog (tests/e2e/sipp/itsp_dialog.xml): a second PRI ->
#     SIP call.  The ITSP's reliable 180 is PRACKed: 401, and the PRACK
#     again with credentials (verifyauth).  The PBX holds the call: the
#     UPDATE gets 407 and goes again with a Proxy-Authorization whose
#     response the test checks; the PBX retrieves it: the UPDATE gets
#     405, the re-INVITE that follows 401, and it goes again with
#     credentials (verifyauth) and a higher CSeq.
#  4. The binding: the ITSP calls the Contact sipri registered,
#     sip:4930555@127.0.0.1:5060, from its own address: the call
#     reaches the PBX as called number 4930555.
#  5. Refused credentials: an ITSP challenges the INVITE that carried
#     them again (not stale): sipri gives up (no third INVITE) and the
#     PBX's call is cleared.
#  6. sipri stops: it removes its binding (Contact: *, Expires: 0, RFC
#     3261 §10.2.2), which a second SIPp registrar on 5064 sees.
# After the call no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

# digest_ok HEADER METHOD USER PASSWORD: the header's MD5 response with
# qop=auth is what USER and PASSWORD give (RFC 7616 §3.4.1)
digest_ok() {
	p() { echo "$1" | sed -n "s/.*[ ,]$2=\"\{0,1\}\([^\",]*\).*/\1/p"; }
	h() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }
	ha1=$(h "$3:$(p "$1" realm):$4")
	ha2=$(h "$2:$(p "$1" uri)")
	want=$(h "$ha1:$(p "$1" nonce):$(p "$1" nc):$(p "$1" cnonce):auth:$ha2")
	[ -n "$(p "$1" response)" ] && [ "$(p "$1" response)" = "$want" ]
}

# the registrar first: sipri registers as it starts
( cd "$work" && sipp -sf "$SIPP_DIR/itsp_reg.xml" -i 127.0.0.1 -p 5064 \
	-m 1 -timeout 30s -timeout_error -trace_msg \
	-message_file "$work/reg.msg" -trace_err -error_file "$work/reg.err" \
	-trace_logs -log_file "$work/reg.log" -set user 4930555 \
	-set pass regsecret > "$work/reg.out" 2>&1
  echo $? > "$work/reg.rc" ) &
wait_for 5 sh -c "ss -lun | grep -q ':5064 '"

gw_sed='/^trusted = no$/a auth_user = gw\
auth_password = secret'
check "sipri starts with credentials for the loopback trunk" gw_start
cat >> "$work/sipri.conf" <<'END'
[trunk itsp]
host = 127.0.0.1
port = 5064
sources = 127.0.0.1:5064
auth_user = 4930555
auth_password = regsecret
register = yes
register_expires = 60
END
kill -HUP "$gw_pid"
check "SIGHUP: the trunk itsp registers" \
	wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"

# 1. REGISTER
gw_wait reg
check "REGISTER: 503, 423, 401, again with credentials, 200, refreshed within 4 s" \
	sipp_passed reg
# secs N: the time SIPp received the Nth REGISTER, in seconds
secs() {
	grep -B3 '^REGISTER ' "$work/reg.msg" | grep '^-----' |
		sed -n "$1{s/.* \([0-9]*\):\([0-9]*\):\([0-9.]*\)\$/\1 \2 \3/p}" |
		awk '{ print $1 * 3600 + $2 * 60 + $3 }'
}
check "REGISTER: after the 503, sipri waited Retry-After's 2 s" awk \
	"BEGIN { d = $(secs 2) - $(secs 1); exit !(d >= 1.9 && d < 3.5) }"
check "REGISTER: the log says FAILED, again in 2 s (Retry-After)" grep -q \
	'register(itsp){FAILED}: 503 Service Unavailable, again in 2 s (Retry-After)' \
	"$work/sipri.log"
gw_show reg
# first_register: the first REGISTER SIPp received, up to its blank line
first_register() {
	tr -d '\r' < "$work/reg.msg" | awk '/^REGISTER /{n++} n==1' |
		awk '/^$/{exit} 1'
}
check "REGISTER: the first went without credentials" sh -c \
	"[ -n \"\$1\" ] && echo \"\$1\" | grep -q '^Expires: 60' &&
	! echo \"\$1\" | grep -q '^Authorization:'" - "$(first_register)"
check "REGISTER: the CSeq grows by one: N .. N+4 (one Call-ID)" sh -c "
	set -- \$(grep '^CSeq: [0-9]* REGISTER' '$work/reg.msg' | cut -d' ' -f2 | uniq)
	[ \$# -eq 5 ] && [ \$2 -eq \$((\$1 + 1)) ] && [ \$3 -eq \$((\$1 + 2)) ] &&
	[ \$4 -eq \$((\$1 + 3)) ] && [ \$5 -eq \$((\$1 + 4)) ] &&
	[ \$(grep -A8 '^REGISTER ' '$work/reg.msg' | grep '^Call-ID:' | sort -u | wc -l) -eq 1 ]"
check "REGISTER: the binding is 4930555 at sipri's address" sipp_msg reg \
	'^Contact: <sip:4930555@127\.0\.0\.1:5060>;expires=60'
check "REGISTER: after the 423, its Min-Expires" sipp_msg reg \
	'^Contact: <sip:4930555@127\.0\.0\.1:5060>;expires=120'
check "REGISTER: the registration began once" test \
	"$(grep -c 'register(itsp){REGISTERING}: sip:4930555@127.0.0.1 at sip:127.0.0.1:5064, asking for 60 s' \
	"$work/sipri.log")" -eq 1
check "REGISTER: the log says REGISTERED, twice (the refresh)" sh -c \
	"[ \$(grep -c 'register(itsp){REGISTERED}: 200 OK, expires in 4 s' \
	  '$work/sipri.log') -ge 2 ]"

# 2. a PRI -> SIP call through the loopback trunk
sipp_start itsp itsp_uas.xml -set user gw -set pass secret -mp 6700
pbx_start pbx --span 1 --node network -e 'wait up 10;
	call 493011 calling=5551234 ton=international cton=national;
	expect connect timeout=15; hangup 16; expect cleared'
check "sipri's span comes up" gw_up
gw_wait itsp pbx
check "ITSP: the INVITE and the BYE came again with good credentials" \
	sipp_passed itsp
check "the PBX's call was connected and cleared" pbx_passed pbx
check "INVITE: 401, then the INVITE again with a higher CSeq" sh -c "
	set -- \$(grep '^CSeq: [0-9]* INVITE' '$work/itsp.msg' | cut -d' ' -f2 | uniq)
	[ \$# -ge 2 ] && [ \$2 -gt \$1 ]"
check "BYE: 407, then the BYE again with Proxy-Authorization" \
	sipp_msg itsp '^Proxy-Authorization: Digest .*username="gw"'
check "BYE: its response is right for gw/secret (MD5, RFC 7616 §3.4.1)" \
	digest_ok "$(sed -n 's/^Proxy-Authorization: //p' "$work/itsp.msg" |
		tr -d '\r' | head -n 1)" BYE gw secret
check "the log says why the requests went again" sh -c "
	grep -q 'INVITE challenged (401): again with credentials' '$work/sipri.log' &&
	grep -q 'BYE challenged (407): again with credentials' '$work/sipri.log'"
check "after the call: no call live, no B-channel open" gw_idle
gw_show itsp

# 3. PRACK, UPDATE and re-INVITE challenged
sipp_start dlg itsp_dialog.xml -set user gw -set pass secret -mp 6900
pbx_start pbx2 --span 1 --node network -e 'wait up 10;
	call 493012 calling=5551234 ton=international cton=national;
	expect connect timeout=15; sleep 1; notify hold; sleep 2;
	notify retrieval; sleep 1.5; hangup 16; expect cleared;
	log call 2 cleared;
	expect setup called=4930555 timeout=30; reject 17; expect cleared'
gw_wait dlg
check "ITSP: PRACK, UPDATE and re-INVITE came again with credentials" \
	sipp_passed dlg
check "the PBX's call was connected, held, retrieved and cleared" \
	wait_for 10 pbx_logged pbx2 "log: call 2 cleared"
check "UPDATE: its Proxy-Authorization is right for gw/secret" \
	digest_ok "$(sed -n 's/^Proxy-Authorization: //p' "$work/dlg.msg" |
		tr -d '\r' | head -n 1)" UPDATE gw secret
check "re-INVITE: 401, then again with a higher CSeq" sh -c "
	set -- \$(grep '^CSeq: [0-9]* INVITE' '$work/dlg.msg' | cut -d' ' -f2 | uniq)
	[ \$# -ge 3 ] && [ \$3 -gt \$2 ] && [ \$2 -gt \$1 ]"
check "the log says why each went again" sh -c "
	grep -q 'PRACK challenged (401): again with credentials' '$work/sipri.log' &&
	grep -q 'UPDATE challenged (407): again with credentials' '$work/sipri.log' &&
	grep -q 'INVITE challenged (401): again with credentials' '$work/sipri.log'"
check "after the call: no call live, no B-channel open" gw_idle
gw_show dlg

# 4. the ITSP calls the binding
contact=$(sed -n 's/^Contact: <\(sip:[^>]*\)>.*/\1/p' "$work/reg.msg" | tr -d '\r' |
	head -n 1)
check "the binding is sip:4930555@127.0.0.1:5060" \
	test "$contact" = sip:4930555@127.0.0.1:5060
( cd "$work" && sipp -sf "$SIPP_DIR/uac_fail.xml" -s 4930555 127.0.0.1:5060 \
	-i 127.0.0.1 -p 5064 -m 1 -timeout 30s -timeout_error -trace_msg \
	-message_file "$work/bind.msg" -key caller 4930999 -mp 6800 \
	> "$work/bind.out" 2>&1; echo $? > "$work/bind.rc" )
check "the ITSP's call to the binding ran" sipp_passed bind
check "... and reached the PBX (486 back)" sipp_msg bind '^SIP/2\.0 486 '
gw_wait pbx2
check "PBX: call 2 held and retrieved, then the SETUP to 4930555" \
	pbx_passed pbx2
check "after the call: no call live, no B-channel open" gw_idle
gw_show bind pbx2

# a reload that leaves the trunk as it was leaves its registration be
kill -HUP "$gw_pid"
check "SIGHUP again" wait_for 5 sh -c \
	"[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -eq 2 ]"
check "... the registration goes on: it did not begin again" test \
	"$(grep -c 'register(itsp){REGISTERING}: ' "$work/sipri.log")" -eq 1

# 5. credentials refused
sipp_start refuse itsp_refuse.xml -mp 7000
pbx_start pbx3 --span 1 --node network -e 'wait up 10;
	call 493013 calling=5551234 ton=international cton=national;
	expect hangup timeout=15; expect cleared'
gw_wait refuse pbx3
check "refused: SIPp challenged the INVITE twice" sipp_passed refuse
check "refused: the PBX's call was cleared" pbx_passed pbx3
callid=$(sed -n 's/^Call-ID: //p' "$work/refuse.msg" | tr -d '\r' | head -n 1)
check "refused: sipri answered the first 401, then gave up (no third INVITE)" \
	sh -c "grep -F 'sip($callid)' '$work/sipri.log' > '$work/refuse.sipri' &&
	[ \$(grep -c 'INVITE challenged (401): again with credentials' \
	  '$work/refuse.sipri') -eq 1 ] &&
	grep -q 'INVITE challenged (401): our credentials were refused' \
	  '$work/refuse.sipri' && grep -q 'released' '$work/refuse.sipri'"
check "refused: no call live, no B-channel open" gw_idle
gw_show refuse pbx3

# 6. stop: the binding goes
( cd "$work" && sipp -sf "$SIPP_DIR/itsp_unreg.xml" -i 127.0.0.1 -p 5064 \
	-m 1 -timeout 30s -timeout_error -trace_msg \
	-message_file "$work/unreg.msg" -trace_err -error_file "$work/unreg.err" \
	-trace_logs -log_file "$work/unreg.log" > "$work/unreg.out" 2>&1
  echo $? > "$work/unreg.rc" ) &
wait_for 5 sh -c "ss -lun | grep -q ':5064 '"
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
gw_wait unreg
check "stop: the registrar saw Contact: * with Expires: 0" sipp_passed unreg
check "stop: with credentials, for the realm it knows" \
	grep -q '^Authorization: Digest username="4930555"' "$work/unreg.msg"
check "stop: the log says so" grep -q \
	'register(itsp){IDLE}: unregistering (Contact: \*, Expires: 0)$' \
	"$work/sipri.log"
gw_show unreg
diag "$(grep -E 'register\(|challenged' "$work/sipri.log")"
vdahdi_stop
done_testing
