#!/bin/sh
# The house's include rule (doc/ARCHITECTURE, "Rooms"): a room includes
# only its own headers and those of the rooms below it.  common/ is the
# leaf: it includes nothing of the project outside itself; the legs (sip/,
# tdm/) never include the gateway's headers; no room of gateway/ includes
# a higher one.  A planted bad include in a scratch copy must be caught,
# so the check itself can fail.
#   tests/build/rooms.sh            (TAP; checks $top_srcdir)
#   tests/build/rooms.sh -l DIR     list the violations in DIR and exit
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}

# ROOM: the rooms it may include besides itself (lowest first)
ALLOWED='
common:
tdm/pri: common
tdm/vdahdi:
tdm/pbxsim: tdm/pri common
tdm: tdm/pri common
sip: common
gateway/media: common
gateway/mplane: gateway/media sip tdm/pri common
gateway/call: common
gateway/route: common
gateway/config: gateway/route common
gateway: gateway/config gateway/route gateway/call gateway/media gateway/mplane sip tdm common
'

# room_of PATH: the longest room that is a prefix of PATH's folder
room_of() {
	d=$(dirname "$1")
	while [ "$d" != . ]; do
		echo "$ALLOWED" | grep -q "^$d:" && { echo "$d"; return; }
		d=$(dirname "$d")
	done
}

# violations DIR: "FILE: includes HEADER (room R may not)" per bad include
violations() {
	(cd "$1" && for room in $(echo "$ALLOWED" | sed -n 's/:.*//p'); do
		find "$room" -maxdepth 1 -name '*.[ch]' | sort
	done | while read -r f; do
		own=$(room_of "$f")
		ok_rooms="$own $(echo "$ALLOWED" | sed -n "s#^$own:##p")"
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r h; do
			case "$h" in */*) ;; *) continue ;; esac  # beside the file
			# a project header: a path under one of the rooms
			[ -e "$h" ] || continue
			r=$(room_of "$h")
			[ -n "$r" ] || continue
			case " $ok_rooms " in *" $r "*) continue ;; esac
			echo "$f: includes $h (room $own may not include $r)"
		done
	done)
}

if [ "${1:-}" = -l ]; then
	violations "${2:-$top_srcdir}"
	exit 0
fi

. "$top_srcdir/tests/lib/common.sh"

out=$(violations "$top_srcdir")
[ -z "$out" ]
ok $? "no room includes a higher one"
[ -z "$out" ] || diag "$out"

n=$(cd "$top_srcdir" && ls common/*.[ch] sip/*.[ch] tdm/*.[ch] \
	gateway/*.[ch] gateway/*/*.[ch] 2>/dev/null | wc -l)
[ "$n" -gt 50 ]
ok $? "the check saw the sources ($n files)"

# negative controls: a scratch copy with one bad include planted at a time
tmp=$(mktemp -d /tmp/sipri-rooms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
plant() {  # plant FILE HEADER: is it reported?
	rm -rf "$tmp/t" && mkdir -p "$tmp/t"
	(cd "$top_srcdir" && tar -cf - common sip tdm gateway) |
		tar -xf - -C "$tmp/t"
	printf '#include "%s"\n' "$2" >> "$tmp/t/$1"
	violations "$tmp/t" | grep -q "^$1: includes $2 "
}
check "caught: sip/ including gateway/call/call.h" \
	plant sip/uac.c gateway/call/call.h
check "caught: tdm/ including gateway/gw.h" plant tdm/leg.c gateway/gw.h
check "caught: common/ including sip/sipleg.h" plant common/cc.h sip/sipleg.h
check "caught: common/ including tdm/pri/tdmpri.h" \
	plant common/log.c tdm/pri/tdmpri.h
check "caught: gateway/route/ including gateway/config/conf.h" \
	plant gateway/route/route.c gateway/config/conf.h
check "caught: gateway/media/ including gateway/gw.h" \
	plant gateway/media/jb.c gateway/gw.h
done_testing
