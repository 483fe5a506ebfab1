#!/bin/sh
exec sh "${top_srcdir:-$(dirname "$0")/../..}/tests/unit/vd_unit.sh" test_dchanio
