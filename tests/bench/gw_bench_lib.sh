# What the gateway's benchmarks share (gw_bench.sh, soak.sh): vdahdi with
# GW_BENCH_SPANS E1 pairs (default 4), sipri on the even spans in one
# group, one pbxsim per odd span, SIPp on 127.0.0.1:5062; sipri's CPU,
# memory and fds from /proc; the SIP signalling captured on lo.
# GW_BENCH_HDLC: the D-channels' line rate in kbit/s (vdahdi --hdlc-rate,
# default 64 as on an E1; 0 unpaced).  At 64 kbit/s one D-channel carries
# about 40 call set-ups a second each way, so 4 pairs cap a run near
# 150 calls/s: above that, unpace them or add pairs.
# Sourced after common.sh, pbxsim_lib.sh and gw_lib.sh, in the sandbox.
# SPDX-License-Identifier: GPL-2.0-or-later
clk=$(getconf CLK_TCK)
pairs=${GW_BENCH_SPANS:-4}
hdlc=${GW_BENCH_HDLC:-64}
pbx_spans=$(seq 1 2 $((2 * pairs - 1)))

cpu_of() { awk -v t="$clk" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
usr_of() { awk -v t="$clk" '{ print $14 / t }' "/proc/$1/stat"; }
sys_of() { awk -v t="$clk" '{ print $15 / t }' "/proc/$1/stat"; }
rss_of() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
fds_of() { ls "/proc/$1/fd" | wc -l; }

# threads_cpu PID: "U S U S U S U S", user and kernel seconds of the
# loop (the main thread: signalling), the media plane's threads
# (sipri-media*), the D-channels' (dchan-rx, dchan-tx) and any other,
# from /proc/PID/task/*/stat; the text after the command's ")" starts at
# field 3, so utime and stime are its 12th and 13th
threads_cpu() {
	for t in /proc/$1/task/*; do
		echo "${t##*/} $(cat "$t/comm") $(sed 's/.*) //' "$t/stat")"
	done | awk -v p="$1" -v t="$clk" '{
		g = $1 == p ? 0 : $2 ~ /^sipri-media/ ? 1 : $2 ~ /^dchan-/ ? 2 : 3
		u[g] += $14; s[g] += $15
	} END {
		for (g = 0; g < 4; g++)
			printf "%f %f%s", u[g] / t, s[g] / t, g < 3 ? " " : "\n"
	}'
}

# threads_per BEFORE AFTER N: the CPU of each group of threads_cpu between
# two of its lines, per N
threads_per() {
	echo "$1 $2 $3" | awk '{
		split("loop|media threads|D-channel threads|other threads", w, "|")
		for (g = 0; g < 4; g++) {
			us = ($(2 * g + 9) - $(2 * g + 1)) * 1e6 / $17
			sy = ($(2 * g + 10) - $(2 * g + 2)) * 1e6 / $17
			printf "%s %.1f us (%.1f us in the kernel)%s", w[g + 1],
				us + sy, sy, g < 3 ? ", " : "\n"
		}
	}'
}

# cpu_mark: remember sipri's CPU times; cpu_per N: "T us (K us in the
# kernel)" of CPU since the mark, per N; cpu_split N: "USER SYS" in us
cpu_mark() { c0=$(usr_of $gw_pid) s0=$(sys_of $gw_pid); }
cpu_split() {
	echo "$c0 $(usr_of $gw_pid) $s0 $(sys_of $gw_pid) $1" | awk '{
		printf "%.1f %.1f", ($2 - $1) * 1e6 / $5, ($4 - $3) * 1e6 / $5 }'
}
cpu_per() {
	cpu_split "$1" | awk '{
		printf "%.1f us (%.1f us in the kernel)", $1 + $2, $2 }'
}

