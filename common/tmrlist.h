/*
 * common/tmrlist.c: libre's tmr_start(), interposed in sipri so that a
 * timer's place in libre's sorted list is found from the nearer end.
 *
 * libre 1.1.0 keeps each thread's timers in one list sorted by expiry
 * (tmr_poll() pops its head) and calls its own tmr_start() through the
 * PLT, so the executable's definition wins for libre's SIP transactions
 * too.  libre's walk starts at the tail and passes every timer due
 * later: under load the signalling loop's list holds thousands of 32 s
 * transaction timers (RFC 3261 §17: Timers B, D, H, J), and each 500 ms
 * Timer A or G walked past all of them (perf: a third of the loop's
 * CPU in list_apply at 160 calls/s, BENCHMARKS.md).  Here a timer due
 * after the tail or before the head is placed at once, and any other
 * walks from the end nearer in time.  The place is libre's exactly:
 * after every timer due at the same millisecond or earlier, so the
 * order, tmr_poll(), tmr_cancel() and tmr_next_timeout() are unchanged.
 *
 * Only the daemon links it, with -Wl,--export-dynamic-symbol=tmr_start
 * (gateway/local.mk); tests/unit/test_tmrlist checks the order and that
 * libre's own calls arrive here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_COMMON_TMRLIST_H
#define SIPRI_COMMON_TMRLIST_H

#include <stdint.h>

/* this thread's count of tmr_start() calls and of the list elements
 * their walks visited */
struct tmrlist_stats {
	uint64_t starts, steps;
};
void tmrlist_stats(struct tmrlist_stats *st);

#endif
