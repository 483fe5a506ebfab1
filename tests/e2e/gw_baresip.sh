#!/bin/sh
# A real softphone through sipri: baresip (auto-answer) receives a PRI
# call and sends one, with audio.  baresip
# runs headless on 127.0.0.1:5062 (tests/e2e/baresip): its microphone is a
# 600 Hz sine (ausine), what it sends and receives is dumped to WAV files
# (sndfile), and the test drives it through ctrl_tcp.
#  1. PRI -> baresip: pbxsim calls 4930123, baresip answers by itself
#     (PCMA).  The PBX measures baresip's 600 Hz at the level baresip
#     encoded it (1004 Hz must not pass for it); the PBX's 1004 Hz at
#     -10 dBm0 is in baresip's received WAV; the PBX hangs up (cause 16)
#     and baresip's call ends.
#  2. baresip -> PRI: baresip dials sip:+4930777@127.0.0.1:5060 (it
#     prefers PCMU: sipri transcodes to the E1's A-law); the SETUP carries
#     called 30777 and calling 30123, national; the PBX answers, measures
#     baresip's 600 Hz (1500 Hz must not pass for it), its own 1500 Hz
#     reaches baresip's WAV; baresip hangs up and the PBX sees DISCONNECT
#     cause 16.
#  3. baresip -> PRI with DTMF: baresip sends 0123456789*#ABCD by RFC
#     4733 (sndcode); the PBX detects each digit once, in order.
# After each call no call is live and no B-channel is open; sipri and
# baresip exit cleanly.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
: "${SANDBOX_TIMEOUT:=90}"

