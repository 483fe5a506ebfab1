# gw_bench.sh's ladder and overload modes (issue 11), sourced by it after
# gw_bench_lib.sh with the mode in $1:
#   ladder [SECS] [RATES] [RUNS]   each rate, both directions, RUNS runs
#                                  from a fresh vdahdi and sipri each; the
#                                  worst run of each figure; then overload
#   overload [SECS] [RATE]         SIP -> PRI asked at RATE calls/s
# A run: the PBXs come up, SIPp (SIP -> PRI) or the PBXs (PRI -> SIP)
# place R calls/s for SECS seconds with a 0.1 s hold while another SIPp
# sends OPTIONS at 10/s; RSS before, right after the last call and
# GW_BENCH_DRAIN seconds later (default 32: transactions linger 64*T1).
# SPDX-License-Identifier: GPL-2.0-or-later
mode=$1
secs=${2:-30}
drain=${GW_BENCH_DRAIN:-32}
FIELDS="calls failed user_us sys_us inv_med inv_p99 setup_med setup_p99 rss0 rss1 rss2 loop_p99"

# run_in NAME R: one run SIP -> PRI at R calls/s; prints $FIELDS
run_in() {
	n=$(($2 * secs))
	bench_start
	pbx_all "$1" "autoanswer; wait up 15; log ready; sleep 100000"
	pbx_ready "$1"
	rss0=$(rss_of $gw_pid)
	cap_start "$1"
	loop_start $secs
	cpu_mark
	( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 \
		127.0.0.1:5060 -i 127.0.0.1 -p 5062 -m $n -r $2 -l 2000 \
		-d 100 -key caller +495551234 -mp 6100 \
		-timeout $((secs + 60))s -trace_stat -stf "$work/$1.csv" \
		> "$work/$1.out" 2>&1 )
	cpu=$(cpu_split $n)
	rss1=$(rss_of $gw_pid)
	loop_wait
	cap_stop
	pkill -x pbxsim
	# SIPp's statistics: field 18 is FailedCall(C)
	failed=$(awk -F';' 'NR > 1 { f = $18 } END { print f + 0 }' "$work/$1.csv")
	run_end "$1" "$n $failed $cpu $(cap_rtt "$1" INVITE | median_p99 |
		cut -d' ' -f1-2) - -"
}

# run_out NAME R: one run PRI -> SIP, the PBXs placing R/pairs each
run_out() {
	each=$(($2 * secs / pairs))
	bench_start
	uas "$1" $((each * pairs)) -mp 6200 -set uasbye 1 -d 100
	pbx_all "$1" "wait up 15; log ready; sleep 2; load calls=$each rate=$(echo $2 $pairs | awk '{ print $1 / $2 }') hold=5000 called=4930 timeout=$((secs + 40))"
	pbx_ready "$1"
	rss0=$(rss_of $gw_pid)
	cap_start "$1"
	loop_start $secs
	cpu_mark
	pbx_done
	cpu=$(cpu_split $((each * pairs)))
	rss1=$(rss_of $gw_pid)
	loop_wait
	cap_stop
	pkill -x sipp
	setup=$(pbx_latency "$1")
	run_end "$1" "$((each * pairs)) $(pbx_failed "$1") $cpu $(cap_rtt "$1" \
		INVITE | median_p99 | cut -d' ' -f1-2) ${setup:-- -}"
}

# run_end NAME FIGURES: after the drain, FIGURES, the RSSs and the loop's
# p99 to fd 3 (the run's line); a fresh start for the next run
run_end() {
	sleep $drain
	echo "$2 $rss0 $rss1 $(rss_of $gw_pid) $(loop_p99 "$1")" >&3
	rm -f "$work/$1.pcapng"
	bench_stop
	mv "$work/sipri.log" "$work/$1.sipri.log"   # for GW_KEEP
}

# worst FILE: the worst of the runs in FILE, field by field (the highest
# figure; the calls are the same in every run)
worst() {
	awk '{ for (i = 1; i <= NF; i++) if ($i != "-" && (!(i in w) || $i + 0 > w[i] + 0)) w[i] = $i
		n = NF }
	END { for (i = 1; i <= n; i++) printf "%s%s", (i in w) ? w[i] : "-", i < n ? " " : "\n" }' "$1"
}

