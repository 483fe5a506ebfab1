#!/bin/sh
# Inbound TCP connections (sip/tcpgate.c, sipri.conf(5) [sip] tcp_*).
#  1. Caps: tcp_max_connections = 3, tcp_max_per_source = 2, trunk
#     sources 127.0.0.1 and 127.0.0.3.
#     - A connection from 127.0.0.2, which no trunk names, is closed at
#       once: its OPTIONS gets no answer.
#     - 127.0.0.1 opens 3 and keeps them: 2 are answered, the third is
#       closed (per source).  127.0.0.3 opens 2: the first is answered,
#       the second closed (3 in all).
#     - Once 127.0.0.1 lets its 2 go, a new connection is answered at
#       once: the gate saw them end.
#     - A SIPp call over TCP to the PBX completes.
#  2. Timeouts: tcp_setup_timeout = 2, tcp_idle_timeout = 3.  A
#     connection that sends nothing is closed after 2 s; one whose OPTIONS
#     was answered is closed 3 s after.
# Refusals and timeouts are logged, and counted in sipri's exit line.
# After each part no call is live and no B-channel is open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-150}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

TCPCONN="$top_builddir/tests/tools/tcpconn"
ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
ip addr add 127.0.0.3/8 dev lo 2>/dev/null || true

stat_of() {
	grep "stopped: sip " "$work/sipri.log" | grep -o " $1=[0-9]*" |
		cut -d= -f2
}

# conn NAME SRC ARGS...: tcpconn from SRC to sipri's TCP listener, its
# report in NAME.out
conn() {
	name=$1 src=$2
	shift 2
	"$TCPCONN" -b "$src" "$@" 127.0.0.1 5060 > "$work/$name.out" 2>&1
}

# hold NAME SRC N FD: N connections from SRC, each asking OPTIONS, kept
# open until the shell closes FD (7 or 8)
hold() {
	mkfifo "$work/$1.fifo"
	# the holders' fifo ends are not inherited: each sees its own EOF
	"$TCPCONN" -b "$2" -n "$3" -o -H 127.0.0.1 5060 7>&- 8>&- \
		< "$work/$1.fifo" > "$work/$1.out" 2>&1 &
	eval "${1}_pid=\$!"
	eval "exec ${4}> \"\$work/\$1.fifo\""
	wait_for 30 sh -c "test \$(wc -l < '$work/$1.out') -ge $3"
}

said() {
	grep -qx "$2" "$work/$1.out"
}

# ---- 1. caps
gw_sed='s/^\[sip\]$/&\ntcp_max_connections = 3\ntcp_max_per_source = 2\ntcp_setup_timeout = 60\ntcp_idle_timeout = 60/
s/^sources = 127.0.0.1$/sources = 127.0.0.1, 127.0.0.3/'
check "sipri starts with tcp_max_connections = 3, tcp_max_per_source = 2" \
	gw_start
pbx_start pbx1 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30777 timeout=60; proceeding; alerting; answer;
	expect disconnect cause=16 timeout=10; expect cleared"
check "sipri's span comes up, the PBX's has settled" gw_ready pbx1

conn stranger 127.0.0.2 -o
check "a connection from 127.0.0.2 (no trunk's source) is closed unanswered" \
	said stranger "conn 1: closed"
check "... and logged" grep -q "TCP connection from 127.0.0.2:[0-9]*: no trunk accepts this source, closed" "$work/sipri.log"

hold h1 127.0.0.1 3 7
check "127.0.0.1 holds 3 connections" test -s "$work/h1.out"
check "... the first two are answered" \
	sh -c "grep -qx 'conn 1: answered 200' '$work/h1.out' &&
		grep -qx 'conn 2: answered 200' '$work/h1.out'"
check "... the third is closed: tcp_max_per_source" said h1 "conn 3: closed"
hold h3 127.0.0.3 2 8
check "127.0.0.3 holds 2 connections" test -s "$work/h3.out"
check "... the first is answered" said h3 "conn 1: answered 200"
check "... the second is closed: tcp_max_connections" said h3 "conn 2: closed"
check "the first logged with its cause; the second within the same 10 s not" \
	sh -c "grep -q 'from 127.0.0.1:[0-9]*: tcp_max_per_source reached' '$work/sipri.log' &&
		! grep -q 'tcp_max_connections reached' '$work/sipri.log'"

exec 7>&-
wait "$h1_pid"
conn again 127.0.0.3 -o
check "127.0.0.1 let its 2 go: a new connection is answered at once" \
	said again "conn 1: answered 200"
exec 8>&-
wait "$h3_pid"

sipp_uac uac1 uac_call.xml +4930777 -t t1 -mp 6500 -d 500
gw_wait pbx1
check "a call over TCP completes" sipp_passed uac1
check "no call live, no B-channel open" gw_idle
gw_show uac1 pbx1 h1 h3
check "SIGTERM: sipri exits cleanly" gw_stop
check "3 connections refused, none timed out" \
	test "$(stat_of tcp_refused)" -eq 3 -a "$(stat_of tcp_timedout)" -eq 0

# ---- 2. timeouts
gw_sed='s/^\[sip\]$/&\ntcp_setup_timeout = 2\ntcp_idle_timeout = 3/'
check "sipri starts with tcp_setup_timeout = 2, tcp_idle_timeout = 3" gw_start
conn silent 127.0.0.1 -w 30
ms=$(sed -n 's/^conn 1: closed after \([0-9]*\) ms$/\1/p' "$work/silent.out")
diag "the silent connection was closed after ${ms:-never} ms"
check "a connection that sends nothing is closed after tcp_setup_timeout" \
	test "${ms:-0}" -ge 1900
conn idle 127.0.0.1 -o -c -w 30
ms=$(sed -n 's/^conn 1: closed after \([0-9]*\) ms$/\1/p' "$work/idle.out")
diag "the idle connection was closed ${ms:-never} ms after its answer"
check "an answered connection is closed after tcp_idle_timeout" \
	sh -c "grep -qx 'conn 1: answered [0-9]*' '$work/idle.out' &&
		test '${ms:-0}' -ge 2900"
check "the setup timeout logged" \
	grep -q "from 127.0.0.1:[0-9]*: no SIP message within tcp_setup_timeout" "$work/sipri.log"
check "SIGTERM: sipri exits cleanly" gw_stop
check "2 connections timed out, none refused" \
	test "$(stat_of tcp_timedout)" -eq 2 -a "$(stat_of tcp_refused)" -eq 0
done_testing
