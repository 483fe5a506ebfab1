# Shared shell helpers for sipri's end-to-end tests (TAP output).
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A test sources this file and calls `sandbox_enter "$@"` first.  That
# re-runs the test inside its own namespaces
#     unshare -m -n -p -f --mount-proc
# under a hard timeout (SANDBOX_TIMEOUT seconds, default 120), where it
# gets loopback networking, a private /dev (holding only the usual nodes,
# /dev/fuse, a private tmpfs /dev/shm and an empty /dev/dahdi), empty
# private /run/sipri and /var/log/sipri, and its own
# PID namespace, so every daemon it starts dies with it and parallel tests
# never collide on ports, mounts or dahdi_cfg's /dev/shm semaphore.  The
# real /dev/dahdi, if any, is never touched.

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
# TEST_PEERS_DIR: another build tree's vdahdi and pbxsim, the test's
# clock and PBX (tools/tsan-check: uninstrumented, so that only sipri
# runs at ThreadSanitizer's pace)
VDAHDI="${TEST_PEERS_DIR:-$top_builddir}/tdm/vdahdi/vdahdi"
PBXSIM="${TEST_PEERS_DIR:-$top_builddir}/tdm/pbxsim/pbxsim"
SIPRI="$top_builddir/gateway/sipri"

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION COMMAND...: one test point from a command's status
check() {
	desc=$1
	shift
	"$@"
	ok $? "$desc"
}

diag() {
	echo "$*" | sed 's/^/# /'
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

sandbox_private_dev() {
	olddev=$(mktemp -d /tmp/sipri-olddev.XXXXXX)
	mount --make-rprivate /
	mount --rbind /dev "$olddev"
	mount -t tmpfs -o mode=755,size=1m sipri-dev /dev
	for n in null zero full random urandom tty fuse ptmx; do
		[ -e "$olddev/$n" ] || continue
		touch "/dev/$n"
		mount --bind "$olddev/$n" "/dev/$n"
	done
	mkdir /dev/pts /dev/shm /dev/dahdi
	mount -t tmpfs -o mode=1777 sipri-shm /dev/shm
	ln -s /proc/self/fd /dev/fd
	ln -s /proc/self/fd/0 /dev/stdin
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
	umount -l "$olddev"
	rmdir "$olddev"
	# sipri's run and log folders, the loopback profile's control socket
	# and CDR file among them: private to the test, empty
	for d in /run/sipri /var/log/sipri; do
		mkdir -p "$d"
		mount -t tmpfs -o mode=755,size=512m sipri-run "$d"
	done
}

sandbox_enter() {
	if [ -n "${SIPRI_SANDBOXED:-}" ]; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		skip_all "needs root for unshare and FUSE"
	fi
	if [ ! -e /dev/fuse ]; then
		skip_all "no /dev/fuse on this machine"
	fi
	SIPRI_SANDBOXED=1
	export SIPRI_SANDBOXED top_builddir top_srcdir
	exec timeout -k 5 "${SANDBOX_TIMEOUT:-120}" \
		unshare -m -n -p -f --mount-proc \
		sh -c '. "$0"; sandbox_private_dev; ip link set lo up; shift; exec "$@"' \
		"$top_srcdir/tests/lib/common.sh" -- "$SHELL_FOR_TEST" "$0" "$@"
}
SHELL_FOR_TEST=${SHELL_FOR_TEST:-sh}

# vdahdi_start [ARGS...]: mount vdahdi at /dev/dahdi (daemonised once ready)
vdahdi_start() {
	"$VDAHDI" "$@" /dev/dahdi
}

vdahdi_stop() {
	fusermount3 -u /dev/dahdi 2>/dev/null
}

# dahdi_configure FILE: dahdi_cfg against vdahdi
dahdi_configure() {
	dahdi_cfg -c "$1" >/dev/null
}

# A system.conf for N pairs of TYPE (e1|t1), as conf/system.conf lays out
# one E1 pair: B-channels, then the D-channel (E1 timeslot 16, T1 24).
system_conf() {
	pairs=$1 type=$2
	awk -v pairs="$pairs" -v type="$type" 'BEGIN {
		n = type == "t1" ? 24 : 31; d = type == "t1" ? 24 : 16
		for (s = 1; s <= 2 * pairs; s++) {
			if (type == "t1")
				printf "span=%d,%d,0,esf,b8zs\n", s, s % 2 == 0
			else
				printf "span=%d,%d,0,ccs,hdb3,crc4\n", s, s % 2 == 0
		}
		for (s = 1; s <= 2 * pairs; s++) {
			base = (s - 1) * n
			if (type == "t1")
				printf "bchan=%d-%d\n", base + 1, base + 23
			else
				printf "bchan=%d-%d,%d-%d\n", base + 1, base + 15, base + 17, base + 31
			printf "hardhdlc=%d\n", base + d
		}
		print "loadzone=us"; print "defaultzone=us"
	}'
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	limit=$(($1 * 10))
	shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
