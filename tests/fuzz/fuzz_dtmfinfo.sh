#!/bin/sh
# replay the INFO DTMF body parser corpus
exec "$top_builddir/tests/fuzz/fuzz_dtmfinfo" "$top_srcdir/tests/fuzz/corpus/dtmfinfo"
