#!/bin/sh
# doc/ARCHITECTURE's walk matches the code: every function it names
# (written `name()`) is defined in the sources, every file it names
# (`dir/file.c`) exists, and each function-pointer door it names
# (`span->seth`, `row->act`, `ops->send`) is a member that is called
# through.  A name planted in a scratch copy of the document must be
# reported, so the check itself can fail.
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/common.sh"

SRC="common gateway sip tdm tests/e2e tests/unit tests/build"

# missing DOC: each name or path DOC cites that the sources lack
missing() {
	(cd "$top_srcdir" &&
	grep -o '`[a-z_][a-z0-9_]*()`' "$1" | tr -d '`()' | sort -u |
	while read -r fn; do
		# defined here (the name after a type at the start of a
		# line), or a libpri function the code calls
		grep -rqE "^[a-z][a-z0-9_ *]*[ *]$fn\(" --include='*.c' $SRC &&
			continue
		case $fn in
		pri_*) grep -rqE "[^a-z_]$fn\(" --include='*.c' tdm &&
			continue ;;
		esac
		echo "function $fn"
	done
	grep -o '`[a-z0-9_./-]*/[a-z0-9_.-]*\.\(c\|h\|sh\|mk\|ok\|5\)`' "$1" |
		tr -d '`' | sort -u | while read -r f; do
		[ -e "$f" ] || echo "file $f"
	done
	grep -o '`[a-z]*->[a-z]*`' "$1" | tr -d '`' | sort -u |
	while read -r door; do
		m=${door#*->}
		grep -rqE "[a-z]->$m\(" --include='*.c' gateway sip tdm ||
			echo "door $door"
	done)
}

out=$(missing "$top_srcdir/doc/ARCHITECTURE")
[ -z "$out" ]
ok $? "every function, file and door doc/ARCHITECTURE names exists"
[ -z "$out" ] || diag "$out"

n=$(grep -o '`[a-z_][a-z0-9_]*()`' "$top_srcdir/doc/ARCHITECTURE" |
	sort -u | wc -l)
[ "$n" -ge 30 ]
ok $? "the walk names $n functions"
for door in 'span->seth' 'row->act' 'ops->send'; do
	grep -q "\`$door\`" "$top_srcdir/doc/ARCHITECTURE"
	ok $? "the walk names the door $door"
done

# negative controls: a renamed function, a missing file, a dead door
tmp=$(mktemp -d /tmp/sipri-arch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp "$top_srcdir/doc/ARCHITECTURE" "$tmp/doc"
echo 'Then `tdm_setup_gone()` runs, in `gateway/nowhere.c`, via `span->setx`.' >> "$tmp/doc"
out=$(missing "$tmp/doc")
echo "$out" | grep -q "function tdm_setup_gone"
ok $? "caught: a function that does not exist"
echo "$out" | grep -q "file gateway/nowhere.c"
ok $? "caught: a file that does not exist"
echo "$out" | grep -q "door span->setx"
ok $? "caught: a door nothing calls through"
done_testing