BS_MODULES=
for d in /usr/lib/baresip/modules /usr/local/lib/baresip/modules \
	/usr/lib/*/baresip/modules; do
	[ -f "$d/ausine.so" ] && BS_MODULES=$d && break
done
command -v baresip >/dev/null 2>&1 || skip_all "baresip is not installed"
[ -n "$BS_MODULES" ] || skip_all "no baresip modules (ausine.so) found"
for m in g711 aubridge sndfile account menu ctrl_tcp; do
	[ -f "$BS_MODULES/$m.so" ] || skip_all "baresip module $m.so is missing"
done
command -v bash >/dev/null 2>&1 || skip_all "bash (for /dev/tcp) is missing"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"

BS_FREQ=600

# bs_start: baresip with its config in $work/bs, its log in baresip.log
# (-s: the SIP messages too).  -n 127.0.0.1: with only lo up, baresip
# 1.0.0 finds no local address by itself and opens no SIP socket.
bs_start() {
	mkdir -p "$work/bs" "$work/wav"
	sed -e "s|@MODULES@|$BS_MODULES|" -e "s|@FREQ@|$BS_FREQ|" \
		-e "s|@WAV@|$work/wav|" \
		"$top_srcdir/tests/e2e/baresip/config.in" > "$work/bs/config"
	cp "$top_srcdir/tests/e2e/baresip/accounts" "$work/bs/accounts"
	: > "$work/bs/contacts"
	baresip -4 -n 127.0.0.1 -v -s -f "$work/bs" < /dev/null \
		> "$work/baresip.log" 2>&1 &
	bs_pid=$!
	wait_for 5 grep -q "baresip is ready" "$work/baresip.log" &&
		wait_for 5 grep -q "ctrl_tcp: TCP socket listening" "$work/baresip.log"
}

# bs_ctl COMMAND [PARAMS]: one ctrl_tcp command (a netstring of JSON); its
# response is appended to ctl.log; succeeds if baresip said "ok":true
bs_ctl() {
	bash -c 'j="{\"command\":\"$1\",\"params\":\"$2\",\"token\":\"t\"}"
		exec 3<>/dev/tcp/127.0.0.1/4444 || exit 1
		printf "%d:%s," ${#j} "$j" >&3
		while IFS= read -r -t 3 -d "}" r <&3; do
			case $r in *\"response\"*)
				echo "$1 $2: $r}"
				case $r in *\"ok\":true*) exit 0;; esac
				exit 1;;
			esac
		done
		exit 1' bs_ctl "$@" >> "$work/ctl.log" 2>&1
}

# bs_ended N: baresip's log shows N ended calls
bs_ended() {
	[ "$(grep -c ': Call with .* terminated' "$work/baresip.log")" -ge "$1" ]
}

# bs_stop: SIGTERM; baresip must exit 0
bs_stop() {
	kill -TERM "$bs_pid" 2>/dev/null
	wait "$bs_pid"
}

# wav_tone FILE: "FREQ LEVEL" of the first tone in an 8 kHz mono 16-bit
# WAV (sndfile's dump): from 100 ms after the first sample beyond +-1000,
# over 1 s, the frequency from linearly interpolated zero crossings and
# the RMS level in dBm0 (a full-scale sine is +3.14 dBm0, as in spandsp)
wav_tone() {
	[ "$(od -An -tu2 -j22 -N2 "$1" | tr -d ' ')" = 1 ] &&
	[ "$(od -An -tu4 -j24 -N4 "$1" | tr -d ' ')" = 8000 ] &&
	[ "$(od -An -tu2 -j34 -N2 "$1" | tr -d ' ')" = 16 ] &&
	[ "$(od -An -c -j36 -N4 "$1" | tr -d ' ')" = data ] || return 1
	od -An -v -td2 -w2 -j44 "$1" | awk '
	{ x = $1 + 0 }
	!start && (x > 1000 || x < -1000) { start = NR + 800; stop = start + 8000 }
	start && NR >= start && NR < stop {
		n++
		s += x * x
		if (n > 1 && (p < 0) != (x < 0)) {
			t = NR - 1 + p / (p - x)
			if (!z++)
				first = t
			last = t
		}
		p = x
	}
	END {
		if (n < 8000 || z < 3)
			exit 1
		printf "%.2f %.2f\n", (z - 1) / 2 / ((last - first) / 8000),
			20 * log(sqrt(s / n) / 23170.475) / log(10) + 3.14
	}'
}

# wav_check FILE FREQ LEVEL: the WAV's tone is within 5 Hz and 1 dB
wav_check() {
	m=$(wav_tone "$1") || return 1
	diag "$1: $m"
	echo "$m" | awk -v f="$2" -v l="$3" '{
		df = $1 - f; dl = $2 - l
		exit !(df < 5 && df > -5 && dl < 1 && dl > -1) }'
}

# same_level NAME FILE: the level pbxsim measured (its log) is within
# 0.5 dB of the level baresip encoded (the -enc WAV): sipri's path is
# transparent
same_level() {
	m=$(wav_tone "$2") || return 1
	lv=$(sed -n 's/.*measured tone \([0-9.]*\) Hz \([-0-9.]*\) dBm0.*/\2/p' \
		"$work/$1.log" | head -n 1)
	diag "PBX measured $lv dBm0, baresip encoded ${m#* } dBm0"
	[ -n "$lv" ] && awk -v a="$lv" -v b="${m#* }" \
		'BEGIN { d = a - b; exit !(d < 0.5 && d > -0.5) }'
}

