#!/bin/sh
# sipri's gateway benchmark (a report, not a pass/fail test), over vdahdi
# E1 pairs (default 4): sipri on the even spans (30 B-channels each, one
# group), pbxsim as the PBX on the odd spans, SIPp on 127.0.0.1:5062.
#   1. Memory: sipri's RSS with 100 calls held against none, fresh.
#   2. SIP -> PRI: SIPp calls at R calls/s for SECS seconds (0.1 s hold),
#      the PBXs answer; 0 failed calls is the pass mark of a rate.
#   3. PRI -> SIP: the PBXs call at R/pairs each, SIPp answers (0.1 s hold).
#   4. Media: 60 calls with G.711 both ways (the PBX plays, SIPp echoes);
#      CPU per channel per 20 ms frame of sipri's loop thread, of its
#      other (media) threads and of vdahdi, and the FUSE requests each
#      B-channel frame costs (vdahdi's status file).
# Latency comes from a capture of the SIP signalling (dumpcap, tshark) and
# from pbxsim's own SETUP -> CONNECT figures; CPU from /proc, split into
# user and kernel time: on vdahdi every B-channel read and write is a FUSE
# round trip, which real DAHDI hardware does not pay.
#
# Run it from an optimised build without sanitizers, e.g.
#   mkdir _bench && cd _bench && ../configure CFLAGS='-O2 -g' && make
#   top_srcdir=$PWD/.. top_builddir=$PWD chrt -r 20 \
#       sh ../tests/bench/gw_bench.sh [SECS] [RATES] [SECTIONS]
# SECTIONS (default "1 2 3 4") picks the parts to run, e.g. "4".
# chrt: on a shared machine, other work must not set the figures (every
# process the benchmark starts inherits the policy).
#
# The ladder (issue 11): each rate of RATES (default "100 200 300 400 500
# 600" calls/s) for SECS (default 30) in both directions, RUNS times
# (default 3), each run from a fresh vdahdi and sipri; per rate and
# direction, the worst of the runs for each figure (tests/bench/ladder.sh),
# then the overload step:
#   sh ../tests/bench/gw_bench.sh ladder [SECS] [RATES] [RUNS]
# The overload step alone: SIP -> PRI asked at RATE (default 1000/s):
#   sh ../tests/bench/gw_bench.sh overload [SECS] [RATE]
# GW_BENCH_SPANS (E1 pairs, default 4) and GW_BENCH_HDLC (the D-channels'
# kbit/s, default 64; 0 unpaced), see tests/bench/gw_bench_lib.sh: at 64
# kbit/s, 4 pairs carry about 150 set-ups a second each way, so the higher
# rungs want GW_BENCH_HDLC=0 or more pairs (the report's first line says).
#
# GW_BENCH_PERF=DIR records sipri's profile (perf record -g) over each
# rate of sections 2 and 3 into DIR/in<RATE>.data and DIR/out<RATE>.data;
# read them with  perf report -i DIR/in400.data --no-children
# (GW_BENCH_PERF_OPTS: perf record's options, default -g; libre has no
# frame pointers: --call-graph dwarf -F 250 names the callers inside it).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${GW_BENCH_TIMEOUT:-7200}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
. "$top_srcdir/tests/bench/gw_bench_lib.sh"
case "${1:-}" in
ladder|overload)
	. "$top_srcdir/tests/bench/ladder.sh"
	exit 0
	;;
esac
secs=${1:-60}
rates=${2:-"100 150"}
sections=" ${3:-1 2 3 4} "

# perf_start NAME, perf_stop: sipri's profile over one rate (GW_BENCH_PERF)
perf_start() {
	[ -n "${GW_BENCH_PERF:-}" ] || return 0
	perf record -q ${GW_BENCH_PERF_OPTS:--g} -p $gw_pid \
		-o "$GW_BENCH_PERF/$1.data" \
		> /dev/null 2>&1 &
	perf_pid=$!
}
perf_stop() {
	[ -n "${GW_BENCH_PERF:-}" ] || return 0
	kill -INT $perf_pid
	wait $perf_pid
}

bench_start
bench_header "sipri gateway benchmark, ${secs} s per rate"
sleep 3

bench_memory() {
	echo
	echo "## 1. Memory, fresh: 100 calls held (PRI -> SIP)"
	rss0=$(rss_of $gw_pid)
	uas uasmem 100 -mp 6300
	pbx_all mem "wait up 15; sleep 2; load calls=$((100 / pairs)) rate=25 hold=12000 called=4931"
	sleep 10
	rss1=$(rss_of $gw_pid)
	echo "RSS idle ${rss0} kB; with 100 calls held ${rss1} kB:" \
		"$(( (rss1 - rss0) / 100 )) kB per live call"
	pbx_done
	pkill -x sipp
}

bench_sip_pri() {
	echo
	echo "## 2. SIP -> PRI (SIPp UAC -> sipri -> pbxsim answering), 0.1 s hold"
	echo "| rate (calls/s) | calls | failed | INVITE -> 200 through sipri and the PBX | sipri CPU per call |"
	echo "|---|---|---|---|---|"
	pbx_all in 'autoanswer; sleep 100000'
	sleep 3
	for r in $rates; do
		n=$((r * secs))
		cap_start in$r
		perf_start in$r
		cpu_mark
		th0=$(threads_cpu $gw_pid)
		rig_mark
		( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 127.0.0.1:5060 \
			-i 127.0.0.1 -p 5062 -m $n -r $r -l 500 -d 100 -key caller +495551234 \
			-mp 6100 -timeout $((secs + 30))s \
			-trace_stat -stf "$work/uac.csv" > "$work/uac$r.out" 2>&1 )
		cpu=$(cpu_per $n)
		th1=$(threads_cpu $gw_pid)
		perf_stop
		cap_stop
		# SIPp's statistics: field 18 is FailedCall(C)
		failed=$(awk -F';' 'NR > 1 { f = $18 } END { print f + 0 }' "$work/uac.csv")
		echo "| $r | $n | $failed | $(sip_latency in$r) | $cpu |"
		echo "  sipri per call: $(threads_per "$th0" "$th1" $n)"
		rig_per $n
	done
	pkill -x pbxsim
	pbx_done
}

