# Helpers for the gateway's end-to-end cases: vdahdi with conf/system.conf,
# sipri on span 2 with conf/loopback.conf (plus short test timers), pbxsim
# as the PBX on span 1, SIPp on 127.0.0.1:5062.  Sourced after common.sh
# and pbxsim_lib.sh, inside the sandbox.
# SPDX-License-Identifier: GPL-2.0-or-later

SIPP_DIR="$top_srcdir/tests/e2e/sipp"
MKPCAP="$top_builddir/tests/tools/mkpcap"

# gw_start [LINE...]: configure vdahdi and start sipri; LINEs are added
# to [general] after the test defaults, and a LINE for a key the defaults
# set ('t310 = 3000') replaces that default (sipri refuses duplicate keys).
# GW_CONF (or GW_BASE_CONF) names another base config than
# conf/loopback.conf, and $gw_sed, when set, is a sed script that edits it.
gw_start() {
	{
		# $gw_sed / GW_CONF_SED: sed scripts for the base config
		sed -e "${gw_sed:-}" -e "${GW_CONF_SED:-}" \
			"${GW_CONF:-${GW_BASE_CONF:-$top_srcdir/conf/loopback.conf}}"
		printf '\n[general]\n'
		for kv in 't303 = 4000' 't310 = 10000' 'timer_c = 20000'; do
			case " $* " in
			*" ${kv%% =*} ="*) ;;
			*) echo "$kv" ;;
			esac
		done
		printf '%s\n' "$@"
	} > "$work/sipri.conf"
	# GW_VDAHDI_ARGS: vdahdi options (--hdlc-rate 0: unpaced D-channels)
	vdahdi_start ${GW_VDAHDI_ARGS:-}
	dahdi_configure "$top_srcdir/conf/system.conf" || return 1
	gw_run
}

# gw_run: start sipri on $work/sipri.conf (gw_start wrote it), its log in
# $work/sipri.log, and wait until it runs
gw_run() {
	# GW_VERBOSE: sipri's -v flags ("" for the default level, info)
	"$SIPRI" -d ${GW_VERBOSE--v -v} -f "$work/sipri.conf" \
		> "$work/sipri.log" 2>&1 &
	gw_pid=$!
	wait_for 5 grep -q "running" "$work/sipri.log"
}

# gw_up [N]: wait until sipri's span 2 has come up N times (default 1;
# pbxsim must be running) and is in service: every B-channel it restarts on
# the way up (restart_on_up, Q.931 §5.5) acknowledged, so it takes calls
gw_up() {
	wait_for 20 sh -c "[ \$(grep -c 'span 2 up' '$work/sipri.log') -ge ${1:-1} ]" &&
		gw_in_service
}

# gw_in_service: every whole-span RESTART sipri began on span 2
# ("restarting N B-channels") has ended ("all channels restarted")
gw_in_service() {
	wait_for 15 sh -c "[ \$(grep -c 'pri(2){[A-Z]*}: restarting ' '$work/sipri.log') \
		-eq \$(grep -c 'pri(2){[A-Z]*}: all channels restarted' '$work/sipri.log') ]"
}

# gw_ready NAME: sipri's span is up and pbxsim NAME, whose script starts
# with `wait up ...; log ready`, has let Q.921 settle: past libpri's
# start-up race (doc/ARCHITECTURE, facts), a SETUP from sipri is not lost
gw_ready() {
	gw_up && wait_for 15 grep -q "log: ready" "$work/$1.log"
}

# gw_idle: no live call in sipri and no B-channel open on either span
# (no "calls live=" line at all: sipri refused every call before making
# it a call, e.g. for want of a route or trunk)
gw_idle() {
	wait_for 5 sh -c "{ ! grep -q 'calls live=' '$work/sipri.log' ||
		grep 'calls live=' '$work/sipri.log' | tail -n 1 |
		grep -q 'calls live=0 busy_channels=0'; } &&
		! grep -q 'bopen=[1-9]' /dev/dahdi/vdahdi" && return 0
	diag "not idle: $(grep 'calls live=' "$work/sipri.log" | tail -n 1)"
	diag "$(grep 'bopen=[1-9]' /dev/dahdi/vdahdi)"
	return 1
}

# vd_polls SPAN: the polls vdahdi has answered on SPAN's B-channels
vd_polls() {
	sed -n "s/^requests span $1 .* poll=\([0-9]*\) .*/\1/p" /dev/dahdi/vdahdi
}

# gw_stop: SIGTERM; sipri must exit 0, with no call live and no
# sanitizer report in its log
gw_stop() {
	kill -TERM "$gw_pid" 2>/dev/null
	wait "$gw_pid"
	gw_rc=$?
	# GW_KEEP=DIR keeps the case's logs for a look afterwards
	[ -n "${GW_KEEP:-}" ] && rm -rf "$GW_KEEP" && cp -r "$work" "$GW_KEEP"
	[ "$gw_rc" -eq 0 ] && grep -q "stopped: calls live=0" "$work/sipri.log" &&
		! grep -Eq "AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error" \
			"$work/sipri.log"
}

