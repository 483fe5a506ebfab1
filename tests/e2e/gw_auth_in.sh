#!/bin/sh
# Inbound digest authentication (issue 10, item 2; sip/auth.c): the
# loopback trunk challenges every INVITE that starts a call.
#  1. MD5: SIPp's INVITE gets 401 (WWW-Authenticate with
#     algorithm=MD5, qop="auth"), SIPp answers it with [authentication]
#     and the call reaches the PBX (which refuses it: 486).
#  2. A replay: that same Authorization (nonce and nc) in a new INVITE
#     to the same Request-URI is challenged again (401), with a fresh
#     nonce, and no call is made.
#  3. A wrong password: 401, then 403 after the credentials.
#  3b. A digest uri that is not the Request-URI (SIPp's default,
#     sip:HOST:PORT, RFC 2617 §3.2.2.5): 401, then 400 after the
#     credentials, and no call.  The other cases give SIPp -auth_uri,
#     the Request-URI.
#  4. SHA-256 (RFC 8760), after a SIGHUP to challenge_algorithm =
#     sha-256: the 401 offers SHA-256 only; Debian's SIPp computes MD5
#     only, so the test computes the response with sha256sum from the
#     challenge SIPp received and SIPp sends it (-inf): the call reaches
#     the PBX.
#  5. As a proxy would (challenge_status = 407, RFC 3261 §22.3): the
#     challenge is 407 with Proxy-Authenticate, SIPp answers with
#     Proxy-Authorization, and the call reaches the PBX.
#  6. The rate before the challenge (sip/flood.c): after a SIGHUP to
#     invite_rate = 1, invite_burst = 2, 20 INVITEs without credentials
#     at 20/s: the few within the rate get 407 (the trunk's challenge
#     since 5), the others 503 with
#     Reason cause 42, not a challenge each (two HMACs).
# Nothing is allocated for a challenged or refused INVITE: over the run
# sipri made 3 SIP legs and 3 RTP sockets, one each for calls 1, 4, 5.
# After each part no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-120}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

gw_sed='/^trusted = no$/a challenge_user = gw\
challenge_password = secret\
challenge_realm = sipri.test\
challenge_algorithm = md5'
check "sipri starts with the loopback trunk challenging" gw_start

pbx_start pbx --span 1 --node network --timeout 100 -e 'wait up 10;
	expect setup called=30781 timeout=30; reject 17; expect cleared;
	log call 1 cleared;
	expect setup called=30784 timeout=60; reject 17; expect cleared;
	log call 4 cleared;
	expect setup called=30785 timeout=60; reject 17; expect cleared'
check "sipri's span comes up" gw_up

# inject NAME AUTH USER: SIPp sends AUTH as its Authorization
inject() {
	printf 'SEQUENTIAL\n%s;\n' "$2" > "$work/$1.csv"
	sipp_uac "$1" auth_inject.xml "$3" -inf "$work/$1.csv"
}

# 1. MD5 with SIPp's own digest
sipp_uac md5 auth_uac.xml +4930781 -auth_uri "+4930781@127.0.0.1:5060" \
	-au gw -ap secret
check "MD5: SIPp ran its scenario" sipp_passed md5
check "MD5: the challenge is 401 with realm, MD5 and qop=auth" sipp_msg md5 \
	'^WWW-Authenticate: Digest realm="sipri.test", nonce="[0-9a-f]{48}", algorithm=MD5, qop="auth"'
check "MD5: SIPp's credentials carry qop=auth and nc 1" sipp_msg md5 \
	'^Authorization: Digest .*nc=00000001'
check "MD5: authenticated, the call reached the PBX (486 back)" \
	sipp_msg md5 '^SIP/2\.0 486 '
check "MD5: the PBX saw the SETUP" wait_for 10 pbx_logged pbx \
	"log: call 1 cleared"
check "MD5: no call live, no B-channel open" gw_idle
gw_show md5

# 2. the same nonce and nonce count again
auth=$(sed -n 's/^Authorization: //p' "$work/md5.msg" | head -n 1 |
	tr -d '\r')
inject replay "$auth" +4930781
check "replay: SIPp ran its scenario" sipp_passed replay
check "replay: the same nonce and nc are challenged again (401)" \
	sipp_msg replay '^SIP/2\.0 401 '
nonce1=$(echo "$auth" | sed 's/.*nonce="\([^"]*\)".*/\1/')
check "replay: the new challenge has a fresh nonce" sh -c \
	"grep '^WWW-Authenticate:' '$work/replay.msg' | grep -q 'nonce=' &&
	! grep '^WWW-Authenticate:' '$work/replay.msg' | grep -q '$nonce1'"
check "replay: no 486, no call" sh -c "! grep -q '^SIP/2\.0 486' '$work/replay.msg'"
gw_show replay

# 3. a wrong password
sipp_uac wrong auth_uac.xml +4930783 -auth_uri "+4930783@127.0.0.1:5060" \
	-au gw -ap notsecret
check "wrong password: SIPp ran its scenario" sipp_passed wrong
check "wrong password: 403 after the challenge" sh -c \
	"grep -E '^SIP/2\.0 (401|403) ' '$work/wrong.msg' | cut -c1-11 | \
	tr '\n' ' ' | grep -q '^SIP/2.0 401 SIP/2.0 403 \$'"
check "wrong password: logged" grep -q \
	'INVITE from 127.0.0.1:5062: wrong credentials for realm "sipri.test", 403' \
	"$work/sipri.log"