# rig_mark: remember vdahdi's request counters and the CPU of vdahdi and
# of the PBXs; rig_per N: what the rig spent per call since the mark, N
# calls: its CPU, and the FUSE requests by file (D-channels of both sides,
# each side's B-channels, every other file), from vdahdi's status file
rig_cpu() {
	for p in $(pgrep -x vdahdi) -- $(pgrep -x pbxsim); do
		[ "$p" = -- ] && { echo; continue; }
		cpu_of $p
	done | awk 'NF == 0 { s++; next } { c[s + 0] += $1 }
		END { printf "%f %f", c[0], c[1] }'
}
rig_mark() {
	rig0=$(rig_cpu)
	cat /dev/dahdi/vdahdi > "$work/rig0.txt"
}
rig_per() {
	cat /dev/dahdi/vdahdi > "$work/rig1.txt"
	echo "$rig0 $(rig_cpu)" | awk -v n="$1" '{
		printf "  rig per call: vdahdi %.0f us of CPU, the PBXs %s;", ($3 - $1) * 1e6 / n,
			$4 ? sprintf("%.0f us", ($4 - $2) * 1e6 / n) : "- (gone)" }'
	cat "$work/rig0.txt" "$work/rig1.txt" | awk -v n="$1" '
	/^requests / {
		what = $2 == "span" ? ($3 % 2 ? "B pbxsim" : "B sipri") : $2
		key = $2 == "span" ? $3 : $2
		for (i = 3; i <= NF; i++) {
			if (split($i, kv, "=") != 2)
				continue
			d[what, kv[1]] += seen[key, kv[1]]++ ? kv[2] : -kv[2]
		}
	}
	END {
		printf " FUSE requests per call:"
		split("dchan|B sipri|B pbxsim|other", w, "|")
		for (i = 1; i <= 4; i++) {
			t = d[w[i], "read"] + d[w[i], "write"] + d[w[i], "poll"] + d[w[i], "ioctl"]
			printf " %s %.1f (read %.1f, empty %.1f, write %.1f, poll %.1f, ioctl %.1f)%s",
				w[i], t / n, d[w[i], "read"] / n, d[w[i], "read_empty"] / n,
				d[w[i], "write"] / n, d[w[i], "poll"] / n, d[w[i], "ioctl"] / n,
				i < 4 ? ";" : "\n"
		}
	}'
}

# sipri on the even spans, in one group; SIPp's one source sends far
# above the default invite_rate (sip/flood.c); GW_BENCH_GENERAL: more
# [general] lines (e.g. log_level = info)
# GW_BENCH_NOACCT=1: without the profile's CDR file and metrics server
# (what they cost, BENCHMARKS.md)
bench_conf() {
	sed -n '1,/^\[span 2\]/p' "$top_srcdir/conf/loopback.conf" | sed '$d' |
		sed 's/^\[sip\]$/&\ninvite_rate = 0/' |
		if [ -n "${GW_BENCH_NOACCT:-}" ]; then
			sed '/^file = .*cdr/d; /^listen = 127.0.0.1:9580$/d'
		else
			cat
		fi
	for s in $(seq 2 2 $((2 * pairs))); do
		b=$(( (s - 1) * 31 ))
		printf '[span %d]\ndchan = %d\nbchan = %d-%d,%d-%d\n' $s \
			$((b + 16)) $((b + 1)) $((b + 15)) $((b + 17)) $((b + 31))
		printf 'switchtype = euroisdn\nnode = cpe\ngroup = pbx\n\n'
	done
	sed -n '/^\[trunk/,$p' "$top_srcdir/conf/loopback.conf"
	printf '[general]\nlog_level = %s\nrtp_ports = 20000-29999\n' \
		"${GW_BENCH_LOG:-warn}"
}

# bench_start: a fresh vdahdi and sipri (configured by the function
# GW_BENCH_CONF names, default bench_conf); bench_stop: both gone
bench_start() {
	vdahdi_start --pairs $pairs --hdlc-rate $hdlc
	system_conf $pairs e1 > "$work/system.conf"
	dahdi_cfg -c "$work/system.conf"
	${GW_BENCH_CONF:-bench_conf} > "$work/sipri.conf"
	"$SIPRI" -d -f "$work/sipri.conf" > "$work/sipri.log" 2>&1 &
	gw_pid=$!
	[ -f "$work/tone1004.pcap" ] ||
		"$MKPCAP" "$work/tone1004.pcap" 1004 -10 4 A
	wait_for 5 sh -c "ss -lun | grep -q '127.0.0.1:5060 '"
}
bench_stop() {
	pkill -x pbxsim
	pkill -x sipp
	kill -TERM $gw_pid
	wait $gw_pid
	gw_rc=$?
	# GW_KEEP=DIR keeps the logs and captures for a look afterwards
	[ -n "${GW_KEEP:-}" ] && rm -rf "$GW_KEEP" && cp -r "$work" "$GW_KEEP"
	vdahdi_stop
	wait_for 10 sh -c '! pgrep -x vdahdi'
	return $gw_rc
}

# pbx_all NAME SCRIPT: one pbxsim per odd span; pbx_ready NAME: each one
# has logged "ready" (its script's `log ready`); pbx_done: all have ended
pbx_all() {
	for s in $pbx_spans; do
		pbx_start "${1}_$s" --span $s --node network --timeout 100000 -e "$2"
	done
}
pbx_ready() {
	for s in $pbx_spans; do
		wait_for 30 grep -q "log: ready" "$work/${1}_$s.log" || return 1
	done
}
pbx_done() {
	while pgrep -x pbxsim > /dev/null; do sleep 1; done
}

