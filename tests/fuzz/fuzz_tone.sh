#!/bin/sh
# replay the tone-string parser corpus (tests/fuzz/fuzz_tone.c)
exec "$top_builddir/tests/fuzz/fuzz_tone" "$top_srcdir/tests/fuzz/corpus/tone"
