# The fault matrix under load (the gw_faults_*.sh cases): what every case
# shares.  Sourced after common.sh, inside the sandbox; it sources
# pbxsim_lib.sh and gw_lib.sh itself.
#
# Load, both ways at once, FAULT_RATE calls/s each, every call held
# FAULT_HOLD ms by the PBX: 20 calls/s in all, which keeps about 20 of
# the pair's 30 B-channels busy, a rate a sanitizer build carries in CI
# (the issue asks for half the clean rate; BENCHMARKS.md's clean rate,
# 100 calls/s and more, is an optimised build's over four E1 pairs):
#   PRI -> SIP: pbxsim places FAULT_CALLS calls (load), a SIPp UAS
#               (uas_fault.xml) on 127.0.0.1:5062 answers them;
#   SIP -> PRI: a SIPp UAC (uac_fault.xml) from port 5064 places
#               FAULT_CALLS calls, pbxsim answers them (autoanswer).
# The case injects its fault while calls are up (fault_calls_up), then
# fault_recover and fault_end check what every case ends with:
#   - every call of the load was refused or completed: none hangs;
#   - calls complete again both ways after the fault;
#   - no call live and no B-channel open (gw_idle);
#   - sipri's fd count back to the one measured after start-up;
#   - no call, SIP leg or libre transaction left once the transactions
#     have lingered (64*T1: libre 1.1.0 fixes T1 at 500 ms, so 32 s), as
#     sipri's SIGUSR1 stats line says (README, "Running sipri");
#   - sipri still running, and exiting cleanly on SIGTERM (gw_stop).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

FAULT_RATE=${FAULT_RATE:-10}
FAULT_HOLD=${FAULT_HOLD:-1000}
FAULT_CALLS=${FAULT_CALLS:-80}
FAULT_LINGER=45   # s: 64*T1 (32 s) after the last transaction, and slack

# fault_pbx_head: the start of the PBX's script: answer every SETUP and
# hang up FAULT_HOLD ms after CONNECT; once the link has settled, place
# the PRI -> SIP load and go on with the case's lines
fault_pbx_head() {
	cat <<END
autoanswer hold=$FAULT_HOLD
wait up 15
log ready
load calls=$FAULT_CALLS rate=$FAULT_RATE hold=$FAULT_HOLD called=4930 nowait
END
}

# fault_pbx_tail: the end of the PBX's script: the load is over (some of
# its calls failed with the fault), then fault_pbx_again
fault_pbx_tail() {
	echo "expect load attempted=$FAULT_CALLS" \
		"timeout=$((FAULT_CALLS / FAULT_RATE + 40))"
	fault_pbx_again
}

# fault_pbx_again: with the link up, 5 calls that must all complete;
# then the PBX answers until the test ends it
fault_pbx_again() {
	cat <<END
wait up 30
log recovering
load calls=5 rate=5 hold=$FAULT_HOLD called=4931
log recovered
sleep 120
END
}

# fault_start [LINE...]: sipri (gw_start LINEs), whose fd count once
# started is fd0 and timer count tm0, then the UAS (with FAULT_UAS_ARGS)
# and the PBX running $work/pbx.pbx
fault_start() {
	gw_start "$@" || return 1
	fd0=$(fault_fds)
	fault_stats > /dev/null || return 1
	tm0=$(fault_stat timers)
	diag "sipri's fds once started: $fd0, timers: $tm0"
	fault_uas uas 6100 ${FAULT_UAS_ARGS:-}
	fault_pbx pbx
	gw_ready pbx
}

# fault_pbx NAME: pbxsim as the PBX on span 1, running $work/NAME.pbx;
# it is the PBX fault_recover and fault_end look at (FAULT_PBX)
fault_pbx() {
	FAULT_PBX=$1
	# short clearing timers: calls the fault left behind clear in time
	"$PBXSIM" --span 1 --node network --timeout 150 -f "$work/$1.pbx" \
		--timer T305=2000 --timer T308=2000 --timer T309=2000 \
		> "$work/$1.log" 2>&1 &
	fault_pbx_pid=$!
}

# fault_uas NAME MEDIAPORT [ARGS...]: a SIPp UAS on 5062 that answers
# every PRI -> SIP call until fault_uas_stop; pid in fault_uas_pid
fault_uas() {
	fl_name=$1 fl_mp=$2
	shift 2
	( cd "$work" && exec sipp -sf "$SIPP_DIR/uas_fault.xml" \
		-i 127.0.0.1 -p 5062 -mp "$fl_mp" -m 100000 \
		-trace_msg -message_file "$work/$fl_name.msg" "$@" \
		> "$work/$fl_name.out" 2>&1 ) &
	fault_uas_pid=$!
}

fault_uas_stop() {
	kill -TERM "$fault_uas_pid" 2>/dev/null
	wait "$fault_uas_pid" 2>/dev/null
	return 0
}