# sipp_start NAME SCENARIO ARGS...: SIPp in the background on port 5062
# (one call), status in NAME.rc, its messages in NAME.msg; on SIPP_IP
# (default 127.0.0.1), run through $SIPP_NS when set (addr_lib.sh)
sipp_start() {
	name=$1 sf=$2
	shift 2
	# SIPp loads the scenario's pcap even when it is not played
	[ -f "$work/tone1004.pcap" ] ||
		"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
	( cd "$work" && ${SIPP_NS:-} sipp -sf "$SIPP_DIR/$sf" \
		-i "${SIPP_IP:-127.0.0.1}" -p 5062 -m 1 \
		-timeout 30s -timeout_error -trace_msg -message_file "$work/$name.msg" \
		-trace_err -error_file "$work/$name.err" \
		-trace_logs -log_file "$work/$name.log" "$@" \
		> "$work/$name.out" 2>&1
	  echo $? > "$work/$name.rc" ) &
}

# sipp_uac NAME SCENARIO R-URI-USER ARGS...: a SIPp UAC calls sipri from
# +495551234 (the caller key) and runs to its end
sipp_uac() {
	name=$1 sf=$2 user=$3
	shift 3
	sipp_start "$name" "$sf" -s "$user" 127.0.0.1:5060 \
		-key caller +495551234 "$@"
	wait $!
}

# sipp_flood NAME ARGS...: SIPp runs uac_flood.xml from the trunk's
# address (each INVITE refused with 503, or a whole call the PBX ends)
# and is waited for; its messages in NAME.msg, its status in NAME.rc
sipp_flood() {
	name=$1
	shift
	( cd "$work" && sipp -sf "$SIPP_DIR/uac_flood.xml" -i 127.0.0.1 \
		-s +4930777 127.0.0.1:5060 -key caller +495551234 \
		-timeout_error -trace_msg -message_file "$work/$name.msg" \
		-trace_err -error_file "$work/$name.err" "$@" \
		> "$work/$name.out" 2>&1
	  echo $? > "$work/$name.rc" ) &
	gw_wait "$name"
}

# sip_failures: SIPp calls from SIP, uac2 to uac4, that do not end
# answered: +4930778 (the PBX refuses: PBX_FAILURES), +4930779 cancelled
# after the 180 (PBX_FAILURES lets it ring), +4940111 (no route when the
# routes take +4930 only)
PBX_FAILURES='expect setup called=30778 timeout=20; proceeding; hangup 17;
	expect cleared;
	expect setup called=30779 timeout=20; proceeding; alerting;
	expect disconnect timeout=10; expect cleared'
sip_failures() {
	sipp_uac uac2 uac_fail.xml +4930778 -mp 6300
	sipp_uac uac3 uac_cancel.xml +4930779 -d 500 -mp 6300 \
		-key xhdr X-Test -key xval none
	sipp_uac uac4 uac_fail.xml +4940111 -mp 6300
}

# all_passed NAME...: every SIPp and pbxsim run named passed (the
# logs of the first that did not go to the TAP output)
all_passed() {
	for n in "$@"; do
		[ "$(cat "$work/$n.rc")" = 0 ] || { gw_show "$n"; return 1; }
	done
}

sipp_passed() {
	[ "$(cat "$work/$1.rc" 2>/dev/null)" = 0 ]
}

# sipp_sent NAME PATTERN: a message SIPp received or sent matches
sipp_msg() {
	grep -Eq -- "$2" "$work/$1.msg"
}

# gw_reg_trunk NAME PORT USER [LINE...]: append to sipri.conf a trunk at
# 127.0.0.1:PORT that takes no request and registers USER there
# (password regsecret, 60 s), with the extra LINEs (transport ...)
gw_reg_trunk() {
	printf '[trunk %s]\nhost = 127.0.0.1\nport = %s\noptions = 0\n' \
		"$1" "$2"
	printf 'sources = none\nauth_user = %s\nauth_password = regsecret\n' \
		"$3"
	printf 'register = yes\nregister_expires = 60\n'
	shift 3
	for l in "$@"; do
		echo "$l"
	done
	echo
} >> "$work/sipri.conf"

# gw_wait NAME...: wait for background pbxsim/SIPp runs to end (their
# .rc files), without waiting for sipri itself
gw_wait() {
	for n in "$@"; do
		wait_for 60 test -s "$work/$n.rc"
	done
}

# gw_show NAME...: put logs into the TAP output as diagnostics
gw_show() {
	for n in "$@"; do
		for f in "$work/$n.log" "$work/$n.err" "$work/$n.out"; do
			[ -s "$f" ] && diag "---- $f" && diag "$(tail -n 60 "$f")"
		done
	done
	# the calls' media counters: a gap in the audio is a late packet, a
	# concealed one, or a block the B-channel never got
	diag "---- sipri's media counters"
	diag "$(grep -E 'media: |jitter buffer: ' "$work/sipri.log" 2>/dev/null |
		tail -n 12)"
}

# cap_start NAME PORT: capture the UDP packets to PORT on lo into
# $work/NAME.pcap (dumpcap), until cap_stop
cap_start() {
	rm -f "$work/$1.pcap"
	dumpcap -q -P -i lo -f "udp dst port $2" -w "$work/$1.pcap" \
		> "$work/$1.cap.log" 2>&1 &
	cap_pid=$!
	wait_for 5 test -s "$work/$1.pcap"
}

cap_stop() {
	kill -INT "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
}

# sipri-ctl(8): ctl ARGS... runs it, its output in ctl.out, its errors in
# ctl.err; out_has ERE: a line of the output matches
CTL="$top_builddir/gateway/sipri-ctl"
ctl() { "$CTL" "$@" > "$work/ctl.out" 2> "$work/ctl.err"; }
out_has() { grep -Eq -- "$1" "$work/ctl.out"; }
