#!/bin/sh
# replay the incoming credentials corpus (sip/auth.c)
exec "$top_builddir/tests/fuzz/fuzz_auth" "$top_srcdir/tests/fuzz/corpus/auth"
