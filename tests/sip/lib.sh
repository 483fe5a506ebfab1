# Helpers for the SIP leg tests: the siptest harness (a sipua with a
# scripted fake core, tests/sip/siptest.c) against SIPp, inside the sandbox
# of tests/lib/common.sh.  Sourced after sandbox_enter.
# SPDX-License-Identifier: GPL-2.0-or-later

SIPTEST="$top_builddir/tests/sip/siptest"
SC="$top_srcdir/tests/sip"
W=$(mktemp -d /tmp/siptest.XXXXXX)

# h_start [ARGS...]: run the harness on 127.0.0.1:5060 until h_stop
h_start() {
	: > "$W/h.out"
	"$SIPTEST" "$@" > "$W/h.out" 2> "$W/h.err" &
	HPID=$!
	wait_for 5 grep -q READY "$W/h.out"
}

# h_stop: SIGTERM; the harness frees everything (ASan checks leaks) and
# exits 0 only with no live legs
h_stop() {
	kill -TERM "$HPID" 2>/dev/null
	wait "$HPID"
	HRC=$?
	if [ "$HRC" -ne 0 ] || ! grep -q "^live 0 " "$W/h.out"; then
		diag "harness exit $HRC"
		tail -n 30 "$W/h.err" | diag "$(cat)"
	fi
	[ "$HRC" -eq 0 ] && grep -q "^live 0 " "$W/h.out"
}

# h_wait_exit SECONDS: for harness runs with -x (exit after the release)
h_wait_exit() {
	wait_for "$1" sh -c "! kill -0 $HPID 2>/dev/null"
	h_stop
}

# sipp_run NAME SCENARIO [SIPP ARGS...]: one call, SIPp on 127.0.0.1:5062
sipp_run() {
	name=$1 scen=$2
	shift 2
	sipp -sf "$SC/$scen" -m 1 -i 127.0.0.1 -p 5062 -timeout 15s \
		-timeout_error -trace_err -error_file "$W/$name.err" \
		-trace_msg -message_file "$W/$name.msg" "$@" \
		127.0.0.1:5060 > "$W/$name.out" 2>&1 < /dev/null
	rc=$?
	if [ $rc -ne 0 ]; then
		diag "sipp $scen exit $rc"
		[ -f "$W/$name.err" ] && tail -n 20 "$W/$name.err" | diag "$(cat)"
	fi
	return $rc
}

# ev PATTERN: the harness reported an event line matching PATTERN
ev() {
	grep -q -E "^EV [0-9]+ $1" "$W/h.out" || {
		diag "no event '$1' in:"
		diag "$(grep ^EV "$W/h.out")"
		return 1
	}
}

# rx NAME PATTERN: a message SIPp received (its trace) matches PATTERN
rx() {
	tr -d '\r' < "$W/$1.msg" 2>/dev/null | grep -q -E "$2" || {
		diag "no '$2' in the SIPp trace of $1"
		return 1
	}
}

# uas_case NAME SCENARIO SERVICE [SIPP ARGS...]: harness as UAS, SIPp as
# UAC calling sip:SERVICE@127.0.0.1:5060; checks SIPp's and the harness's
# exit status, the test adds its own checks on $W/h.out and the trace
uas_case() {
	name=$1 scen=$2 svc=$3
	shift 3
	h_start
	sipp_run "$name" "$scen" -s "$svc" "$@"
	ok $? "$name: SIPp scenario $scen passes"
	h_stop
	ok $? "$name: harness clean exit, no live legs"
}

# uac_case NAME SCENARIO "HARNESS ARGS" [SIPP ARGS...]: SIPp as UAS on
# 127.0.0.1:5062, the harness places one call (-x: it exits after the
# release) to sip:4940777@127.0.0.1:5062 unless HARNESS ARGS say -o
uac_case() {
	name=$1 scen=$2 hargs=$3
	shift 3
	sipp -sf "$SC/$scen" -m 1 -i 127.0.0.1 -p 5062 -timeout 15s \
		-timeout_error -trace_err -error_file "$W/$name.err" \
		-trace_msg -message_file "$W/$name.msg" "$@" \
		> "$W/$name.out" 2>&1 < /dev/null &
	SPID=$!
	wait_for 5 sh -c "ss -lun | grep -q 127.0.0.1:5062"
	# shellcheck disable=SC2086
	h_start -x -o sip:4940777@127.0.0.1:5062 $hargs
	wait "$SPID"
	rc=$?
	if [ $rc -ne 0 ]; then
		diag "sipp $scen exit $rc"
		[ -f "$W/$name.err" ] && tail -n 20 "$W/$name.err" | diag "$(cat)"
	fi
	ok $rc "$name: SIPp scenario $scen passes"
	h_wait_exit 10
	ok $? "$name: harness clean exit, no live legs"
}
