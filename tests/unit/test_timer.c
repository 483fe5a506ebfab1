/*
 * The loop's timer heap (common/timer.c): timers fire earliest first,
 * equal deadlines in the order they were started, cancelled ones never;
 * handlers may cancel and restart timers, their own included; 100k
 * timers keep the heap's order and slots through starts, cancels and
 * runs; and in libre's loop the timerfd fires them on time, re-armed
 * when the earliest deadline moves earlier, not when it moves later.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "common/timer.h"
#include "tests/tap.h"

enum { BIG = 100000 };

struct probe {
	struct timer t;
	size_t id;
	size_t fired;
	uint64_t at;                 /* timer_now() when it fired */
	uint64_t due;                /* its due when started */
	uint64_t seq;
};

/* the order of firing, by probe id */
static size_t *fired_ids;
static size_t nfired;

static void probe_fire(void *arg)
{
	struct probe *p = arg;

	p->fired++;
	p->at = timer_now();
	fired_ids[nfired++] = p->id;
}

static void probe_start(struct timer_heap *th, struct probe *p, size_t id,
			uint64_t ms)
{
	p->id = id;
	timer_start_on(th, &p->t, ms, probe_fire, p);
	p->due = p->t.due;
	p->seq = p->t.seq;
}

/* fire everything (a clock far ahead of every due) */
static void run_all(struct timer_heap *th)
{
	timer_heap_run(th, timer_now() + 86400000);
}

/* the firing order is by (due, start order) */
static bool in_order(const struct probe *p)
{
	for (size_t i = 1; i < nfired; i++) {
		const struct probe *a = &p[fired_ids[i - 1]];
		const struct probe *b = &p[fired_ids[i]];

		if (a->due > b->due || (a->due == b->due && a->seq > b->seq))
			return false;
	}
	return true;
}

static void test_order(struct timer_heap *th, struct probe *p)
{
	const size_t n = 2000;

	nfired = 0;
	for (size_t i = 0; i < n; i++)
		probe_start(th, &p[i], i, (uint64_t)(rand() % 500));
	ok(timer_heap_count(th) == n && timer_heap_check(th),
	   "order: %zu timers in the heap, heap order holds", n);
	run_all(th);
	ok(nfired == n && in_order(p), "order: all %zu fired, earliest first",
	   nfired);
	ok(timer_heap_count(th) == 0 && !timer_isrunning(&p[0].t),
	   "order: heap empty, timers idle");
}

static void test_fifo(struct timer_heap *th, struct probe *p)
{
	const size_t n = 500;
	size_t i, same = 0;

	nfired = 0;
	for (i = 0; i < n; i++)
		probe_start(th, &p[i], i, 40);
	for (i = 1; i < n; i++)
		same += p[i].due == p[i - 1].due;
	run_all(th);
	for (i = 0; i < n && i < nfired && fired_ids[i] == i; i++)
		;
	ok(i == n && nfired == n,
	   "FIFO: %zu timers at 40 ms fired in start order (%zu pairs "
	   "shared a deadline)", n, same);
	ok(same > 0, "FIFO: the case had equal deadlines");
}

static void test_cancel(struct timer_heap *th, struct probe *p)
{
	const size_t n = 5000;
	size_t i, bad = 0, ncancel = 0;

	nfired = 0;
	for (i = 0; i < n; i++) {
		p[i].fired = 0;
		probe_start(th, &p[i], i, (uint64_t)(rand() % 1000));
	}
	for (i = 0; i < n; i++) {
		if (rand() % 3)
			continue;
		timer_cancel(&p[i].t);
		timer_cancel(&p[i].t);  /* twice is harmless */
		p[i].id = SIZE_MAX;     /* marks it cancelled */
		ncancel++;
	}
	ok(timer_heap_count(th) == n - ncancel && timer_heap_check(th),
	   "cancel: %zu of %zu cancelled, heap order holds", ncancel, n);
	run_all(th);
	for (i = 0; i < n; i++)
		bad += p[i].fired != (p[i].id == SIZE_MAX ? 0u : 1u);
	ok(bad == 0 && nfired == n - ncancel,
	   "cancel: cancelled timers never fired, the rest once each");
	timer_cancel(NULL);
	timer_cancel(&p[0].t);
	ok(timer_heap_count(th) == 0, "cancel: an idle timer or NULL: no-op");
}