# cap_start NAME: capture the SIP signalling on lo; cap_stop: end it
cap_start() {
	dumpcap -q -B 64 -i lo -f 'udp port 5060' \
		-w "$work/$1.pcapng" 2>/dev/null &
	cap_pid=$!
	wait_for 5 sh -c "[ -s '$work/$1.pcapng' ]"
}
cap_stop() {
	sleep 1
	kill -INT $cap_pid
	wait $cap_pid
}

# cap_rtt NAME METHOD [FILTER]: request -> its first 200 per Call-ID in
# capture NAME, in ms (microsecond stamps); FILTER narrows the packets
cap_rtt() {
	tshark -r "$work/$1.pcapng" \
		-Y "sip.CSeq.method == \"$2\"${3:+ && ($3)}" \
		-T fields -e frame.time_epoch -e sip.Call-ID -e sip.Method \
		-e sip.Status-Code 2>/dev/null | awk -F'\t' -v m="$2" '
		$3 == m && !($2 in t0) { t0[$2] = $1 }
		$4 == 200 && ($2 in t0) && !($2 in done) {
			done[$2] = 1; print ($1 - t0[$2]) * 1000 }' | sort -n
}
# median_p99: "MEDIAN P99 COUNT" of the numbers on stdin, sorted
median_p99() {
	awk '{ v[NR] = $1 } END {
		if (NR) printf "%.2f %.2f %d\n", v[int(NR * 0.5) + 1],
			v[int(NR * 0.99 + 0.999)], NR
		else print "- - 0" }'
}
# sip_latency NAME: INVITE -> 200 OK, "median M ms, p99 P ms (N calls)"
sip_latency() {
	cap_rtt "$1" INVITE | median_p99 | awk '{
		printf "median %s ms, p99 %s ms (%d calls)", $1, $2, $3 }'
}

# loop_start SECS: SIPp sends the trunk's OPTIONS at 10/s from port 5071
# (loop_wait: until it is done); loop_p99 NAME: the p99 of their round
# trip in capture NAME, in ms: how long a request waits for sipri's loop,
# measured from outside
loop_start() {
	( cd "$work" && exec sipp -sf "$SIPP_DIR/uac_options.xml" \
		-i 127.0.0.1 -p 5071 127.0.0.1:5060 -r 10 -m $(($1 * 10)) \
		-timeout $(($1 + 60))s > "$work/loop.out" 2>&1 ) &
	loop_pid=$!
}
loop_wait() { wait $loop_pid; }
loop_p99() {
	cap_rtt "$1" OPTIONS "udp.port == 5071" | median_p99 |
		awk '{ print $2 }'
}

# pbx_latency NAME: "MEDIAN P99" of SETUP -> CONNECT at the pbxsims
# NAME_<span> (load), the one with the worst p99; pbx_failed NAME: the
# failed calls of all of them
pbx_latency() {
	cat "$work"/${1}_[0-9]*.log | sed -n 's/.*setup latency ms:.*median=\([0-9.]*\) p99=\([0-9.]*\).*/\1 \2/p' |
		sort -n -k2 | tail -n 1
}
pbx_failed() {
	cat "$work"/${1}_[0-9]*.log | sed -n 's/.*load: done: .*failed=\([0-9]*\).*/\1/p' |
		awk '{ f += $1 } END { print f + 0 }'
}

# bopen_total: B-channels open on every span (vdahdi's status file)
bopen_total() {
	sed -n 's/^span .* bopen=\([0-9]*\).*/\1/p' /dev/dahdi/vdahdi |
		awk '{ n += $1 } END { print n + 0 }'
}

# uas NAME CALLS ARGS...: a SIPp UAS in the background
uas() {
	name=$1 n=$2
	shift 2
	( cd "$work" && sipp -sf "$SIPP_DIR/uas_answer.xml" -i 127.0.0.1 \
		-p 5062 -m "$n" -timeout 1000s "$@" > "$work/$name.out" 2>&1 ) &
}

# bench_header TITLE: what the figures were measured on
bench_header() {
	echo "# $1: $(nproc) cores, $pairs E1 pairs ($((pairs * 30))" \
		"B-channels on sipri's side), D-channels" \
		"$([ "$hdlc" = 0 ] && echo "unpaced" || echo "at $hdlc kbit/s")"
	echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg);" \
		"scheduling: $(chrt -p $$ | sed -n 's/.*policy: *//p')"
}
