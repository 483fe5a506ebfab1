#!/bin/sh
# vdahdi benchmark (a report, not a pass/fail test): clock accuracy and CPU
# per B-channel with 1, 2 and 4 E1 pairs, every B-channel carrying audio;
# then, on one pair, what each way of waiting for blocks (vdbench -m)
# costs in FUSE requests and CPU per channel-frame.
#   tests/bench/run.sh [SECONDS]      (from the build tree, as root)
# Writes the report to stdout; BENCHMARKS.md in the source tree quotes it.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=600
sandbox_enter "$@"
secs=${1:-20}
clk_tck=$(getconf CLK_TCK)

proc_cpu() {   # utime+stime of PID in seconds
	awk -v t="$clk_tck" '{ print ($14 + $15) / t }' "/proc/$1/stat"
}

echo "| E1 pairs | B-channels | samples delivered / real time | dahdi_test under load | vdahdi CPU (% of one core) | vdahdi CPU per B-channel per 20 ms frame | client CPU per channel per frame |"
echo "|---|---|---|---|---|---|---|"
for pairs in 1 2 4; do
	vdahdi_start --pairs $pairs
	system_conf $pairs e1 > /tmp/sys.conf
	dahdi_cfg -c /tmp/sys.conf
	pid=$(pgrep -x vdahdi)
	chans=$(awk -v p=$pairs 'BEGIN { for (s = 0; s < 2 * p; s++) for (c = 1; c <= 31; c++) if (c != 16) printf "%d ", s * 31 + c }')
	nchan=$(echo $chans | wc -w)
	c0=$(proc_cpu $pid)
	"$top_builddir/tests/bench/vdbench" $secs $chans > /tmp/vdbench.out &
	bench=$!
	sleep 1
	acc=$(dahdi_test -c $((secs - 3)) 2>/dev/null | sed -n 's/^Cumulative Accuracy (not per pass): //p')
	wait $bench
	c1=$(proc_cpu $pid)
	out=$(cat /tmp/vdbench.out)
	ratio=$(echo "$out" | sed -n 's/.*samples_ratio=\([0-9.]*\).*/\1/p')
	client=$(echo "$out" | sed -n 's/.*client_cpu_us_per_frame=\([0-9.]*\).*/\1/p')
	awk -v p=$pairs -v n=$nchan -v r=$ratio -v a="$acc" -v c0=$c0 -v c1=$c1 \
	    -v s=$secs -v cl=$client 'BEGIN {
		cpu = (c1 - c0) / (s + 0.2)
		printf "| %d | %d | %.3f%% | %s%% | %.1f%% | %.1f us | %s us |\n",
			p, n, 100 * r, a, 100 * cpu, cpu * 1e6 / (n * 50), cl
	}'
	vdahdi_stop
	sleep 0.5
done

echo
echo "| client I/O (vdbench -m, 60 B-channels) | FUSE requests per channel-frame | poll notifications per frame | vdahdi CPU per channel-frame | client CPU per channel-frame | samples delivered / real time |"
echo "|---|---|---|---|---|---|"
for mode in lt et clock block; do
	vdahdi_start
	dahdi_cfg -c "$top_srcdir/conf/system.conf"
	pid=$(pgrep -x vdahdi)
	chans=$(awk 'BEGIN { for (c = 1; c <= 62; c++) if (c != 16 && c != 47) printf "%d ", c }')
	c0=$(proc_cpu $pid)
	out=$("$top_builddir/tests/bench/vdbench" -m $mode $secs $chans)
	c1=$(proc_cpu $pid)
	echo "$out" | awk -v m=$mode -v c0=$c0 -v c1=$c1 -v s=$secs '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "| %s | %.2f | %.2f | %.1f us | %.1f us | %.3f%% |\n", m,
			v["requests_per_frame"], v["notify_per_frame"],
			(c1 - c0) * 1e6 / (60 * 50 * s), v["client_cpu_us_per_frame"],
			100 * v["samples_ratio"]
	}'
	vdahdi_stop
	sleep 0.5
done
