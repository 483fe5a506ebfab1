#!/bin/sh
# Runs one vdahdi unit test binary against a fresh vdahdi mount configured
# with conf/system.conf (E1) or, with VD_TYPE=t1, a one-pair T1 config.
# Usage (from the per-concern wrappers): vd_unit.sh test_vd_NAME
# VD_ARGS: more vdahdi options (E1 only), e.g. "--hdlc-rate 8"
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
if [ "${VD_TYPE:-e1}" = t1 ]; then
	vdahdi_start --type t1
	system_conf 1 t1 > /tmp/sys.conf
	dahdi_cfg -c /tmp/sys.conf
else
	vdahdi_start ${VD_ARGS:-}
	dahdi_cfg -c "$top_srcdir/conf/system.conf"
fi
"$top_builddir/tests/unit/$1"
rc=$?
vdahdi_stop
exit $rc
