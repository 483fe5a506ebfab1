#!/bin/sh
# The Debian packages (debian/): dpkg-buildpackage -b -us -uc builds
# sipri and sipri-testtools from a copy of the tree (the files git tracks
# and the new ones it does not ignore: no build dirs), and
#  - lintian reports no error;
#  - sipri holds the daemon, sipri-ctl when the tree builds it, the man
#    pages sipri(8), sipri-ctl(8), sipri.conf(5), the systemd unit, the
#    sample config as a conffile and the logrotate config;
#    sipri-testtools holds vdahdi and pbxsim with vdahdi(8) and pbxsim(1);
#  - the packaged daemon accepts the packaged sample config (sipri -n);
#  - systemd-analyze verify passes on the unit, offline, against the
#    unpacked package (--root, --man=no), without a word of warning; the
#    unit says what the contract says (Type=notify, watchdog, SIGHUP on
#    reload, user sipri in group dahdi, the hardening);
#  - the logrotate config rotates *.jsonl and sends SIGHUP afterwards.
# SPDX-License-Identifier: GPL-2.0-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/common.sh"

tmp=$(mktemp -d /tmp/sipri-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
src="$tmp/sipri"
mkdir "$src"

# the tree as it is, without what the build made
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard |
		tar --ignore-failed-read -cf - -T - 2>/dev/null) |
		tar -xf - -C "$src"
else
	tar -C "$top_srcdir" --exclude='./_*' -cf - . | tar -xf - -C "$src"
fi

# as from a shell: not with make check's jobserver, variables and paths
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u top_srcdir \
	-u top_builddir dpkg-buildpackage -b -us -uc) > "$tmp/build.log" 2>&1
rc=$?
ok $rc "dpkg-buildpackage -b -us -uc builds the packages"
[ $rc -eq 0 ] || diag "$(tail -n 40 "$tmp/build.log")"
deb=$(ls "$tmp"/sipri_*.deb 2>/dev/null)
tools=$(ls "$tmp"/sipri-testtools_*.deb 2>/dev/null)
check "... sipri and sipri-testtools" test -f "$deb" -a -f "$tools"

lintian --fail-on error "$tmp"/sipri_*.changes > "$tmp/lintian.log" 2>&1
rc=$?
grep -v 'root privileges' "$tmp/lintian.log" > "$tmp/lintian.tags"
[ -s "$tmp/lintian.tags" ] && diag "$(cat "$tmp/lintian.tags")"
[ $rc -eq 0 ] && ! grep -q '^E:' "$tmp/lintian.log"
ok $? "lintian: no errors"

dpkg -c "$deb" | awk '{ print $6 }' > "$tmp/sipri.list"
dpkg -c "$tools" | awk '{ print $6 }' > "$tmp/tools.list"

# has LIST PATH...: every PATH is in the package's list
has() {
	list=$1
	shift
	for p in "$@"; do
		grep -qx "./$p" "$tmp/$list.list" || { diag "$list: no $p"; return 1; }
	done
}

check "sipri: the daemon" has sipri usr/sbin/sipri
check "sipri: sipri(8), sipri-ctl(8), sipri.conf(5)" has sipri \
	usr/share/man/man8/sipri.8.gz usr/share/man/man8/sipri-ctl.8.gz \
	usr/share/man/man5/sipri.conf.5.gz
check "sipri: the systemd unit" has sipri lib/systemd/system/sipri.service
check "sipri: the sample config, a conffile" has sipri etc/sipri/sipri.conf
dpkg-deb -e "$deb" "$tmp/control"
check "... /etc/sipri/sipri.conf is a conffile" \
	grep -qx /etc/sipri/sipri.conf "$tmp/control/conffiles"
check "sipri: the logrotate config" has sipri etc/logrotate.d/sipri
ctl=$(cd "$src/debian/tmp" && ls usr/bin/sipri-ctl usr/sbin/sipri-ctl 2>/dev/null)
if [ -n "$ctl" ]; then
	check "sipri: $ctl, which make install installed" has sipri "$ctl"
else
	check "no sipri-ctl in this tree: none packaged" \
		sh -c "! grep -q 'bin/sipri-ctl$' '$tmp/sipri.list'"
