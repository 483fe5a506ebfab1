#!/bin/sh
# configure names each missing dependency clearly: libre, spandsp,
# libfuse3, OpenSSL and libsystemd through pkg-config, libpri by header
# and library, the DAHDI headers through --with-dahdi-include;
# --enable-tsan refuses --enable-sanitize.  Runs configure in scratch
# directories with one dependency hidden at a time; also checks that a
# good run finds dahdi/user.h under /usr/src/dahdi-*/include.
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/common.sh"

tmp=$(mktemp -d /tmp/sipri-configure.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# run_configure NAME ARGS...: configure in its own directory, output kept
run_configure() {
	name=$1
	shift
	mkdir -p "$tmp/$name"
	(cd "$tmp/$name" && "$top_srcdir/configure" -q "$@") > "$tmp/$name.out" 2>&1
}

run_configure dahdi --with-dahdi-include=/nonexistent
[ $? -ne 0 ] && grep -q "dahdi/user.h not found in: /nonexistent" "$tmp/dahdi.out" &&
	grep -q -- "--with-dahdi-include=DIR" "$tmp/dahdi.out"
ok $? "without DAHDI headers: fails, names dahdi/user.h and --with-dahdi-include"

# a pkg-config that knows only the modules we keep
fakepc() {
	keep=$1
	mkdir -p "$tmp/pc-$keep"
	for m in libre spandsp fuse3 libssl libcrypto libsystemd; do
		[ "$m" = "$keep" ] && continue
		pc=$(pkg-config --path "$m" 2>/dev/null) &&
			cp "$pc" "$tmp/pc-$keep/"
	done
	# spandsp.pc may pull in other modules: keep the system's others
	echo "$tmp/pc-$keep"
}

for m in libre spandsp fuse3 libssl libsystemd; do
	dir=$(fakepc $m)
	PKG_CONFIG_LIBDIR=$dir run_configure "no-$m"
	rc=$?
	case $m in
	libre)   want="libre not found (pkg-config libre). On Debian: apt-get install libre-dev" ;;
	spandsp) want="spandsp not found (pkg-config spandsp). On Debian: apt-get install libspandsp-dev" ;;
	fuse3)   want="libfuse3 not found (pkg-config fuse3). On Debian: apt-get install libfuse3-dev" ;;
	libssl)  want="OpenSSL not found (pkg-config libssl). On Debian: apt-get install libssl-dev" ;;
	libsystemd) want="libsystemd not found (pkg-config libsystemd). On Debian: apt-get install libsystemd-dev" ;;
	esac
	[ $rc -ne 0 ] && grep -qF "$want" "$tmp/no-$m.out"
	ok $? "without $m: fails and says: $want"
done

# libpri is found by header and library checks; pretend they failed
run_configure nopri ac_cv_header_libpri_h=no
[ $? -ne 0 ] && grep -qF "libpri.h not found. On Debian: apt-get install libpri-dev" "$tmp/nopri.out"
ok $? "without libpri.h: fails and names libpri-dev"
run_configure nopricb ac_cv_lib_pri_pri_new_cb=no
[ $? -ne 0 ] && grep -qF "libpri with pri_new_cb not found" "$tmp/nopricb.out"
ok $? "without a libpri that has pri_new_cb: fails and says so"

run_configure tsan-asan --enable-tsan --enable-sanitize
[ $? -ne 0 ] && grep -qF -- "--enable-tsan and --enable-sanitize exclude each other" "$tmp/tsan-asan.out"
ok $? "--enable-tsan with --enable-sanitize: fails and says they exclude each other"

run_configure good
ok $? "with everything installed configure succeeds"
grep -q "^DAHDI_CFLAGS = -I/usr/src/dahdi-.*/include" "$tmp/good/Makefile"
ok $? "it found dahdi/user.h under /usr/src/dahdi-*/include"
done_testing
