/*
 * timer: one-shot timers on a binary min-heap, driven by one timerfd per
 * thread's loop (see timer.h).
 *
 * The heap is an array of timer pointers ordered by (due, seq); each
 * timer keeps its slot, so a cancel removes it in O(log n) without a
 * search.  seq is unique, so the order is total and equal dues fire
 * first-started first.  The timerfd holds the root's deadline (armed),
 * or an earlier one (rearm() says why).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <re.h>
#include "common/log.h"
#include "common/timer.h"

enum { HEAP_MIN = 256 };

struct timer_heap {
	struct timer **v;
	size_t n, cap;
	uint64_t seq;         /* the next start's seq */
	uint64_t armed;       /* the timerfd's deadline (ms); 0: disarmed */
	uint64_t arms;        /* timerfd_settime() calls, for tests */
	bool running;         /* in timer_heap_run: re-arm at its end */
	int fd;
};

/* this thread's heap (one per libre loop) */
static __thread struct timer_heap *thread_heap;

uint64_t timer_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the heap ---------------------------------------------------------- */

static bool before(const struct timer *a, const struct timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void place(struct timer_heap *th, size_t i, struct timer *t)
{
	th->v[i] = t;
	t->pos = i;
}

static void sift_up(struct timer_heap *th, size_t i)
{
	struct timer *t = th->v[i];

	while (i > 0 && before(t, th->v[(i - 1) / 2])) {
		place(th, i, th->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(th, i, t);
}

static void sift_down(struct timer_heap *th, size_t i)
{
	struct timer *t = th->v[i];
	size_t c;

	while ((c = 2 * i + 1) < th->n) {
		if (c + 1 < th->n && before(th->v[c + 1], th->v[c]))
			c++;
		if (!before(th->v[c], t))
			break;
		place(th, i, th->v[c]);
		i = c;
	}
	place(th, i, t);
}

static void heap_remove(struct timer_heap *th, struct timer *t)
{
	size_t i = t->pos;
	struct timer *last = th->v[--th->n];

	t->heap = NULL;
	if (last == t)
		return;
	place(th, i, last);
	if (i > 0 && before(last, th->v[(i - 1) / 2]))
		sift_up(th, i);
	else
		sift_down(th, i);
}

static int heap_grow(struct timer_heap *th)
{
	size_t cap = th->cap ? 2 * th->cap : HEAP_MIN;
	struct timer **v = th->v ? mem_realloc(th->v, cap * sizeof(*v)) :
		mem_alloc(cap * sizeof(*v), NULL);   /* libre's realloc: not of NULL */

	if (!v)
		return ENOMEM;
	th->v = v;
	th->cap = cap;
	return 0;
}

/* ---- the timerfd ------------------------------------------------------- */

/*
 * The timerfd follows the root's deadline when it moves earlier.  When
 * it moves later (the root was cancelled or restarted, as libpri's T203
 * is on every frame) or the heap empties, the fd stays as it is: it fires
 * once, early, and the run re-arms it then.  Under load the root moves
 * later far more often than the fd fires, and a timerfd_settime() is a
 * system call each.
 */
static void rearm(struct timer_heap *th)
{
	uint64_t want = th->n ? th->v[0]->due : 0;
	struct itimerspec its;

	if (th->running || want == th->armed || th->fd < 0)
		return;
	if (th->armed && (!want || want > th->armed))
		return;
	memset(&its, 0, sizeof(its));
	if (want) {
		its.it_value.tv_sec = (time_t)(want / 1000);
		its.it_value.tv_nsec = (long)(want % 1000) * 1000000;
	}
	th->arms++;
	if (timerfd_settime(th->fd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		th->armed = want;
	else
		log_err("timer: timerfd_settime: %s", strerror(errno));
}

static void fd_handler(int flags, void *arg)
{
	struct timer_heap *th = arg;
	uint64_t ticks;

	(void)flags;
	/* EAGAIN: re-armed since it expired; armed holds the new deadline */
	if (read(th->fd, &ticks, sizeof(ticks)) == sizeof(ticks))
		th->armed = 0;
	timer_heap_run(th, timer_now());
}

static void heap_destructor(void *data)
{
	struct timer_heap *th = data;

	while (th->n)
		th->v[--th->n]->heap = NULL;
	mem_deref(th->v);
	if (th->fd >= 0) {
		fd_close(th->fd);
		(void)close(th->fd);
	}
}

int timer_heap_alloc(struct timer_heap **thp)
{
	struct timer_heap *th;
	int err;

	if (!thp)
		return EINVAL;
	th = mem_zalloc(sizeof(*th), heap_destructor);
	if (!th)
		return ENOMEM;
	th->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	err = th->fd < 0 ? errno : heap_grow(th);
	if (!err)
		err = fd_listen(th->fd, FD_READ, fd_handler, th);
	if (err)
		mem_deref(th);
	else
		*thp = th;
	return err;
}

/* ---- timers ------------------------------------------------------------ */

void timer_init(struct timer *t)
{
	if (t)
		memset(t, 0, sizeof(*t));
}

void timer_cancel(struct timer *t)
{
	struct timer_heap *th = t ? t->heap : NULL;

	if (!th)
		return;
	heap_remove(th, t);
	rearm(th);
}

void timer_start_on(struct timer_heap *th, struct timer *t, uint64_t ms,
		    timer_h *h, void *arg)
{
	uint64_t now;

	if (!t)
		return;
	timer_cancel(t);
	if (!th || !h)
		return;
	if (th->n == th->cap && heap_grow(th)) {
		log_err("timer: no memory for a timer");
		return;
	}
	now = timer_now();
	t->due = ms > UINT64_MAX - now ? UINT64_MAX : now + ms;
	t->seq = th->seq++;
	t->h = h;
	t->arg = arg;
	t->heap = th;
	place(th, th->n++, t);
	sift_up(th, t->pos);
	rearm(th);
}

void timer_start(struct timer *t, uint64_t ms, timer_h *h, void *arg)
{
	int err = h ? timer_thread_init() : 0;

	if (err)
		log_err("timer: no timer heap on this thread: %s",
			strerror(err));
	timer_start_on(thread_heap, t, ms, h, arg);
}

bool timer_isrunning(const struct timer *t)
{
	return t && t->heap;
}

uint64_t timer_left(const struct timer *t)
{
	uint64_t now;

	if (!timer_isrunning(t))
		return 0;
	now = timer_now();
	return t->due > now ? t->due - now : 0;
}

/*
 * Fire every timer due at now, earliest first.  A timer started from a
 * handler (seq from here on) waits for the next pass even when due, so
 * a handler that restarts itself at 0 ms cannot hold the loop.
 */
void timer_heap_run(struct timer_heap *th, uint64_t now)
{
	uint64_t last;

	if (!th)
		return;   /* no timer was ever started on this thread */
	last = th->seq;

	th->running = true;
	while (th->n && th->v[0]->due <= now && th->v[0]->seq < last) {
		struct timer *t = th->v[0];

		heap_remove(th, t);
		t->h(t->arg);   /* may start, cancel or free t */
	}
	th->running = false;
	rearm(th);
}

size_t timer_heap_count(const struct timer_heap *th)
{
	return th ? th->n : 0;
}

/* libre 1.1.0 exports no count of its timer list: tmr_status() prints
 * "Timers (N):" and a line per timer, or nothing for none */
static size_t libre_count(void)
{
	char *text = NULL;
	unsigned n = 0;

	if (re_sdprintf(&text, "%H", tmr_status, NULL) || !text)
		return 0;
	if (sscanf(text, "Timers (%u)", &n) != 1)
		n = 0;
	mem_deref(text);
	return n;
}

size_t timer_thread_count(void)
{
	return timer_heap_count(thread_heap) + libre_count();
}

uint64_t timer_heap_next(const struct timer_heap *th)
{
	uint64_t now;

	if (!th || !th->n)
		return UINT64_MAX;
	now = timer_now();
	return th->v[0]->due > now ? th->v[0]->due - now : 0;
}

uint64_t timer_heap_arms(const struct timer_heap *th)
{
	return th ? th->arms : 0;
}

bool timer_heap_check(const struct timer_heap *th)
{
	for (size_t i = 0; th && i < th->n; i++) {
		if (th->v[i]->heap != th || th->v[i]->pos != i)
			return false;
		if (i > 0 && before(th->v[i], th->v[(i - 1) / 2]))
			return false;
	}
	return true;
}

/* ---- this thread's heap ------------------------------------------------ */

int timer_thread_init(void)
{
	return thread_heap ? 0 : timer_heap_alloc(&thread_heap);
}

void timer_thread_close(void)
{
	thread_heap = mem_deref(thread_heap);
}

struct timer_heap *timer_thread_heap(void)
{
	return thread_heap;
}