fi
check "sipri-testtools: vdahdi, pbxsim, vdahdi(8), pbxsim(1)" has tools \
	usr/sbin/vdahdi usr/bin/pbxsim usr/share/man/man8/vdahdi.8.gz \
	usr/share/man/man1/pbxsim.1.gz
check "... and no test tool in sipri" \
	sh -c "! grep -Eq '(vdahdi|pbxsim)$' '$tmp/sipri.list'"

# the package unpacked over the system's units (for verify, below)
root="$tmp/root"
mkdir -p "$root/lib/systemd/system" "$root/bin"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
cp /bin/kill "$root/bin/kill"
dpkg -x "$deb" "$root"
out=$("$root/usr/sbin/sipri" -n -f "$root/etc/sipri/sipri.conf" 2>&1)
check "the packaged sipri accepts the packaged sample config" \
	test "$out" = "configuration OK"

# systemd-analyze verify resolves the unit's commands and dependencies
# inside --root: the unpacked package, the system's units and kill(1)
unit="$root/lib/systemd/system/sipri.service"
out=$(systemd-analyze verify --man=no --root="$root" sipri.service 2>&1)
rc=$?
[ -n "$out" ] && diag "$out"
check "systemd-analyze verify: the unit passes, with no warning" \
	test $rc -eq 0 -a -z "$out"

# key VALUE...: the unit sets key=VALUE, once
key() {
	k=$1
	shift
	test "$(grep -c "^$k=" "$unit")" -eq 1 &&
		grep -qx "$k=$*" "$unit"
}
check "Type=notify" key Type notify
check "WatchdogSec=N" grep -Eqx 'WatchdogSec=[1-9][0-9]*' "$unit"
check "ExecReload sends SIGHUP" key ExecReload '/bin/kill -HUP $MAINPID'
user_group() {
	key User sipri && key Group dahdi
}
check "User=sipri, Group=dahdi" user_group
check "ProtectSystem=strict" key ProtectSystem strict
check "NoNewPrivileges=yes" key NoNewPrivileges yes
check "CapabilityBoundingSet=CAP_NET_BIND_SERVICE" \
	key CapabilityBoundingSet CAP_NET_BIND_SERVICE
check "ReadWritePaths=/var/log/sipri /run/sipri" \
	key ReadWritePaths /var/log/sipri /run/sipri
check "RuntimeDirectory=sipri, LogsDirectory=sipri" \
	sh -c "grep -qx RuntimeDirectory=sipri '$unit' && grep -qx LogsDirectory=sipri '$unit'"
exposure=$(systemd-analyze security --offline=true --root="$root" \
	--no-pager sipri.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for sipri.service: \([0-9.]*\).*/\1/p')
diag "systemd-analyze security: exposure $exposure"
check "systemd-analyze security: exposure at most 3.0" \
	awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 3.0) }'

# the logrotate config on a copy of /var/log/sipri, as root: a forced
# rotation moves cdr.jsonl aside, makes a new one and signals sipri
log="$tmp/log"
mkdir -p "$log" "$tmp/bin"
echo '{"call":1}' > "$log/cdr.jsonl"
printf '#!/bin/sh\necho "$*" >> %s/systemctl.args\n' "$tmp" > "$tmp/bin/systemctl"
chmod +x "$tmp/bin/systemctl"
sed -e "s|/var/log/sipri|$log|" -e 's/sipri dahdi/root root/' \
	"$root/etc/logrotate.d/sipri" > "$tmp/logrotate.conf"
PATH="$tmp/bin:$PATH" logrotate -f -s "$tmp/logrotate.state" \
	"$tmp/logrotate.conf" > "$tmp/logrotate.log" 2>&1
rc=$?
[ $rc -eq 0 ] || diag "$(cat "$tmp/logrotate.log")"
check "logrotate: cdr.jsonl rotated to cdr.jsonl.1, a new one made" \
	sh -c "[ $rc -eq 0 ] && grep -q call '$log/cdr.jsonl.1' && [ -f '$log/cdr.jsonl' ] && [ ! -s '$log/cdr.jsonl' ]"
check "... then SIGHUP to sipri: systemctl kill -s HUP sipri.service" \
	grep -qx "kill -s HUP sipri.service" "$tmp/systemctl.args"
done_testing
