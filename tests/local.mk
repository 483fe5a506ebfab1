# tests/: the TAP helpers every test uses, and the tests of the build
# itself.  Every other test registers next to what it tests (each room's
# local.mk); see doc/ARCHITECTURE.
# SPDX-License-Identifier: GPL-2.0-or-later
EXTRA_DIST += tests/tap.h tests/lib/common.sh

# configure names every missing dependency; no room includes a higher one
TESTS += tests/build/configure_errors.sh tests/build/rooms.sh \
	tests/build/architecture.sh tests/build/interpose.sh
EXTRA_DIST += tests/build/configure_errors.sh tests/build/rooms.sh \
	tests/build/architecture.sh tests/build/interpose.sh doc/ARCHITECTURE

# benchmarks (not run by make check): tests/bench/run.sh, BENCHMARKS.md
EXTRA_DIST += tests/bench/bench.h tests/bench/run.sh tests/bench/gw_bench.sh \
	tests/bench/gw_bench_lib.sh tests/bench/ladder.sh tests/bench/soak.sh

# the whole suite again and again with one core kept busy, run by hand
# (not in make check): tests/stress/suite_loop.sh [-n RUNS] [BUILDDIR]
EXTRA_DIST += tests/stress/suite_loop.sh

# the Debian packages build, pass lintian and hold what they should; the
# systemd unit passes systemd-analyze verify (debian/)
TESTS += tests/pkg/deb.sh
EXTRA_DIST += tests/pkg/deb.sh
