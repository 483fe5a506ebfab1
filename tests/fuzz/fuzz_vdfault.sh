#!/bin/sh
# replay the vdahdi fault-parser corpus
exec "$top_builddir/tests/fuzz/fuzz_vdfault" "$top_srcdir/tests/fuzz/corpus/vdfault"
