#!/bin/sh
# The RFC 4475 torture messages (tests/corpus/rfc4475) against the siptest
# harness over UDP and TCP: each gets the response tests/sip/rfc4475.expect
# names (UDP responses go to the Via sent-by port, RFC 3261 §18.2.2, which
# sipsend binds), and the harness never crashes and exits clean under ASan.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-300}
sandbox_enter "$@"
. "$top_srcdir/tests/sip/lib.sh"
SIPSEND="$top_builddir/tests/sip/sipsend"
CORPUS="$top_srcdir/tests/corpus/rfc4475"

# first final response of sipsend's output, or "-"
final() {
	sed -n 's/^RESPONSE SIP\/2.0 \([2-6][0-9][0-9]\) .*/\1/p' | head -1 |
		grep . || echo -
}

# a fresh harness for every message: the corpus reuses branches (e.g.
# z9hG4bKkdjuw), so one message would match another's server transaction
grep -v '^#' "$SC/rfc4475.expect" > "$W/expect"
while read -r name udp tcp _; do
	[ -n "$name" ] || continue
	for tp in udp tcp; do
		want=$udp
		flag=
		[ $tp = tcp ] && want=$tcp flag=-t
		h_start -l udp:127.0.0.1:5080 -l tcp:127.0.0.1:5080
		# shellcheck disable=SC2086
		got=$("$SIPSEND" -w 300 $flag 5080 "$CORPUS/$name.dat" | final)
		[ "$got" = "$want" ]
		ok $? "$tp $name: $got (want $want)"
		h_stop
		ok $? "$tp $name: harness alive, clean exit (ASan, no live legs)"
	done
done < "$W/expect"

[ $(ls "$CORPUS"/*.dat | wc -l) -eq $(grep -c '^[a-z]' "$SC/rfc4475.expect") ]
ok $? "every corpus message has an expectation"

[ -n "$KEEP" ] || rm -rf "$W"
done_testing
