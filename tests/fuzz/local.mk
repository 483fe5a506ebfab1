# fuzz targets: corpora replayed under ASan/UBSan by every make check
# (tests/fuzz/replay.c); build with clang -fsanitize=fuzzer to fuzz them.
noinst_LIBRARIES += tests/fuzz/libreplay.a
tests_fuzz_libreplay_a_SOURCES = tests/fuzz/replay.c

TESTS += tests/fuzz/fuzz_vdfault.sh
check_PROGRAMS += tests/fuzz/fuzz_vdfault
tests_fuzz_fuzz_vdfault_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
tests_fuzz_fuzz_vdfault_LDADD = tests/fuzz/libreplay.a tdm/vdahdi/libvdahdi.a \
	$(FUSE3_LIBS) $(SPANDSP_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_vdfault.sh tests/fuzz/corpus
