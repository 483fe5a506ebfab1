#!/bin/sh
# replay the a=crypto (RFC 4568) parser corpus
exec "$top_builddir/tests/fuzz/fuzz_sdes" "$top_srcdir/tests/fuzz/corpus/sdes"
