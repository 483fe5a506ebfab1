# gateway/mplane/: the media plane - worker threads, each with its own
# libre loop, that own the calls' per-frame work; the core commands them
# through queues (common/mpq.c) and hears their events (doc/ARCHITECTURE).
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/mplane/libsiprimplane.a
gateway_mplane_libsiprimplane_a_SOURCES = \
	gateway/mplane/mplane.h gateway/mplane/mplane_int.h \
	gateway/mplane/mplane.c gateway/mplane/worker.c \
	gateway/mplane/stream.c gateway/mplane/frame.c
gateway_mplane_libsiprimplane_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) \
	$(SPANDSP_CFLAGS)
MPLANE_LIBS = gateway/mplane/libsiprimplane.a sip/libsipri_sip.a \
	tdm/pri/libtdmpri.a $(MEDIA_LIBS) $(RE_LIBS) $(TONEZONE_LIBS) -lpthread

# the workers: threads and loops, placement, commands and events both
# ways, sync, close with counters, and a stop with work pending
TESTS += tests/unit/test_mplane
check_PROGRAMS += tests/unit/test_mplane
tests_unit_test_mplane_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) \
	$(SPANDSP_CFLAGS)
tests_unit_test_mplane_LDADD = $(MPLANE_LIBS)

# the workers' own CPU per channel-frame, B-channels on socketpairs
# (a report: BENCHMARKS.md)
noinst_PROGRAMS += tests/bench/mplane_bench
tests_bench_mplane_bench_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) \
	$(SPANDSP_CFLAGS)
tests_bench_mplane_bench_LDADD = $(MPLANE_LIBS) -lm
