#!/bin/sh
# Debian's unmodified DAHDI tools against vdahdi, for E1 and for T1:
# dahdi_scan shows RED before configuration and OK after; dahdi_cfg -vv
# configures the spans; dahdi_test measures the clock (>= 99.5% here, the
# 99.9% target belongs to tests/bench); fusermount3 -u stops vdahdi.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"

scan_alarms() {
	dahdi_scan | sed -n 's/^alarms=//p' | sort | uniq -c | tr -s ' '
}

# E1: the shipped loopback profile (one pair); T1: two generated pairs
for type in e1 t1; do
	if [ $type = e1 ]; then
		pairs=1 want_b=60 conf="$top_srcdir/conf/system.conf"
	else
		pairs=2 want_b=92 conf=/tmp/sys.conf
		system_conf $pairs t1 > $conf
	fi
	nspans=$((2 * pairs))
	vdahdi_start --type $type --pairs $pairs
	check "$type: vdahdi mounts and daemonises" test -e /dev/dahdi/ctl

	a=$(scan_alarms)
	[ "$a" = " $nspans RED" ]
	ok $? "$type: dahdi_scan: $nspans spans RED before dahdi_cfg ($a)"

	out=$(dahdi_cfg -vv -c $conf 2>&1)
	ok $? "$type: dahdi_cfg -vv -c $(basename $conf) succeeds"
	nb=$(echo "$out" | grep -c "to Clear channel")
	nd=$(echo "$out" | grep -c "to Hardware assisted D-channel")
	[ "$nb" -eq "$want_b" ] && [ "$nd" -eq $nspans ]
	ok $? "$type: dahdi_cfg set $nb B-channels (want $want_b) and $nd D-channels (want $nspans)"

	wait_for 2 sh -c "[ \$(dahdi_scan | grep -c ^alarms=OK) -eq $nspans ]"
	a=$(scan_alarms)
	ok $? "$type: dahdi_scan: all spans OK after dahdi_cfg ($a)"
	spantype=$(dahdi_scan | sed -n 's/^type=//p' | sort -u)
	[ "$spantype" = "digital-$(echo $type | tr a-z A-Z)" ]
	ok $? "$type: dahdi_scan reports type $spantype"

	res=$(dahdi_test -c 5 2>&1 | sed -n 's/^Cumulative Accuracy (not per pass): //p')
	awk -v r="$res" 'BEGIN { exit !(r + 0 >= 99.5) }'
	ok $? "$type: dahdi_test cumulative accuracy $res% >= 99.5%"

	# dahdi_cfg -s shuts the spans down (DAHDI_SHUTDOWN); it exits 1
	dahdi_cfg -s -c $conf > /dev/null 2>&1
	# the alarms may follow the shutdown a moment later: wait for them
	wait_for 5 sh -c "[ \$(dahdi_scan | grep -c ^alarms=RED) -eq $nspans ]"
	ok $? "$type: after dahdi_cfg -s every span is RED again"

	vdahdi_stop
	wait_for 3 sh -c '! pgrep -x vdahdi >/dev/null'
	ok $? "$type: fusermount3 -u stops vdahdi"
done

# the first span of a pair with the cable configured at one end only
vdahdi_start
printf 'span=1,0,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nhardhdlc=16\nloadzone=us\ndefaultzone=us\n' > /tmp/half.conf
dahdi_cfg -c /tmp/half.conf
[ "$(dahdi_scan | grep -c ^alarms=RED)" -eq 2 ]
ok $? "a pair with only one end configured stays RED at both ends"
vdahdi_stop

done_testing
