#!/bin/sh
# sipri's tmr_start() stands in for libre's (common/tmrlist.h): the daemon
# exports it, and the libre it runs with calls its own tmr_start()
# through the PLT, where the daemon's definition wins.  Should either
# stop holding (a link flag lost, a libre built otherwise), libre's SIP
# timers would silently go back to its slow walk.
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/lib/common.sh"

sipri="$top_builddir/gateway/sipri"
libre=$(ldd "$sipri" | sed -n 's/^[[:space:]]*libre\.so[^ ]* => \([^ ]*\).*/\1/p')
check "sipri exports tmr_start" sh -c \
	"nm -D --defined-only '$sipri' | grep -Eq ' T tmr_start$'"
check "libre ($libre) calls tmr_start through its PLT" sh -c \
	"objdump -d '$libre' | grep -q 'call.*<tmr_start@plt>'"
done_testing