bench_pri_sip() {
	echo
	echo "## 3. PRI -> SIP (pbxsim x$pairs -> sipri -> SIPp UAS), 0.1 s hold"
	echo "| rate (calls/s) | calls | failed | SETUP -> CONNECT at the PBXs (median, p99 of the worst) | of which INVITE -> 200 at SIPp | sipri CPU per call |"
	echo "|---|---|---|---|---|---|"
	for r in $rates; do
		each=$((r * secs / pairs))
		uas uas$r $((each * pairs)) -mp 6200 -set uasbye 1 -d 100
		cap_start out$r
		perf_start out$r
		cpu_mark
		th0=$(threads_cpu $gw_pid)
		rig_mark
		# sleep 2: sipri's RESTARTs on the way up (restart_on_up) can
		# come after pbxsim's settle time, and would clear the first calls
		pbx_all out$r "wait up 15; sleep 2; load calls=$each rate=$(echo $r $pairs | awk '{ print $1 / $2 }') hold=5000 called=4930 timeout=$((secs + 40))"
		sleep 1
		pbx_done
		cpu=$(cpu_per $((each * pairs)))
		th1=$(threads_cpu $gw_pid)
		rig=$(rig_per $((each * pairs)))
		perf_stop
		cap_stop
		pkill -x sipp
		lat=$(pbx_latency out$r | awk '{ printf "%s ms, %s ms", $1, $2 }')
		echo "| $r | $((each * pairs)) | $(pbx_failed out$r) | $lat | $(sip_latency out$r) | $cpu |"
		echo "  sipri per call: $(threads_per "$th0" "$th1" $((each * pairs)))"
		echo "$rig"
	done
}

# vd_requests BEFORE AFTER: FUSE requests per B-channel frame on sipri's
# spans (even) and the PBXs' (odd), from two reads of vdahdi's status file
vd_requests() {
	cat "$1" "$2" | awk '
	# the first file is the earlier read: its counts subtract
	/^requests span / {
		side = $3 % 2 ? "pbxsim" : "sipri"
		for (i = 4; i <= NF; i++) {
			split($i, kv, "=")
			d[side, kv[1]] += seen[$3, kv[1]]++ ? kv[2] : -kv[2]
		}
	}
	END {
		for (s = 0; s < 2; s++) {
			side = s ? "pbxsim" : "sipri"
			b = d[side, "blocks"]
			if (!b)
				continue
			printf "%s side, FUSE requests per B-channel frame: %.2f (read %.2f, of which empty %.2f; write %.2f; poll %.2f; ioctl %.2f), plus %.2f poll notifications\n",
				side, (d[side, "read"] + d[side, "write"] + d[side, "poll"] + d[side, "ioctl"]) / b,
				d[side, "read"] / b, d[side, "read_empty"] / b, d[side, "write"] / b,
				d[side, "poll"] / b, d[side, "ioctl"] / b, d[side, "notify"] / b
		}
	}'
}

bench_media() {
	echo
	echo "## 4. Media: 60 calls with G.711 both ways (PBX tone, SIPp RTP echo)"
	uas uasmedia 60 -rtp_echo -mp 6400
	per=$((60 / pairs))
	tones=$(for c in $(seq 1 $per); do printf 'tone 1004 -10 15 call=%d; ' $c; done)
	# sleep 2: past libpri's start-up race (doc/ARCHITECTURE, facts),
	# which costs the first SETUPs cause 101 when this part runs alone
	pbx_all media "wait up 15; sleep 2; autoanswer off; load calls=$per rate=15 hold=20000 called=4932 nowait; sleep 2; $tones sleep 18"
	sleep 8
	vd_pid=$(pgrep -x vdahdi)
	th0=$(threads_cpu $gw_pid)
	vd0=$(cpu_of $vd_pid) vds0=$(sys_of $vd_pid)
	cat /dev/dahdi/vdahdi > "$work/vd0.txt"
	sleep 10
	th1=$(threads_cpu $gw_pid)
	cat /dev/dahdi/vdahdi > "$work/vd1.txt"
	frames=$((60 * 500))
	echo "sipri CPU with 60 calls carrying audio, per channel per 20 ms frame:"
	echo "  $(threads_per "$th0" "$th1" $frames)"
	echo "$vd0 $(cpu_of $vd_pid) $vds0 $(sys_of $vd_pid)" | awk '{
		printf "vdahdi CPU for the 120 B-channels (both ends of 60 calls), per channel per 20 ms frame: %.1f us (%.1f us in the kernel)\n",
			($2 - $1) * 1e6 / (120 * 500), ($4 - $3) * 1e6 / (120 * 500) }'
	vd_requests "$work/vd0.txt" "$work/vd1.txt"
	pbx_done
	pkill -x sipp
}

for n in 1 2 3 4; do
	case "$sections" in
	*" $n "*) ;;
	*) continue ;;
	esac
	case $n in
	1) bench_memory ;;
	2) bench_sip_pri ;;
	3) bench_pri_sip ;;
	4) bench_media ;;
	esac
done

bench_stop
echo
echo "sipri exited with status $? after SIGTERM"
