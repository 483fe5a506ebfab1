#!/bin/sh
# pbxsim speaks each switchtype it offers (euroisdn, national, ni1,
# dms100, 4ess, 5ess and qsig): for each one, pbxsim
# (network, span 1) calls pbxsim (CPE, span 2) over a T1 pair, or an E1
# pair for euroisdn and qsig, with the same switchtype at both ends:
# SETUP with numbers checked by the callee, PROCEEDING, ALERTING, CONNECT,
# a 1004 Hz tone across, and clearing with cause 16 from the caller.
# A bad switchtype name is refused with a clear error.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
SANDBOX_TIMEOUT=${SANDBOX_TIMEOUT:-180}
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

pbx_script net <<'END'
wait up 10
call 5551234 calling=5559876 ton=national npi=isdn
expect proceeding
expect alerting
expect connect
tone 1004 -10 2
drain
hangup 16
expect cleared
END
pbx_script cpe <<'END'
wait up 10
expect setup called=5551234 calling=5559876 ton=national npi=isdn timeout=10
proceeding
alerting
answer
expect tone 1004 level=-10 ftol=5 ltol=1 timeout=10
expect disconnect cause=16 timeout=10
expect cleared
END

# switch_call TYPE SWITCHTYPE: one call, on a fresh vdahdi pair
switch_call() {
	vdahdi_start --type "$1"
	system_conf 1 "$1" > "$work/sys.conf"
	dahdi_configure "$work/sys.conf" || return 1
	pbx_start "net-$2" --span 1 --node network --switch "$2" -f "$work/net.pbx"
	pbx_start "cpe-$2" --span 2 --node cpe --switch "$2" -f "$work/cpe.pbx"
	pbx_wait "net-$2" "cpe-$2"
	vdahdi_stop
	wait_for 5 sh -c '! grep -qs vdahdi /proc/mounts'
	pbx_passed "net-$2" && pbx_passed "cpe-$2"
}

for sw in euroisdn:e1 qsig:e1 national:t1 ni1:t1 dms100:t1 4ess:t1 5ess:t1; do
	s=${sw%%:*} t=${sw#*:}
	check "$s on $t: call, tone and clearing" switch_call "$t" "$s"
	check "$s: the callee ran that switchtype" \
		pbx_logged "cpe-$s" "CPE side, $(echo "$t" | tr a-z A-Z), $s"
done

check "an unknown switchtype is refused" \
	sh -c "! '$PBXSIM' --span 1 --switch foo -e 'sleep 1' 2>'$work/bad.err'"
check "and the error names it" grep -q "foo" "$work/bad.err"
done_testing
