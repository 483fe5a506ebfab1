#!/bin/sh
# replay the Session-Expires/Min-SE parser corpus
exec "$top_builddir/tests/fuzz/fuzz_stimer" "$top_srcdir/tests/fuzz/corpus/stimer"
