# vdahdi: the virtual DAHDI (FUSE)
noinst_LIBRARIES += tdm/vdahdi/libvdahdi.a
tdm_vdahdi_libvdahdi_a_SOURCES = \
	tdm/vdahdi/vdahdi.h tdm/vdahdi/g711.h \
	tdm/vdahdi/bchan.c tdm/vdahdi/clock.c tdm/vdahdi/conf.c \
	tdm/vdahdi/dchan.c tdm/vdahdi/detect.c tdm/vdahdi/event.c \
	tdm/vdahdi/fault.c tdm/vdahdi/fcs.c tdm/vdahdi/fs.c \
	tdm/vdahdi/gain.c tdm/vdahdi/io.c tdm/vdahdi/ioctl.c \
	tdm/vdahdi/line.c tdm/vdahdi/ring.c tdm/vdahdi/span.c \
	tdm/vdahdi/stats.c tdm/vdahdi/tone.c
tdm_vdahdi_libvdahdi_a_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS) $(SPANDSP_CFLAGS)

sbin_PROGRAMS += tdm/vdahdi/vdahdi
tdm_vdahdi_vdahdi_SOURCES = tdm/vdahdi/main.c
tdm_vdahdi_vdahdi_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
tdm_vdahdi_vdahdi_LDADD = tdm/vdahdi/libvdahdi.a $(FUSE3_LIBS) $(SPANDSP_LIBS) \
	$(TONEZONE_LIBS) -lm

# ---- tests: one per concern ----------------------------------------------
# test_fcs runs bare; the others run against a fresh vdahdi mount through
# tests/unit/vd_unit.sh (sandboxed, see tests/lib/common.sh).
VD_UNIT = tests/unit/vd_framing.sh tests/unit/vd_clock.sh \
	tests/unit/vd_clock_t1.sh tests/unit/vd_blocksize.sh \
	tests/unit/vd_events.sh tests/unit/vd_ioctl.sh tests/unit/vd_cmdline.sh \
	tests/unit/vd_pacing.sh tests/unit/vd_audio.sh tests/unit/vd_wakeup.sh \
	tests/unit/vd_parallel.sh
TESTS += tests/unit/test_fcs $(VD_UNIT)
EXTRA_DIST += tests/unit/vdtest.h tests/unit/vd_unit.sh $(VD_UNIT)
check_PROGRAMS += tests/unit/test_fcs tests/unit/test_vd_framing \
	tests/unit/test_vd_clock tests/unit/test_vd_blocksize \
	tests/unit/test_vd_events tests/unit/test_vd_ioctl \
	tests/unit/test_vd_pacing tests/unit/test_vd_audio \
	tests/unit/test_vd_wakeup tests/unit/test_vd_parallel
VD_TEST_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
VD_TEST_LDADD = tdm/vdahdi/libvdahdi.a $(FUSE3_LIBS) $(SPANDSP_LIBS) \
	$(TONEZONE_LIBS) -lm -lpthread
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
tests_unit_test_vd_pacing_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_pacing_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_audio_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_audio_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_wakeup_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_wakeup_LDADD = $(VD_TEST_LDADD)
tests_unit_test_vd_parallel_CFLAGS = $(VD_TEST_CFLAGS)
tests_unit_test_vd_parallel_LDADD = $(VD_TEST_LDADD)

# the fault-control file's parser: fuzz target, corpus replayed by make check
TESTS += tests/fuzz/fuzz_vdfault.sh
check_PROGRAMS += tests/fuzz/fuzz_vdfault
tests_fuzz_fuzz_vdfault_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
tests_fuzz_fuzz_vdfault_LDADD = tests/fuzz/libreplay.a tdm/vdahdi/libvdahdi.a \
	$(FUSE3_LIBS) $(SPANDSP_LIBS) $(TONEZONE_LIBS) -lm
EXTRA_DIST += tests/fuzz/fuzz_vdfault.sh

# vdahdi's own cost per frame (a benchmark, not run by make check)
noinst_PROGRAMS += tests/bench/vdbench
tests_bench_vdbench_LDADD = -lm -lpthread
