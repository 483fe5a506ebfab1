/*
 * timer: one-shot millisecond timers on a binary min-heap, one heap per
 * thread's libre loop, driven by one timerfd (libre's fd_listen).
 *
 * libre 1.1.0 keeps every struct tmr in one sorted list and walks it on
 * each tmr_start(); under load the list holds thousands of SIP
 * transaction timers, and the walk was most of sipri's CPU
 * (BENCHMARKS.md).  Here a start or a cancel is O(log n) through the slot
 * each timer keeps of itself, and the timerfd is re-armed only when the
 * earliest deadline moves earlier (later: it fires once early instead).  Timers due at the same millisecond fire in
 * the order they were started.  A handler may start or cancel any timer,
 * its own included (it is idle while its handler runs); a timer started
 * from a handler fires at the earliest on the loop's next pass.
 *
 * struct timer is embedded like libre's struct tmr: all zero (or
 * timer_init) is an idle timer, and its owner cancels it in its
 * destructor.  Heaps are not shared between threads: timer_start() uses
 * the calling thread's heap (timer_thread_init(), after libre_init() or
 * re_thread_init()), and a timer is cancelled on the thread it runs on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_COMMON_TIMER_H
#define SIPRI_COMMON_TIMER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct timer_heap;
typedef void (timer_h)(void *arg);

struct timer {
	struct timer_heap *heap;  /* the heap it waits in; NULL: idle */
	size_t pos;               /* its slot in the heap */
	uint64_t due;             /* ms on timer_now()'s clock */
	uint64_t seq;             /* start order: FIFO among equal dues */
	timer_h *h;
	void *arg;
};

/* the clock: CLOCK_MONOTONIC in milliseconds */
uint64_t timer_now(void);

void timer_init(struct timer *t);
/* start (or restart) t on this thread's heap: h(arg) in ms; h NULL
 * cancels */
void timer_start(struct timer *t, uint64_t ms, timer_h *h, void *arg);
void timer_cancel(struct timer *t);
bool timer_isrunning(const struct timer *t);
/* ms until t fires (0 when idle or due) */
uint64_t timer_left(const struct timer *t);

/* this thread's heap: made on first use, or up front to see the error */
int  timer_thread_init(void);
void timer_thread_close(void);
struct timer_heap *timer_thread_heap(void);

/* a heap on this thread's loop, for an owner that wants its own */
int  timer_heap_alloc(struct timer_heap **thp);
void timer_start_on(struct timer_heap *th, struct timer *t, uint64_t ms,
		    timer_h *h, void *arg);
/* fire what is due at now (the timerfd's handler calls it); th NULL:
 * nothing */
void timer_heap_run(struct timer_heap *th, uint64_t now);
size_t timer_heap_count(const struct timer_heap *th);
/* the timers running on this thread's loop: its heap's and libre's own
 * (SIP transactions, RTCP...); O(n), for the stats line only */
size_t timer_thread_count(void);
/* ms until the earliest timer is due; UINT64_MAX with none */
uint64_t timer_heap_next(const struct timer_heap *th);
/* the timerfd_settime() calls th has made (for tests) */
uint64_t timer_heap_arms(const struct timer_heap *th);
/* the heap's order and slots hold (for tests; O(n)) */
bool timer_heap_check(const struct timer_heap *th);

#endif
