/*
 * common/tmrlist.c: libre's tmr_start() interposed.  The list stays
 * sorted with libre's order among equal expiries (first started, first
 * due); libre's own tmr_cancel() reaches the interposed tmr_start(); a
 * 500 ms timer among 10000 spread over 32 s walks a few hundred
 * elements, not all of them; tmr_poll() pops them all in order.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <re.h>
#include "common/tmrlist.h"
#include "tests/tap.h"


enum { N = 10000, SPREAD_MS = 32000 };

struct list *tmrl_get(void);

static struct tmr t[N + 1];
static unsigned fired;

static void noop(void *arg)
{
	(void)arg;
}

static void count(void *arg)
{
	(void)arg;
	fired++;
}

/* sorted by expiry; among equal ones in the order of the array (start
 * order); every started timer in it */
static bool list_sane(size_t n)
{
	const struct tmr *prev = NULL;
	size_t k = 0;

	for (struct le *le = list_head(tmrl_get()); le; le = le->next, k++) {
		const struct tmr *x = le->data;

		if (prev && (x->jfs < prev->jfs ||
			     (x->jfs == prev->jfs && x < prev)))
			return false;
		prev = x;
	}
	return k == n;
}

static void test_order(void)
{
	struct tmrlist_stats a, b;

	for (int i = 0; i < N; i++)
		tmr_start(&t[i], 1 + (uint64_t)(rand() % 400) * 80, noop, NULL);
	ok(list_sane(N), "%d timers, many due in the same ms: sorted, equal "
	   "ones in start order", N);
	tmrlist_stats(&a);
	tmr_cancel(&t[7]);   /* libre's, calling tmr_start through its PLT */
	tmrlist_stats(&b);
	ok(b.starts == a.starts + 1 && !tmr_isrunning(&t[7]),
	   "libre's own tmr_cancel() went through the interposed tmr_start()");
	for (int i = 0; i < N; i++)
		tmr_cancel(&t[i]);
	ok(list_isempty(tmrl_get()), "all cancelled: the list is empty");
}

static void test_walk(void)
{
	struct tmrlist_stats a, b;
	size_t before;

	for (int i = 0; i < N; i++)
		tmr_start(&t[i], (uint64_t)(rand() % SPREAD_MS), noop, NULL);
	tmrlist_stats(&a);
	tmr_start(&t[N], 500, noop, NULL);
	tmrlist_stats(&b);
	before = 0;
	for (struct le *le = list_head(tmrl_get()); le->data != &t[N];
	     le = le->next)
		before++;
	/* from the head: the ones before it and the first after; libre's
	 * from the tail: every one after it and the last before */
	ok(b.steps - a.steps == before + 1 && before < N / 4,
	   "a 500 ms timer among %d spread over %d ms walked %llu elements "
	   "from the head (libre's walk from the tail: %zu)", N, SPREAD_MS,
	   (unsigned long long)(b.steps - a.steps), N - before + 1);
	ok(list_sane(N + 1), "... in its place");
	tmrlist_stats(&a);
	tmr_start(&t[N], SPREAD_MS + 1000, noop, NULL);
	tmrlist_stats(&b);
	ok(list_sane(N + 1) && b.steps == a.steps,
	   "one due after the last: appended, no walk");
	tmr_start(&t[N], 0, noop, NULL);
	ok(list_sane(N + 1), "one due now: in its place, after the ones "
	   "already due");
	for (int i = 0; i <= N; i++)
		tmr_cancel(&t[i]);
}

static void test_poll(void)
{
	for (int i = 0; i < 1000; i++)
		tmr_start(&t[i], (uint64_t)(rand() % 5), count, NULL);
	fired = 0;
	for (int i = 0; i < 100 && fired < 1000; i++) {
		sys_msleep(1);
		tmr_poll(tmrl_get());
	}
	ok(fired == 1000 && list_isempty(tmrl_get()),
	   "libre's tmr_poll() fires all 1000 (%u)", fired);
}

int main(void)
{
	libre_init();
	srand(3261);
	test_order();
	test_walk();
	test_poll();
	libre_close();
	return tap_done();
}