/* ---- handlers that start and cancel timers ----------------------------- */

struct restart {
	struct timer_heap *th;
	struct timer self, other, late;
	unsigned self_runs, other_runs, late_runs;
	bool self_idle;              /* idle while its handler ran */
};

static void other_h(void *arg)
{
	((struct restart *)arg)->other_runs++;
}

static void late_h(void *arg)
{
	((struct restart *)arg)->late_runs++;
}

/* cancels itself (a no-op), restarts itself at 0 ms, cancels the other
 * timer due at the same time, starts the late one */
static void self_h(void *arg)
{
	struct restart *r = arg;

	r->self_runs++;
	r->self_idle = !timer_isrunning(&r->self);
	timer_cancel(&r->self);
	timer_start_on(r->th, &r->self, 0, self_h, r);
	timer_cancel(&r->other);
	if (r->self_runs == 1)
		timer_start_on(r->th, &r->late, 0, late_h, r);
}

struct owner {
	struct timer t;
	unsigned *runs;
};

static void owner_destructor(void *data)
{
	struct owner *o = data;

	timer_cancel(&o->t);
}

/* frees the object that holds its own timer */
static void owner_h(void *arg)
{
	struct owner *o = arg;

	(*o->runs)++;
	mem_deref(o);
}

static void test_handlers(struct timer_heap *th)
{
	struct restart r;
	struct owner *o;
	unsigned owner_runs = 0;

	memset(&r, 0, sizeof(r));
	r.th = th;
	timer_start_on(th, &r.self, 0, self_h, &r);
	timer_start_on(th, &r.other, 0, other_h, &r);
	run_all(th);
	ok(r.self_runs == 1 && r.self_idle,
	   "in its handler a timer is idle; restarted at 0 ms it waits for "
	   "the next run (ran %u)", r.self_runs);
	ok(r.other_runs == 0, "a due timer cancelled by a handler never fires");
	ok(r.late_runs == 0 && timer_isrunning(&r.late) &&
	   timer_isrunning(&r.self), "a timer a handler starts waits too");
	run_all(th);
	ok(r.self_runs == 2 && r.late_runs == 1,
	   "next run: the restarted timer and the late one fire once");
	timer_start_on(th, &r.self, 0, NULL, NULL);
	ok(!timer_isrunning(&r.self) && timer_heap_count(th) == 0,
	   "a start without a handler cancels");

	o = mem_zalloc(sizeof(*o), owner_destructor);
	if (!o)
		return;
	o->runs = &owner_runs;
	timer_start_on(th, &o->t, 5, owner_h, o);
	timer_start_on(th, &r.other, 5, other_h, &r);
	run_all(th);
	ok(owner_runs == 1 && r.other_runs == 1 && timer_heap_check(th),
	   "a handler that frees its timer's owner: the run goes on");
}

/* ---- 100k ------------------------------------------------------------- */

/* after a run at now, no timer still waiting is due, and every fired
 * one was; returns the number of misfits */
static size_t misfits(const struct probe *p, uint64_t now)
{
	size_t i, bad = 0;

	for (i = 0; i < BIG; i++)
		bad += timer_isrunning(&p[i].t) && p[i].due <= now;
	for (i = 0; i < nfired; i++)
		bad += p[fired_ids[i]].due > now;
	return bad;
}

/* 100k starts with duplicates, cancels in random order, restarts, and
 * runs at a clock stepping forward */
