#!/bin/sh
# sipri's gateway benchmark (a report, not a pass/fail test), over 4 vdahdi
# E1 pairs: sipri on spans 2, 4, 6 and 8 (120 B-channels, group pbx),
# pbxsim as the PBX on spans 1, 3, 5 and 7, SIPp on 127.0.0.1:5062.
#   1. Memory: sipri's RSS with 100 calls held against none, fresh.
#   2. SIP -> PRI: SIPp calls at R calls/s for SECS seconds (0.1 s hold),
#      the PBXs answer; 0 failed calls is the pass mark of a rate.
#   3. PRI -> SIP: the 4 PBXs call at R/4 each, SIPp answers (0.1 s hold).
#   4. Media: 60 calls with G.711 both ways (the PBX plays, SIPp echoes);
#      sipri's and vdahdi's CPU per channel per 20 ms frame, and the FUSE
#      requests each B-channel frame costs (vdahdi's status file).
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
# GW_BENCH_PERF=DIR records sipri's profile (perf record -g) over each
# rate of sections 2 and 3 into DIR/in<RATE>.data and DIR/out<RATE>.data;
# read them with  perf report -i DIR/in400.data --no-children
# (GW_BENCH_PERF_OPTS: perf record's options, default -g; libre has no
# frame pointers: --call-graph dwarf -F 250 names the callers inside it).
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=1800
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
secs=${1:-60}
rates=${2:-"100 150"}
sections=" ${3:-1 2 3 4} "
clk=$(getconf CLK_TCK)

cpu_of() { awk -v t="$clk" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
sys_of() { awk -v t="$clk" '{ print $15 / t }' "/proc/$1/stat"; }
rss_of() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# cpu_mark: remember sipri's CPU times; cpu_per N: "T us (K us in the
# kernel)" of CPU since the mark, per N
cpu_mark() { c0=$(cpu_of $gw_pid) s0=$(sys_of $gw_pid); }
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
cpu_per() {
	echo "$c0 $(cpu_of $gw_pid) $s0 $(sys_of $gw_pid) $1" | awk '{
		printf "%.1f us (%.1f us in the kernel)",
			($2 - $1) * 1e6 / $5, ($4 - $3) * 1e6 / $5 }'
}

# four pairs; sipri on the even spans, in one group; SIPp's one source
# sends far above the default invite_rate (sip/flood.c)
bench_conf() {
	sed -n '1,/^\[span 2\]/p' "$top_srcdir/conf/loopback.conf" | sed '$d' |
		sed 's/^\[sip\]$/&\ninvite_rate = 0/'
	for s in 2 4 6 8; do
		b=$(( (s - 1) * 31 ))
		printf '[span %d]\ndchan = %d\nbchan = %d-%d,%d-%d\n' $s \
			$((b + 16)) $((b + 1)) $((b + 15)) $((b + 17)) $((b + 31))
		printf 'switchtype = euroisdn\nnode = cpe\ngroup = pbx\n\n'
	done
	sed -n '/^\[trunk/,$p' "$top_srcdir/conf/loopback.conf"
	printf '[general]\nlog_level = warn\nrtp_ports = 20000-29999\n'
}

start_all() {
	vdahdi_start --pairs 4
	system_conf 4 e1 > "$work/system.conf"
	dahdi_cfg -c "$work/system.conf"
	bench_conf > "$work/sipri.conf"
	"$SIPRI" -d -f "$work/sipri.conf" > "$work/sipri.log" 2>&1 &
	gw_pid=$!
	"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
}

# pbx_all NAME SCRIPT: one pbxsim per odd span; pbx_done: wait for them
pbx_all() {
	for s in 1 3 5 7; do
		pbx_start "$1$s" --span $s --node network --timeout 1500 -e "$2"
	done
}
pbx_done() {
	while pgrep -x pbxsim > /dev/null; do sleep 1; done
}

# sip_capture NAME: capture the SIP signalling on lo until sip_latency
# NAME stops it and prints the median and p99 of INVITE -> 200 OK per
# Call-ID, from the capture's microsecond timestamps
sip_capture() {
	dumpcap -q -i lo -f 'udp port 5060' -w "$work/$1.pcapng" 2>/dev/null &
	cap_pid=$!
	sleep 1
}
sip_latency() {
	sleep 1
	kill -INT $cap_pid
	wait $cap_pid
	tshark -r "$work/$1.pcapng" -Y 'sip.CSeq.method == "INVITE"' \
		-T fields -e frame.time_epoch -e sip.Call-ID -e sip.Method \
		-e sip.Status-Code 2>/dev/null | awk -F'\t' '
		$3 == "INVITE" && !($2 in t0) { t0[$2] = $1 }
		$4 == 200 && ($2 in t0) && !($2 in done) {
			done[$2] = 1; print ($1 - t0[$2]) * 1000 }' |
		sort -n | awk '{ v[NR] = $1 } END { if (NR)
			printf "median %.2f ms, p99 %.2f ms (%d calls)",
				v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], NR }'
}

