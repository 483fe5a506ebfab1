# tests: unit tests (TAP), end-to-end cases (TAP shell scripts)
EXTRA_DIST += tests/tap.h tests/lib/common.sh

# ---- vdahdi unit tests: one per concern ----------------------------------
# test_fcs runs bare; the others run against a fresh vdahdi mount through
# tests/unit/vd_unit.sh (sandboxed, see tests/lib/common.sh).
TESTS += tests/unit/test_fcs \
	tests/unit/vd_framing.sh tests/unit/vd_clock.sh tests/unit/vd_clock_t1.sh \
	tests/unit/vd_blocksize.sh tests/unit/vd_events.sh tests/unit/vd_ioctl.sh
EXTRA_DIST += tests/unit/vdtest.h tests/unit/vd_unit.sh \
	tests/unit/vd_framing.sh tests/unit/vd_clock.sh tests/unit/vd_clock_t1.sh \
	tests/unit/vd_blocksize.sh tests/unit/vd_events.sh tests/unit/vd_ioctl.sh
check_PROGRAMS += tests/unit/test_fcs tests/unit/test_vd_framing \
	tests/unit/test_vd_clock tests/unit/test_vd_blocksize \
	tests/unit/test_vd_events tests/unit/test_vd_ioctl
VD_TEST_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
VD_TEST_LDADD = tdm/vdahdi/libvdahdi.a $(FUSE3_LIBS) $(SPANDSP_LIBS) -lpthread
tests_unit_test_fcs_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_fcs_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_framing_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_framing_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_clock_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_clock_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_blocksize_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_blocksize_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_events_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_events_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_ioctl_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_ioctl_LDADD = $(VD_TEST_LDADD)

# end-to-end cases, each in its own namespaces (tests/lib/common.sh)
TESTS += tests/e2e/dahdi_tools.sh
EXTRA_DIST += tests/e2e/dahdi_tools.sh

# ---- benchmarks (not run by make check): tests/bench/run.sh ---------------
noinst_PROGRAMS += tests/bench/vdbench
tests_bench_vdbench_LDADD = -lm -lpthread
EXTRA_DIST += tests/bench/run.sh