static void test_big(struct timer_heap *th, struct probe *p)
{
	size_t i, ncancel = 0, nrestart = 0, bad = 0, broken = 0;
	uint64_t t0 = timer_now(), now;

	nfired = 0;
	for (i = 0; i < BIG; i++) {
		p[i].fired = 0;
		probe_start(th, &p[i], i, (uint64_t)(rand() % 60000));
		broken += i % 10000 == 0 && !timer_heap_check(th);
	}
	ok(timer_heap_count(th) == BIG && timer_heap_check(th) && !broken,
	   "100k: all in, heap order held at every 10000th start");
	for (i = 0; i < BIG / 2; i++) {
		size_t k = (size_t)rand() % BIG;

		if (!timer_isrunning(&p[k].t))
			continue;
		timer_cancel(&p[k].t);
		p[k].id = SIZE_MAX;
		broken += ++ncancel % 10000 == 0 && !timer_heap_check(th);
	}
	for (i = 0; i < BIG; i += 10) {   /* restarts move them */
		if (p[i].id == SIZE_MAX)
			continue;
		probe_start(th, &p[i], i, (uint64_t)(rand() % 60000));
		nrestart++;
	}
	ok(timer_heap_count(th) == BIG - ncancel && timer_heap_check(th) &&
	   !broken, "100k: %zu cancelled, %zu restarted, heap order holds",
	   ncancel, nrestart);
	for (now = t0; timer_heap_count(th) && now < t0 + 120000;
	     now += 5000) {
		timer_heap_run(th, now);
		broken += !timer_heap_check(th);
		bad += misfits(p, now);
	}
	for (i = 0; i < BIG; i++)
		bad += p[i].fired != (p[i].id == SIZE_MAX ? 0u : 1u);
	ok(timer_heap_count(th) == 0 && !bad && !broken && in_order(p),
	   "100k: each run fired just what was due, in order, each once; "
	   "the cancelled never (%zu fired)", nfired);
	tap_diag("100k starts, %zu cancels, %zu restarts and the runs: %llu ms",
	     ncancel, nrestart, (unsigned long long)(timer_now() - t0));
}

/* ---- in libre's loop -------------------------------------------------- */

struct live {
	struct probe p[7];
	struct tmr guard;
	bool timed_out;
};

static void live_last(void *arg)
{
	probe_fire(arg);
	re_cancel();
}

static void live_guard(void *arg)
{
	((struct live *)arg)->timed_out = true;
	re_cancel();
}

/* re_main with a few short timers on this thread's heap: a later start
 * with an earlier deadline re-arms the timerfd earlier; a cancelled root
 * moves it later */
static void test_loop(void)
{
	static const uint64_t ms[] = {1000, 10, 30, 10, 0, 20, 0};
	static const size_t want[] = {6, 1, 3, 5, 0};
	struct live l;
	size_t i, late = 0;

	memset(&l, 0, sizeof(l));
	ok(timer_thread_init() == 0 && timer_thread_heap(),
	   "loop: this thread's heap, on a timerfd in libre's loop");
	nfired = 0;
	for (i = 0; i < 7; i++) {
		l.p[i].id = i;
		if (i == 6) {   /* the root (p[4], 0 ms) and p[2] cancelled */
			timer_cancel(&l.p[4].t);
			timer_cancel(&l.p[2].t);
		}
		timer_start(&l.p[i].t, ms[i], i == 0 ? live_last : probe_fire,
			    &l.p[i]);
		l.p[i].due = l.p[i].t.due;
	}
	ok(timer_left(&l.p[0].t) <= 1000 && timer_left(&l.p[0].t) >= 900 &&
	   timer_left(&l.p[2].t) == 0,
	   "loop: timer_left %llu ms of 1000, cancelled 0",
	   (unsigned long long)timer_left(&l.p[0].t));
	tmr_init(&l.guard);
	tmr_start(&l.guard, 5000, live_guard, &l);
	ok(timer_thread_count() == 6, "loop: this thread runs 6 timers, 5 on "
	   "its heap and libre's guard (%zu)", timer_thread_count());
	(void)re_main(NULL);
	tmr_cancel(&l.guard);
	ok(timer_thread_count() == 0, "loop: then none (%zu)",
	   timer_thread_count());
	ok(!l.timed_out && nfired == 5 && !l.p[2].fired && !l.p[4].fired,
	   "loop: re_main fired the 5 timers left (%zu)", nfired);
	for (i = 0; i < 5 && i < nfired; i++)
		late += fired_ids[i] != want[i];
	ok(late == 0, "loop: 0, 10, 10 (in start order), 20, 1000 ms");
	ok(l.p[1].fired && l.p[1].at < l.p[0].due,
	   "loop: a later start with an earlier deadline re-armed the "
	   "timerfd earlier (10 ms at %lld ms, not at 1000)",
	   (long long)(l.p[1].at - l.p[1].due + 10));
	for (i = 0; i < 7; i++)
		late += l.p[i].fired && l.p[i].at < l.p[i].due;
	ok(late == 0, "loop: none fired before its deadline");
	ok(timer_heap_count(timer_thread_heap()) == 0 &&
	   timer_heap_next(timer_thread_heap()) == UINT64_MAX,
	   "loop: nothing left");
	timer_thread_close();
	ok(!timer_thread_heap(), "loop: the thread's heap closed");
}

