#!/bin/sh
# replay the RFC 3262 header-parser corpus (tests/fuzz/fuzz_rel100.c)
exec "$top_builddir/tests/fuzz/fuzz_rel100" "$top_srcdir/tests/fuzz/corpus/rel100"
