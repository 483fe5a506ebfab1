#!/bin/sh
# suite_loop.sh: run the whole test suite again and again on a loaded
# machine, to find the tests that fail only sometimes.
#
# Usage: tests/stress/suite_loop.sh [-n RUNS] [BUILDDIR]
#
#   -n RUNS   how many times to run `make -j2 check` (default 5)
#   BUILDDIR  a configured build directory (default _build)
#
# While it runs, a CPU hog keeps one core busy: `stress-ng --cpu 1` (the
# script installs stress-ng with apt-get when it is missing and it may),
# else a shell busy loop.  The runs follow one another in BUILDDIR; after
# run N, BUILDDIR/stress/runN/ holds its test-suite.log and `failed`, the
# tests that failed (one a line, empty when none), and the script prints
# one line per run.  The hog is killed when the script ends, however it
# ends.  Last line: `stress: N runs, F failed runs`; the exit status is 0
# only when no run failed.
#
# Not part of `make check`: one run takes about 10 minutes on 2 cores.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

runs=5
while getopts n: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [BUILDDIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
builddir=${1:-_build}
case $runs in
''|*[!0-9]*|0) echo "$0: -n wants a positive number" >&2; exit 2 ;;
esac
if [ ! -f "$builddir/Makefile" ]; then
	echo "$0: $builddir is not a configured build directory" >&2
	exit 2
fi
builddir=$(cd "$builddir" && pwd)

hog_pid= make_pid=
stop_hog() {
	if [ -n "$make_pid" ]; then
		kill "$make_pid" 2>/dev/null
		wait "$make_pid" 2>/dev/null
		make_pid=
	fi
	if [ -n "$hog_pid" ]; then
		kill "$hog_pid" 2>/dev/null
		wait "$hog_pid" 2>/dev/null
		hog_pid=
	fi
}
trap 'stop_hog' EXIT
trap 'stop_hog; exit 130' INT
trap 'stop_hog; exit 143' TERM HUP

if ! command -v stress-ng >/dev/null 2>&1; then
	sudo=
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends stress-ng >/dev/null 2>&1 ||
		echo "stress: could not install stress-ng; a shell loop is the hog"
fi
if command -v stress-ng >/dev/null 2>&1; then
	stress-ng --cpu 1 --quiet &
	hog_pid=$!
	echo "stress: CPU hog stress-ng --cpu 1 (pid $hog_pid)"
else
	sh -c 'while :; do :; done' &
	hog_pid=$!
	echo "stress: CPU hog shell loop (pid $hog_pid)"
fi

failed_runs=0
i=1
while [ "$i" -le "$runs" ]; do
	out=$builddir/stress/run$i
	rm -rf "$out"
	mkdir -p "$out"
	touch "$out/.start"
	start=$(date +%s)
	# in the background, so that a signal is handled at once
	make -C "$builddir" -j2 check > "$out/make.log" 2>&1 &
	make_pid=$!
	wait "$make_pid"
	rc=$?
	make_pid=
	secs=$(($(date +%s) - start))
	cp "$builddir/test-suite.log" "$out/" 2>/dev/null
	# the tests that failed: their .trs say so (automake's parallel driver)
	find "$builddir" -name '*.trs' -newer "$out/.start" -print \
		2>/dev/null | while read -r trs; do
		grep -q '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs" &&
			echo "${trs%.trs}" | sed "s|^$builddir/||"
	done | sort > "$out/failed"
	nfail=$(wc -l < "$out/failed")
	if [ "$rc" -ne 0 ] || [ "$nfail" -ne 0 ]; then
		failed_runs=$((failed_runs + 1))
		echo "stress: run $i: FAILED after ${secs}s (make exit $rc):" \
			"$(tr '\n' ' ' < "$out/failed")"
	else
		echo "stress: run $i: passed in ${secs}s"
	fi
	i=$((i + 1))
done
stop_hog
echo "stress: $runs runs, $failed_runs failed runs"
[ "$failed_runs" -eq 0 ]