# keep_wavs DIR: move the call's WAV dumps aside (one -enc, one -dec)
keep_wavs() {
	mkdir -p "$work/$1" && mv "$work"/wav/*.wav "$work/$1/" &&
		[ "$(ls "$work/$1" | wc -l)" = 2 ]
}

span_up() {
	grep -E 'span 2 (up|down)' "$work/sipri.log" | tail -n 1 | grep -q up
}

check "sipri starts on the loopback profile" gw_start
check "baresip starts, listening on 127.0.0.1:5062 and ctrl_tcp" bs_start

# 1: PRI -> baresip, the PBX clears
pbx_start pbx1 --span 1 --node network -e "wait up 10;
	call 4930123 calling=5551234 ton=international cton=national;
	expect connect timeout=10; tone 1004 -10 3;
	expect tone $BS_FREQ level=-3 ltol=2 ftol=3 timeout=10;
	expect notone 1004 ftol=50 timeout=5;
	drain; hangup 16; expect cleared"
check "sipri's span comes up" gw_up
gw_wait pbx1
check "PBX: baresip answered; its ${BS_FREQ} Hz measured (not 1004); cleared" \
	pbx_passed pbx1
check "baresip answered the INVITE by itself" \
	grep -q 'Call established: sip:+495551234@127.0.0.1' "$work/baresip.log"
check "baresip's call ended" wait_for 5 bs_ended 1
check "baresip's BYE came with Reason: Q.850;cause=16" \
	grep -q '^Reason: Q\.850;cause=16' "$work/baresip.log"
check "after the call: no call live, no B-channel open" gw_idle
check "baresip dumped the call's audio" keep_wavs call1
check "baresip received the PBX's 1004 Hz at -10 dBm0 (its WAV)" \
	wav_check "$work"/call1/*-dec.wav 1004 -10
check "the PBX got baresip's tone at the level baresip sent it" \
	same_level pbx1 "$work"/call1/*-enc.wav

# 2: baresip -> PRI, baresip clears
pbx_start pbx2 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30777 ton=national npi=isdn calling=30123 cton=national timeout=20;
	proceeding; alerting; answer; tone 1500 -10 3;
	expect tone $BS_FREQ level=-3 ltol=2 ftol=3 timeout=10;
	expect notone 1500 ftol=50 timeout=5;
	drain; log measured;
	expect disconnect cause=16 timeout=15; expect cleared"
wait_for 20 grep -q 'log: ready' "$work/pbx2.log" && wait_for 10 span_up
check "baresip dials sip:+4930777@127.0.0.1:5060" \
	bs_ctl dial sip:+4930777@127.0.0.1:5060
wait_for 20 grep -q 'log: measured' "$work/pbx2.log"
check "baresip hangs up" bs_ctl hangup
gw_wait pbx2
check "PBX: SETUP numbers as mapped; baresip's ${BS_FREQ} Hz measured (not 1500); DISCONNECT cause 16" \
	pbx_passed pbx2
check "baresip's call was answered" \
	grep -q 'Call established: sip:+4930777@127.0.0.1:5060' "$work/baresip.log"
check "baresip's call ended" wait_for 5 bs_ended 2
check "after the call: no call live, no B-channel open" gw_idle
check "baresip dumped the call's audio" keep_wavs call2
check "baresip received the PBX's 1500 Hz at -10 dBm0 (its WAV)" \
	wav_check "$work"/call2/*-dec.wav 1500 -10
check "the PBX got baresip's tone at the level baresip sent it" \
	same_level pbx2 "$work"/call2/*-enc.wav
diag "codecs: $(grep -o 'Set audio encoder: [A-Z0-9]*' "$work/baresip.log" |
	tr '\n' ' ')"

# 3: baresip -> PRI with DTMF: baresip sends 0123456789*#ABCD
# as RFC 4733 (its only method); the PBX detects each digit once, in order
pbx_start pbx3 --span 1 --node network -e "wait up 10; log ready;
	expect setup called=30778 timeout=20; proceeding; alerting; answer;
	log answered; expect dtmf '0123456789*#ABCD' timeout=20;
	expect disconnect cause=16 timeout=15; expect cleared"
wait_for 20 grep -q 'log: ready' "$work/pbx3.log" && wait_for 10 span_up
check "baresip dials sip:+4930778@127.0.0.1:5060" \
	bs_ctl dial sip:+4930778@127.0.0.1:5060
wait_for 20 grep -q 'log: answered' "$work/pbx3.log" && sleep 1
check "baresip sends the 16 digits (sndcode)" bs_ctl sndcode '0123456789*#ABCD'
wait_for 20 grep -q 'DTMF received' "$work/pbx3.log"
check "baresip hangs up" bs_ctl hangup
gw_wait pbx3
check "PBX: baresip's RFC 4733 digits detected on the B-channel, each once, in order" \
	pbx_passed pbx3
check "after the call: no call live, no B-channel open" gw_idle

check "SIGTERM: baresip exits 0" bs_stop
check "SIGTERM: sipri exits cleanly with no call live and no sanitizer report" gw_stop
if [ "$tap_failed" -gt 0 ]; then
	for n in pbx1 pbx2 pbx3 ctl; do
		[ -s "$work/$n.log" ] && diag "---- $n" && diag "$(cat "$work/$n.log")"
	done
	diag "---- baresip"
	diag "$(tr '\r' '\n' < "$work/baresip.log" | grep -v 'audio=.*bit/s' |
		tail -n 150)"
	diag "---- sipri"
	diag "$(grep -v 'calls live' "$work/sipri.log" | tail -n 60)"
fi
vdahdi_stop
done_testing
