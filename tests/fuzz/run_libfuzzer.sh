#!/bin/sh
# Build the SIP-facing fuzz targets with clang's libFuzzer (ASan + UBSan),
# out of tree, and fuzz them in a private network namespace (unshare -n,
# loopback only), at nice 19 on one core.  New inputs that add coverage
# are merged into tests/fuzz/corpus/NAME; crashes land in
# BUILD/artifacts-NAME/ (each one needs a fix and a corpus file).
#
#   tests/fuzz/run_libfuzzer.sh [-b BUILD] [-t SECONDS] [-m|-c] NAME...
#     NAME   sipmsg, stimer, rel100, dtmfinfo, auth or sdes
#     -t     fuzzing time per target (default 600; 0: build only)
#     -m     minimise: rebuild the corpus from itself (merge=1 by edges),
#            no fuzzing
#     -c     coverage: replay the corpus (and BUILD/work-NAME) through a
#            build without sanitizers, and report llvm-cov's coverage of
#            sip/; a plain build sees what ASan cannot in libre's code
#     -V     replay the corpus (and BUILD/work-NAME) under valgrind, built
#            with gcc and no sanitizer: valgrind sees into libre too
#     -b     build directory (default _fuzz in the source tree)
#
# Needs clang (Debian's clang 14 carries libFuzzer), libre-dev and root
# for unshare.  The executions and CPU time of a run are in
# BUILD/NAME.log (libFuzzer's final stats) and BUILD/NAME.time.
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/_fuzz
secs=600
minimise= coverage= vgrind=
while getopts b:t:mcV ch; do
	case $ch in
	b) build=$OPTARG ;;
	t) secs=$OPTARG ;;
	m) minimise=1 ;;
	c) coverage=1 ;;
	V) vgrind=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-b BUILD] [-t SECONDS] [-m|-c|-V] NAME..." >&2; exit 2; }

CC=${CC:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
LIBS="$(pkg-config --libs libre libssl libcrypto)"
CFLAGS="-std=gnu11 -g -O1 -D_GNU_SOURCE -I$top $(pkg-config --cflags libre) \
-DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6"
mkdir -p "$build/obj"

# the SIP leg and common/, instrumented for coverage
build_lib() {
	objs=
	for src in "$top"/sip/*.c "$top"/common/*.c; do
		obj=$build/obj/$(basename "$(dirname "$src")")_$(basename "$src" .c).o
		if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ]; then
			$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
		fi
		objs="$objs $obj"
	done
}

build_target() {
	case $1 in
	sipmsg) srcs="$top/tests/fuzz/fuzz_sipmsg.c $top/tests/fuzz/fuzz_sipcore.c" ;;
	stimer|rel100|dtmfinfo|auth|sdes) srcs=$top/tests/fuzz/fuzz_$1.c ;;
	*) echo "$0: unknown target $1" >&2; exit 2 ;;
	esac
	# shellcheck disable=SC2086
	$CC $CFLAGS $SAN -fsanitize=fuzzer $srcs $objs \
		$LIBS -o "$build/fuzz_$1"
}

# in a private network namespace with loopback up, at the lowest priority
netns() {
	unshare -n sh -c 'ip link set lo up && exec nice -n 19 "$@"' sh "$@"
}

fuzz_one() {
	name=$1 corpus=$top/tests/fuzz/corpus/$1 work=$build/work-$1
	dict=$top/tests/fuzz/$1.dict
	mkdir -p "$work" "$build/artifacts-$name" "$corpus"
	[ -e "$dict" ] && set -- -dict="$dict" || set --
	/usr/bin/time -f "cpu_user_s %U cpu_sys_s %S wall_s %e" \
		-o "$build/$name.time" unshare -n \
		sh -c 'ip link set lo up && exec nice -n 19 "$@"' sh \
		"$build/fuzz_$name" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$build/artifacts-$name/" -timeout=30 \
		-rss_limit_mb=4096 "$@" "$work" "$corpus" 2>"$build/$name.log" \
		|| true
	tail -n 15 "$build/$name.log"
	cat "$build/$name.time"
	netns "$build/fuzz_$name" -merge=1 "$corpus" "$work" 2>/dev/null
}

# libFuzzer names its finds by their SHA-1; named files (seeds, findings)
# stay as they are, and only the finds that add edges to them are kept
# (-use_counters=0: hit counts would keep four times as many)
is_find() {
	case $1 in
	*[!0-9a-f]*) return 1 ;;
	*) [ ${#1} -eq 40 ] ;;
	esac
}

minimise_one() {
	name=$1 corpus=$top/tests/fuzz/corpus/$1 fresh=$build/min-$1
	rm -rf "$fresh"
	mkdir -p "$fresh"
	for f in "$corpus"/*; do
		is_find "$(basename "$f")" || cp "$f" "$fresh/"
	done
	netns "$build/fuzz_$name" -merge=1 -use_counters=0 "$fresh" "$corpus" \
		2>/dev/null
	for f in "$corpus"/*; do
		is_find "$(basename "$f")" && rm "$f"
	done
	for f in "$fresh"/*; do
		is_find "$(basename "$f")" && cp "$f" "$corpus/"
	done
	du -sh "$corpus"
}

# the replay driver, no sanitizer, clang's source coverage
coverage_one() {
	name=$1 bin=$build/cov_$1
	# shellcheck disable=SC2086
	$CC $CFLAGS -O0 -fprofile-instr-generate -fcoverage-mapping $srcs \
		"$top"/sip/*.c "$top"/common/*.c "$top/tests/fuzz/replay.c" \
		$LIBS -o "$bin"
	rm -f "$build/$name.profraw"
	set -- "$top/tests/fuzz/corpus/$name"
	[ -d "$build/work-$name" ] && set -- "$@" "$build/work-$name"
	LLVM_PROFILE_FILE=$build/$name.profraw netns "$bin" "$@" \
		>"$build/cov-$name.tap" 2>&1 ||
		{ echo "$0: the replay of $name failed:" >&2
		  tail -n 20 "$build/cov-$name.tap" >&2; return 1; }
	llvm-profdata merge -o "$build/$name.profdata" "$build/$name.profraw"
	llvm-cov report "$bin" -instr-profile="$build/$name.profdata" \
		"$top"/sip/*.c
}

# the replay driver built with gcc, no sanitizer, under valgrind
valgrind_one() {
	name=$1 bin=$build/vg_$1
	# shellcheck disable=SC2086
	gcc $CFLAGS $srcs "$top"/sip/*.c "$top"/common/*.c \
		"$top/tests/fuzz/replay.c" $LIBS -o "$bin"
	set -- "$top/tests/fuzz/corpus/$name"
	[ -d "$build/work-$name" ] && set -- "$@" "$build/work-$name"
	netns valgrind -q --error-exitcode=9 "$bin" "$@" \
		>"$build/vg-$name.tap" 2>"$build/vg-$name.err" ||
		{ echo "$0: valgrind: $name failed (BUILD/vg-$name.err)" >&2
		  return 1; }
	echo "valgrind: $(grep -c '^ok' "$build/vg-$name.tap") inputs clean"
}

build_lib
for name in "$@"; do
	build_target "$name"
	if [ -n "$coverage" ]; then
		coverage_one "$name"
	elif [ -n "$vgrind" ]; then
		valgrind_one "$name"
	elif [ -n "$minimise" ]; then
		minimise_one "$name"
	elif [ "$secs" -gt 0 ]; then
		fuzz_one "$name"
	fi
done
