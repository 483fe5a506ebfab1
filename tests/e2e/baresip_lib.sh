# Helpers for the end-to-end cases with baresip as the SIP peer
# (tests/e2e/baresip): start it headless, drive it through ctrl_tcp, and
# measure the tones in the WAV files its sndfile filter dumps.  Sourced
# after gw_lib.sh, inside the sandbox; BS_MODULES and BS_FREQ are set by
# the caller (bs_find).
# SPDX-License-Identifier: GPL-2.0-or-later

# bs_find MODULE...: BS_MODULES is the folder of baresip's modules; skip
# the test when baresip or a module is missing
bs_find() {
	BS_MODULES=
	for d in /usr/lib/baresip/modules /usr/local/lib/baresip/modules \
		/usr/lib/*/baresip/modules; do
		[ -f "$d/ausine.so" ] && BS_MODULES=$d && break
	done
	command -v baresip >/dev/null 2>&1 || skip_all "baresip is not installed"
	[ -n "$BS_MODULES" ] || skip_all "no baresip modules (ausine.so) found"
	for m in g711 aubridge sndfile account menu ctrl_tcp "$@"; do
		[ -f "$BS_MODULES/$m.so" ] ||
			skip_all "baresip module $m.so is missing"
	done
	command -v bash >/dev/null 2>&1 || skip_all "bash (for /dev/tcp) is missing"
}

# bs_start: baresip with its config in $work/bs, its log in baresip.log
# (-s: the SIP messages too).  -n 127.0.0.1: with only lo up, baresip
# 1.0.0 finds no local address by itself and opens no SIP socket.
# BS_CONFIG and BS_ACCOUNTS name other files than tests/e2e/baresip's
# config.in and accounts; BS_SED is a sed script for the config.
bs_start() {
	mkdir -p "$work/bs" "$work/wav"
	sed -e "s|@MODULES@|$BS_MODULES|" -e "s|@FREQ@|$BS_FREQ|" \
		-e "s|@WAV@|$work/wav|" -e "${BS_SED:-}" \
		"${BS_CONFIG:-$top_srcdir/tests/e2e/baresip/config.in}" \
		> "$work/bs/config"
	cp "${BS_ACCOUNTS:-$top_srcdir/tests/e2e/baresip/accounts}" \
		"$work/bs/accounts"
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

# wav_tone FILE [SKIP]: "FREQ LEVEL" of the first tone in an 8 kHz mono
# 16-bit WAV (sndfile's dump): from SKIP samples (default 800, 100 ms)
# after the first sample beyond +-1000, over 1 s, the frequency from linearly interpolated zero crossings and
# the RMS level in dBm0 (a full-scale sine is +3.14 dBm0, as in spandsp)
wav_tone() {
	[ "$(od -An -tu2 -j22 -N2 "$1" | tr -d ' ')" = 1 ] &&
	[ "$(od -An -tu4 -j24 -N4 "$1" | tr -d ' ')" = 8000 ] &&
	[ "$(od -An -tu2 -j34 -N2 "$1" | tr -d ' ')" = 16 ] &&
	[ "$(od -An -c -j36 -N4 "$1" | tr -d ' ')" = data ] || return 1
	od -An -v -td2 -w2 -j44 "$1" | awk -v skip="${2:-800}" '
	{ x = $1 + 0 }
	!start && (x > 1000 || x < -1000) { start = NR + skip; stop = start + 8000 }
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

# wav_check FILE FREQ LEVEL [SKIP]: the WAV's tone is within 5 Hz and
# 1 dB (SKIP: as wav_tone's)
wav_check() {
	m=$(wav_tone "$1" "${4:-}") || return 1
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

