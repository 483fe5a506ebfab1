#!/bin/sh
# The RFC 4475 torture messages against the running daemon:
# every message over UDP and TCP to sipri, which answers the
# invalid ones as tests/sip/rfc4475.expect says (checked against the RFC);
# the valid INVITEs are routed to the PRI, whose span has no PBX here, so
# they get 503 (cause 38, network out of order) instead of the harness's
# 404, and the valid OPTIONS get 503 instead of 200 for the same
# reason.  sipri must never crash, keep no call, and exit clean under
# ASan.
# Each message gets a fresh sipri: the corpus reuses Via branches, which
# would match an earlier message's server transaction.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-400}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
SIPSEND="$top_builddir/tests/sip/sipsend"
CORPUS="$top_srcdir/tests/corpus/rfc4475"

# port 5060 is the default Via port of many messages, where sipsend must
# listen for UDP responses (RFC 3261 §18.2.2): sipri moves to 5080
sed 's/127\.0\.0\.1:5060/127.0.0.1:5080/g' "$top_srcdir/conf/loopback.conf" \
	> "$work/sipri.conf"
vdahdi_start
dahdi_configure "$top_srcdir/conf/system.conf"

final() {
	sed -n 's/^RESPONSE SIP\/2.0 \([2-6][0-9][0-9]\) .*/\1/p' | head -1 |
		grep . || echo -
}

failed=0
grep -v '^#' "$top_srcdir/tests/sip/rfc4475.expect" > "$work/expect"
while read -r name udp tcp _; do
	[ -n "$name" ] || continue
	for tp in udp tcp; do
		want=$udp flag=
		[ $tp = tcp ] && want=$tcp flag=-t
		[ "$want" = 404 ] && want=503
		# the valid OPTIONS: 503 too, while no span is up (RFC 3261
		# §21.5.4, sipri.conf(5) OPTIONS)
		[ "$want" = 200 ] && want=503
		# empty the log here: the child's own truncation may come
		# after wait_for has seen the last sipri's "running"
		: > "$work/sipri.log"
		"$SIPRI" -d -f "$work/sipri.conf" >> "$work/sipri.log" 2>&1 &
		pid=$!
		wait_for 10 grep -q running "$work/sipri.log"
		# shellcheck disable=SC2086
		got=$("$SIPSEND" -w 1000 $flag 5080 "$CORPUS/$name.dat" | final)
		kill -TERM $pid
		wait $pid
		rc=$?
		if [ "$got" != "$want" ] || [ $rc -ne 0 ] ||
		   grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" "$work/sipri.log" ||
		   ! grep -q "stopped: calls live=0" "$work/sipri.log"; then
			failed=$((failed + 1))
			diag "$tp $name: got $got (want $want), exit $rc"
			diag "$(tail -n 20 "$work/sipri.log")"
		fi
	done
done < "$work/expect"
n=$(grep -c '^[a-z]' "$work/expect")
[ $failed -eq 0 ]
ok $? "$n torture messages over UDP and TCP: right answer, no crash, clean exit ($failed failed)"
[ "$(ls "$CORPUS"/*.dat | wc -l)" -eq "$n" ]
ok $? "every message in the corpus was sent"
vdahdi_stop
done_testing