gw_show wrong

# 3b. the digest uri names another resource than the Request-URI
sipp_uac duri auth_uac.xml +4930786 -au gw -ap secret
check "digest uri: SIPp ran its scenario" sipp_passed duri
check "digest uri: SIPp's is not the Request-URI" sipp_msg duri \
	'^Authorization: Digest .*uri="sip:127\.0\.0\.1:5060"'
check "digest uri: 400 after the challenge, no call" sh -c \
	"grep -E '^SIP/2\.0 [0-9]{3} ' '$work/duri.msg' | cut -c1-11 | \
	grep -v ' 100' | tr '\n' ' ' | grep -q '^SIP/2.0 401 SIP/2.0 400 \$'"
check "digest uri: logged" grep -q \
	'INVITE from 127.0.0.1:5062: the digest uri is not the Request-URI, 400' \
	"$work/sipri.log"
gw_show duri

# 4. SHA-256
sed -i 's/^challenge_algorithm = md5$/challenge_algorithm = sha-256/' \
	"$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: the trunk now challenges with SHA-256" \
	wait_for 5 grep -q "configuration reloaded" "$work/sipri.log"
sipp_uac chall auth_chall.xml +4930784
check "SHA-256: SIPp's INVITE is challenged" sipp_passed chall
check "SHA-256: only SHA-256 is offered" sh -c "
	grep '^WWW-Authenticate:' '$work/chall.msg' | grep -q 'algorithm=SHA-256,' &&
	! grep '^WWW-Authenticate:' '$work/chall.msg' | grep -q 'algorithm=MD5'"
nonce=$(sed -n 's/^WWW-Authenticate: .*nonce="\([0-9a-f]*\)".*/\1/p' \
	"$work/chall.msg" | head -n 1)
h() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
uri=sip:+4930784@127.0.0.1:5060
ha1=$(h "gw:sipri.test:secret")
ha2=$(h "INVITE:$uri")
resp=$(h "$ha1:$nonce:00000001:0a4f113b:auth:$ha2")
inject sha "Digest username=\"gw\", realm=\"sipri.test\", nonce=\"$nonce\", uri=\"$uri\", response=\"$resp\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"0a4f113b\"" \
	+4930784
check "SHA-256: SIPp ran its scenario" sipp_passed sha
check "SHA-256: authenticated, the call reached the PBX (486 back)" \
	sipp_msg sha '^SIP/2\.0 486 '
check "SHA-256: the PBX saw the SETUP" wait_for 10 pbx_logged pbx \
	"log: call 4 cleared"
check "SHA-256: no call live, no B-channel open" gw_idle
gw_show chall sha

# 5. 407
sed -i -e 's/^challenge_algorithm = sha-256$/challenge_algorithm = md5/' \
	-e '/^challenge_realm = /a challenge_status = 407' "$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: the trunk now challenges with 407" wait_for 5 sh -c \
	"[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -eq 2 ]"
sipp_uac proxy auth_uac.xml +4930785 -auth_uri "+4930785@127.0.0.1:5060" \
	-au gw -ap secret
check "407: SIPp ran its scenario" sipp_passed proxy
check "407: the challenge is a Proxy-Authenticate" sipp_msg proxy \
	'^SIP/2\.0 407 Proxy Authentication Required'
check "407: ... with realm, MD5 and qop=auth" sipp_msg proxy \
	'^Proxy-Authenticate: Digest realm="sipri.test", nonce="[0-9a-f]{48}", algorithm=MD5, qop="auth"'
check "407: SIPp's answer is a Proxy-Authorization" sipp_msg proxy \
	'^Proxy-Authorization: Digest '
check "407: authenticated, the call reached the PBX (486 back)" \
	sipp_msg proxy '^SIP/2\.0 486 '
check "407: no call live, no B-channel open" gw_idle
gw_show proxy

# 6. over the rate: 503 before any challenge
sed -i 's/^\[sip\]$/&\ninvite_rate = 1\ninvite_burst = 2/' "$work/sipri.conf"
kill -HUP "$gw_pid"
check "SIGHUP: invite_rate = 1, invite_burst = 2" wait_for 5 sh -c \
	"[ \$(grep -c 'configuration reloaded' '$work/sipri.log') -eq 3 ]"
sipp_uac rate auth_rate.xml +4930787 -m 20 -r 20
n407=$(grep -c '^SIP/2.0 407 ' "$work/rate.msg")
n503=$(grep -c '^SIP/2.0 503 ' "$work/rate.msg")
diag "20 INVITEs at 20/s: $n407 x 407, $n503 x 503"
check "rate: SIPp's 20 INVITEs each got 407 or 503" sipp_passed rate
check "rate: those over the rate got 503, not a challenge: at least 15" \
	test "$n503" -ge 15 -a "$((n407 + n503))" -ge 20
check "rate: ... with Reason cause 42" sipp_msg rate '^Reason: Q.850;cause=42'
gw_show rate

gw_wait pbx
check "PBX: the three authenticated calls, nothing else" pbx_passed pbx
pbx_passed pbx || gw_show pbx
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
check "over the run: 3 SIP legs and 3 RTP sockets, for calls 1, 4, 5 alone" \
	grep -q "stopped: sip legs=3 rtp=3 " "$work/sipri.log"
diag "$(grep -E 'stopped|403' "$work/sipri.log")"
vdahdi_stop
done_testing
