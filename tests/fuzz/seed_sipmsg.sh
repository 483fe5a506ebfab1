#!/bin/sh
# Seeds for fuzz_sipmsg (tests/fuzz/fuzz_sipmsg.c): the RFC 4475 torture
# messages one by one, and the requests of every SIPp scenario where SIPp
# calls sipri (tests/sip/uac_*.xml, tests/e2e/sipp/*.xml), one input per
# scenario with its requests in order, separated by "%%" lines.  SIPp's
# [field]s become the fuzz peer's (127.0.0.1:5070 calling 127.0.0.1:5060);
# [last_To:] and [$rseq] become the target's [totag] and [rseq] tokens.
# The Request-URI user picks the fake core's answer (fuzz_sipcore.c).
#
#   tests/fuzz/seed_sipmsg.sh [OUTDIR]     (default tests/fuzz/corpus/sipmsg)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/fuzz/corpus/sipmsg}
mkdir -p "$out"

for f in "$top"/tests/corpus/rfc4475/*.dat; do
	cp "$f" "$out/rfc4475-$(basename "$f" .dat)"
done

# the fake core's answer for a scenario
service() {
	case $1 in
	*cancel*) echo ring ;;
	*fail*|*503*|*reject*) echo reject ;;
	*) echo answer ;;
	esac
}

# SCENARIO NAME: its requests, SIPp fields expanded, on stdout
scenario_requests() {
	awk -v name="$2" -v service="$(service "$2")" '
	function sub_all(s, k, v) { gsub("\\[" k "\\]", v, s); return s }
	function expand(s) {
		s = sub_all(s, "service", service)
		s = sub_all(s, "remote_ip", "127.0.0.1")
		s = sub_all(s, "remote_port", "5060")
		s = sub_all(s, "local_ip", "127.0.0.1")
		s = sub_all(s, "local_port", "5070")
		s = sub_all(s, "media_ip", "127.0.0.1")
		s = sub_all(s, "media_port", "30000")
		s = sub_all(s, "local_ip_type", "4")
		s = sub_all(s, "media_ip_type", "4")
		s = sub_all(s, "transport", "UDP")
		s = sub_all(s, "call_id", name "-1@127.0.0.1")
		s = sub_all(s, "pid", "1000")
		s = sub_all(s, "call_number", "1")
		s = sub_all(s, "caller", "4930555")
		s = sub_all(s, "cause", "16")
		s = sub_all(s, "last_cseq_number", "1")
		s = sub_all(s, "next_url", "sip:sipri@127.0.0.1:5060")
		s = sub_all(s, "\\$rseq", "[rseq]")
		s = sub_all(s, "pai", "+4930999888")
		s = sub_all(s, "privacy", "id")
		s = sub_all(s, "xhdr", "Reason")
		s = sub_all(s, "xval", "Q.850;cause=31")
		s = sub_all(s, "last_To:", \
			"To: <sip:" service "@127.0.0.1:5060>;tag=[totag]")
		return s
	}
	function flush(   i, hdr, body, inbody, msg, met) {
		if (n == 0 || line[1] ~ /^SIP\/2\.0/) { n = 0; return }
		met = line[1]; sub(/ .*/, "", met)
		branch = (met == "CANCEL" || (met == "ACK" && invbranch != "" && \
			 fail)) ? invbranch : "z9hG4bK-" name "-" (++k)
		if (met == "INVITE" && invbranch == "")
			invbranch = branch
		hdr = ""; body = ""; inbody = 0
		for (i = 1; i <= n; i++) {
			if (!inbody && line[i] == "") { inbody = 1; continue }
			if (inbody)
				body = body line[i] "\r\n"
			else
				hdr = hdr line[i] "\r\n"
		}
		msg = expand(hdr "\r\n" body)
		gsub("\\[last_Via:\\]", "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" \
		     invbranch, msg)
		gsub("\\[branch\\]", branch, msg)
		gsub("\\[len\\]", length(expand(body)), msg)
		if (nmsg++)
			printf "%%%%\n"
		printf "%s", msg
		n = 0
	}
	/<send/ { insend = 1 }
	insend && /CDATA\[/ { incdata = 1; n = 0; next }
	incdata && /\]\]>/ {
		while (n > 0 && line[n] == "") n--
		flush(); incdata = 0; insend = 0; next
	}
	incdata {
		s = $0; sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s)
		if (n == 0 && s == "") next
		line[++n] = s
	}
	BEGIN { fail = (service == "reject") }
	' "$1"
}

for f in "$top"/tests/sip/uac_*.xml "$top"/tests/e2e/sipp/*.xml; do
	dir=$(basename "$(dirname "$f")")
	name=$dir-$(basename "$f" .xml)
	reqs=$(scenario_requests "$f" "$name"; echo x)
	[ "$reqs" != x ] || continue
	printf '%s' "${reqs%x}" > "$out/$name"
done
