# tests/fuzz/: the replay driver every fuzz target links.  The targets
# register next to the parser they fuzz (gateway/config, gateway/media,
# sip, tdm/vdahdi); each one's corpus (tests/fuzz/corpus/NAME) is replayed
# under ASan/UBSan by every make check.  tests/fuzz/run_libfuzzer.sh
# builds the SIP-facing ones with clang -fsanitize=fuzzer and fuzzes them
# (tests/fuzz/FUZZING records the runs).
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += tests/fuzz/libreplay.a
tests_fuzz_libreplay_a_SOURCES = tests/fuzz/replay.c
EXTRA_DIST += tests/fuzz/corpus