ladder() {
	rates=${3:-"100 200 300 400 500 600"}
	runs=${4:-3}
	bench_header "sipri call-rate ladder, ${secs} s per step, the worst of $runs runs, a fresh sipri each"
	echo
	echo "| direction | rate (calls/s) | calls | failed | sipri CPU per call, user / kernel (us) | INVITE -> 200 median / p99 (ms) | SETUP -> CONNECT median / p99 (ms) | RSS before / after / ${drain} s later (kB) | loop latency p99: OPTIONS round trip (ms) |"
	echo "|---|---|---|---|---|---|---|---|---|"
	clean=0
	for r in $rates; do
		nofail=yes
		for dir in in out; do
			: > "$work/ladder_${dir}_$r"
			for k in $(seq 1 $runs); do
				run_$dir "${dir}_${r}_$k" $r \
					3>> "$work/ladder_${dir}_$r" >&2
			done
			worst "$work/ladder_${dir}_$r" > "$work/worst"
			read calls failed usr sys im ip sm sp r0 r1 r2 lp < "$work/worst"
			[ "$dir" = in ] && label="SIP -> PRI" || label="PRI -> SIP"
			echo "| $label | $r | $calls | $failed | $usr / $sys | $im / $ip | $sm / $sp | $r0 / $r1 / $r2 | $lp |"
			[ "$failed" = 0 ] || nofail=no
		done
		[ $nofail = yes ] && clean=$r
	done
	echo
	echo "each run, $FIELDS:"
	for f in "$work"/ladder_*; do
		sed "s|^|${f##*/ladder_}: |" "$f"
	done
	GW_BENCH_CLEAN=${GW_BENCH_CLEAN:-$clean}
}

# overload R: SIP -> PRI asked at R calls/s (uac_flood.xml: a 503 is
# ACKed, a 200 makes a call the PBX clears after 0.1 s); every INVITE
# gets 200 or 503, and no B-channel is left open once the calls are gone
overload() {
	r=$1 n=$(($1 * secs))
	echo
	echo "## Overload: SIP -> PRI asked at $r calls/s for $secs s," \
		"a fresh sipri"
	bench_start
	pbx_all ov "autoanswer hold=100; wait up 15; log ready; sleep 100000"
	pbx_ready ov
	cap_start ov
	cpu_mark
	t0=$(date +%s.%N)
	( cd "$work" && sipp -sf "$SIPP_DIR/uac_flood.xml" -s +4930777 \
		127.0.0.1:5060 -i 127.0.0.1 -p 5062 -m $n -r $r -l 20000 \
		-key caller +495551234 -timeout $((secs + 60))s \
		-trace_stat -stf "$work/ov.csv" > "$work/ov.out" 2>&1 )
	t1=$(date +%s.%N)
	cpu=$(cpu_per $n)
	cap_stop
	wait_for 30 sh -c "! grep -q 'bopen=[1-9]' /dev/dahdi/vdahdi"
	stuck=$(bopen_total)
	# the final answer to each INVITE, by Call-ID
	tshark -r "$work/ov.pcapng" -Y 'sip.CSeq.method == "INVITE" && sip.Status-Code >= 200' \
		-T fields -e sip.Call-ID -e sip.Status-Code 2>/dev/null |
		awk '!($1 in s) { s[$1] = $2 } END { for (c in s) n[s[c]]++
			printf "%d %d %d\n", n[200], n[503], length(s) - n[200] - n[503] }' > "$work/ov.count"
	read ok busy other < "$work/ov.count"
	failed=$(awk -F';' 'NR > 1 { f = $18 } END { print f + 0 }' "$work/ov.csv")
	echo "$n INVITEs in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s;" \
		"answered 200: $ok, 503: $busy, other final answers: $other," \
		"no final answer: $((n - ok - busy - other)); SIPp's failed calls: $failed"
	echo "goodput $(echo "$ok $secs" | awk '{ printf "%.1f", $1 / $2 }') calls/s" \
		"against the clean rate ${GW_BENCH_CLEAN:-(not given: GW_BENCH_CLEAN)};" \
		"sipri CPU per INVITE: $cpu; B-channels left open: $stuck"
	bench_stop
	echo "sipri exited with status $? after SIGTERM"
}

case $mode in
ladder)
	ladder "$@"
	overload ${GW_BENCH_OVERLOAD:-1000}
	;;
overload)
	bench_header "sipri overload step"
	overload ${3:-1000}
	;;
esac
