#!/bin/sh
# pbxsim's call generator against pbxsim in autoanswer mode over an E1
# vdahdi pair: 200 calls at 50 calls/s, each held 100 ms once connected
# and cleared by the caller with cause 16.  Every call must connect (0
# failed on both sides), the generator must keep its rate (45-55 calls/s)
# and print the setup latency (min, median, p99, max).  Then a burst at
# 150 calls/s (the rate the gateway's benchmark wants), which must also
# complete without a failure.
# SPDX-License-Identifier: GPL-2.0-or-later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
sandbox_enter "$@"
. "$top_srcdir/tests/e2e/pbxsim_lib.sh"

vdahdi_start
check "dahdi_cfg configures the E1 pair" dahdi_configure "$top_srcdir/conf/system.conf"

pbx_start net --span 1 --node network -e 'wait up 10;
	load calls=200 rate=50 hold=100 called=4000 calling=5551234;
	expect stats placed=200 connected=200 failed=0 cleared_local=200 active=0'
pbx_start cpe --span 2 --node cpe -e 'autoanswer; wait up 10;
	expect stats answered=200 active=0 timeout=20;
	expect stats offered=200 refused=0 failed=0 cleared_remote=200'
pbx_wait net cpe

check "caller's scenario passes" pbx_passed net
check "callee's scenario passes" pbx_passed cpe
check "200 attempted, 200 connected, 0 failed" \
	pbx_logged net 'load: done: attempted=200 connected=200 failed=0 of calls=200'
check "setup latency reported" \
	pbx_logged net 'load: setup latency ms: min=[0-9.]+ median=[0-9.]+ p99=[0-9.]+ max=[0-9.]+ \(200 calls\)'
check "the rate kept: 45-55 calls/s" \
	pbx_logged net 'load: peak [0-9]+ calls at once, (4[5-9]|5[0-5])\.[0-9] calls/s achieved'
check "every call was cleared by the caller, none early" \
	pbx_logged net 'calls/s achieved, 0 cleared early'
check "callee: 200 answered, 0 failed, all cleared by the caller" \
	pbx_logged cpe 'stats: offered=200 answered=200 refused=0 placed=0 connected=0 failed=0 cleared_local=0 cleared_remote=200 active=0'
check "each called number once: 4000001..4000200" \
	sh -c "[ \$(grep -Eo '<- SETUP called=4000[0-9]{3} ' $work/cpe.log | sort -u | wc -l) = 200 ]"

pbx_start net2 --span 1 --node network -e 'wait up 10;
	load calls=300 rate=150 hold=50 concurrent=30'
pbx_start cpe2 --span 2 --node cpe -e 'autoanswer; wait up 10;
	expect stats answered=300 active=0 failed=0 timeout=20'
pbx_wait net2 cpe2
check "150 calls/s: the caller's scenario passes" pbx_passed net2
check "150 calls/s: the callee's scenario passes" pbx_passed cpe2
check "150 calls/s: 300 connected, 0 failed" \
	pbx_logged net2 'load: done: attempted=300 connected=300 failed=0'
vdahdi_stop
done_testing
