#!/bin/sh
# replay the whole-SIP-path corpus (tests/fuzz/fuzz_sipmsg.c) in a private
# network namespace: the fuzzed Via and Contact reach loopback only
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
exec "$top_builddir/tests/fuzz/fuzz_sipmsg" "$top_srcdir/tests/fuzz/corpus/sipmsg"