# fault_sip_load NAME PORT CALLS [RATE]: SIPp UAC calls from PORT in the
# background (uac_fault.xml); status in NAME.rc, messages in NAME.msg
fault_sip_load() {
	fl_name=$1 fl_port=$2
	( cd "$work" && sipp -sf "$SIPP_DIR/uac_fault.xml" -i 127.0.0.1 \
		-p "$fl_port" -mp $((fl_port + 1000)) -s +4930777 \
		127.0.0.1:5060 -key caller +495551234 -r "${4:-$FAULT_RATE}" \
		-m "$3" -timeout 90s -timeout_error \
		-trace_msg -message_file "$work/$fl_name.msg" \
		-trace_err -error_file "$work/$fl_name.err" \
		> "$work/$fl_name.out" 2>&1
	  echo $? > "$work/$fl_name.rc" ) &
}

# fault_answered NAME: the calls of SIPp run NAME whose INVITE got a 200
# (each once, however often the 200 came)
fault_answered() {
	awk '/^SIP\/2\.0 / { ok = $2 == 200; id = "" }
		/^[A-Z]+ sip:/ { ok = 0 } /^Call-ID:/ { id = $2 }
		/^CSeq: [0-9]+ INVITE/ && ok && id != "" { print id; ok = 0 }' \
		"$work/$1.msg" | sort -u | wc -l
}

# fault_fds: sipri's open file descriptors now
fault_fds() {
	ls "/proc/$gw_pid/fd" | wc -l
}

# fault_stats: ask sipri for its stats line (SIGUSR1) and print it
fault_stats() {
	fl_n=$(grep -c 'stats: calls=' "$work/sipri.log")
	kill -USR1 "$gw_pid" || return 1
	wait_for 5 sh -c "[ \$(grep -c 'stats: calls=' '$work/sipri.log') \
		-gt $fl_n ]" || return 1
	grep -o 'stats: calls=.*' "$work/sipri.log" | tail -n 1
}

# fault_stat KEY: KEY's value in the last stats line
fault_stat() {
	grep -o 'stats: calls=.*' "$work/sipri.log" | tail -n 1 | tr ' ' '\n' |
		sed -n "s/^$1=//p"
}

# fault_calls_up N: wait (10 s at most) until sipri holds N calls; its
# stats line counts libre's transactions too (some linger under load)
fault_calls_up() {
	fl_i=0
	while [ $fl_i -lt 50 ]; do
		fault_stats > /dev/null
		[ "$(fault_stat calls)" -ge "$1" ] &&
			[ "$(fault_stat transactions)" -ge 1 ] && return 0
		sleep 0.2
		fl_i=$((fl_i + 1))
	done
	return 1
}

# fault_drained: calls=0 legs=0 transactions=0, the fds of start-up and
# no more timers than then in sipri's stats line, asked for once a second
# until FAULT_LINGER
fault_drained() {
	fl_i=0
	while [ $fl_i -lt $FAULT_LINGER ]; do
		fault_stats | grep -q "stats: calls=0 legs=0 transactions=0 fds=$fd0 " &&
			[ "$(fault_stat timers)" -le "$tm0" ] && return 0
		sleep 1
		fl_i=$((fl_i + 1))
	done
	return 1
}

# fault_recover [N]: the case's load (SIPp run "load", N INVITEs, by
# default FAULT_CALLS) is over; calls complete both ways again
fault_recover() {
	gw_wait load
	diag "SIP -> PRI under the fault: $(fault_answered load) of" \
		"${1:-$FAULT_CALLS} answered"
	check "SIP -> PRI load: each INVITE refused or a whole call, none hung" \
		sipp_passed load
	diag "$(grep 'load: ' "$work/$FAULT_PBX.log")"
	fault_again
}

# fault_again: with the PBX's load over and its link up, 5 calls each
# way complete
fault_again() {
	check "the PBX's load is over, its link up" \
		wait_for 60 pbx_logged "$FAULT_PBX" 'log: recovering'
	fault_sip_load after 5066 5 5
	gw_wait after
	fl_n=$(fault_answered after)
	check "after the fault SIP -> PRI calls complete: $fl_n of 5" \
		test "$(cat "$work/after.rc")" = 0 -a "$fl_n" -eq 5
	check "after the fault PRI -> SIP calls complete: 5 of 5" \
		wait_for 20 pbx_logged "$FAULT_PBX" 'log: recovered'
}

# fault_end: the common end of every case (see the top of this file)
fault_end() {
	check "sipri is still running" kill -0 "$gw_pid"
	# before the UAS goes: the BYE of a PRI -> SIP call the PBX has just
	# cleared may still be on its way to it (and would go unanswered)
	check "no call live, no B-channel open" gw_idle
	fault_uas_stop
	check "sipri's fd count is back to $fd0" \
		wait_for $FAULT_LINGER sh -c "[ \$(ls /proc/$gw_pid/fd | wc -l) \
			-eq $fd0 ]"
	check "once transactions have lingered: no call, leg or transaction left" \
		fault_drained
	diag "$(grep -o 'stats: calls=.*' "$work/sipri.log" | tail -n 1)"
	kill -TERM "$fault_pbx_pid" 2>/dev/null
	wait "$fault_pbx_pid" 2>/dev/null
	check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" \
		gw_stop
	vdahdi_stop
}