/* a root that moves later leaves the timerfd alone: it fires once early
 * and is re-armed then; an earlier root re-arms it at once */
static void test_lazy(void)
{
	struct live l;
	struct timer_heap *th;
	uint64_t a0, moved;
	size_t i, early = 0;

	memset(&l, 0, sizeof(l));
	ok(timer_thread_init() == 0 && (th = timer_thread_heap()) != NULL,
	   "lazy: this thread's heap");
	if (!th)
		return;
	nfired = 0;
	a0 = timer_heap_arms(th);
	for (i = 0; i < 3; i++)
		l.p[i].id = i;
	for (i = 0; i <= 100; i++)   /* p[0]: 20, 21, ... 120 ms */
		timer_start(&l.p[0].t, 20 + i, probe_fire, &l.p[0]);
	moved = timer_heap_arms(th) - a0;
	timer_start(&l.p[1].t, 5, probe_fire, &l.p[1]);
	ok(moved == 1 && timer_heap_arms(th) - a0 == 2,
	   "lazy: 101 starts of a root moving later armed the timerfd once "
	   "(%llu); an earlier root armed it again",
	   (unsigned long long)moved);
	timer_start(&l.p[2].t, 150, live_last, &l.p[2]);
	for (i = 0; i < 3; i++)
		l.p[i].due = l.p[i].t.due;
	tmr_init(&l.guard);
	tmr_start(&l.guard, 5000, live_guard, &l);
	(void)re_main(NULL);
	tmr_cancel(&l.guard);
	for (i = 0; i < 3; i++)
		early += l.p[i].at < l.p[i].due;
	ok(!l.timed_out && nfired == 3 && fired_ids[0] == 1 &&
	   fired_ids[1] == 0 && fired_ids[2] == 2 && !early,
	   "lazy: all 3 fired in order (5, 120, 150 ms), none early");
	ok(timer_heap_arms(th) - a0 <= 6, "lazy: %llu timerfd_settime() "
	   "calls for 103 starts", (unsigned long long)(timer_heap_arms(th) - a0));
	timer_thread_close();
}

int main(void)
{
	struct timer_heap *th = NULL;
	struct probe *p;

	libre_init();
	srand(4028);
	p = calloc(BIG, sizeof(*p));
	fired_ids = calloc(BIG, sizeof(*fired_ids));
	if (!p || !fired_ids || timer_heap_alloc(&th)) {
		ok(0, "setup");
		return tap_done();
	}
	ok(timer_heap_next(th) == UINT64_MAX && timer_heap_count(th) == 0,
	   "a new heap is empty");
	test_order(th, p);
	test_fifo(th, p);
	test_cancel(th, p);
	test_handlers(th);
	test_big(th, p);
	mem_deref(th);
	test_loop();
	test_lazy();
	free(p);
	free(fired_ids);
	libre_close();
	return tap_done();
}
