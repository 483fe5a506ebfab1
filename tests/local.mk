# tests: unit tests (TAP), end-to-end cases (TAP shell scripts)
EXTRA_DIST += tests/tap.h tests/lib/common.sh

# unit tests: one binary per vdahdi concern
TESTS += tests/unit/test_fcs
check_PROGRAMS += tests/unit/test_fcs
tests_unit_test_fcs_SOURCES = tests/unit/test_fcs.c
tests_unit_test_fcs_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
tests_unit_test_fcs_LDADD = tdm/vdahdi/libvdahdi.a $(FUSE3_LIBS) $(SPANDSP_LIBS)
