#!/bin/sh
# What refusing costs sipri (a report, not a pass/fail test).  One vdahdi
# E1 pair, sipri on span 2 with the loopback profile, SIPp on loopback.
#   1. The ACL's 403: a stranger (127.0.0.2) sends INVITEs at R/s for SECS
#      seconds; sipri's CPU per refused INVITE.
#   2. The busy 503: the trunk's INVITEs while no span is up (no PBX), so
#      the core's admission refuses each (sip/flood.c, cause 38), and
#      over its source's rate (invite_rate = 1), refused by the token
#      bucket (cause 42); CPU per INVITE for each.
#   3. The highest stranger rate at which the trunk's OPTIONS (10/s)
#      still get answers with p99 under 100 ms: rates RATES, SECS each.
# An accepted call's CPU is gw_bench.sh's "sipri CPU per call".
#
# Run it from an optimised build without sanitizers:
#   mkdir _bench && cd _bench && ../configure CFLAGS='-O2 -g' && make
#   top_srcdir=$PWD/.. top_builddir=$PWD chrt -r 20 \
#       sh ../tests/bench/flood_bench.sh [SECS] [R] [RATES]
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=1800
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"
. "$top_srcdir/tests/e2e/gw_lib.sh"
secs=${1:-20}
rate=${2:-1000}
rates=${3:-"1000 2000 4000 8000"}
clk=$(getconf CLK_TCK)
SCEN="$top_srcdir/tests/e2e/sipp"

ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
cpu_of() { awk -v t="$clk" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
cpu_mark() { c0=$(cpu_of $gw_pid); }
cpu_per() {
	echo "$c0 $(cpu_of $gw_pid) $1" | awk '{
		printf "%.1f us", ($2 - $1) * 1e6 / $3 }'
}

# flood NAME SCENARIO SRC R N ARGS...: SIPp sends N INVITEs at R/s from
# SRC and waits for each answer; prints the count answered
flood() {
	name=$1 sf=$2 src=$3 r=$4 n=$5
	shift 5
	( cd "$work" && sipp -sf "$SCEN/$sf" -i "$src" -p 5070 \
		-s +4930780 127.0.0.1:5060 -key caller +495551234 -r "$r" \
		-m "$n" -l 20000 -timeout "$((secs * 4))s" \
		-trace_stat -stf "$work/$name.csv" "$@" \
		> "$work/$name.out" 2>&1 )
	tail -n 1 "$work/$name.csv" | awk -F';' '{ print $16 }'
}

# options NAME N: the trunk's OPTIONS at 10/s; p99 of their response time
options_start() {
	( cd "$work" && rm -f uac_options_*_rtt.csv &&
	  sipp -sf "$SCEN/uac_options.xml" -i 127.0.0.1 -p 5071 \
		127.0.0.1:5060 -r 10 -m "$1" -timeout "$((secs * 4))s" \
		-trace_rtt -rtt_freq 1 > "$work/opt.out" 2>&1 ) &
	opt_pid=$!
}
options_p99() {
	wait $opt_pid
	cut -d';' -f2 "$work"/uac_options_*_rtt.csv 2>/dev/null |
		grep -E '^[0-9.]+$' | sort -n | awk '{ v[NR] = $1 }
		END { if (!NR) { print "none answered"; exit }
		printf "p99 %.1f ms, %d answered", v[int(NR * 0.99 + 0.999)],
			NR }'
}

start_gw() {
	gw_sed="s/^\[sip\]$/&\ninvite_rate = $1/"
	gw_start 'log_level = warn' > /dev/null
}

echo "# sipri: the cost of refusing, $(nproc) cores, ${secs} s per run"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg);" \
	"scheduling: $(chrt -p $$ | sed -n 's/.*policy: *//p')"

n=$((rate * secs))
start_gw 0
sleep 1
echo
echo "## 1. The ACL's 403: $n INVITEs from a stranger at $rate/s"
cpu_mark
got=$(flood acl uac_stranger.xml 127.0.0.2 "$rate" "$n")
echo "answered $got; sipri CPU per refused INVITE: $(cpu_per "$n")"

echo
echo "## 2. The busy 503: $n INVITEs from the trunk at $rate/s, no span up"
cpu_mark
got=$(flood busy uac_503.xml 127.0.0.1 "$rate" "$n")
echo "answered $got; sipri CPU per refused INVITE: $(cpu_per "$n")"
gw_stop > /dev/null
vdahdi_stop

start_gw 1
sleep 1
echo
echo "## 2b. Over the source's rate: $n INVITEs from the trunk at $rate/s," \
	"invite_rate = 1"
cpu_mark
got=$(flood rate uac_503.xml 127.0.0.1 "$rate" "$n")
echo "answered $got (those within the rate: 503 for want of a span);" \
	"sipri CPU per INVITE: $(cpu_per "$n")"
gw_stop > /dev/null
vdahdi_stop

echo
echo "## 3. The trunk's OPTIONS (10/s) during a stranger's flood"
echo "| stranger INVITEs/s asked | sent per s | OPTIONS response time |"
echo "|---|---|---|"
start_gw 0
sleep 1
for r in $rates; do
	options_start $((secs * 10))
	t0=$(date +%s.%N)
	got=$(flood "acl$r" uac_stranger.xml 127.0.0.2 "$r" $((r * secs)))
	t1=$(date +%s.%N)
	echo "| $r | $(echo "$got $t0 $t1" | awk '{ printf "%.0f",
		$1 / ($3 - $2) }') | $(options_p99) |"
done
gw_stop > /dev/null
vdahdi_stop
