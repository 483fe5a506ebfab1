# tests/fuzz/: the replay driver every fuzz target links.  The targets
# register next to the parser they fuzz (gateway/config, gateway/media,
# sip, tdm/vdahdi); each one's corpus (tests/fuzz/corpus/NAME) is replayed
# under ASan/UBSan by every make check.  Build them with clang
# -fsanitize=fuzzer to fuzz.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += tests/fuzz/libreplay.a
tests_fuzz_libreplay_a_SOURCES = tests/fuzz/replay.c
EXTRA_DIST += tests/fuzz/corpus
