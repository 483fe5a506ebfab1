#!/bin/sh
# replay the sipri.conf parser corpus (tests/fuzz/fuzz_conf.c)
exec "$top_builddir/tests/fuzz/fuzz_conf" "$top_srcdir/tests/fuzz/corpus/conf"
