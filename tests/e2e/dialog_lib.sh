# Helpers for the in-dialog cases (gw_update.sh, gw_stimer.sh,
# gw_reinvite.sh): times of messages in SIPp's -trace_msg file.
# SPDX-License-Identifier: GPL-2.0-or-later

# msg_time NAME N PATTERN: the time (seconds since midnight, with
# microseconds) of the Nth message in NAME.msg whose first line matches
# PATTERN (awk ERE); nothing when there is none
msg_time() {
	awk -v n="$2" -v pat="$3" '
		/^-{20,} [0-9-]+ [0-9:.]+$/ {
			split($3, t, ":"); ts = t[1] * 3600 + t[2] * 60 + t[3];
			first = 1; next }
		first && NF && !/^(UDP|TCP) message/ {
			first = 0; if ($0 ~ pat && ++k == n) {
			printf "%.6f\n", ts; exit } }' "$work/$1.msg"
}

# msg_gap_in NAME N1 PAT1 N2 PAT2 MIN MAX: the time from the N1th message
# matching PAT1 to the N2th matching PAT2 lies in [MIN, MAX] seconds
msg_gap_in() {
	a=$(msg_time "$1" "$2" "$3") b=$(msg_time "$1" "$4" "$5")
	[ -n "$a" ] && [ -n "$b" ] || return 1
	d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')
	diag "$1: '$3' #$2 -> '$5' #$4: $d s (want $6-$7 s)"
	awk -v d="$d" -v lo="$6" -v hi="$7" 'BEGIN { exit !(d >= lo && d <= hi) }'
}

# rtp_count PORT FROM TO: how many packets went to PORT between two
# msg_time times (seconds since midnight; SIPp's trace and tshark's epoch
# agree in UTC, which the sandbox uses)
rtp_count() {
	n=$(tshark -r "$work/rtp$1.pcap" -n -T fields -e frame.time_epoch \
		2>/dev/null | awk -v a="$2" -v b="$3" '
		{ t = $1 % 86400; if (t > a && t < b) n++ } END { print n + 0 }')
	diag "RTP to port $1 from $2 to $3: $n packets" >&2
	echo "$n"
}
