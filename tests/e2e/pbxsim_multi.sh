#!/bin/sh
# 30 calls at once through an E1 (30 B-channels), then a 31st that must be
# refused.  pbxsim on span 1 (network) runs `load calls=30 rate=20
# hold=2000 concurrent=30`; pbxsim on span 2 (CPE) is in `autoanswer echo`
# mode.  While all 30 are up:
#  - a 31st call by hunting finds no free B-channel on span 1 and is
#    cleared there with cause 34, no SETUP sent;
#  - a 31st call forced onto B-channel 1 (busy at both ends) is refused by
#    the CPE with RELEASE COMPLETE cause 34 (no circuit available);
#  - a tone sent on one of the 30 comes back through the CPE's echo.
# Then every call is cleared by the network side after its hold time: the
# CPE counts 31 offered, 30 answered, 1 refused, 0 failed, a peak of 30.
# The negative control: against `autoanswer reject=17` the load fails,
# and says so in its exit status and report.  Then on a T1 (23 B-channels,
# 1-23) 23 calls fill the span and the 24th finds no B-channel; last,
# --max-calls 20 on the answering side refuses 3 of 23 with cause 34.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_script net <<'END'
wait up 10
load calls=30 rate=20 hold=2000 concurrent=30 called=200 calling=5551234 nowait
expect stats connected=30 active=30 timeout=10
log all 30 up
call 9999
expect release cause=34
expect cleared
call 9998 chan=1
expect release cause=34
expect cleared
tone 1004 -10 0.5 call=15
expect tone 1004 level=-10 dur=0.3 call=15 timeout=3
expect load ok connected=30 failed=0 timeout=20
expect stats active=0 timeout=5
END
pbx_script cpe <<'END'
autoanswer echo
wait up 10
expect stats answered=30 active=30 timeout=15
expect stats offered=31 refused=1 timeout=10
expect stats cleared_remote=30 active=0 timeout=15
expect stats answered=30 failed=0 peak=30
END

pbx_start net --span 1 --node network -f "$work/net.pbx"
pbx_start cpe --span 2 --node cpe -f "$work/cpe.pbx"
pbx_wait net cpe

check "network side's scenario passes" pbx_passed net
check "CPE side's scenario passes" pbx_passed cpe
check "network side: 30 attempted, 30 connected, 0 failed" \
	pbx_logged net 'load: done: attempted=30 connected=30 failed=0 of calls=30'
check "network side: setup latency reported" \
	pbx_logged net 'load: setup latency ms: min=[0-9.]+ median=[0-9.]+ p99=[0-9.]+ max=[0-9.]+ \(30 calls\)'
check "network side: 30 calls up at once" \
	pbx_logged net 'load: peak 30 calls at once'
check "network side: the hunted 31st call is cleared here, cause 34" \
	pbx_logged net 'SETUP called=9999 not sent: no free B-channel: cleared here with cause=34'
check "CPE: the forced 31st call is refused with RELEASE COMPLETE, cause 34" \
	pbx_logged cpe 'call\(31\) -> RELEASE COMPLETE cause=34'
check "network side sees cause 34 from the CPE" \
	pbx_logged net 'call\([0-9]+\) <- RELEASE cause=34'
check "CPE: 31 offered, 30 answered, 1 refused, 0 failed, peak 30" \
	pbx_logged cpe 'stats: offered=31 answered=30 refused=1 placed=0 connected=0 failed=0 cleared_local=0 cleared_remote=30 active=0 peak=30'
check "the tone came back through the CPE's echo" \
	pbx_logged net 'measured tone 100[0-9]\.[0-9]+ Hz -(9|10|11)\.[0-9]+ dBm0'
check "30 distinct called numbers, 20001..20030" \
	sh -c "[ \$(grep -Eo 'SETUP called=200(0[1-9]|[12][0-9]|30) ' $work/cpe.log | sort -u | wc -l) = 30 ]"

# negative control: every call refused, so the load must fail
pbx_start net2 --span 1 --node network -e 'wait up 10;
	load calls=5 rate=20 hold=100 called=300'
pbx_start cpe2 --span 2 --node cpe -e 'autoanswer reject=17; wait up 10;
	expect stats refused=5 timeout=10'
pbx_wait net2 cpe2
check "negative control: a load whose calls are refused fails (exit 1)" \
	test "$(cat "$work/net2.rc")" = 1
check "... and reports the cause" \
	pbx_logged net2 'load: failed with cause=17 \(User busy\): 5'
check "... counted as failed" \
	pbx_logged net2 'load: done: attempted=5 connected=0 failed=5'
vdahdi_stop

# T1: 23 B-channels (1-23, the D-channel on 24); the 24th call finds none
system_conf 1 t1 > "$work/t1.conf"
vdahdi_start --type t1
check "dahdi_cfg configures a T1 pair" dahdi_configure "$work/t1.conf"
pbx_start t1net --span 1 --node network -e 'wait up 10;
	load calls=23 rate=40 hold=1500 called=7 nowait;
	expect stats connected=23 active=23 timeout=10;
	call 24; expect release cause=34; expect cleared;
	expect load ok timeout=10'
pbx_start t1cpe --span 2 --node cpe -e 'autoanswer; wait up 10;
	expect stats answered=23 peak=23 timeout=10;
	expect stats active=0 failed=0 timeout=10'
pbx_wait t1net t1cpe
check "T1: 23 calls up at once, both scenarios pass" \
	sh -c "[ \"\$(cat $work/t1net.rc)\$(cat $work/t1cpe.rc)\" = 00 ]"
check "T1: the 24th finds no free B-channel" \
	pbx_logged t1net 'SETUP called=24 not sent: no free B-channel'
check "T1: only B-channels 1-23 were used" \
	sh -c "! grep -Eq 'SETUP .* chan=(0|2[4-9]|3[01]) ' $work/t1cpe.log"

# --max-calls 20 on the answering side: 3 of 23 refused with cause 34
pbx_start mnet --span 1 --node network -e 'wait up 10;
	load calls=23 rate=40 hold=1500 concurrent=23 nowait;
	expect load attempted=23 connected=20 failed=3 timeout=15'
pbx_start mcpe --span 2 --node cpe --max-calls 20 -e 'autoanswer; wait up 10;
	expect stats answered=20 refused=3 timeout=10;
	expect stats active=0 failed=0 peak=20 timeout=10'
pbx_wait mnet mcpe
check "--max-calls 20: both scenarios pass" \
	sh -c "[ \"\$(cat $work/mnet.rc)\$(cat $work/mcpe.rc)\" = 00 ]"
check "--max-calls 20: the caller saw cause 34 three times" \
	pbx_logged mnet 'load: failed with cause=34 .*: 3'
check "--max-calls 20: the callee said why" \
	pbx_logged mcpe 'over --max-calls 20'
vdahdi_stop
done_testing
