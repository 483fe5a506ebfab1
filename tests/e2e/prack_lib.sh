# Helpers for the 100rel/PRACK and progress-indicator cases: look into
# SIPp's -trace_msg file (NAME.msg) one message at a time.  Sourced after
# gw_lib.sh.
# SPDX-License-Identifier: GPL-2.0-or-later

# msg_blocks NAME DIR START: the messages SIPp DIR (received|sent) whose
# first line starts with START, each ended by a line "@@"
msg_blocks() {
	awk -v dir="$2" -v start="$3" '
		function flush() { if (keep) print "@@"; keep = 0 }
		/^-----------/ { flush(); state = 0; next }
		state == 0 && /message (received|sent)/ {
			state = 1; dirok = ($0 ~ dir); next }
		state == 1 && NF { state = 2
			keep = dirok && index($0, start) == 1 }
		state == 2 && keep { sub(/\r$/, ""); print }
		END { flush() }' "$work/$1.msg"
}

# first_has NAME START TAG PATTERN...: the first message SIPp received
# whose first line starts with START has lines matching every PATTERN
# (grep -E); it is kept as $work/NAME.TAG.first
first_has() {
	name=$1 start=$2 tag=$3
	shift 3
	msg_blocks "$name" received "$start" |
		awk '/^@@$/ { exit } { print }' > "$work/$name.$tag.first"
	[ -s "$work/$name.$tag.first" ] || return 1
	for p in "$@"; do
		grep -Eq -- "$p" "$work/$name.$tag.first" || return 1
	done
}

# resp_has NAME CODE PATTERN...: the first CODE response SIPp received
# has lines matching every PATTERN
resp_has() {
	name=$1 code=$2
	shift 2
	first_has "$name" "SIP/2.0 $code " "$code" "$@"
}

# resp_hasnt NAME CODE PATTERN: ... and no line matching PATTERN
resp_hasnt() {
	resp_has "$1" "$2" && ! grep -Eq -- "$3" "$work/$1.$2.first"
}

# resp_count_ge NAME CODE N: SIPp received at least N CODE responses
resp_count_ge() {
	[ "$(grep -c "^SIP/2.0 $2 " "$work/$1.msg")" -ge "$3" ]
}

# req_has NAME METHOD PATTERN...: the first METHOD request SIPp received
# has lines matching every PATTERN
req_has() {
	name=$1 met=$2
	shift 2
	first_has "$name" "$met " "$met" "$@"
}

# req_count NAME METHOD: how many METHOD requests SIPp received
req_count() {
	msg_blocks "$1" received "$2 " | grep -c '^@@$'
}

# rseq_step NAME CODE1 CODE2: CODE2's RSeq is CODE1's plus one
rseq_step() {
	r1=$(resp_has "$1" "$2" && sed -n 's/^RSeq: *//p' "$work/$1.$2.first")
	r2=$(resp_has "$1" "$3" && sed -n 's/^RSeq: *//p' "$work/$1.$3.first")
	[ -n "$r1" ] && [ -n "$r2" ] && [ "$r2" -eq $((r1 + 1)) ]
}

# both_passed PBX SIPP: the pbxsim and the SIPp run both passed
both_passed() {
	pbx_passed "$1" && sipp_passed "$2"
}

# req_cseqs NAME: "METHOD NUM" of every request SIPp received, in order
req_cseqs() {
	awk '
		/^-------/ { state = 0; next }
		state == 0 && /message received/ { state = 1; next }
		state == 1 && NF { state = (/^SIP\/2\.0/) ? 0 : 2; next }
		state == 2 && /^CSeq:/ { sub(/\r$/, ""); print $3, $2; state = 0 }
		' "$work/$1.msg"
}

# cseq_order NAME: the requests' CSeq numbers: INVITE n, then each
# request other than ACK one higher than the one before (no collision)
cseq_order() {
	req_cseqs "$1" > "$work/$1.cseqs"
	awk '$1 == "ACK" { next }
		last != "" && $2 != last + 1 { bad = 1 }
		{ last = $2; n++ }
		END { exit (bad || n < 2) }' "$work/$1.cseqs"
}

# resp_time NAME CODE: when SIPp received the first CODE response (s)
resp_time() {
	awk -v code="SIP/2.0 $2 " '
		/^-------/ { t = $3; state = 0; next }
		state == 0 && /message received/ { state = 1; next }
		state == 1 && NF { state = 0
			if (index($0, code) == 1) { split(t, a, ":")
				print a[1] * 3600 + a[2] * 60 + a[3]; exit } }
		' "$work/$1.msg"
}

# resp_gap_ge NAME CODE1 CODE2 S: CODE2 came at least S s after CODE1
resp_gap_ge() {
	t1=$(resp_time "$1" "$2") t2=$(resp_time "$1" "$3")
	[ -n "$t1" ] && [ -n "$t2" ] &&
		awk -v a="$t1" -v b="$t2" -v s="$4" 'BEGIN { exit !(b - a >= s) }'
}

# resp_to_has NAME CODE CSEQ PATTERN: a CODE response to the request with
# CSeq CSEQ (e.g. "6 PRACK") has a line matching PATTERN
resp_to_has() {
	msg_blocks "$1" received "SIP/2.0 $2 " | awk -v cseq="CSeq: $3" \
		-v pat="$4" '
		/^@@$/ { if (c && p) found = 1; c = p = 0; next }
		index($0, cseq) == 1 { c = 1 }
		$0 ~ pat { p = 1 }
		END { exit !found }'
}

# not CMD...: CMD fails
not() {
	! "$@"
}