# uas NAME CALLS ARGS...: a SIPp UAS in the background
uas() {
	name=$1 n=$2
	shift 2
	( cd "$work" && sipp -sf "$SIPP_DIR/uas_answer.xml" -i 127.0.0.1 \
		-p 5062 -m "$n" -timeout 1000s "$@" > "$work/$name.out" 2>&1 ) &
}

start_all
echo "# sipri gateway benchmark: $(nproc) cores, ${secs} s per rate"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg);" \
	"scheduling: $(chrt -p $$ | sed -n 's/.*policy: *//p')"
sleep 3

bench_memory() {
	echo
	echo "## 1. Memory, fresh: 100 calls held (PRI -> SIP)"
	rss0=$(rss_of $gw_pid)
	uas uasmem 100 -mp 6300
	pbx_all mem 'wait up 15; load calls=25 rate=25 hold=12000 called=4931'
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
		sip_capture in$r
		perf_start in$r
		cpu_mark
		( cd "$work" && sipp -sf "$SIPP_DIR/uac_call.xml" -s +4930777 127.0.0.1:5060 \
			-i 127.0.0.1 -p 5062 -m $n -r $r -l 500 -d 100 -key caller +495551234 \
			-mp 6100 -timeout $((secs + 30))s \
			-trace_stat -stf "$work/uac.csv" > "$work/uac$r.out" 2>&1 )
		cpu=$(cpu_per $n)
		perf_stop
		# SIPp's statistics: field 18 is FailedCall(C)
		failed=$(awk -F';' 'NR > 1 { f = $18 } END { print f + 0 }' "$work/uac.csv")
		echo "| $r | $n | $failed | $(sip_latency in$r) | $cpu |"
	done
	pkill -x pbxsim
	pbx_done
}

bench_pri_sip() {
	echo
	echo "## 3. PRI -> SIP (pbxsim x4 -> sipri -> SIPp UAS), 0.1 s hold"
	echo "| rate (calls/s) | calls | failed | SETUP -> CONNECT at the PBXs (median, p99 of the worst) | of which INVITE -> 200 at SIPp | sipri CPU per call |"
	echo "|---|---|---|---|---|---|"
	for r in $rates; do
		each=$((r * secs / 4))
		uas uas$r $((each * 4)) -mp 6200 -set uasbye 1 -d 100
		sip_capture out$r
		perf_start out$r
		cpu_mark
		pbx_all out$r "wait up 15; load calls=$each rate=$(echo $r | awk '{ print $1 / 4 }') hold=5000 called=4930 timeout=$((secs + 40))"
		sleep 1
		pbx_done
		cpu=$(cpu_per $((each * 4)))
		perf_stop
		pkill -x sipp
		lat=$(cat "$work"/out$r?.log | sed -n 's/.*setup latency ms:.*median=\([0-9.]*\) p99=\([0-9.]*\).*/\1 \2/p' |
			sort -n -k2 | tail -n 1 | awk '{ printf "%s ms, %s ms", $1, $2 }')
		failed=$(cat "$work"/out$r?.log | sed -n 's/.*load: done: .*failed=\([0-9]*\).*/\1/p' |
			awk '{ f += $1 } END { print f + 0 }')
		echo "| $r | $((each * 4)) | $failed | $lat | $(sip_latency out$r) | $cpu |"
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
	tones=$(for c in $(seq 1 15); do printf 'tone 1004 -10 15 call=%d; ' $c; done)
	# sleep 2: past libpri's start-up race (doc/ARCHITECTURE, facts),
	# which costs the first SETUPs cause 101 when this part runs alone
	pbx_all media "wait up 15; sleep 2; autoanswer off; load calls=15 rate=15 hold=20000 called=4932 nowait; sleep 2; $tones sleep 18"
	sleep 8
	vd_pid=$(pgrep -x vdahdi)
	cpu_mark
	vd0=$(cpu_of $vd_pid) vds0=$(sys_of $vd_pid)
	cat /dev/dahdi/vdahdi > "$work/vd0.txt"
	sleep 10
	echo "sipri CPU with 60 calls carrying audio, per channel per 20 ms frame:" \
		"$(cpu_per $((60 * 500)))"
	cat /dev/dahdi/vdahdi > "$work/vd1.txt"
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

kill -TERM $gw_pid
wait $gw_pid
echo
echo "sipri exited with status $? after SIGTERM"
vdahdi_stop
