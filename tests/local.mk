# tests: unit tests (TAP), end-to-end cases (TAP shell scripts)
EXTRA_DIST += tests/tap.h tests/lib/common.sh

# ---- vdahdi unit tests: one per concern ----------------------------------
# test_fcs runs bare; the others run against a fresh vdahdi mount through
# tests/unit/vd_unit.sh (sandboxed, see tests/lib/common.sh).
TESTS += tests/unit/test_fcs \
	tests/unit/vd_framing.sh tests/unit/vd_clock.sh tests/unit/vd_clock_t1.sh \
	tests/unit/vd_blocksize.sh tests/unit/vd_events.sh tests/unit/vd_ioctl.sh \
	tests/unit/vd_cmdline.sh
EXTRA_DIST += tests/unit/vdtest.h tests/unit/vd_unit.sh tests/unit/vd_cmdline.sh \
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

# configure names every missing dependency
TESTS += tests/build/configure_errors.sh
EXTRA_DIST += tests/build/configure_errors.sh

# end-to-end cases, each in its own namespaces (tests/lib/common.sh)
TESTS += tests/e2e/dahdi_tools.sh tests/e2e/demo_check.sh
EXTRA_DIST += tests/e2e/dahdi_tools.sh tests/e2e/demo.sh tests/e2e/demo_check.sh

# ---- benchmarks (not run by make check): tests/bench/run.sh ---------------
noinst_PROGRAMS += tests/bench/vdbench
tests_bench_vdbench_LDADD = -lm -lpthread
EXTRA_DIST += tests/bench/run.sh
# the suite on a loaded machine, run by hand (not in make check)
EXTRA_DIST += tests/stress/suite_loop.sh

# ---- pbxsim (tdm/pbxsim, tdm/pri): unit tests and end-to-end cases ----
PBXSIM_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS) $(SPANDSP_CFLAGS)
PBXSIM_TEST_LDADD = tdm/pbxsim/libpbxsim.a tdm/pri/libtdmpri.a \
	$(PRI_LIBS) $(RE_LIBS) $(SPANDSP_LIBS) -lm
TESTS += tests/unit/test_pbxsim_tone tests/unit/test_pbxsim_script
check_PROGRAMS += tests/unit/test_pbxsim_tone tests/unit/test_pbxsim_script
tests_unit_test_pbxsim_tone_SOURCES = tests/unit/test_pbxsim_tone.c
tests_unit_test_pbxsim_tone_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_pbxsim_tone_LDADD = $(PBXSIM_TEST_LDADD)
tests_unit_test_pbxsim_script_SOURCES = tests/unit/test_pbxsim_script.c
tests_unit_test_pbxsim_script_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_pbxsim_script_LDADD = $(PBXSIM_TEST_LDADD)
PBXSIM_E2E = tests/e2e/pbxsim_basic.sh tests/e2e/pbxsim_reject.sh \
	tests/e2e/pbxsim_overlap.sh tests/e2e/pbxsim_cable.sh \
	tests/e2e/pbxsim_badfcs.sh tests/e2e/pbxsim_t1.sh \
	tests/e2e/pbxsim_switchtypes.sh
TESTS += $(PBXSIM_E2E)
EXTRA_DIST += $(PBXSIM_E2E) tests/e2e/pbxsim_lib.sh
# ---- end pbxsim ----

# ---- pbxsim: several calls, autoanswer, load (tdm/pbxsim/README) ----
PBXSIM_MULTI_E2E = tests/e2e/pbxsim_multi.sh tests/e2e/pbxsim_load.sh
TESTS += $(PBXSIM_MULTI_E2E)
EXTRA_DIST += $(PBXSIM_MULTI_E2E)
# ---- end pbxsim multi ----

# ---- media bridge micro-benchmark (tests/bench/media_bench) ------------
noinst_PROGRAMS += tests/bench/media_bench
tests_bench_media_bench_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_bench_media_bench_LDADD = gateway/libsipricore.a $(RE_LIBS) $(SPANDSP_LIBS) -lm
